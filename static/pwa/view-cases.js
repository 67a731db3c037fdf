// The penalty queue: supervisors approve or dismiss; 区城管执法局 accepts, decides (警告, 罚款 per violation
// within each one's range, 罚款并责令停工整治, 责令停工整治, 不予处罚 with its legal ground, or 减轻处罚 that a
// second bureau user confirms), records the payment, closes or withdraws. The server decides who may
// make which move (next_states); each violation's range is checked here too before sending.
import { api, apiBlob, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { flagTexts, fmtTime, h, mount, pick, toast, truckText } from './ui.js';
import { gallery, offSiteReason, releasePhotos } from './gallery.js';
import { uuid4 } from './rules.js';

const STATUSES = ['pending_review', 'approved', 'accepted', 'decision_pending', 'decided', 'paid', 'referred_out', 'dismissed', 'withdrawn', 'closed'];
const OUTCOMES = ['warning', 'fine', 'fine_and_stop_work', 'stop_work', 'no_penalty', 'reduced_fine'];
const FINED = ['fine', 'fine_and_stop_work', 'reduced_fine'];
const STOP = ['stop_work', 'fine_and_stop_work'];
const GROUNDS = {
  no_penalty: ['first_minor_corrected', 'minor_corrected', 'no_fault', 'insufficient_evidence', 'time_barred', 'other'],
  reduced_fine: ['mitigated_harm', 'coerced', 'confessed', 'cooperated', 'other_statutory'],
};
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing date
// The range a violation is fined within: the one the case recorded for the liable party, else its basis's.
const itemRange = (it) => { const r = it.governing !== undefined ? it.governing || {} : it.legal_basis || {}; return r.fine_min != null && r.fine_max != null ? r : null; };
const FIRST = { supervisor: 'pending_review', admin: 'pending_review', enforcement: 'approved' };
const yuan = (n) => Number(n).toLocaleString('zh-CN');

function problem(el, err) {
  if (err instanceof ApiError && err.status === 401) { location.hash = '#/login'; return; }
  el.replaceChildren(h('p', { class: 'notice attn' }, err instanceof ApiError ? err.message || err.code : t('desk_offline')));
}

export async function casesView({ args, go }) {
  const status = args[0] === undefined ? FIRST[getSession().user.role] || '' : args[0];
  const pick_ = h('select', { id: 'case-status', onchange: (e) => go(`cases/${e.target.value}`) },
    h('option', { value: '' }, t('all')), STATUSES.map((s) => h('option', { value: s, selected: s === status }, t(`case_${s}`))));
  const list = h('div', { id: 'case-list', class: 'cards' }, h('p', {}, t('loading')));
  mount(h('h2', {}, t('nav_cases')), h('label', { for: 'case-status' }, t('case_status_label')), pick_, list);
  try {
    const res = await api(`/api/penalty-cases?page_size=50${status ? `&status=${status}` : ''}`);
    list.replaceChildren(...(res.items.length ? res.items.map((c) => h('a', { class: 'card sc case', href: `#/case/${c.id}`, 'data-case-id': c.id, 'data-status': c.status },
      h('div', { class: 'row' }, h('strong', { class: 'grow' }, c.case_number), h('span', { class: 'state' }, c.status_label)),
      h('div', { class: 'subject' }, (c.site && c.site.name) || (c.truck && c.truck.plate) || '', c.party && c.party.name ? ` · ${c.party.label}` : c.contractor ? ` · ${c.contractor}` : ''),
      h('div', { class: 'small-text' }, c.authority_label, ' · ', fmtTime(c.created_at),
        c.fine_min != null ? ` · ${t('fine_range_short', { min: yuan(c.fine_min), max: yuan(c.fine_max) })}` : ''))) : [h('p', {}, t('none'))]));
  } catch (err) { problem(list, err); }
}

// The PDF needs the login token, so it is fetched and opened as a blob (a plain link carries no header).
async function openPdf(url) {
  try {
    const { blob } = await apiBlob(url);
    window.open(URL.createObjectURL(blob), '_blank');
  } catch (err) { toast(err instanceof ApiError ? err.message || err.code : t('desk_offline')); }
}

export async function caseView({ args, go }) {
  const id = args[0];
  mount(h('p', {}, t('loading')));
  let c;
  try { c = await api(`/api/penalty-cases/${encodeURIComponent(id)}`); } catch (err) { const box = h('div'); problem(box, err); mount(box); return null; }
  const requestId = uuid4(); // one per screen: a retried tap repeats the same move, never a second one
  const msg = h('div', { id: 'case-message', role: 'alert' });

  async function move(to, fields) {
    msg.replaceChildren();
    try {
      await api(`/api/penalty-cases/${c.id}/transitions`, { method: 'POST', json: { to, request_id: requestId, ...fields } });
      toast(t('case_moved', { state: t(`case_${to}`) }));
      go(`case/${c.id}`);
    } catch (err) { problem(msg, err); }
  }

  const need = (el, text) => { if (el.value.trim()) return false; msg.replaceChildren(h('p', { class: 'notice attn' }, text)); el.focus(); return true; };
  const area = (id) => h('textarea', { id, rows: '2' });

  // The decision form: the outcome decides what else it needs; a reduced fine goes to a second approver.
  function decisionForm(parts, fields, target) {
    const kinds = h('fieldset', { class: 'outcomes two' }, h('legend', {}, t('decision_label')),
      OUTCOMES.filter((v) => v !== 'reduced_fine' || (c.next_states || []).includes('decision_pending')).map((v) => h('label', { 'data-decision': v },
        h('input', { type: 'radio', name: 'decision', value: v, checked: v === 'fine' }), h('span', {}, t(`decision_${v}`)))));
    const fineable = (c.items || []).filter(itemRange);
    // one input per violation with a range (a case with several violations is not one range)
    const amounts = fineable.map((it) => h('input', { id: fineable.length === 1 ? 'fine-amount' : `amount-${it.item_key}`, 'data-item': it.item_key, type: 'number', inputmode: 'decimal', min: 0, step: '1' }));
    const fineBox = h('div', { id: 'fine-box' }, h('p', {}, t('fine_per_violation')), fineable.map((it, i) => [
      h('label', { for: amounts[i].id }, t('fine_item_range', { name: pick(it, 'text'), min: yuan(itemRange(it).fine_min), max: yuan(itemRange(it).fine_max) })), amounts[i]]),
      h('p', { class: 'small-text', id: 'fine-range' }, c.fine_range || t('fine_range_none')));
    const order = area('rectification-order');
    const orderBox = h('div', { hidden: true }, h('label', { for: order.id }, t('rectification_order')), order);
    const ground = h('select', { id: 'decision-reason-code' });
    const reason = area('decision-reason');
    const groundBox = h('div', { hidden: true }, h('label', { for: ground.id }, t('decision_reason_code')), ground,
      h('label', { for: reason.id }, t('decision_reason')), reason);
    const number = h('input', { id: 'decision-number', type: 'text', placeholder: t('decision_number_example') });
    const date = h('input', { id: 'decision-date', type: 'date', value: today(), max: today() });
    const outcome = () => kinds.querySelector('input:checked').value;
    const show = () => {
      const o = outcome();
      fineBox.hidden = !FINED.includes(o); orderBox.hidden = !STOP.includes(o); groundBox.hidden = !GROUNDS[o];
      if (GROUNDS[o]) ground.replaceChildren(...GROUNDS[o].map((g) => h('option', { value: g }, t(`reason_${g}`))));
    };
    kinds.addEventListener('change', show);
    parts.push(kinds, fineBox, orderBox, groundBox, h('label', { for: number.id }, t('decision_number')), number,
      h('label', { for: date.id }, t('decision_date')), date);
    return () => {
      const o = outcome();
      Object.assign(fields, { decision: o, decision_number: number.value.trim(), decision_date: date.value || null });
      target.to = o === 'reduced_fine' ? 'decision_pending' : 'decided';
      if (FINED.includes(o)) {
        const list = [];
        for (const [i, it] of fineable.entries()) {
          if (need(amounts[i], t('fine_needed'))) return true;
          const n = Number(amounts[i].value); const r = itemRange(it);
          const ok = o === 'reduced_fine' ? n > 0 && n <= r.fine_max : n >= r.fine_min && n <= r.fine_max;
          if (!ok) {
            msg.replaceChildren(h('p', { class: 'notice attn', id: 'fine-refused' }, o === 'reduced_fine'
              ? t('reduced_below_min', { max: yuan(r.fine_max) }) : t('fine_outside', { n: yuan(n), min: yuan(r.fine_min), max: yuan(r.fine_max) })));
            amounts[i].focus(); return true;
          }
          list.push({ item_key: it.item_key, amount: n });
        }
        fields.amounts = list;
      }
      if (STOP.includes(o)) { if (need(order, t('order_needed'))) return true; fields.rectification_order = order.value.trim(); }
      if (GROUNDS[o]) {
        fields.decision_reason_code = ground.value;
        if ((o === 'reduced_fine' || ground.value === 'other') && need(reason, t('reason_needed'))) return true;
        if (reason.value.trim()) fields.decision_reason = reason.value.trim();
      }
      return need(number, t('decision_number_needed'));
    };
  }

  function form(to) {
    const note = area(`note-${to}`);
    const parts = [];
    const fields = {};
    const target = { to };
    const pending = c.status === 'decision_pending';
    // moves whose text box is their required reason
    const reasonLabel = { dismissed: 'dismiss_reason', withdrawn: 'withdraw_reason' }[to] || (to === 'accepted' && pending ? 'return_reason' : null);
    const title = pending && to === 'decided' ? 'move_approve_reduction' : pending && to === 'accepted' ? 'move_return_reduction' : `move_${to}`;
    if (reasonLabel) parts.push(h('label', { for: note.id }, t(reasonLabel)), note);
    else if (to !== 'decided' || pending) parts.push(h('label', { for: note.id }, t('case_note')), note);
    let check = () => (reasonLabel ? need(note, t(to === 'dismissed' ? 'dismiss_reason_needed' : 'reason_needed')) : false);
    if (to === 'paid') {
      const paidOn = h('input', { id: 'paid-on', type: 'date', value: today(), max: today() });
      const receipt = h('input', { id: 'receipt-number', type: 'text' });
      parts.unshift(h('label', { for: paidOn.id }, t('paid_on')), paidOn, h('label', { for: receipt.id }, t('receipt_number')), receipt);
      check = () => { if (need(receipt, t('receipt_needed'))) return true; Object.assign(fields, { paid_on: paidOn.value, receipt_number: receipt.value.trim() }); return false; };
    }
    if (to === 'closed' && c.status === 'referred_out') {
      // The outside authority decided: record what it reported back (required by the server too).
      const outcome = area('referral-outcome');
      parts.unshift(h('label', { for: outcome.id }, t('referral_outcome_label', { to: c.referred_to || '' })), outcome);
      check = () => { if (need(outcome, t('referral_outcome_needed'))) return true; fields.referral_outcome = outcome.value.trim(); return false; };
    }
    if (to === 'decided' && !pending) check = decisionForm(parts, fields, target);
    return h('form', { class: 'card move', 'data-to': to, novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      if (check()) return;
      if (note.value.trim()) fields[reasonLabel ? 'reason' : 'note'] = note.value.trim();
      move(target.to, fields);
    } }, h('h3', {}, t(title)), parts, h('button', { type: 'submit', class: `wide${reasonLabel && to !== 'accepted' ? ' danger' : ''}`, id: `move-${to}` }, t(title)));
  }
  const d = c.decision_detail;

  const photos = (c.photos || []).filter((p) => p.arrived).map((p) => p.id);
  mount(
    h('p', {}, h('a', { href: '#/cases' }, t('back'))),
    h('h2', {}, c.case_number),
    h('p', {}, h('strong', { id: 'case-state', 'data-status': c.status }, c.status_label), ' · ', c.authority_label),
    h('p', { class: 'notice info' }, c.authority_note),
    // A case of 区交管队 / 区住建局 / 生态环境分局: shown as a referral, with the outcome they reported back.
    c.referred_to ? h('div', { id: 'case-referral', class: 'notice warn', 'data-authority': c.authority },
      h('strong', {}, t('referral_to', { to: c.referred_to })),
      c.referral_note ? h('div', { class: 'small-text' }, t('referral_note_label'), '：', c.referral_note) : null,
      h('div', { id: 'referral-outcome-text' }, c.referral_outcome ? [t('referral_outcome_short'), '：', c.referral_outcome]
        : t(c.status === 'referred_out' ? 'referral_outcome_awaiting' : 'referral_not_sent'))) : null,
    h('dl', { class: 'kv' }, [
      [t('site'), c.site ? h('a', { href: `#/site/${c.site.id}` }, c.site.name) : h('span', { class: 'subject' }, truckText(c.truck) || '—')],
      [t('unit_label'), c.unit ? pick(c.unit, 'name') : ''],
      [t('case_party'), c.party && c.party.name ? h('span', { id: 'case-party', 'data-party': c.party.kind }, c.party.label) : ''],
      // the 整改通知书 of the case's inspection: its number opens the PDF (fetched with the token)
      [t('case_notice'), c.notice ? h('a', { id: 'case-notice', href: c.notice.pdf_url, 'data-pdf': c.notice.pdf_url,
        onclick: (e) => { e.preventDefault(); openPdf(c.notice.pdf_url); } }, c.notice.number) : ''],
      [t('contractor'), c.contractor],
      [t('contact'), c.site && c.site.contact_name ? `${c.site.contact_name} ${c.site.contact_phone || ''}` : ''],
      [t('fine_range_label'), c.fine_range], [t('decision_label'), c.decision_label],
      [t('fine_amount'), c.fine_amount != null ? t('yuan', { n: yuan(c.fine_amount) }) : ''],
      [t('fine_per_violation'), d && d.amounts.length > 1 ? h('ul', { id: 'decision-amounts', class: 'plain' }, d.amounts.map((a) => h('li', {}, `${a.text_zh}：${t('yuan', { n: yuan(a.amount) })}`))) : ''],
      [t('decision_reason_code'), d && d.reason_label ? `${d.reason_label}${d.reason ? `（${d.reason}）` : ''}` : ''],
      [t('rectification_order'), c.rectification_order], [t('decision_number'), c.decision_number],
      [t('decision_date'), d ? d.decision_date : ''],
      [t('decided_by_label'), d && d.decided_by ? d.decided_by.display_name : ''],
      [t('second_approver_label'), d && d.second_approver ? d.second_approver.display_name : ''],
      [t('paid_on'), c.paid_on], [t('receipt_number'), c.receipt_number],
      [t('withdraw_reason'), c.withdrawal_reason],
      [t('dismiss_reason'), c.dismissal_reason],
    ].filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h3', {}, t('case_items')),
    (c.items || []).map((it) => h('section', { class: 'card legal' },
      h('strong', {}, pick(it, 'text')), h('div', { class: 'small-text' }, it.clause || ''),
      it.reason_labels && it.reason_labels.length ? h('p', {}, t('case_reasons', { r: it.reason_labels.join('；') })) : null,
      it.legal_basis ? h('p', { class: 'small-text' }, [it.legal_basis.law, it.legal_basis.obligation_article, t('penalty_article', { a: it.legal_basis.penalty_article || '' })].filter(Boolean).join(' '),
        h('br'), it.fine_range || '', h('br'), pick(it.legal_basis, 'note')) : null)),
    h('h3', {}, t('evidence')),
    gallery(photos, c.inspection && c.inspection.photo_annotations) || h('p', {}, t('none')),
    flagTexts(c.flags).length ? h('ul', { class: 'flags small-text' }, flagTexts(c.flags).map((x) => h('li', {}, x))) : null,
    offSiteReason(c.inspection),
    c.inspection && c.inspection.uuid ? h('p', {}, h('a', { href: `#/insp/${c.inspection.uuid}` }, t('case_inspection', { who: c.inspection.inspector || '' }))) : null,
    d && d.awaiting_second_approver ? h('p', { id: 'awaiting-second', class: 'notice warn' }, t('awaiting_second', { who: d.decided_by ? d.decided_by.display_name : '' })) : null,
    d && d.pdf_url ? h('p', {}, h('a', { id: 'decision-pdf', href: d.pdf_url, 'data-pdf': d.pdf_url, onclick: (e) => { e.preventDefault(); openPdf(d.pdf_url); } }, t('decision_pdf'))) : null,
    msg,
    // a reduced fine is one of the decision form's outcomes, not a form of its own
    (c.next_states || []).filter((s) => !(s === 'decision_pending' && c.next_states.includes('decided'))).map(form),
    h('h3', {}, t('history')),
    (c.history || []).length ? h('ol', { id: 'case-history', class: 'plain' }, c.history.map((ev) => h('li', {},
      `${fmtTime(ev.at)} ${ev.actor ? ev.actor.display_name : t('system')}：${ev.to_label}`, ev.note ? `（${ev.note}）` : '', ev.message ? ` ${ev.message}` : '')))
      : h('p', {}, t('none')));
  return releasePhotos;
}
