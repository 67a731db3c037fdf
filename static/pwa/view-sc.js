// Scorecards for desk roles: which sites need attention (sort, filter, pages), one site's page
// (score chart, evidence, flags, open violations, map, contacts), an inspection with its review.
import { api, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { flagTexts, fmtTime, gradeText, h, mount, pick, toast, truckText } from './ui.js';
import { gallery, offSiteReason, releasePhotos, scoreChart } from './gallery.js';
import { loadForms } from './drafts.js';
import { closeViolationForm, noticesSection, suspensionSection } from './view-site-actions.js';
import { nightPermitsSection } from './view-night.js';

const PAGE_SIZE = 20;
const SORTS = ['score', '-overdue', '-days_since', 'name'];
const filters = { q: '', unit: '', grade: '', sort: 'score', overdue: false, days: '', page: 1 };
const seenUnits = new Map();
const round = (v) => (v == null ? '—' : String(Math.round(v * 10) / 10));

function failed(msg, err) {
  if (err instanceof ApiError && err.status === 401) { location.hash = '#/login'; return; }
  msg.className = 'notice attn';
  msg.textContent = err instanceof ApiError ? err.message || err.code : t('desk_offline');
}

export async function scorecardsView() {
  (getSession().user.units || []).forEach((u) => seenUnits.set(u.code, u));
  const q = h('input', { id: 'sc-q', type: 'search', value: filters.q, placeholder: t('search_placeholder') });
  const unit = h('select', { id: 'sc-unit' });
  const grade = h('select', { id: 'sc-grade' }, ['', 'excellent', 'pass', 'fail'].map((g) => h('option', { value: g, selected: g === filters.grade }, g ? t(`grade_${g}`) : t('all'))));
  const sort = h('select', { id: 'sc-sort' }, SORTS.map((v) => h('option', { value: v, selected: v === filters.sort }, t(`sort_${v.replace('-', 'desc_')}`))));
  const overdue = h('input', { id: 'sc-overdue', type: 'checkbox', checked: filters.overdue });
  const days = h('input', { id: 'sc-days', type: 'number', min: '0', max: '3650', inputmode: 'numeric', value: filters.days });
  const list = h('div', { id: 'sc-list', class: 'cards' });
  const status = h('p', { id: 'sc-status', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: 'sc-prev', class: 'secondary' }, t('page_prev'));
  const next = h('button', { type: 'button', id: 'sc-next', class: 'secondary' }, t('page_next'));
  const fillUnits = () => unit.replaceChildren(h('option', { value: '' }, t('all')),
    ...[...seenUnits.values()].map((u) => h('option', { value: u.code, selected: u.code === filters.unit }, pick(u, 'name'))));

  function card(r) {
    return h('a', { class: 'card sc', href: `#/site/${r.site_id}`, 'data-site-id': r.site_id },
      h('div', { class: 'row' }, h('strong', { class: 'grow' }, r.name),
        r.grade ? h('span', { class: `grade ${r.grade}` }, `${round(r.score)} ${gradeText(r)}`) : h('span', { class: 'muted' }, t('never_inspected'))),
      h('div', { class: 'small-text muted' }, `${pick(r.unit, 'name')} · ${r.contractor || ''}`),
      h('div', { class: 'small-text' }, [t('avg_30d', { avg: round(r.avg_score_30d) }), r.trend_label,
        r.days_since_inspection != null ? t('days_since', { n: r.days_since_inspection }) : ''].filter(Boolean).join(' · ')),
      r.open_violations || r.pending_cases || r.flags_30d ? h('div', { class: `small-text${r.overdue_violations ? ' bad' : ''}` },
        t('sc_counts', { open: r.open_violations, overdue: r.overdue_violations, cases: r.pending_cases, flags: r.flags_30d })) : null);
  }

  async function load() {
    const p = new URLSearchParams({ sort: filters.sort, page: filters.page, page_size: PAGE_SIZE });
    if (filters.q) p.set('q', filters.q);
    if (filters.unit) p.set('unit', filters.unit);
    if (filters.grade) p.set('grade', filters.grade);
    if (filters.overdue) p.set('has_overdue', 'true');
    if (filters.days !== '') p.set('not_inspected_days', filters.days);
    status.className = ''; status.textContent = t('loading');
    try {
      const res = await api(`/api/scorecards?${p}`);
      res.items.forEach((r) => r.unit && seenUnits.set(r.unit.code, r.unit));
      fillUnits();
      const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
      list.replaceChildren(...(res.items.length ? res.items.map(card) : [h('p', {}, t('no_sites'))]));
      status.textContent = t('sc_status', { total: res.total, page: filters.page, pages });
      prev.disabled = filters.page <= 1; next.disabled = filters.page >= pages;
    } catch (err) { failed(status, err); }
  }
  const change = () => {
    Object.assign(filters, { q: q.value.trim(), unit: unit.value, grade: grade.value, sort: sort.value,
      overdue: overdue.checked, days: days.value.trim(), page: 1 });
    load();
  };
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(change, 300); });
  [unit, grade, sort, overdue, days].forEach((el) => el.addEventListener('change', change));
  prev.addEventListener('click', () => { filters.page -= 1; load(); });
  next.addEventListener('click', () => { filters.page += 1; load(); });
  fillUnits();
  const field = (el, label) => h('div', {}, h('label', { for: el.id }, label), el);
  mount(h('h2', {}, t('nav_scorecards')),
    h('div', { class: 'filters' }, field(q, t('search_label')), field(unit, t('unit_label')), field(grade, t('grade_filter')),
      field(sort, t('sort_label')), field(days, t('not_inspected_label')),
      h('label', { class: 'check', for: 'sc-overdue' }, overdue, t('overdue_only'))),
    status, list, h('div', { class: 'actions' }, prev, next));
  await load();
  return () => clearTimeout(timer);
}

