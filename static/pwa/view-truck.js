// Roadside muck-truck checks (渣土车检查): plate entry checked with the server's rules
// (inspect_app/trucks/plates.py), recent plates, registry lookup, then the truck checklist, which
// view-form.js fills like a site form with the header below (plate and load photos, load, origin).
import { api, ApiError, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { fmtDistance, fmtTime, h, mount } from './ui.js';
import { listDrafts, loadForms, saveDraft } from './drafts.js';
import { distanceM, formFor, isoLocal, uuid4 } from './rules.js';
import { bindingAlert, draftAlert, loadAlerts } from './alerts.js';
import { freshFix, gpsState, startGps } from './gps.js';

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const S = '[A-HJ-NP-Z0-9]'; // letters without I and O, digits
const COLOURS = ['yellow', 'green', 'blue', 'yellow_green', 'other'];
const NEW_ENERGY = ['new_energy_large', 'new_energy_small'];
const DEFAULT_COLOUR = { ordinary: 'yellow', trailer: 'yellow', new_energy_large: 'yellow_green', new_energy_small: 'green' };
// The plate photo is the evidence for the filing item, the load photo for the sealing item.
export const PHOTO_ITEMS = { plate: 'truck_filed', load: 'truck_sealed' };
// A measured (weighed) load needs its weighbridge ticket photo, which goes with the overload item: only a
// weighed overload is referred to 区交管队; an estimate above the rated load is recorded only (issue 10).
export const TICKET_ITEM = 'truck_not_overloaded';
const FILED = 'filed';

export function normalizePlate(text) {
  return String(text || '').normalize('NFKC').replace(/[\s.·•・‧。\-‐‑‒–—_]+/gu, '').toUpperCase();
}

// {plate, kind} or {plate, reason}: the same forms and reasons as the server.
export function checkPlate(text) {
  const plate = normalizePlate(text);
  const bad = (reason) => ({ plate, reason });
  if (!plate) return bad('empty');
  if (!PROVINCES.includes([...plate][0])) return bad('unknown_province');
  if (plate.length < 2) return bad('wrong_length');
  const office = plate[1];
  const serial = plate.slice(2);
  if (office === 'I' || office === 'O') return bad('letter_i_or_o');
  if (!/^[A-HJ-NP-Z]$/.test(office)) return bad('bad_office_letter');
  if (/[IO]/.test(serial)) return bad('letter_i_or_o');
  const is = (re) => new RegExp(`^${re}$`).test(serial);
  if (serial.endsWith('挂')) return is(`${S}{4}挂`) ? { plate, kind: 'trailer' } : bad('bad_trailer');
  if (serial.length === 5) return is(`${S}{5}`) ? { plate, kind: 'ordinary' } : bad('bad_serial');
  if (serial.length === 6) {
    if (is('[0-9]{5}[DF]')) return { plate, kind: 'new_energy_large' };
    if (is(`[DF]${S}[0-9]{4}`)) return { plate, kind: 'new_energy_small' };
    return bad('bad_new_energy');
  }
  return bad('wrong_length');
}

// Green plates are new energy only (plates.check_plate_colour).
export function colourFits(kind, colour) {
  if (colour === 'other' && !NEW_ENERGY.includes(kind)) return true;
  return ['green', 'yellow_green'].includes(colour) === NEW_ENERGY.includes(kind);
}

async function lookup(plate) {
  try {
    const v = await api(`/api/vehicles/lookup?plate=${encodeURIComponent(plate)}`);
    return { status: v.filing_problem || FILED, rated_load_t: v.rated_load_t, company: v.company ? v.company.name : '',
      expires: v.filing_expires_on, approval: v.approval_number || '', colour: v.plate_colour };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'vehicle_unknown') return { status: 'unknown' };
    if (err instanceof ApiError && err.status && err.status < 500 && err.status !== 408 && err.status !== 429) throw err;
    return { status: 'offline' }; // the server checks the filing when the check arrives
  }
}

async function rememberPlate(plate, colour) {
  const recent = ((await store.get('kv', 'recent_plates')) || []).filter((r) => r.plate !== plate);
  recent.unshift({ plate, colour, at: new Date().toISOString() });
  await store.put('kv', recent.slice(0, 8), 'recent_plates');
}

