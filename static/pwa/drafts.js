// Drafts: an inspection being filled. Saved to IndexedDB on every answer.
import * as store from './db.js';
import { api, getSession } from './api.js';
import { formFor, isoLocal, uuid4 } from './rules.js';
import { freshFix } from './gps.js';

export async function listDrafts() {
  const session = getSession();
  const drafts = await store.all('drafts');
  return drafts.filter((d) => !session || d.user_id === session.user.id)
    .sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
}

export async function saveDraft(draft) {
  draft.updated_at = new Date().toISOString();
  await store.put('drafts', draft);
  return draft.updated_at;
}

// The checklist forms, fetched when online and kept for offline use.
export async function loadForms({ refresh = false } = {}) {
  const cached = await store.get('kv', 'checklists');
  if (cached && !refresh) return cached.data;
  try {
    const data = await api('/api/checklists');
    await store.put('kv', { data, fetched_at: new Date().toISOString() }, 'checklists');
    return data;
  } catch (err) {
    if (cached) return cached.data;
    throw err;
  }
}

// A new draft for a site: the applicable items are copied in, so a checklist update on the server
// never changes a form that is being filled.
export async function startDraft(site, { supersedes = null, answers = {} } = {}) {
  const session = getSession();
  if (!supersedes) {
    const existing = (await listDrafts()).find((d) => d.site.id === site.id && !d.supersedes);
    if (existing) return existing;
  }
  const forms = await loadForms();
  const now = new Date();
  const form = formFor(forms.site, site.phase, now);
  const draft = {
    uuid: uuid4(),
    user_id: session.user.id,
    site: { id: site.id, name: site.name, phase: site.phase, contractor: site.contractor || '' },
    supersedes,
    version_ids: form.versionIds,
    items: form.items,
    out_of_window: form.outOfWindow.map((i) => ({ key: i.key, text_zh: i.text_zh, text_en: i.text_en, window: i.window })),
    local_time: `${form.parts.year}-${form.parts.md} ${form.parts.hm}`,
    started_at: isoLocal(now),
    gps_start: freshFix(),
    answers: {},
    created_at: now.toISOString(),
  };
  for (const item of form.items) {
    const prior = answers[item.key];
    draft.answers[item.key] = { outcome: prior ? prior.outcome : null, note: prior ? prior.note || '' : '', photo_ids: [] };
  }
  await saveDraft(draft);
  return draft;
}

export async function discardDraft(draft) {
  await store.del('drafts', draft.uuid);
  for (const p of await store.photosOf(draft.uuid)) await store.del('photos', p.id);
}

// What still stops the draft from being finished: unanswered items, failed items short of photos.
export function problems(draft) {
  const unanswered = [];
  const photosMissing = [];
  for (const item of draft.items) {
    const a = draft.answers[item.key];
    if (!a || !a.outcome) unanswered.push(item.key);
    else if (a.outcome === 'fail' && a.photo_ids.length < (item.photos_on_fail || 0)) photosMissing.push(item.key);
  }
  return { unanswered, photosMissing };
}

export function submissionBody(draft) {
  const photoIds = [];
  const items = draft.items.map((item) => {
    const a = draft.answers[item.key];
    photoIds.push(...a.photo_ids);
    return { key: item.key, outcome: a.outcome, note: a.note || '', photo_ids: [...a.photo_ids] };
  });
  const body = {
    uuid: draft.uuid,
    site_id: draft.site.id,
    checklist_version_ids: draft.version_ids,
    started_at: draft.started_at,
    finished_at: isoLocal(new Date()),
    gps_start: draft.gps_start || null,
    gps_finish: freshFix(),
    items,
  };
  if (draft.supersedes) body.supersedes = draft.supersedes;
  return { body, photoIds };
}
