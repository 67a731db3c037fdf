// 管理 › 工地档案 (一企一档): list and search the sites, export and import the registry with the row report,
// and one site's edit page — the point picked on the map, typed, or pasted from Amap (GCJ-02, converted and
// shown as WGS-84), the three parties as organisation records (a new one can be created in place, its credit
// code checked by the server), the project fields and the phase history. Supervisors read; admins change.
import { api, apiBlob, ApiError } from './api.js';
import { t } from './i18n.js';
import './i18n-admin-registry.js';
import { fmtTime, h, mount, pick, toast } from './ui.js';
import { createMap, loadLeaflet, tilesMessage } from './maplayer.js';
import { toTileDatum, wgs84ToGcj02 } from './geo.js';

const PHASES = ['earthwork', 'foundation', 'structure', 'decoration', 'demolition', 'idle', 'finished'];
const TYPES = ['building', 'municipal', 'demolition', 'other'];
const PARTIES = ['builder', 'contractor', 'supervisor'];
const CENTRE = [40.835, 111.62]; // 回民区, WGS-84

// GCJ-02 → WGS-84 by iterating the forward transform (as inspect_app/core/geo.py does), well under a metre.
export function gcj02ToWgs84(lat, lon) {
  let [wLat, wLon] = [lat, lon];
  for (let i = 0; i < 30; i += 1) {
    const [gLat, gLon] = wgs84ToGcj02(wLat, wLon);
    const [dLat, dLon] = [gLat - lat, gLon - lon];
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLon) < 1e-9) break;
    wLat -= dLat; wLon -= dLon;
  }
  return [wLat, wLon];
}

// Two numbers pasted from Amap, either order: the one within 0–90 that is not a plausible Chinese longitude is the latitude.
export function parsePair(text) {
  const nums = (String(text).match(/-?\d+(?:\.\d+)?/g) || []).map(Number);
  if (nums.length !== 2) return null;
  const [a, b] = nums;
  return a > b ? [b, a] : [a, b]; // in China longitude (73–135) is always larger than latitude (3–54)
}

export const failure = (err) => (err instanceof ApiError ? err.message || err.code : t('rg_offline'));

export function table(headers, rows, attrs = {}) {
  return h('table', { class: 'table', ...attrs }, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))), h('tbody', {}, rows));
}

// Export buttons: the file comes through the bearer token and is handed to the browser as a download.
export function exportButtons(path, stem) {
  const get = async (format) => {
    try {
      const { blob, name } = await apiBlob(`${path}?format=${format}`);
      const a = h('a', { href: URL.createObjectURL(blob), download: name || `${stem}.${format}` });
      document.body.append(a); a.click(); a.remove();
    } catch (err) { toast(failure(err)); }
  };
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary', 'data-export': 'csv', onclick: () => get('csv') }, t('rg_export_csv')),
    h('button', { type: 'button', class: 'secondary', 'data-export': 'xlsx', onclick: () => get('xlsx') }, t('rg_export_xlsx')));
}

// The all-or-nothing import with the row report (the vehicle import's shape).
export function importCard(path, words, onDone) {
  const file = h('input', { id: 'rg-import-file', type: 'file', accept: '.csv,.xlsx,text/csv' });
  const report = h('div', { id: 'rg-import-report', 'aria-live': 'polite' });
  const upload = async (dryRun) => {
    const f = file.files[0];
    if (!f) { report.replaceChildren(h('p', { class: 'notice attn' }, t('rg_import_choose'))); return; }
    report.replaceChildren();
    try {
      const res = await api(`${path}${dryRun ? '?dry_run=1' : ''}`, { method: 'POST', body: f,
        headers: { 'Content-Type': f.name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' } });
      report.replaceChildren(h('p', { class: 'notice ok', id: 'rg-import-summary' }, t(dryRun ? words.checked : words.done, res)));
      if (!dryRun) onDone();
    } catch (err) {
      if (err instanceof ApiError && err.details && Array.isArray(err.details.errors)) {
        report.replaceChildren(h('p', { class: 'notice attn', id: 'rg-import-refused' }, err.message),
          table(['rg_col_row', 'rg_col_column', 'rg_col_problem', 'rg_col_value'].map((k) => t(k)),
            err.details.errors.map((e) => h('tr', { 'data-row': String(e.row) }, [String(e.row), e.column, e.message, e.value].map((x) => h('td', {}, x ?? '')))),
            { id: 'rg-import-errors' }));
      } else report.replaceChildren(h('p', { class: 'notice warn' }, failure(err)));
    }
  };
  return h('details', { class: 'card', id: 'rg-import' }, h('summary', {}, t('rg_import_title')),
    h('p', { class: 'small-text' }, t('rg_import_explain')), h('label', { for: file.id }, t('rg_import_file')), file,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'rg-import-check', onclick: () => upload(true) }, t('rg_import_check')),
      h('button', { type: 'button', id: 'rg-import-go', onclick: () => upload(false) }, t('rg_import_go'))), report);
}

