// 投诉 at the desk (supervisors, admins): the list with its filters, entering one ticket (coordinates in
// GCJ-02 or WGS-84, labelled), importing a day's tickets with the row-by-row report, and one complaint:
// choosing the site for an unmatched one, the answering inspection, the reply (办结回复) that closes it.
// The complainant's name and phone appear only here, and only because the server sends them to these roles.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import './i18n-complaints.js'; // the complaint screens' words join the catalogue
import { fmtTime, h, mount, toast } from './ui.js';
import { isoLocal } from './rules.js';
import { foldedForm, refused } from './view-site-actions.js';

const FILTERS = { open: 'status=open', overdue: 'overdue=true', unmatched: 'status=no_site_matched',
  answered: 'status=answered', closed: 'status=closed', all: '' };
const CHANNELS = ['12345', '12369', '12319'];
const CATEGORIES = ['dust', 'muck_truck', 'night_noise', 'other'];
const DATUMS = ['GCJ02', 'WGS84'];
const nowLocal = () => isoLocal().slice(0, 16);
const options = (values, label) => values.map((v) => h('option', { value: v }, label(v)));

function complaintCard(c) {
  const late = c.status === 'open' && c.due_at && new Date(c.due_at) < new Date();
  return h('a', { class: `card site complaint${late ? ' bad' : ''}`, href: `#/complaint/${c.id}`, 'data-complaint': c.id, 'data-status': c.status },
    h('div', { class: 'row' }, h('strong', { class: 'grow' }, `${c.channel} · ${c.ticket_number}`),
      h('span', { class: `tag${late ? ' veto' : ''}` }, t(late ? 'cmp_overdue' : `cmp_status_${c.status}`))),
    h('div', { class: 'small-text' }, t(`complaint_category_${c.category}`), ' · ', c.site ? c.site.name : t('cmp_unmatched'),
      ' · ', t('cmp_received', { time: fmtTime(c.received_at) }), c.due_at ? ` · ${t('cmp_due', { time: fmtTime(c.due_at) })}` : ''),
    h('div', { class: 'small-text' }, c.text));
}

// One ticket typed in from the hotline platform.
function entryForm(go) {
  const field = (id, label, input) => [h('label', { for: id }, label), input];
  const el = {
    ticket: h('input', { id: 'cmp-ticket', type: 'text', maxlength: '40' }),
    channel: h('select', { id: 'cmp-channel' }, options(CHANNELS, (c) => t(`cmp_channel_${c}`))),
    received: h('input', { id: 'cmp-received', type: 'datetime-local', value: nowLocal(), max: nowLocal() }),
    category: h('select', { id: 'cmp-category' }, options(CATEGORIES, (c) => t(`complaint_category_${c}`))),
    text: h('textarea', { id: 'cmp-text', rows: '3', maxlength: '4000' }),
    address: h('input', { id: 'cmp-address', type: 'text', maxlength: '200' }),
    datum: h('select', { id: 'cmp-datum' }, options(DATUMS, (d) => t(`cmp_datum_${d}`))),
    lat: h('input', { id: 'cmp-lat', type: 'text', inputmode: 'decimal', placeholder: '40.8201' }),
    lon: h('input', { id: 'cmp-lon', type: 'text', inputmode: 'decimal', placeholder: '111.6502' }),
    name: h('input', { id: 'cmp-name', type: 'text', maxlength: '60' }),
    phone: h('input', { id: 'cmp-phone', type: 'tel', maxlength: '30' }),
  };
  const number = (input) => (input.value.trim() === '' ? null : Number(input.value.trim()));
  return foldedForm({
    id: 'cmp-entry', open: t('cmp_enter_open'), title: t('cmp_enter_title'),
    fields: [field('cmp-ticket', t('cmp_ticket'), el.ticket), field('cmp-channel', t('cmp_channel'), el.channel),
      field('cmp-received', t('cmp_received_label'), el.received), field('cmp-category', t('cmp_category'), el.category),
      field('cmp-text', t('cmp_text'), el.text), field('cmp-address', t('cmp_address'), el.address),
      h('fieldset', {}, h('legend', {}, t('cmp_coordinates')), field('cmp-datum', t('cmp_datum'), el.datum),
        h('div', { class: 'filters' }, h('div', {}, field('cmp-lat', t('cmp_lat'), el.lat)), h('div', {}, field('cmp-lon', t('cmp_lon'), el.lon))),
        h('p', { class: 'small-text muted' }, t('cmp_datum_hint'))),
      h('fieldset', {}, h('legend', {}, t('cmp_complainant')), field('cmp-name', t('cmp_name'), el.name),
        field('cmp-phone', t('cmp_phone'), el.phone))],
    read: () => {
      const lat = number(el.lat); const lon = number(el.lon);
      if (!el.ticket.value.trim() || !el.text.value.trim() || !el.received.value) return t('cmp_required');
      if ((lat === null) !== (lon === null) || Number.isNaN(lat) || Number.isNaN(lon)) return t('cmp_coordinates_pair');
      if (!el.address.value.trim() && lat === null) return t('cmp_location_needed');
      return { ticket_number: el.ticket.value.trim(), channel: el.channel.value, received_at: `${el.received.value.slice(0, 16)}:00`,
        category: el.category.value, text: el.text.value.trim(), address: el.address.value.trim() || null,
        lat, lon, datum: el.datum.value, complainant_name: el.name.value.trim() || null, complainant_phone: el.phone.value.trim() || null };
    },
    send: async (body) => { const c = await api('/api/complaints', { method: 'POST', json: body }); go(`complaint/${c.id}`); },
    done: () => toast(t('cmp_saved')),
  });
}

