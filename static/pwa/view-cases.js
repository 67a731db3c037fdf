// The penalty queue: supervisors approve or dismiss; 区城管执法局 accepts, decides (a fine within the
// legal range, or an order to stop work, with the decision number) and closes. The server decides
// who may make which move (next_states); the fine range is checked here too before sending.
import { api, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { flagTexts, fmtTime, h, mount, pick, toast } from './ui.js';
import { gallery, releasePhotos } from './gallery.js';
import { uuid4 } from './rules.js';

const STATUSES = ['pending_review', 'approved', 'accepted', 'decided', 'referred_out', 'dismissed', 'closed'];
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
      h('div', {}, (c.site && c.site.name) || c.plate || '', c.contractor ? ` · ${c.contractor}` : ''),
      h('div', { class: 'small-text' }, c.authority_label, ' · ', fmtTime(c.created_at),
        c.fine_min != null ? ` · ${t('fine_range_short', { min: yuan(c.fine_min), max: yuan(c.fine_max) })}` : ''))) : [h('p', {}, t('none'))]));
  } catch (err) { problem(list, err); }
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

  function form(to) {
    const note = area(`note-${to}`);
    const parts = [];
    const fields = {};
    if (to === 'dismissed') parts.push(h('label', { for: note.id }, t('dismiss_reason')), note);
    else if (to !== 'decided') parts.push(h('label', { for: note.id }, t('case_note')), note);
    let check = () => (to === 'dismissed' ? need(note, t('dismiss_reason_needed')) : false);
    if (to === 'closed' && c.status === 'referred_out') {
      // The outside authority decided: record what it reported back (required by the server too).
      const outcome = area('referral-outcome');
      parts.unshift(h('label', { for: outcome.id }, t('referral_outcome_label', { to: c.referred_to || '' })), outcome);
      check = () => { if (need(outcome, t('referral_outcome_needed'))) return true; fields.referral_outcome = outcome.value.trim(); return false; };
    }
    if (to === 'decided') {
      const kinds = h('fieldset', { class: 'outcomes two' }, h('legend', {}, t('decision_label')),
        ['fine', 'stop_work'].map((v) => h('label', { 'data-decision': v }, h('input', { type: 'radio', name: 'decision', value: v, checked: v === 'fine' }), h('span', {}, t(`decision_${v}`)))));
      const amount = h('input', { id: 'fine-amount', type: 'number', inputmode: 'decimal', min: c.fine_min ?? 0, max: c.fine_max ?? '', step: '1' });
      const number = h('input', { id: 'decision-number', type: 'text', placeholder: t('decision_number_example') });
      const order = area('rectification-order');
      const fineBox = h('div', {}, h('label', { for: 'fine-amount' }, t('fine_amount')), amount,
        h('p', { class: 'small-text', id: 'fine-range' }, c.fine_range || t('fine_range_none')));
      const orderBox = h('div', { hidden: true }, h('label', { for: 'rectification-order' }, t('rectification_order')), order);
      kinds.addEventListener('change', () => { const fine = kinds.querySelector('input:checked').value === 'fine'; fineBox.hidden = !fine; orderBox.hidden = fine; });
      parts.push(kinds, fineBox, orderBox, h('label', { for: 'decision-number' }, t('decision_number')), number);
      check = () => {
        const decision = kinds.querySelector('input:checked').value;
        Object.assign(fields, { decision, decision_number: number.value.trim(), fine_amount: null, rectification_order: null });
        if (decision === 'fine') {
          if (need(amount, t('fine_needed'))) return true;
          const n = Number(amount.value);
          if (!(n >= c.fine_min && n <= c.fine_max)) {
            msg.replaceChildren(h('p', { class: 'notice attn', id: 'fine-refused' }, t('fine_outside', { n: yuan(n), min: yuan(c.fine_min), max: yuan(c.fine_max) })));
            amount.focus(); return true;
          }
          fields.fine_amount = n;
        } else {
          if (need(order, t('order_needed'))) return true;
          fields.rectification_order = order.value.trim();
        }
        return need(number, t('decision_number_needed'));
      };
    }
    return h('form', { class: 'card move', 'data-to': to, novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      if (check()) return;
      if (note.value.trim()) fields[to === 'dismissed' ? 'reason' : 'note'] = note.value.trim();
      move(to, fields);
    } }, h('h3', {}, t(`move_${to}`)), parts, h('button', { type: 'submit', class: `wide${to === 'dismissed' ? ' danger' : ''}`, id: `move-${to}` }, t(`move_${to}`)));
  }

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
      [t('site'), c.site ? h('a', { href: `#/site/${c.site.id}` }, c.site.name) : c.plate || '—'],
      [t('unit_label'), c.unit ? pick(c.unit, 'name') : ''], [t('contractor'), c.contractor],
      [t('contact'), c.site && c.site.contact_name ? `${c.site.contact_name} ${c.site.contact_phone || ''}` : ''],
      [t('fine_range_label'), c.fine_range], [t('decision_label'), c.decision_label],
      [t('fine_amount'), c.fine_amount != null ? t('yuan', { n: yuan(c.fine_amount) }) : ''],
      [t('rectification_order'), c.rectification_order], [t('decision_number'), c.decision_number],
      [t('dismiss_reason'), c.dismissal_reason],
    ].filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h3', {}, t('case_items')),
    (c.items || []).map((it) => h('section', { class: 'card legal' },
      h('strong', {}, pick(it, 'text')), h('div', { class: 'small-text' }, it.clause || ''),
      it.reason_labels && it.reason_labels.length ? h('p', {}, t('case_reasons', { r: it.reason_labels.join('；') })) : null,
      it.legal_basis ? h('p', { class: 'small-text' }, [it.legal_basis.law, it.legal_basis.obligation_article, t('penalty_article', { a: it.legal_basis.penalty_article || '' })].filter(Boolean).join(' '),
        h('br'), it.fine_range || '', h('br'), pick(it.legal_basis, 'note')) : null)),
    h('h3', {}, t('evidence')),
    gallery(photos) || h('p', {}, t('none')),
    flagTexts(c.flags).length ? h('ul', { class: 'flags small-text' }, flagTexts(c.flags).map((x) => h('li', {}, x))) : null,
    c.inspection && c.inspection.uuid ? h('p', {}, h('a', { href: `#/insp/${c.inspection.uuid}` }, t('case_inspection', { who: c.inspection.inspector || '' }))) : null,
    msg,
    (c.next_states || []).map(form),
    h('h3', {}, t('history')),
    (c.history || []).length ? h('ol', { id: 'case-history', class: 'plain' }, c.history.map((ev) => h('li', {},
      `${fmtTime(ev.at)} ${ev.actor ? ev.actor.display_name : t('system')}：${ev.to_label}`, ev.note ? `（${ev.note}）` : '', ev.message ? ` ${ev.message}` : '')))
      : h('p', {}, t('none')));
  return releasePhotos;
}
