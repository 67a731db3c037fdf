// 管理 › 检查表: checklist versions without a text editor. #/admin/checklists lists each source's current version;
// #/admin/checklists/<key> shows it as a form. Admins change it, check the change (the server's loader judges it:
// its sentences, the diff per item and field, a preview of the phone form for a phase and a time) and publish it
// as the next version; everyone who may open it downloads a version as TOML. The draft is the document the server
// sent, changed only in the fields this form shows, so fields it does not show (notes, source_text, concurrent
// provisions …) travel unchanged.
import { api, apiBlob, ApiError } from './api.js';
import { t } from './i18n.js';
import './i18n-admin-checklists.js';
import { fmtTime, h, mount, pick, toast } from './ui.js';

const PHASES = ['earthwork', 'foundation', 'structure', 'decoration', 'demolition', 'idle', 'finished'];
const LIABLE = ['contractor', 'builder', 'haulier', 'driver', 'none'];
const AUTHORITIES = ['bureau', 'traffic_police', 'housing', 'ecology'];
const ALERTS = ['blue', 'yellow', 'orange', 'red'];
const WINDOW = ['start', 'end', 'start_time', 'end_time'];
const added = new WeakSet(); // items added on this page: their key, requirement and clause are typed here

export async function sectionView({ args, go, user }) {
  if (args[0]) return sourceView(args[0], go, user.role === 'admin');
  const rows = await api('/api/checklists/sources');
  const cell = (col, ...content) => h('td', { 'data-col': col }, ...content);
  mount(h('h2', {}, t('cl_title')), h('p', { class: 'small-text' }, t(user.role === 'admin' ? 'cl_explain' : 'cl_readonly')),
    h('table', { id: 'cl-sources', class: 'alert-units' },
      h('thead', {}, h('tr', {}, ...['source', 'kind', 'version', 'origin', 'items', 'time'].map((c) => h('th', {}, t(`cl_col_${c}`))))),
      h('tbody', {}, ...rows.map((s) => h('tr', { 'data-source': s.source_key },
        cell('source', h('a', { href: `#/admin/checklists/${s.source_key}` }, pick(s, 'title')), ' ', h('span', { class: 'small-text' }, s.source_key)),
        cell('kind', t(`cl_kind_${s.kind}`)), cell('version', String(s.version)), cell('origin', t(`cl_origin_${s.origin}`)),
        cell('items', String(s.item_count)), cell('time', fmtTime(s.created_at)))))));
}

async function sourceView(key, go, canEdit) {
  const source = await api(`/api/checklists/sources/${encodeURIComponent(key)}`);
  const doc = structuredClone(source.document);
  const itemsBox = h('div', { id: 'cl-items' });
  const result = h('div', { id: 'cl-result', 'aria-live': 'polite' });
  const download = h('button', { type: 'button', class: 'secondary', id: 'cl-download', onclick: () => saveToml(source.version_id) }, t('cl_download'));
  const header = h('p', { class: 'small-text', id: 'cl-version' }, t('cl_version_line', {
    key: source.source_key, version: source.version, origin: t(`cl_origin_${source.origin}`), time: fmtTime(source.created_at) }));
  const titles = h('fieldset', { class: 'card' }, h('legend', {}, t('cl_source_titles')),
    textInput('cl-title-zh', 'cl_title_zh', doc.source, 'title_zh', canEdit), textInput('cl-title-en', 'cl_title_en', doc.source, 'title_en', canEdit),
    windowFields('cl-source-window', doc.source, canEdit));
  const drawItems = () => itemsBox.replaceChildren(...doc.items.map((item, i) => itemCard(item, i, canEdit, () => { doc.items.splice(i, 1); drawItems(); })));
  drawItems();
  const nodes = [h('p', {}, h('a', { href: '#/admin/checklists' }, t('cl_back'))), h('h2', {}, pick(source, 'title')), header,
    h('div', { class: 'actions' }, download), canEdit ? null : h('p', { class: 'small-text' }, t('cl_readonly')), titles, itemsBox];
  if (canEdit) nodes.push(editorActions(key, doc, source, drawItems, result, go));
  mount(...nodes, result);
}