// Importing a day's tickets: check first (dry run) or import; the report row by row either way.
function importForm(reload) {
  const file = h('input', { id: 'cmp-import-file', type: 'file', accept: '.csv,.xlsx,text/csv' });
  const report = h('div', { id: 'cmp-import-report', 'aria-live': 'polite' });
  const table = (heads, rows) => h('table', { class: 'report' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x) => h('td', {}, x ?? ''))))));
  async function upload(dryRun) {
    const f = file.files[0];
    if (!f) { report.replaceChildren(h('p', { class: 'notice attn' }, t('cmp_import_choose'))); return; }
    report.replaceChildren(h('p', {}, t('loading')));
    try {
      const res = await api(`/api/complaints/import${dryRun ? '?dry_run=1' : ''}`, { method: 'POST', body: f,
        headers: { 'Content-Type': f.type || 'application/octet-stream' } });
      report.replaceChildren(h('p', { class: 'notice ok', id: 'cmp-import-summary' }, t(dryRun ? 'cmp_import_checked' : 'cmp_import_done', res)),
        table([t('cmp_row'), t('cmp_ticket'), t('cmp_status'), t('cmp_site')], res.complaints.map((r) => [String(r.row), r.ticket_number,
          r.replayed ? t('cmp_replayed') : t(`cmp_status_${r.status}`), r.site_name || t('cmp_unmatched')])));
      if (!dryRun) reload();
    } catch (err) {
      if (err instanceof ApiError && err.details && Array.isArray(err.details.errors)) {
        report.replaceChildren(h('p', { class: 'notice attn', id: 'cmp-import-refused' }, err.message),
          table([t('cmp_row'), t('cmp_column'), t('cmp_problem'), t('cmp_value')],
            err.details.errors.map((e) => [String(e.row), e.column, e.message, e.value])));
      } else refused(report, err);
    }
  }
  return h('section', { class: 'card', id: 'cmp-import' }, h('h3', {}, t('cmp_import_title')),
    h('p', { class: 'small-text' }, t('cmp_import_explain')), h('label', { for: file.id }, t('cmp_import_file')), file,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'cmp-import-check', onclick: () => upload(true) }, t('cmp_import_check')),
      h('button', { type: 'button', id: 'cmp-import-go', onclick: () => upload(false) }, t('cmp_import_go'))), report);
}

export async function complaintsView({ args, go }) {
  const filter = FILTERS[args[0]] !== undefined ? args[0] : 'open';
  const list = h('div', { id: 'complaint-list', 'data-filter': filter }, h('p', {}, t('loading')));
  async function load() {
    try {
      const res = await api(`/api/complaints?page_size=100&${FILTERS[filter]}`);
      list.replaceChildren(h('p', { class: 'small-text muted' }, t('cmp_total', { n: res.total })),
        ...(res.items.length ? res.items.map(complaintCard) : [h('p', {}, t('none'))]));
    } catch (err) { refused(list, err); }
  }
  mount(h('h2', {}, t('cmp_title')),
    h('nav', { class: 'actions', id: 'complaint-filters', 'aria-label': t('cmp_filters') }, Object.keys(FILTERS).map((f) => h('a', {
      class: `btn${f === filter ? '' : ' secondary'}`, href: `#/complaints/${f}`, 'aria-current': f === filter ? 'page' : null, 'data-filter': f },
    t(`cmp_filter_${f}`)))),
    entryForm(go), importForm(load), list);
  await load();
  return null;
}