const kv = (pairs) => h('dl', { class: 'kv' }, pairs.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

export async function siteView({ args, go }) {
  mount(h('p', {}, t('loading')));
  let d;
  try { d = await api(`/api/scorecards/${encodeURIComponent(args[0])}`); } catch (err) {
    const msg = h('p'); failed(msg, err); mount(msg); return null;
  }
  const { site, summary: sum, map } = d;
  const texts = await itemTexts();
  const reload = () => go(`site/${site.id}`);
  const stopWork = site.status === 'suspended' ? await suspensionSection(site.id, reload) : null;
  mount(
    h('p', {}, h('a', { href: '#/scorecards' }, t('back'))),
    h('h2', {}, site.name),
    h('p', {}, sum.grade ? h('span', { class: `grade ${sum.grade}` }, `${round(sum.score)} ${gradeText(sum)}`) : t('never_inspected'), ' ',
      t('avg_30d', { avg: round(sum.avg_score_30d) })),
    stopWork, // a suspended site's order and resumption come first
    kv([[t('unit_label'), pick(sum.unit, 'name')], [t('phase_label'), t(`phase_${site.phase}`)], [t('contractor'), site.contractor],
      [t('builder'), site.builder], [t('address'), site.address], [t('permit'), site.permit_number],
      [t('contact'), site.contact_name ? [site.contact_name, ' ', site.contact_phone ? h('a', { href: `tel:${site.contact_phone}` }, site.contact_phone) : ''] : '']]),
    map && map.amap_url ? h('p', {}, h('a', { id: 'amap-link', class: 'btn secondary', href: map.amap_url, target: '_blank', rel: 'noopener' }, t('amap_link'))) : null,
    h('section', { class: 'card', id: 'history' }, h('h3', {}, t('score_history')),
      d.history.length ? scoreChart(d.history) : h('p', {}, t('none'))),
    h('section', { class: 'card', id: 'open-violations' }, h('h3', {}, t('open_violations_title', { n: d.open_violations.length })),
      d.open_violations.length ? h('ul', { class: 'plain' }, d.open_violations.map((v) => h('li', { class: v.overdue ? 'bad' : '', 'data-violation-id': v.id },
        h('strong', {}, v.text || v.item_key), ' ', h('span', { class: 'small-text' }, v.clause || ''), h('br'),
        v.overdue ? t('deadline_overdue', { time: fmtTime(v.deadline) }) : t('deadline_left', { time: fmtTime(v.deadline), n: v.days_left }),
        v.fail_count > 1 ? ` · ${t('fail_count', { n: v.fail_count })}` : '', closeViolationForm(v, reload)))) : h('p', {}, t('none'))),
    noticesSection(d.notices || [], reload),
    nightPermitsSection(site.id, reload), // 夜间施工证明
    h('h3', {}, t('inspections_title')),
    d.inspections.length ? d.inspections.map((i) => inspectionCard(i, texts)) : h('p', {}, t('none')));
  return releasePhotos;
}

async function itemTexts() {
  try {
    const forms = await loadForms();
    return Object.fromEntries(['site', 'truck'].flatMap((k) => (forms[k] ? forms[k].items : [])).map((i) => [i.key, pick(i, 'text')]));
  } catch { return {}; }
}

function flagList(texts, kind) {
  return texts.length ? h('ul', { class: `flags small-text ${kind}`, 'aria-label': t('flags_label') },
    texts.map((x) => h('li', {}, x))) : null;
}

function inspectionCard(i, texts) {
  const photoIds = (i.photos || []).map((p) => p.id);
  return h('section', { class: 'card insp', 'data-uuid': i.uuid, 'data-review': i.review_status },
    h('div', { class: 'row' }, h('strong', { class: 'grow' }, fmtTime(i.finished_at)), h('span', { class: 'state' }, t(`review_${i.review_status}`))),
    h('div', { class: 'small-text' }, i.inspector, ' · ', i.score != null ? t('score_grade', { score: round(i.score), grade: gradeText(i) }) : t('no_score'),
      i.vetoed ? h('span', { class: 'tag veto' }, t('vetoed')) : null),
    i.failed_items && i.failed_items.length ? h('p', { class: 'small-text' }, t('failed_items', { items: i.failed_items.map((k) => texts[k] || k).join('；') })) : null,
    flagList(flagTexts(i.flags, null, { except: photoIds }), 'flags-inspection'),
    gallery(photoIds),
    flagList(flagTexts(i.flags, photoIds), 'flags-photo'), // under the photos they concern
    h('a', { class: 'btn secondary open-review', href: `#/insp/${i.uuid}` }, t('review_open')));
}

export async function reviewListView() {
  const list = h('div', { id: 'review-list', class: 'cards' }, h('p', {}, t('loading')));
  mount(h('h2', {}, t('review_queue')), list);
  try {
    const res = await api('/api/inspections?review_status=submitted&page_size=50');
    list.replaceChildren(...(res.items.length ? res.items.map((i) => h('a', { class: 'card sc', href: `#/insp/${i.uuid}`, 'data-uuid': i.uuid },
      h('strong', { class: 'subject' }, (i.site && i.site.name) || truckText(i.truck) || '—'),
      h('div', { class: 'small-text' }, fmtTime(i.finished_at), ' · ', (i.inspector && i.inspector.display_name) || '', ' · ',
        i.score != null ? t('score_grade', { score: round(i.score), grade: gradeText(i) }) : t('no_score'))))
      : [h('p', {}, t('none'))]));
  } catch (err) { failed(list, err); }
}

// Which rule graded the sheet, and each failed additional requirement (时段/预警项) with its deduction.
function scoringRule(ins, texts) {
  if (!ins.scoring_rule_label) return null;
  const rows = ins.additional_deductions || [];
  return h('div', { id: 'scoring-rule', class: 'small-text', 'data-rule': String(ins.scoring_rule) },
    h('p', { class: 'muted' }, ins.scoring_rule_label),
    rows.length ? h('ul', { id: 'additional-deductions' },
      rows.map((d) => h('li', {}, `${texts[d.key] || d.key}：${d.label}`))) : null);
}

export async function inspectionView({ args, go }) {
  const uuid = args[0];
  mount(h('p', {}, t('loading')));
  let ins; let hist = null;
  try {
    ins = await api(`/api/inspections/${uuid}`);
    hist = await api(`/api/inspections/${uuid}/reviews`).catch(() => null);
  } catch (err) { const msg = h('p'); failed(msg, err); mount(msg); return null; }
  const texts = await itemTexts();
  const role = getSession().user.role;
  const canReview = ['supervisor', 'admin'].includes(role) && ins.review_status !== 'superseded';
  const msg = h('div', { id: 'review-message', role: 'alert' });
  const note = h('textarea', { id: 'review-note', rows: '3' });
  const sendBack = h('input', { id: 'review-send-back', type: 'checkbox', checked: true });
  const choice = (v) => h('label', { class: v, 'data-decision': v }, h('input', { type: 'radio', name: 'decision', value: v }), h('span', {}, t(`decide_${v}`)));
  const decisions = h('fieldset', { class: 'outcomes' }, h('legend', {}, t('review_decision')), ['approved', 'has_issues', 'rejected'].map(choice));
  const sendBackRow = h('label', { class: 'check', for: 'review-send-back', hidden: true }, sendBack, t('review_send_back'));
  decisions.addEventListener('change', () => { sendBackRow.hidden = decisions.querySelector('input:checked').value !== 'rejected'; });

  async function submit(e) {
    e.preventDefault();
    const picked = decisions.querySelector('input:checked');
    msg.replaceChildren();
    if (!picked) { msg.append(h('p', { class: 'notice attn' }, t('review_pick'))); return; }
    const status = picked.value;
    if (status !== 'approved' && !note.value.trim()) { msg.append(h('p', { class: 'notice attn' }, t('review_note_needed'))); note.focus(); return; }
    try {
      await api(`/api/inspections/${uuid}/review`, { method: 'POST',
        json: { status, note: note.value.trim(), send_back: status === 'rejected' && sendBack.checked } });
      toast(t('review_saved'));
      go(`insp/${uuid}`);
    } catch (err) { const p = h('p'); failed(p, err); msg.append(p); }
  }

  const failedItems = (ins.items || []).filter((i) => i.outcome === 'fail');
  mount(
    ins.site ? h('p', {}, h('a', { href: `#/site/${ins.site.id}` }, t('back'))) : null,
    h('h2', { class: 'subject' }, (ins.site && ins.site.name) || truckText(ins.truck) || ''),
    h('p', {}, fmtTime(ins.finished_at), ' · ', ins.inspector ? ins.inspector.display_name : '', ' · ',
      h('strong', { id: 'review-status' }, t(`review_${ins.review_status}`))),
    h('p', {}, ins.score != null ? t('score_grade', { score: round(ins.score), grade: gradeText(ins) }) : t('no_score'), ' · ',
      t(`completeness_${ins.completeness || 'incomplete'}`), ins.vetoed ? h('span', { class: 'tag veto' }, t('vetoed')) : null),
    scoringRule(ins, texts),
    ins.review_note ? h('p', { class: 'notice info' }, t('review_note', { note: ins.review_note })) : null,
    flagList(flagTexts(ins.flags, null, { except: failedItems.flatMap((i) => i.photo_ids || []) }), 'flags-inspection'),
    offSiteReason(ins),
    h('h3', {}, t('failed_title', { n: failedItems.length })),
    // each photo flag under the item and photos it concerns, not in a loose list
    failedItems.map((i) => h('section', { class: 'card', 'data-item': i.key }, h('strong', {}, texts[i.key] || i.key),
      i.note ? h('p', { class: 'small-text' }, i.note) : null, gallery(i.photo_ids, ins.photo_annotations),
      flagList(flagTexts(ins.flags, i.photo_ids || []), 'flags-photo'))),
    canReview ? h('form', { id: 'review-form', class: 'card', onsubmit: submit, novalidate: true },
      h('h3', {}, t('review_title')), decisions, sendBackRow,
      h('label', { for: 'review-note' }, t('review_note_label')), note, msg,
      h('button', { type: 'submit', class: 'wide' }, t('review_submit'))) : null,
    hist && hist.events.length ? h('section', { id: 'review-history' }, h('h3', {}, t('history')),
      h('ul', { class: 'plain' }, hist.events.map((ev) => h('li', {}, `${fmtTime(ev.at)} ${ev.reviewer.display_name}：${ev.to_label}`,
        ev.note ? `（${ev.note}）` : '')))) : null);
  return releasePhotos;
}
