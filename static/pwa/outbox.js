// The outbox: finished inspections and their photo blobs wait here until the server has confirmed
// every part. Sent with the submission protocol: the same UUID on every retry, photos one at a time.
import * as store from './db.js';
import { api, ApiError, getSession, isTransient } from './api.js';

export const events = new EventTarget();
export const syncState = { running: false, needsLogin: false, nextRetryAt: null, offline: !navigator.onLine };

const BASE_DELAY_MS = 3000;
const MAX_DELAY_MS = 5 * 60 * 1000;
// A server error (500) that repeats is not going away by itself (the item may hold something the
// server chokes on): after this many tries in a row the item needs the inspector's attention.
// Offline, 429 and 502/503/504 (server or database briefly away) are retried for as long as it takes.
export const MAX_SERVER_ERROR_TRIES = 8;
let failures = 0;
let retryTimer = null;
let again = false;

function emit() { events.dispatchEvent(new Event('change')); }

export async function outboxItems() {
  const items = await store.all('outbox');
  return items.sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
}

export function isUnsent(item) { return item.state !== 'sent'; }

// Draft → outbox in one transaction: the draft disappears only when the outbox copy exists.
// opts: a roadside check goes to its own endpoint ({endpoint, readPath, title}); photos go the same way.
export async function enqueue(draft, body, photoIds, opts = {}) {
  const record = {
    uuid: body.uuid, body, photo_ids: photoIds, sent_photos: [], posted: false, kind: draft.kind || 'site',
    endpoint: opts.endpoint || '/api/inspections', read_path: opts.readPath || `/api/inspections/${body.uuid}`,
    state: 'waiting', user_id: draft.user_id, site_name: opts.title || draft.site.name, site: draft.site || null,
    created_at: new Date().toISOString(), attempts: 0, error: null, server: null, progress: null,
  };
  await store.atomically(['outbox', 'drafts', 'photos'], (tx) => {
    tx.objectStore('outbox').put(record);
    if (draft.complaint) tx.objectStore('outbox').put(complaintLink(record, draft.complaint));
    tx.objectStore('drafts').delete(draft.uuid);
  });
  await reassignPhotos(draft.uuid, body.uuid);
  emit();
  registerBackgroundSync();
  return record;
}

// The inspection answers a hotline complaint: the link waits behind it (``after``) and is sent once the
// server has the inspection; linking the same inspection again is a no-op there, so retries are safe.
function complaintLink(record, complaint) {
  return {
    uuid: `${record.uuid}-complaint`, kind: 'complaint_link', complaint_id: complaint.id, after: record.uuid,
    endpoint: `/api/complaints/${complaint.id}/inspection`, body: { inspection_uuid: record.uuid }, photo_ids: [],
    sent_photos: [], posted: false, state: 'waiting', user_id: record.user_id, site_name: complaint.ticket_number,
    created_at: new Date(Date.parse(record.created_at) + 1).toISOString(), // sorts (and is sent) after it
    attempts: 0, error: null, server: null, progress: null,
  };
}

async function reassignPhotos(fromOwner, toOwner) {
  if (fromOwner === toOwner) return;
  for (const p of await store.photosOf(fromOwner)) { p.owner = toOwner; await store.put('photos', p); }
}

async function save(item) { await store.put('outbox', item); emit(); }

function registerBackgroundSync() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register('outbox-sync')).catch(() => {});
}

export function requestSync() {
  if (syncState.running) { again = true; return Promise.resolve(); }
  const run = async () => {
    syncState.running = true; emit();
    try { do { again = false; await syncPass(); } while (again); } finally { syncState.running = false; emit(); }
  };
  // One tab at a time: two tabs sending the same outbox is harmless (idempotent) but wasteful.
  if (navigator.locks) return navigator.locks.request('outbox-sync', run);
  return run();
}

async function syncPass() {
  const session = getSession();
  const pending = (await outboxItems()).filter((i) => i.state === 'waiting' || i.state === 'sending');
  if (!pending.length) { failures = 0; clearRetry(); return; }
  if (!session) { syncState.needsLogin = true; emit(); return; }
  let transient = false;
  for (const item of pending) {
    if (item.user_id !== session.user.id) continue; // waits for its own inspector to log in
    const outcome = await sendOne(item);
    if (outcome === 'auth') { syncState.needsLogin = true; emit(); return; }
    if (outcome === 'retry') { transient = true; break; }
  }
  syncState.needsLogin = false;
  if (transient) scheduleRetry(); else { failures = 0; clearRetry(); }
  emit();
}