export async function sectionView({ args = [], go, user }) {
  const admin = user && user.role === 'admin';
  if (args[0] === 'new' && admin) return editor(null, { go, admin });
  if (/^\d+$/.test(args[0] || '')) return editor(Number(args[0]), { go, admin });
  return list({ admin });
}

async function list({ admin }) {
  const q = h('input', { id: 'rg-site-q', type: 'search', placeholder: t('rg_search_sites_placeholder') });
  const body = h('div', { id: 'rg-site-list' }, t('loading'));
  const load = async () => {
    const query = new URLSearchParams({ status: 'all', page_size: 100 });
    if (q.value.trim()) query.set('q', q.value.trim());
    try {
      const res = await api(`/api/sites?${query}`);
      body.replaceChildren(res.items.length ? table(['rg_col_name', 'rg_col_unit', 'rg_col_phase', 'rg_col_contractor', 'rg_col_status'].map((k) => t(k)),
        res.items.map((s) => h('tr', { 'data-site-id': s.id },
          h('td', {}, h('a', { href: `#/admin/sites/${s.id}` }, s.name)), h('td', {}, pick(s.unit, 'name')),
          h('td', {}, t(`phase_${s.phase}`)), h('td', {}, s.contractor || ''), h('td', {}, t(`rg_status_${s.status}`))))) : h('p', { class: 'muted' }, t('rg_none')));
    } catch (err) { body.replaceChildren(h('p', { class: 'notice warn' }, failure(err))); }
  };
  mount(h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('rg_sites_title')),
    admin ? h('a', { class: 'btn', id: 'rg-new-site', href: '#/admin/sites/new' }, t('rg_new_site')) : null),
  admin ? null : h('p', { class: 'notice info', id: 'rg-readonly' }, t('rg_readonly')),
  h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } }, q, h('button', { type: 'submit', class: 'secondary' }, t('rg_search'))),
  exportButtons('/api/sites/export', 'sites'),
  admin ? importCard('/api/sites/import', { done: 'rg_import_done_sites', checked: 'rg_import_checked_sites' }, load) : null,
  body);
  await load();
}

// --- the edit page ---------------------------------------------------------------------------------

function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

function input(id, value, attrs = {}) {
  return h('input', { id, name: id, type: 'text', value: value ?? '', ...attrs });
}

function select(id, options, value) {
  return h('select', { id, name: id }, options.map(([v, label]) => h('option', { value: v, selected: v === (value ?? '') }, label)));
}