function editorActions(key, doc, source, drawItems, result, go) {
  const phase = h('select', { id: 'cl-preview-phase' }, ...PHASES.map((p) => h('option', { value: p }, t(`phase_${p}`))));
  phase.value = 'structure';
  const at = h('input', { id: 'cl-preview-at', type: 'datetime-local', value: localNow() });
  const alert = h('select', { id: 'cl-preview-alert' }, h('option', { value: '' }, t('cl_no_alert')),
    ...ALERTS.map((a) => h('option', { value: a }, t(`alert_level_${a}`))));
  const add = h('button', { type: 'button', class: 'secondary', id: 'cl-add-item', onclick: () => {
    const last = doc.items[doc.items.length - 1] || {};
    const item = { key: '', requirement: '', clause: last.clause || '', text_zh: '', text_en: '', weight: 5, veto: false,
      photos_on_fail: 1, phases: ['all'], rectify_days: 3, liable: 'contractor', legal_basis: structuredClone(last.legal_basis || { authority: 'bureau' }) };
    added.add(item);
    doc.items.push(item);
    drawItems();
  } }, t('cl_add_item'));
  const check = h('button', { type: 'button', id: 'cl-check', onclick: async () => {
    const body = { document: doc, phase: phase.value, at: at.value ? `${at.value}:00` : null, alert: alert.value || null };
    await send(check, result, () => api(`/api/checklists/sources/${encodeURIComponent(key)}/draft`, { method: 'POST', json: body }),
      (report) => showReport(result, report));
  } }, t('cl_check'));
  const publish = h('button', { type: 'button', id: 'cl-publish', onclick: async () => {
    await send(publish, result, () => api(`/api/checklists/sources/${encodeURIComponent(key)}/versions`, {
      method: 'POST', json: { document: doc, base_version: source.version } }), (version) => {
      toast(version.created ? t('cl_published', { version: version.version }) : t('cl_unchanged'));
      if (version.created) go(`admin/checklists/${key}/v${version.version}`); // a new hash: the section reloads
    });
  } }, t('cl_publish'));
  return h('div', {}, h('div', { class: 'actions' }, add),
    h('div', { class: 'card row' }, label(phase, 'cl_preview_phase'), label(at, 'cl_preview_at'), label(alert, 'cl_preview_alert')),
    h('div', { class: 'actions' }, check, publish));
}

async function send(button, result, call, done) {
  button.disabled = true;
  try {
    done(await call());
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) throw err;
    const problems = (err.details && err.details.problems) || [];
    result.replaceChildren(h('div', { class: 'notice warn', id: 'cl-problems' }, h('p', {}, problems.length ? t('cl_problems') : err.message),
      h('ul', {}, ...problems.map((p) => h('li', { 'data-code': p.code }, p.message)))));
  } finally { button.disabled = false; }
}

function showReport(result, report) {
  const shown = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const lines = [...report.diff.source.map((c) => t('cl_diff_field', { where: '[source]', field: c.field, before: shown(c.before), after: shown(c.after) }))];
  report.diff.items.forEach((item) => {
    if (item.status === 'added') lines.push(t('cl_diff_added', { item: item.key }));
    else if (item.status === 'removed') lines.push(t('cl_diff_removed', { item: item.key }));
    else item.fields.forEach((c) => lines.push(t('cl_diff_field', { where: item.key, field: c.field, before: shown(c.before), after: shown(c.after) })));
  });
  const diff = h('section', { class: 'card', id: 'cl-diff' }, h('h3', {}, t('cl_diff', { version: report.base_version })),
    lines.length ? h('ul', {}, ...lines.map((line) => h('li', {}, line))) : h('p', {}, t('cl_no_diff')));
  const items = report.preview ? report.preview.items : [];
  const preview = report.preview ? h('section', { class: 'card', id: 'cl-preview' },
    h('h3', {}, t('cl_preview', { n: items.filter((i) => i.applicable).length })),
    h('ol', {}, ...items.map((i) => h('li', { 'data-key': i.key, 'data-applicable': String(i.applicable), class: i.applicable ? '' : 'muted' },
      pick(i, 'text'), ' · ', i.applicable ? t('cl_asked') : `${t('cl_not_asked')}（${t(`cl_reason_${i.reason}`)}）`,
      i.from_draft ? h('span', { class: 'small-text' }, ` ${t('cl_changed_mark')}`) : null)))) : null;
  result.replaceChildren(diff, preview || '');
}

