// Drafts: an inspection being filled. Saved to IndexedDB on every answer.
import * as store from './db.js';
import { apiIfChanged, getSession } from './api.js';
import { formFor, isoLocal, uuid4 } from './rules.js';
import { bindingAlert, draftAlert, loadAlerts } from './alerts.js';
import { freshFix } from './gps.js';

// Site inspections by default; kind 'truck' for roadside checks (the same draft shape, no site).
export async function listDrafts(kind = 'site') {
  const session = getSession();
  const drafts = await store.all('drafts');
  return drafts.filter((d) => (!session || d.user_id === session.user.id) && (d.kind || 'site') === kind)
    .sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
}

export async function saveDraft(draft) {
  draft.updated_at = new Date().toISOString();
  await store.put('drafts', draft);
  return draft.updated_at;
}

// The checklist forms, fetched when online and kept for offline use; a refresh sends the ETag of the
// kept copy, so while no checklist changed the server answers 304 with no body.
export async function loadForms({ refresh = false } = {}) {
  const cached = await store.get('kv', 'checklists');
  if (cached && !refresh) return cached.data;
  try {
    const answer = await apiIfChanged('/api/checklists', cached && cached.data ? cached.etag : '');
    const data = answer.changed ? answer.data : cached.data;
    await store.put('kv', { data, etag: answer.etag, fetched_at: new Date().toISOString() }, 'checklists');
    await loadAlerts({ refresh: true }); // the alerts in force come down with the checklists
    return data;
  } catch (err) {
    if (cached) return cached.data;
    throw err;
  }
}

// A new draft for a site: the applicable items are copied in, so a checklist update on the server
// never changes a form that is being filled.
// ``complaint`` ({id, ticket_number}): the hotline complaint this inspection answers; the outbox links
// them once the inspection is sent (outbox.js enqueue).
export async function startDraft(site, { supersedes = null, answers = {}, complaint = null } = {}) {
  const session = getSession();
  if (!supersedes) {
    const existing = (await listDrafts()).find((d) => d.site.id === site.id && !d.supersedes);
    if (existing && complaint && !existing.complaint) { existing.complaint = complaint; await saveDraft(existing); }
    if (existing) return existing;
  }
  const forms = await loadForms();
  const now = new Date();
  const alert = bindingAlert(await loadAlerts(), site.unit ? site.unit.id : site.unit_id, now);
  const form = formFor(forms.site, site.phase, now, site.status || 'active', alert ? [alert.level] : []);
  const draft = {
    uuid: uuid4(),
    user_id: session.user.id,
    site: { id: site.id, name: site.name, phase: site.phase, status: site.status || 'active', contractor: site.contractor || '',
      unit: site.unit || null, lat: site.lat, lon: site.lon, geofence_radius_m: site.geofence_radius_m }, // distance shown
    alert: draftAlert(alert),
    supersedes,
    version_ids: form.versionIds,
    items: form.items,
    out_of_window: form.outOfWindow.map((i) => ({ key: i.key, text_zh: i.text_zh, text_en: i.text_en, window: i.window })),
    local_time: `${form.parts.year}-${form.parts.md} ${form.parts.hm}`,
    started_at: isoLocal(now),
    gps_start: freshFix(),
    answers: {},
    created_at: now.toISOString(),
    complaint,
  };
  for (const item of form.items) {
    const prior = answers[item.key];
    draft.answers[item.key] = { outcome: prior ? prior.outcome : null, note: prior ? prior.note || '' : '', photo_ids: [] };
  }
  await saveDraft(draft);
  return draft;
}

// A 复查 is sent to its task (follow-ups), with the short body: no site, versions or correction.
export const endpointOf = (task) => `/api/follow-ups/${task.id}/inspections`;
export function followUpOptions(draft, body, title) {
  delete body.site_id;
  delete body.checklist_version_ids;
  delete body.supersedes;
  return { endpoint: endpointOf(draft.follow_up), readPath: `/api/inspections/${body.uuid}`, title };
}

export async function discardDraft(draft) {
  await store.del('drafts', draft.uuid);
  for (const p of await store.photosOf(draft.uuid)) await store.del('photos', p.id);
}

// Photos that go with an item but were taken outside its card (a truck's plate and load photos).
function extraPhotos(draft, key) { return (draft.extra_photos && draft.extra_photos[key]) || []; }

// Annotated copies ({copy id: original id}) point at evidence; they are not evidence of their own.
export function photoCount(draft, item) {
  const copies = draft.annotations || {};
  return draft.answers[item.key].photo_ids.filter((id) => !copies[id]).length + extraPhotos(draft, item.key).length;
}

// What still stops the draft from being finished: unanswered items, failed items short of photos,
// and for a truck the plate and load photos (the server wants at least one photo of the truck).
export function problems(draft) {
  const unanswered = [];
  const photosMissing = [];
  for (const item of draft.items) {
    const a = draft.answers[item.key];
    if (!a || !a.outcome) unanswered.push(item.key);
    else if (a.outcome === 'fail' && photoCount(draft, item) < (item.photos_on_fail || 0)) photosMissing.push(item.key);
  }
  const truckMissing = draft.kind === 'truck'
    ? Object.entries(draft.truck.photo_items).filter(([, key]) => !extraPhotos(draft, key).length).map(([what]) => what) : [];
  // A measured load stands only with its weighbridge ticket photo (on the overload item; the server refuses it without).
  if (draft.kind === 'truck' && String(draft.truck.measured_load_t ?? '') !== ''
      && !extraPhotos(draft, 'truck_not_overloaded').length) truckMissing.push('ticket');
  return { unanswered, photosMissing, truckMissing };
}

export function submissionBody(draft) {
  const photoIds = [];
  const items = draft.items.map((item) => {
    const a = draft.answers[item.key];
    const ids = [...extraPhotos(draft, item.key), ...a.photo_ids];
    photoIds.push(...ids);
    return { key: item.key, outcome: a.outcome, note: a.note || '', photo_ids: ids };
  });
  const body = {
    uuid: draft.uuid,
    site_id: draft.site ? draft.site.id : null,
    checklist_version_ids: draft.version_ids,
    started_at: draft.started_at,
    finished_at: isoLocal(new Date()),
    gps_start: draft.gps_start || null,
    gps_finish: freshFix(),
    items,
  };
  if (draft.supersedes) body.supersedes = draft.supersedes;
  if (draft.off_site_reason) body.off_site_reason = draft.off_site_reason;
  const links = Object.entries(draft.annotations || {}).filter((pair) => pair.every((id) => photoIds.includes(id)));
  if (links.length) body.photo_annotations = links.map(([copy, original]) => ({ photo_id: copy, annotates: original }));
  if (draft.kind === 'truck') {
    const tr = draft.truck;
    const tonnes = (v) => (v === '' || v === null || v === undefined ? null : Number(v));
    delete body.site_id;
    Object.assign(body, {
      plate: tr.plate, plate_colour: tr.plate_colour || null, measured_load_t: tonnes(tr.measured_load_t),
      estimated_load_t: tonnes(tr.estimated_load_t), origin_site_id: tr.origin_site_id || null,
    });
  }
  return { body, photoIds };
}
