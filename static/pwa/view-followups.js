// 复查 (follow-ups): the inspector's tasks — 已逾期 / 今日复查 / upcoming — kept in IndexedDB for offline
// use, and the short form: only the notice's open items, pass / fail with photos on fail, filled in
// view-form.js and sent through the same outbox (its own endpoint, the same photo uploads).
import { api, ApiError, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { h, mount, pick, toast } from './ui.js';
import { endpointOf, listDrafts, saveDraft } from './drafts.js';
import { freshFix } from './gps.js';
import { outboxItems } from './outbox.js';
import { inWindow, isoLocal, localParts, phaseApplies, uuid4 } from './rules.js';

const KV_KEY = 'follow-ups';

// The tasks from the server (and saved for offline use), else the saved copy: {data, at, offline}.
export async function loadFollowUps() {
  try {
    const data = await api('/api/follow-ups');
    const at = new Date().toISOString();
    await store.put('kv', { data, at, user_id: getSession().user.id }, KV_KEY);
    return { data, at, offline: false };
  } catch (err) {
    if (err instanceof ApiError && err.status !== 0 && err.status < 500) throw err;
    const cached = await store.get('kv', KV_KEY);
    if (!cached || cached.user_id !== getSession().user.id) return null;
    return { ...cached, offline: true };
  }
}

// The counts line the inspector's home shows (今日复查 / 已逾期); empty when nothing is known.
export function followUpCounts(go) {
  const box = h('button', { type: 'button', id: 'follow-up-counts', class: 'site card follow-up-counts', hidden: true,
    onclick: () => go('followups') });
  loadFollowUps().then((loaded) => {
    if (!loaded) return;
    const { today, overdue } = loaded.data.counts;
    box.hidden = false;
    box.classList.toggle('bad', overdue > 0);
    box.dataset.today = today; box.dataset.overdue = overdue;
    box.textContent = t('followups_counts', { today, overdue });
  }).catch(() => {});
  return box;
}

// The draft of a follow-up: the notice's items still open and asked at this phase and hour.
async function startFollowUp(task) {
  const session = getSession();
  const existing = (await listDrafts('followup')).find((d) => d.follow_up.id === task.id);
  if (existing) return existing;
  const now = new Date();
  const parts = localParts(now);
  const items = task.items.filter((i) => i.status !== 'closed' && phaseApplies(i, task.site.phase) && inWindow(i.window, parts))
    .map((i) => ({ key: i.key, text_zh: i.text_zh, text_en: i.text_en, photos_on_fail: i.photos_on_fail, veto: false }));
  if (!items.length) return null;
  const draft = {
    uuid: uuid4(), user_id: session.user.id, kind: 'followup',
    site: { id: task.site.id, name: task.site.name, phase: task.site.phase, contractor: task.site.contractor || '' },
    follow_up: { id: task.id, number: task.notice.number }, supersedes: null, version_ids: [], items,
    out_of_window: [], local_time: `${parts.year}-${parts.md} ${parts.hm}`, started_at: isoLocal(now),
    gps_start: freshFix(), answers: {}, created_at: now.toISOString(),
  };
  for (const item of items) draft.answers[item.key] = { outcome: null, note: '', photo_ids: [] };
  await saveDraft(draft);
  return draft;
}

export async function followupsView({ go }) {
  const status = h('p', { id: 'followups-status', class: 'small-text muted', 'aria-live': 'polite' }, t('loading'));
  const list = h('div', { id: 'followup-list' });
  mount(h('h2', {}, t('followups_title')), status, list);
  let loaded;
  try {
    loaded = await loadFollowUps();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return null; }
    status.textContent = err.message || t('error_generic');
    return null;
  }
  if (!loaded) { status.textContent = t('followups_offline_none'); return null; }
  const { counts, items } = loaded.data;
  status.textContent = loaded.offline ? t('followups_cached', { time: new Date(loaded.at).toLocaleString() })
    : t('followups_counts', counts);
  const queued = new Set((await outboxItems()).filter((o) => o.state !== 'sent').map((o) => o.endpoint));

  async function open(task) {
    if (task.kind !== 'site') { toast(t('followups_truck')); go('truck'); return; }
    const draft = await startFollowUp(task);
    if (!draft) { toast(t('followups_nothing_to_check')); return; }
    go(`inspect/${draft.uuid}`);
  }

  const sections = ['overdue', 'today', 'upcoming'].map((bucket) => {
    const tasks = items.filter((task) => task.bucket === bucket);
    if (!tasks.length) return null;
    return h('section', { class: `followups ${bucket}`, 'data-bucket': bucket },
      h('h3', {}, `${t(`followups_${bucket}`)} (${tasks.length})`),
      tasks.map((task) => {
        const open_ = task.items.filter((i) => i.status !== 'closed');
        const waiting = queued.has(endpointOf(task));
        return h('button', { type: 'button', class: 'site card follow-up', 'data-follow-up': task.id,
          disabled: waiting, onclick: () => open(task) },
        h('div', { class: 'row' }, h('strong', { class: 'grow' }, task.site ? task.site.name : task.plate),
          h('span', { class: `tag${bucket === 'overdue' ? ' veto' : ''}` }, t('followups_due', { date: task.due_on }))),
        h('div', { class: 'small-text' }, task.notice.number, ' · ', t('followups_items', { n: open_.length })),
        h('div', { class: 'small-text' }, open_.map((i) => pick(i, 'text')).join('；')),
        waiting ? h('div', { class: 'small-text muted' }, t('followups_queued')) : null);
      }));
  }).filter(Boolean);
  list.replaceChildren(...(sections.length ? sections : [h('p', {}, t('followups_none'))]));
  return null;
}