// One party: a chosen organisation record, found by search, or created here (the server checks its code).
function partyPicker(party, current, admin) {
  let chosen = current ? { ...current } : null;
  const shown = h('span', { class: 'party-chosen', 'data-party-name': party }, chosen ? chosen.name : t('rg_party_none'));
  const results = h('select', { id: `rg-${party}-results`, hidden: true });
  const q = h('input', { id: `rg-${party}-q`, type: 'search', placeholder: t('rg_party_find'), disabled: !admin });
  const error = h('p', { class: 'notice attn', id: `rg-${party}-error`, hidden: true });
  const name = input(`rg-${party}-new-name`, '');
  const code = input(`rg-${party}-new-code`, '', { maxlength: 40, autocomplete: 'off' });
  const choose = (org) => { chosen = org; shown.textContent = org ? org.name : t('rg_party_none'); results.hidden = true; };
  const search = async () => {
    if (!q.value.trim()) return;
    const res = await api(`/api/organisations?${new URLSearchParams({ q: q.value.trim(), page_size: 20 })}`);
    results.replaceChildren(h('option', { value: '' }, '—'), ...res.items.map((o) => h('option', { value: o.id }, `${o.name}${o.credit_code ? ` · ${o.credit_code}` : ''}`)));
    results.hidden = false;
    results.onchange = () => choose(res.items.find((o) => String(o.id) === results.value) || null);
  };
  const create = async () => {
    error.hidden = true;
    try {
      const org = await api('/api/organisations', { method: 'POST', json: { name: name.value.trim(), credit_code: code.value.trim() || null } });
      choose(org);
      newForm.open = false;
      toast(t('rg_org_created', { name: org.name }));
    } catch (err) { error.textContent = failure(err); error.hidden = false; }
  };
  const newForm = h('details', { class: 'party-new', 'data-party-new': party }, h('summary', {}, t('rg_party_new')),
    field(t('rg_org_name'), name), field(t('rg_org_code'), code), error,
    h('button', { type: 'button', class: 'secondary', id: `rg-${party}-create`, onclick: create }, t('rg_org_create')));
  const el = h('fieldset', { class: 'card party', 'data-party': party }, h('legend', {}, t(`rg_party_${party}`)),
    h('p', {}, shown, chosen ? h('a', { class: 'small-text', href: `#/admin/organisations/${chosen.id}` }, ` ${t('rg_open_org')}`) : null),
    admin ? h('div', { class: 'row' }, q, h('button', { type: 'button', class: 'secondary', id: `rg-${party}-search`, onclick: () => search().catch((e) => toast(failure(e))) }, t('rg_search'))) : null,
    results, admin ? newForm : null);
  return { el, value: () => (chosen ? chosen.id : null), changed: () => (chosen ? chosen.id : null) !== (current ? current.id : null) };
}