function itemCard(item, index, canEdit, remove) {
  const id = (name) => `cl-${index}-${name}`;
  const basis = item.legal_basis || (item.legal_basis = {});
  const isNew = added.has(item);
  const phases = h('div', { class: 'row', id: id('phases') }, ...['all', ...PHASES].map((p) => checkbox(`${id('phase')}-${p}`,
    p === 'all' ? t('cl_phase_all') : t(`phase_${p}`), (item.phases || []).includes(p), canEdit, (on) => {
      item.phases = on ? [...new Set([...(item.phases || []), p])] : (item.phases || []).filter((x) => x !== p);
    })));
  const alerts = h('div', { class: 'row', id: id('alert') }, ...ALERTS.map((a) => checkbox(`${id('alert')}-${a}`, t(`alert_level_${a}`),
    (item.alert || []).includes(a), canEdit, (on) => {
      const levels = on ? [...new Set([...(item.alert || []), a])] : (item.alert || []).filter((x) => x !== a);
      item.alert = levels.length ? ALERTS.filter((x) => levels.includes(x)) : null;
    })));
  return h('fieldset', { class: 'card cl-item', 'data-item': item.key || `new-${index}`, 'data-index': index },
    h('legend', {}, t('cl_item', { n: index + 1, key: item.key || '—' })),
    isNew ? [textInput(id('key'), 'cl_key', item, 'key', canEdit),
      textInput(id('requirement'), 'cl_requirement', item, 'requirement', canEdit), textInput(id('clause'), 'cl_clause', item, 'clause', canEdit)] : null,
    textInput(id('text_zh'), 'cl_text_zh', item, 'text_zh', canEdit, null, { area: true }),
    textInput(id('text_en'), 'cl_text_en', item, 'text_en', canEdit, null, { area: true }),
    h('div', { class: 'row' }, numberInput(id('weight'), 'cl_weight', item, 'weight', canEdit),
      numberInput(id('photos_on_fail'), 'cl_photos', item, 'photos_on_fail', canEdit),
      numberInput(id('rectify_days'), 'cl_rectify_days', item, 'rectify_days', canEdit),
      checkbox(id('veto'), t('cl_veto'), item.veto === true, canEdit, (on) => { item.veto = on; })),
    h('p', { class: 'small-text' }, t('cl_phases')), phases,
    h('div', { class: 'row' }, selectInput(id('liable'), 'cl_liable', item, 'liable', LIABLE, (v) => t(`cl_liable_${v}`), canEdit),
      selectInput(id('authority'), 'cl_authority', basis, 'authority', AUTHORITIES, (v) => t(`cl_authority_${v}`), canEdit)),
    textInput(id('law'), 'cl_law', basis, 'law', canEdit),
    h('div', { class: 'row' }, textInput(id('obligation_article'), 'cl_obligation_article', basis, 'obligation_article', canEdit),
      textInput(id('penalty_article'), 'cl_penalty_article', basis, 'penalty_article', canEdit),
      numberInput(id('fine_min'), 'cl_fine_min', basis, 'fine_min', canEdit), numberInput(id('fine_max'), 'cl_fine_max', basis, 'fine_max', canEdit)),
    windowFields(id('window'), item, canEdit),
    h('p', { class: 'small-text' }, t('cl_alert')), alerts,
    canEdit ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', 'data-action': 'remove', onclick: remove }, t('cl_remove_item'))) : null);
}

// A date/hour window (the source's, or an item's own): four fields; all empty means no window.
function windowFields(prefix, holder, canEdit) {
  const box = { ...(holder.window || {}) };
  const inputs = WINDOW.map((w) => textInput(`${prefix}-${w}`, `cl_window_${w}`, box, w, canEdit, () => {
    const filled = Object.fromEntries(WINDOW.filter((k) => box[k]).map((k) => [k, box[k]]));
    holder.window = Object.keys(filled).length ? filled : null;
  }));
  return [h('p', { class: 'small-text' }, t('cl_window')), h('div', { class: 'row' }, ...inputs)];
}

// Inputs write straight into the draft document: empty text or number means "absent" (null, dropped by the server).
function label(input, key) { return h('label', { for: input.id }, t(key), ' ', input); }

function textInput(id, key, target, field, canEdit, after = null, { area = false } = {}) {
  const input = h(area ? 'textarea' : 'input', { id, value: target[field] ?? '', disabled: !canEdit, rows: area ? 2 : null });
  input.addEventListener('input', () => {
    target[field] = input.value.trim() === '' ? null : input.value;
    if (after) after();
  });
  return h('p', {}, label(input, key));
}

function numberInput(id, key, target, field, canEdit) {
  const input = h('input', { id, type: 'text', inputmode: 'decimal', value: target[field] ?? '', disabled: !canEdit, size: 8 });
  input.addEventListener('input', () => {
    const text = input.value.trim();
    target[field] = text === '' ? null : (Number.isNaN(Number(text)) ? text : Number(text)); // text: the loader says so
  });
  return h('p', {}, label(input, key));
}

function selectInput(id, key, target, field, values, text, canEdit) {
  const select = h('select', { id, disabled: !canEdit }, ...values.map((v) => h('option', { value: v }, text(v))));
  select.value = target[field];
  select.addEventListener('change', () => { target[field] = select.value; });
  return h('p', {}, label(select, key));
}

function checkbox(id, text, checked, canEdit, onChange) {
  const box = h('input', { id, type: 'checkbox', checked, disabled: !canEdit });
  box.addEventListener('change', () => onChange(box.checked));
  return h('label', { for: id }, box, ' ', text);
}

function localNow() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

async function saveToml(versionId) {
  const { blob, name } = await apiBlob(`/api/checklists/versions/${versionId}/toml`);
  const link = h('a', { href: URL.createObjectURL(blob), download: name || 'checklist.toml' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