async function sendOne(item) {
  // A service record (送达) names its inspection: it waits until the server has that inspection.
  if (item.after && !(await isPosted(item.after))) return 'wait';
  const total = item.photo_ids.length;
  item.state = 'sending'; item.progress = { photo: 0, total }; item.attempts += 1;
  await save(item);
  try {
    if (!item.posted) {
      const created = await api(item.endpoint || '/api/inspections', { method: item.method || 'POST', json: item.body });
      item.posted = true;
      item.server_errors = 0; // the server took it: only server errors in a row count
      item.server = summary(created);
      // A replay may find photos already stored: only the missing ones still need sending.
      if (Array.isArray(created.missing_photos)) {
        item.sent_photos = item.photo_ids.filter((id) => !created.missing_photos.includes(id));
      }
      await save(item);
    }
    for (let i = 0; i < total; i += 1) {
      const photoId = item.photo_ids[i];
      if (item.sent_photos.includes(photoId)) continue;
      item.progress = { photo: i + 1, total };
      await save(item);
      const photo = await store.get('photos', photoId);
      if (!photo) throw new ApiError(0, 'photo_missing_locally', '');
      const res = await api(item.photo_path || `/api/inspections/${item.uuid}/photos/${photoId}`, {
        method: 'PUT', body: photo.blob, headers: { 'Content-Type': photo.blob.type || 'application/octet-stream' },
      });
      item.sent_photos.push(photoId);
      item.server_errors = 0;
      if (res && res.inspection) item.server = { ...item.server, ...res.inspection };
      await save(item);
    }
    if (item.server && item.server.completeness && item.server.completeness !== 'complete') {
      // The server still misses something we believe we sent: ask it, and resend what it lacks.
      const fresh = await api(item.read_path || `/api/inspections/${item.uuid}`);
      item.server = summary(fresh);
      if (fresh.completeness !== 'complete') {
        item.sent_photos = item.photo_ids.filter((id) => !(fresh.missing_photos || []).includes(id));
        item.state = 'waiting';
        await save(item);
        return 'retry';
      }
    }
    item.state = 'sent'; item.progress = null; item.error = null; item.sent_at = new Date().toISOString();
    await save(item);
    return 'ok';
  } catch (err) {
    // Logged out, or logged in with a password an admin set and not yet changed: wait, nothing is wrong with the item.
    if (err instanceof ApiError && (err.status === 401 || err.code === 'password_change_required')) {
      item.state = 'waiting'; item.progress = null; await save(item); return 'auth';
    }
    if (isTransient(err) && !serverErrorRepeated(item, err)) {
      item.state = 'waiting'; item.progress = null;
      item.error = { transient: true, status: err.status || 0, code: err.code || 'network', message: err.message || '',
        request_id: err.requestId || null };
      await save(item);
      return 'retry';
    }
    item.state = 'attention'; item.progress = null;
    item.error = { status: err.status, code: err.code, message: err.message, details: err.details || null,
      request_id: err.requestId || null };
    await save(item);
    return 'attention';
  }
}

// Counts a server error against the item; true once it has failed this way too often in a row.
function serverErrorRepeated(item, err) {
  if (!(err instanceof ApiError) || err.status < 500 || [502, 503, 504].includes(err.status)) return false;
  item.server_errors = (item.server_errors || 0) + 1;
  return item.server_errors >= MAX_SERVER_ERROR_TRIES;
}

async function isPosted(uuid) {
  const before = await store.get('outbox', uuid);
  return !before || before.posted; // cleared from the outbox only once sent
}

function summary(ins) {
  if (!ins) return null;
  const keep = ['id', 'number', 'method_label', 'evidence_missing', 'completeness', 'missing_photos', 'review_status', 'score', 'grade', 'grade_label', 'vetoed', 'flags', 'violations_opened',
    'server_findings', 'filing_problem', 'penalty_cases'];
  return Object.fromEntries(keep.filter((k) => k in ins).map((k) => [k, ins[k]]));
}

function scheduleRetry() {
  failures += 1;
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
  clearTimeout(retryTimer);
  syncState.nextRetryAt = Date.now() + delay;
  retryTimer = setTimeout(() => { syncState.nextRetryAt = null; requestSync(); }, delay);
}

function clearRetry() { clearTimeout(retryTimer); retryTimer = null; syncState.nextRetryAt = null; }

// Online again: retry at once instead of waiting out the backoff.
export function resetBackoff() { failures = 0; clearRetry(); }

export async function retryItem(uuid) {
  const item = await store.get('outbox', uuid);
  if (!item) return;
  item.state = 'waiting'; item.error = null; item.server_errors = 0;
  await save(item);
  resetBackoff();
  return requestSync();
}

export async function removeItem(uuid) {
  await store.del('outbox', uuid);
  for (const p of await store.photosOf(uuid)) await store.del('photos', p.id);
  emit();
}

// Explicit clearing; the caller has already warned about unsent work when it asked onlySent=false.
export async function clearOutbox({ onlySent }) {
  for (const item of await outboxItems()) {
    if (onlySent && isUnsent(item)) continue;
    await removeItem(item.uuid);
  }
}