async function editor(siteId, { go, admin }) {
  const [site, units, phases] = await Promise.all([
    siteId ? api(`/api/sites/${siteId}`) : null,
    api('/api/users/units').catch(() => []),
    siteId ? api(`/api/sites/${siteId}/phases`).catch(() => []) : [],
  ]);
  const s = site || { geofence_radius_m: 200, phase: 'earthwork', status: 'active' };
  const f = {
    name: input('rg-name', s.name, { required: true, maxlength: 120 }),
    unit: select('rg-unit', units.map((u) => [u.code, pick(u, 'name')]), s.unit && s.unit.code),
    address: input('rg-address', s.address, { maxlength: 200 }),
    permit_number: input('rg-permit', s.permit_number, { maxlength: 60 }),
    project_type: select('rg-project-type', [['', '—'], ...TYPES.map((x) => [x, t(`rg_type_${x}`)])], s.project_type),
    planned_start: input('rg-planned-start', s.planned_start, { type: 'date' }),
    planned_finish: input('rg-planned-finish', s.planned_finish, { type: 'date' }),
    floor_area_m2: input('rg-floor-area', s.floor_area_m2, { type: 'number', min: 0, step: 'any' }),
    geofence_radius_m: input('rg-geofence', s.geofence_radius_m, { type: 'number', min: 10, max: 5000 }),
    phase: select('rg-phase', PHASES.map((x) => [x, t(`phase_${x}`)]), s.phase),
    project_manager_name: input('rg-pm-name', s.project_manager_name, { maxlength: 60 }),
    project_manager_phone: input('rg-pm-phone', s.project_manager_phone, { maxlength: 30 }),
    dust_officer_name: input('rg-dust-name', s.dust_officer_name, { maxlength: 60 }),
    dust_officer_phone: input('rg-dust-phone', s.dust_officer_phone, { maxlength: 30 }),
    dust_plan_filed_on: input('rg-plan-filed-on', s.dust_plan_filed_on, { type: 'date' }),
  };
  const planFiled = h('input', { id: 'rg-plan-filed', type: 'checkbox', checked: !!s.dust_plan_filed });
  const status = select('rg-status', ['active', 'finished', 'closed', ...(s.status === 'suspended' ? ['suspended'] : [])]
    .map((x) => [x, t(`rg_status_${x}`)]), s.status);
  const reason = input('rg-status-reason', s.status_reason, { maxlength: 200 });
  const lat = input('rg-lat', site ? site.lat.toFixed(6) : '', { type: 'number', step: 'any', required: true });
  const lon = input('rg-lon', site ? site.lon.toFixed(6) : '', { type: 'number', step: 'any', required: true });
  const paste = input('rg-gcj', '', { placeholder: '111.6562,40.8213', autocomplete: 'off' });
  const converted = h('p', { class: 'small-text', id: 'rg-gcj-converted', 'aria-live': 'polite' });
  const parties = Object.fromEntries(PARTIES.map((p) => [p, partyPicker(p, s[`${p}_org`], admin)]));
  const message = tilesMessage();
  const box = h('div', { id: 'rg-map', class: 'map', role: 'application', 'aria-label': t('rg_location') });
  const error = h('p', { class: 'notice attn', id: 'rg-error', hidden: true });
  const save = h('button', { type: 'submit', id: 'rg-save' }, t('rg_save'));
  const history = h('ul', { id: 'rg-phase-history', class: 'small-text' }, phases.map((p) => h('li', { 'data-phase': p.phase },
    fmtTime(p.changed_at), ' · ', p.previous_phase ? t('rg_phase_change', { from: t(`phase_${p.previous_phase}`), to: t(`phase_${p.phase}`) }) : t(`phase_${p.phase}`))));

  const form = h('form', { id: 'rg-site-form', novalidate: true },
    h('div', { class: 'cards' },
      h('section', { class: 'card' }, field(t('rg_name'), f.name), field(t('unit_label'), f.unit), field(t('rg_address'), f.address),
        field(t('rg_permit'), f.permit_number), field(t('rg_project_type'), f.project_type),
        field(t('rg_planned_start'), f.planned_start), field(t('rg_planned_finish'), f.planned_finish),
        field(t('rg_floor_area'), f.floor_area_m2), field(t('phase_label'), f.phase), field(t('rg_col_status'), status),
        field(t('rg_status_reason'), reason)),
      h('section', { class: 'card' }, h('h3', {}, t('rg_location')), h('p', { class: 'small-text' }, t('rg_map_hint')), message, box,
        field(t('rg_lat'), lat), field(t('rg_lon'), lon), field(t('rg_gcj_paste'), paste), converted, field(t('rg_geofence'), f.geofence_radius_m))),
    h('div', { class: 'cards' }, ...PARTIES.map((p) => parties[p].el)),
    h('section', { class: 'card' }, field(t('rg_pm_name'), f.project_manager_name), field(t('rg_pm_phone'), f.project_manager_phone),
      field(t('rg_dust_name'), f.dust_officer_name), field(t('rg_dust_phone'), f.dust_officer_phone),
      h('div', { class: 'field' }, h('label', { for: planFiled.id }, planFiled, ' ', t('rg_plan_filed'))), field(t('rg_plan_filed_on'), f.dust_plan_filed_on)),
    error, admin ? h('div', { class: 'actions' }, save) : null);
  if (!admin) form.querySelectorAll('input, select').forEach((el) => { el.disabled = true; });
  mount(h('p', {}, h('a', { href: '#/admin/sites' }, `← ${t('rg_sites_title')}`)),
    h('h2', {}, site ? t('rg_edit_title', { name: site.name }) : t('rg_new_title')),
    admin ? null : h('p', { class: 'notice info', id: 'rg-readonly' }, t('rg_readonly')), form,
    siteId ? h('section', { class: 'card' }, h('h3', {}, t('rg_phase_history')), history) : null);

  // The map: a click picks the point in the tiles' datum, converted to WGS-84 for the fields.
  let map = null;
  let marker = null;
  let drawn = null;
  const place = () => {
    if (!map || !(lat.value && lon.value)) return;
    const at = toTileDatum(Number(lat.value), Number(lon.value), drawn.datum);
    if (marker) marker.setLatLng(at);
    else {
      // the picked point, drawn like a site's pin (Leaflet's default marker image is not vendored)
      const icon = window.L.divIcon({ html: h('div', { class: 'map-pin grade-none', id: 'rg-pin' }), className: 'map-pin-box', iconSize: [30, 30], iconAnchor: [15, 15] });
      marker = window.L.marker(at, { icon, interactive: false }).addTo(map);
    }
    box.dataset.picked = `${Number(lat.value).toFixed(6)},${Number(lon.value).toFixed(6)}`;
  };
  try {
    const [L, tiles] = await Promise.all([loadLeaflet(), api('/api/map/sites?limit=1')]);
    drawn = createMap(L, box, tiles.tiles, message);
    map = drawn.map;
    map.setView(toTileDatum(...(site ? [site.lat, site.lon] : CENTRE), drawn.datum), site ? 16 : 13);
    if (admin) {
      map.on('click', (e) => {
        const [wLat, wLon] = drawn.datum === 'GCJ02' ? gcj02ToWgs84(e.latlng.lat, e.latlng.lng) : [e.latlng.lat, e.latlng.lng];
        lat.value = wLat.toFixed(6); lon.value = wLon.toFixed(6);
        place();
      });
    }
    place();
  } catch (err) {
    message.hidden = false;
    message.textContent = t('map_not_loaded');
    box.hidden = true;
  }
  const typed = () => place();
  lat.addEventListener('change', typed);
  lon.addEventListener('change', typed);
  paste.addEventListener('input', () => {
    const pair = parsePair(paste.value);
    if (!paste.value.trim()) { converted.textContent = ''; return; }
    if (!pair) { converted.textContent = t('rg_gcj_bad'); return; }
    const [wLat, wLon] = gcj02ToWgs84(pair[0], pair[1]);
    lat.value = wLat.toFixed(6); lon.value = wLon.toFixed(6);
    converted.textContent = t('rg_gcj_converted', { lat: lat.value, lon: lon.value });
    if (map) { place(); map.setView(toTileDatum(wLat, wLon, drawn.datum), 16); }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = {};
    for (const [key, el] of Object.entries(f)) {
      const v = el.value.trim();
      if (['floor_area_m2', 'geofence_radius_m'].includes(key)) { if (v !== '' || site) body[key] = v === '' ? null : Number(v); } else body[key] = v === '' ? null : v;
    }
    if (body.geofence_radius_m === null) delete body.geofence_radius_m;
    Object.assign(body, { dust_plan_filed: planFiled.checked, lat: Number(lat.value), lon: Number(lon.value), datum: 'WGS84' });
    if (!lat.value || !lon.value) { delete body.lat; delete body.lon; }
    for (const p of PARTIES) if (!site || parties[p].changed()) body[`${p}_id`] = parties[p].value();
    if (site) { if (status.value !== s.status) body.status = status.value; body.status_reason = reason.value.trim() || null; }
    save.disabled = true;
    try {
      const saved = await api(site ? `/api/sites/${site.id}` : '/api/sites', { method: site ? 'PATCH' : 'POST', json: body });
      toast(t(site ? 'rg_saved' : 'rg_created'));
      go(`admin/sites/${saved.id}`);
    } catch (err) {
      error.textContent = failure(err);
      if (err instanceof ApiError && err.details && err.details.json) error.textContent += ` (${Object.keys(err.details.json).join(', ')})`;
      error.hidden = false;
    } finally { save.disabled = false; }
  });
  return () => { if (map) map.remove(); };
}