// Sites to choose for an unmatched complaint: the nearest first when it has coordinates.
async function siteChoice(c, reload) {
  const near = c.lat != null ? `&near=${c.lat},${c.lon}` : '';
  const sites = (await api(`/api/sites?page_size=100${near}`)).items;
  const select = h('select', { id: 'cmp-site' }, sites.map((s) => h('option', { value: s.id },
    s.distance_m != null ? `${s.name}（${Math.round(s.distance_m)} m）` : s.name)));
  return foldedForm({
    id: 'cmp-resolve', open: t('cmp_resolve_open'), title: t('cmp_resolve_title'),
    fields: [h('label', { for: 'cmp-site' }, t('cmp_site')), select],
    read: () => (select.value ? { site_id: Number(select.value) } : t('cmp_site_needed')),
    send: (body) => api(`/api/complaints/${c.id}/site`, { method: 'POST', json: body }),
    done: () => { toast(t('cmp_resolved')); reload(); },
  });
}

// An inspection of the site that answered the complaint without being started from its task (from the
// day's list, say): the supervisor links it; the server checks the site and that it finished after receipt.
async function inspectionChoice(c, reload) {
  const res = await api(`/api/inspections?site_id=${c.site.id}&page_size=20`);
  const after = res.items.filter((i) => new Date(i.finished_at) >= new Date(c.received_at));
  if (!after.length) return null;
  const select = h('select', { id: 'cmp-link' }, after.map((i) => h('option', { value: i.uuid },
    `${fmtTime(i.finished_at)} · ${(i.inspector && i.inspector.display_name) || ''}`)));
  return foldedForm({
    id: 'cmp-link-form', open: t('cmp_link_open'), title: t('cmp_link_title'),
    fields: [h('label', { for: 'cmp-link' }, t('cmp_link_label')), select],
    read: () => ({ inspection_uuid: select.value }),
    send: (body) => api(`/api/complaints/${c.id}/inspection`, { method: 'POST', json: body }),
    done: () => { toast(t('cmp_linked')); reload(); },
  });
}

function replyForm(c, reload) {
  const text = h('textarea', { id: 'cmp-reply', rows: '3', maxlength: '4000' });
  return foldedForm({
    id: 'cmp-close', open: t('cmp_reply_open'), title: t('cmp_reply_title'),
    fields: [h('label', { for: 'cmp-reply' }, t('cmp_reply')), text],
    read: () => (text.value.trim() ? { reply: text.value.trim() } : t('cmp_reply_needed')),
    send: (body) => api(`/api/complaints/${c.id}/reply`, { method: 'POST', json: body }),
    done: () => { toast(t('cmp_closed')); reload(); },
  });
}

export async function complaintView({ args, go }) {
  const id = Number(args[0]);
  async function reload() {
    let c;
    try { c = await api(`/api/complaints/${id}`); } catch (err) { const box = h('div'); refused(box, err); mount(box); return; }
    const row = (label, value, attrs = {}) => h('div', { class: 'row', ...attrs }, h('span', { class: 'muted' }, label), h('strong', { class: 'grow' }, value || '—'));
    const person = 'complainant_name' in c ? h('section', { class: 'card', id: 'cmp-complainant' }, h('h3', {}, t('cmp_complainant')),
      row(t('cmp_name'), c.complainant_name), row(t('cmp_phone'), c.complainant_phone), h('p', { class: 'small-text muted' }, t('cmp_personal_note'))) : null;
    const answered = c.inspection_uuid ? h('p', { id: 'cmp-inspection' }, h('a', { href: `#/insp/${c.inspection_uuid}` }, t('cmp_inspection_open'))) : null;
    mount(h('p', {}, h('a', { href: '#/complaints' }, t('back'))),
      h('h2', {}, `${c.channel} · ${c.ticket_number}`),
      h('section', { class: 'card', id: 'complaint', 'data-status': c.status },
        row(t('cmp_status'), t(`cmp_status_${c.status}`), { id: 'cmp-status' }),
        row(t('cmp_category'), t(`complaint_category_${c.category}`)), row(t('cmp_received_label'), fmtTime(c.received_at)),
        row(t('cmp_address'), c.address), row(t('cmp_site'), c.site ? c.site.name : t('cmp_unmatched'), { id: 'cmp-site-name' }),
        row(t('cmp_due_label'), fmtTime(c.due_at)), h('p', {}, c.text), answered,
        c.reply ? row(t('cmp_reply'), c.reply, { id: 'cmp-reply-text' }) : null,
        c.closed_at ? row(t('cmp_closed_at'), fmtTime(c.closed_at)) : null),
      person,
      c.status === 'no_site_matched' ? await siteChoice(c, reload).catch(() => null) : null,
      c.status === 'open' ? h('p', { class: 'notice info' }, t('cmp_waiting_inspection')) : null,
      c.status === 'open' ? await inspectionChoice(c, reload).catch(() => null) : null,
      c.status === 'answered' ? replyForm(c, reload) : null);
  }
  await reload();
  return null;
}