export async function truckView({ go }) {
  startGps();
  const input = h('input', { id: 'plate', type: 'text', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', placeholder: t('plate_placeholder'), 'aria-describedby': 'plate-msg' });
  const msg = h('p', { id: 'plate-msg', class: 'gps small-text', 'aria-live': 'polite' });
  const colour = h('select', { id: 'plate-colour' }, COLOURS.map((c) => h('option', { value: c }, t(`colour_${c}`))));
  const start = h('button', { type: 'button', id: 'truck-start', class: 'wide' }, t('truck_start'));
  let colourChosen = false;
  colour.addEventListener('change', () => { colourChosen = true; check(); });

  function check() {
    const r = checkPlate(input.value);
    msg.classList.toggle('bad', Boolean(r.reason) && Boolean(input.value.trim()));
    if (!input.value.trim()) { msg.textContent = t('plate_rules'); return r; }
    if (r.reason) { msg.textContent = t('plate_invalid', { reason: t(`plate_reason_${r.reason}`) }); return r; }
    if (!colourChosen) colour.value = DEFAULT_COLOUR[r.kind];
    if (!colourFits(r.kind, colour.value)) {
      msg.classList.add('bad');
      msg.textContent = t('plate_colour_mismatch');
      return { ...r, reason: 'colour' };
    }
    msg.textContent = t('plate_ok', { plate: r.plate, kind: t(`plate_kind_${r.kind}`) });
    return r;
  }
  input.addEventListener('input', check);

  async function begin() {
    const r = check();
    if (r.reason) { input.focus(); return; }
    start.disabled = true;
    try {
      const found = await lookup(r.plate);
      const forms = await loadForms();
      const now = new Date();
      const alert = bindingAlert(await loadAlerts(), null, now); // on the road: district-wide alerts
      const form = formFor(forms.truck, null, now, 'active', alert ? [alert.level] : []);
      const session = getSession();
      const draft = {
        uuid: uuid4(), kind: 'truck', user_id: session.user.id, site: null, supersedes: null,
        version_ids: form.versionIds, items: form.items, out_of_window: [], alert: draftAlert(alert),
        local_time: `${form.parts.year}-${form.parts.md} ${form.parts.hm}`,
        started_at: isoLocal(now), gps_start: freshFix(), answers: {}, created_at: now.toISOString(),
        extra_photos: Object.fromEntries([...Object.values(PHOTO_ITEMS), TICKET_ITEM].map((k) => [k, []])),
        truck: { plate: r.plate, kind: r.kind, plate_colour: colour.value, lookup: found, measured_load_t: '',
          estimated_load_t: '', origin_site_id: null, photo_items: PHOTO_ITEMS },
      };
      for (const item of form.items) draft.answers[item.key] = { outcome: null, note: '', photo_ids: [] };
      // An unknown or unfiled truck is itself a finding: the filing item starts failed, with the reason.
      if (found.status !== FILED && found.status !== 'offline' && draft.answers[PHOTO_ITEMS.plate]) {
        draft.answers[PHOTO_ITEMS.plate] = { outcome: 'fail', note: t(`lookup_${found.status}`), photo_ids: [] };
      }
      await saveDraft(draft);
      await rememberPlate(r.plate, colour.value);
      go(`inspect/${draft.uuid}`);
    } catch (err) {
      msg.classList.add('bad');
      msg.textContent = err instanceof ApiError ? err.message : t('forms_not_downloaded');
    } finally {
      start.disabled = false;
    }
  }
  start.addEventListener('click', begin);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') begin(); });

  const recent = (await store.get('kv', 'recent_plates')) || [];
  const drafts = await listDrafts('truck');
  mount(
    drafts.length ? h('h2', {}, t('drafts_title')) : null,
    drafts.map((d) => h('button', { type: 'button', class: 'site card draft', 'data-draft': d.uuid, onclick: () => go(`inspect/${d.uuid}`) },
      h('strong', {}, d.truck.plate), h('div', { class: 'small-text' }, fmtTime(d.updated_at)))),
    h('h2', {}, t('truck_title')),
    h('label', { for: 'plate' }, t('plate_label')), input, msg,
    h('label', { for: 'plate-colour' }, t('plate_colour_label')), colour,
    recent.length ? h('div', { id: 'recent-plates' }, h('p', { class: 'small-text muted' }, t('recent_plates')),
      h('div', { class: 'actions' }, recent.map((r) => h('button', { type: 'button', class: 'secondary', 'data-plate': r.plate,
        onclick: () => { input.value = r.plate; colour.value = r.colour || 'yellow'; colourChosen = true; check(); } }, r.plate)))) : null,
    h('div', { class: 'actions' }, start),
  );
  check();
  input.focus();
}

export function findingList(c) {
  const lines = [...(c.server_findings || []).map((f) => f.message),
    ...(c.penalty_cases || []).filter((p) => p.recipient).map((p) => t('case_to', { n: p.case_number, to: p.recipient }))];
  return lines.length ? h('ul', { class: 'flags small-text findings' }, lines.map((x) => h('li', {}, x))) : null;
}

// The top of the truck form: plate and registry result, plate and load photos, load, origin site.
export function truckHeader(draft, persist, refreshItem) {
  const tr = draft.truck;
  const found = tr.lookup || { status: 'offline' };
  const urls = new Set();
  const rated = found.rated_load_t;
  const loadLine = h('p', { id: 'load-status', 'aria-live': 'polite' });

  function showLoad() {
    const load = Number(tr.measured_load_t !== '' ? tr.measured_load_t : tr.estimated_load_t);
    const given = (tr.measured_load_t !== '' || tr.estimated_load_t !== '') && Number.isFinite(load);
    loadLine.className = '';
    if (!given) { loadLine.textContent = rated ? t('rated_load', { t: rated }) : t('rated_unknown'); return; }
    if (!rated) { loadLine.textContent = t('rated_unknown'); return; }
    const pct = Math.round(((load - rated) / rated) * 100);
    const weighed = tr.measured_load_t !== '';
    loadLine.textContent = load <= rated ? t('load_within', { load, rated })
      : t(weighed ? 'load_over' : 'load_over_estimated', { pct, load, rated });
    if (load > rated) loadLine.className = weighed ? 'notice attn' : 'notice warn';
  }

  const tonnes = (key, label) => h('div', {},
    h('label', { for: `load-${key}` }, label),
    h('input', { id: `load-${key}`, type: 'number', inputmode: 'decimal', min: '0', max: '200', step: '0.1', value: tr[`${key}_load_t`],
      oninput: (e) => { tr[`${key}_load_t`] = e.target.value; showLoad(); persist(); } }));

  function photoBlock(what) {
    const key = what === 'ticket' ? TICKET_ITEM : PHOTO_ITEMS[what];
    if (!draft.extra_photos[key]) draft.extra_photos[key] = []; // drafts started before the ticket photo existed
    const box = h('div', { class: 'thumbs', id: `thumbs-${what}` });
    async function show() {
      const nodes = [];
      for (const id of draft.extra_photos[key]) {
        const photo = await store.get('photos', id);
        if (!photo) continue;
        const url = URL.createObjectURL(photo.blob);
        urls.add(url);
        nodes.push(h('div', { class: 'thumb' }, h('img', { src: url, alt: t(`photo_${what}`) }),
          h('button', { type: 'button', 'aria-label': t('photo_remove'), onclick: async () => {
            if (!window.confirm(t('photo_remove_confirm'))) return;
            draft.extra_photos[key] = draft.extra_photos[key].filter((p) => p !== id);
            await persist(); await store.del('photos', id); show(); refreshItem(key);
          } }, '×')));
      }
      box.replaceChildren(...nodes);
    }
    const file = h('input', { id: `photo-${what}`, type: 'file', accept: 'image/*', capture: 'environment', multiple: true,
      onchange: async (e) => {
        const files = [...e.target.files]; e.target.value = '';
        for (const f of files) {
          const id = uuid4();
          await store.put('photos', { id, owner: draft.uuid, item_key: key, blob: new Blob([await f.arrayBuffer()], { type: f.type || 'image/jpeg' }),
            name: f.name, added_at: new Date().toISOString() });
          draft.extra_photos[key].push(id);
        }
        await persist(); await show(); refreshItem(key);
      } });
    show();
    return h('div', {}, h('label', { class: 'btn secondary camera', for: `photo-${what}` }, t(`take_${what}`), file), box);
  }

  const origin = h('select', { id: 'origin-site', onchange: () => { tr.origin_site_id = Number(origin.value) || null; persist(); } },
    h('option', { value: '' }, t('origin_none')));
  // Nearest first from the site list the phone keeps (view-sites.js), online or not.
  store.get('kv', 'sites').then((cached) => {
    const fix = gpsState().last;
    let sites = cached ? cached.items : [];
    if (fix) sites = sites.map((s) => ({ ...s, distance_m: distanceM(fix.lat, fix.lon, s.lat, s.lon) })).sort((a, b) => a.distance_m - b.distance_m);
    origin.append(...sites.slice(0, 8).map((s) => h('option', { value: s.id, selected: s.id === tr.origin_site_id },
      s.distance_m != null ? `${s.name} · ${fmtDistance(s.distance_m)}` : s.name)));
  });

  const ok = found.status === FILED;
  const node = h('div', { id: 'truck-header' },
    h('h2', {}, t('truck_check_of', { plate: tr.plate })),
    h('p', { class: 'small-text' }, h('span', { class: 'tag' }, t(`colour_${tr.plate_colour}`)), ' ', t(`plate_kind_${tr.kind}`), ' · ',
      t('local_time', { time: draft.local_time })),
    h('div', { id: 'lookup', 'data-status': found.status, class: `notice ${ok ? 'ok' : found.status === 'offline' ? 'warn' : 'attn'}` },
      h('strong', {}, t(`lookup_${found.status}`)),
      ok || found.company ? h('div', { class: 'small-text' }, [found.company, found.approval,
        found.rated_load_t ? t('rated_load', { t: found.rated_load_t }) : '',
        found.expires ? t('filing_until', { date: found.expires }) : ''].filter(Boolean).join(' · ')) : null,
      !ok && found.status !== 'offline' ? h('div', { class: 'small-text' }, t('lookup_is_finding')) : null),
    photoBlock('plate'), photoBlock('load'),
    h('div', { class: 'row' }, tonnes('measured', t('load_measured')), tonnes('estimated', t('load_estimated'))),
    loadLine,
    h('p', { class: 'small-text', id: 'ticket-hint' }, t('ticket_hint')), photoBlock('ticket'),
    h('label', { for: 'origin-site' }, t('origin_label')), origin);
  showLoad();
  return { node, cleanup: () => { urls.forEach((u) => URL.revokeObjectURL(u)); urls.clear(); } };
}

export function truckSummary(draft) {
  return { title: draft.truck.plate, endpoint: '/api/roadside-checks', readPath: `/api/roadside-checks/${draft.uuid}` };
}
