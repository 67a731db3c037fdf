// 投诉任务 (hotline complaint tasks) on the inspector's phone: the open complaints of their units, kept in
// IndexedDB for offline use, and a task page (text, address, due time, the matched site) whose button
// composes the site's form with the complaint attached to the draft. When that inspection is finished,
// the outbox also queues the link to the complaint, sent after the inspection (outbox.js, enqueue).
// Not in the install-time shell: app.js loads it in the background after login, so it works offline.
// The server never sends an inspector the complainant's name or phone, and this screen has no place for them.
import { api, ApiError, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import './i18n-complaints.js'; // the complaint screens' words join the catalogue
import { fmtTime, h, mount, toast } from './ui.js';
import { startDraft } from './drafts.js';
import { outboxItems } from './outbox.js';

const KV_KEY = 'complaint-tasks';

// The tasks from the server (saved for offline use), else the saved copy: {items, at, offline}, or null.
export async function loadComplaintTasks() {
  const user = getSession().user;
  try {
    const res = await api('/api/complaints?page_size=100');
    const saved = { items: res.items, at: new Date().toISOString(), user_id: user.id };
    await store.put('kv', saved, KV_KEY);
    return { ...saved, offline: false };
  } catch (err) {
    if (err instanceof ApiError && err.status !== 0 && err.status < 500) throw err;
    const cached = await store.get('kv', KV_KEY);
    return cached && cached.user_id === user.id ? { ...cached, offline: true } : null;
  }
}

const isOverdue = (task) => task.due_at && new Date(task.due_at) < new Date();

// The line on the inspector's home: 投诉任务 N · 已超期 M (hidden when there are none).
export function complaintTaskCounts(go) {
  const box = h('button', { type: 'button', id: 'complaint-task-counts', class: 'site card follow-up-counts', hidden: true,
    onclick: () => go('ctasks') });
  loadComplaintTasks().then((loaded) => {
    if (!loaded || !loaded.items.length) return;
    const overdue = loaded.items.filter(isOverdue).length;
    box.hidden = false;
    box.classList.toggle('bad', overdue > 0);
    box.dataset.open = loaded.items.length; box.dataset.overdue = overdue;
    box.textContent = t('ctasks_counts', { open: loaded.items.length, overdue });
  }).catch(() => {});
  return box;
}

// Complaints whose answering inspection is already waiting in the outbox (its link queued behind it).
async function queuedComplaints() {
  return new Set((await outboxItems()).filter((o) => o.kind === 'complaint_link' && o.state !== 'sent').map((o) => o.complaint_id));
}

const dueText = (task) => (task.due_at ? t(isOverdue(task) ? 'ctask_overdue' : 'ctask_due', { time: fmtTime(task.due_at) }) : '');

export async function complaintTasksView({ go }) {
  const status = h('p', { id: 'ctasks-status', class: 'small-text muted', 'aria-live': 'polite' }, t('loading'));
  const list = h('div', { id: 'ctask-list' });
  mount(h('h2', {}, t('ctasks_title')), status, list);
  let loaded;
  try { loaded = await loadComplaintTasks(); } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return null; }
    status.textContent = err.message || t('error_generic');
    return null;
  }
  if (!loaded) { status.textContent = t('ctasks_offline_none'); return null; }
  status.textContent = loaded.offline ? t('ctasks_cached', { time: fmtTime(loaded.at) }) : t('ctasks_count', { n: loaded.items.length });
  const queued = await queuedComplaints();
  list.replaceChildren(...(loaded.items.length ? loaded.items.map((task) => h('a', {
    class: `site card ctask${isOverdue(task) ? ' bad' : ''}`, href: `#/ctask/${task.id}`, 'data-complaint': task.id },
  h('div', { class: 'row' }, h('strong', { class: 'grow' }, task.site ? task.site.name : task.address || task.ticket_number),
    h('span', { class: `tag${isOverdue(task) ? ' veto' : ''}` }, t(`complaint_category_${task.category}`))),
  h('div', { class: 'small-text' }, `${task.channel} · ${task.ticket_number} · `, dueText(task)),
  h('div', { class: 'small-text' }, task.text),
  queued.has(task.id) ? h('div', { class: 'small-text muted' }, t('ctask_queued')) : null))
    : [h('p', {}, t('ctasks_none'))]));
  return null;
}

export async function complaintTaskView({ args, go }) {
  const id = Number(args[0]);
  let loaded = null;
  try { loaded = await loadComplaintTasks(); } catch { /* the saved copy below, if any */ }
  loaded = loaded || (await store.get('kv', KV_KEY));
  const task = loaded && loaded.items.find((c) => c.id === id);
  if (!task) { mount(h('p', { class: 'notice warn', id: 'ctask-missing' }, t('ctask_missing'))); return null; }
  const queued = (await queuedComplaints()).has(task.id);
  async function start() {
    if (!task.site) return;
    const draft = await startDraft(task.site, { complaint: { id: task.id, ticket_number: task.ticket_number } });
    toast(t('ctask_started', { ticket: task.ticket_number }));
    go(`inspect/${draft.uuid}`);
  }
  const row = (label, value) => h('div', { class: 'row' }, h('span', { class: 'muted' }, label), h('strong', { class: 'grow' }, value || '—'));
  mount(
    h('h2', {}, t('ctask_title', { ticket: task.ticket_number })),
    h('section', { class: 'card', id: 'ctask', 'data-complaint': task.id },
      row(t('ctask_channel'), task.channel), row(t('ctask_category'), t(`complaint_category_${task.category}`)),
      row(t('ctask_received'), fmtTime(task.received_at)),
      h('div', { class: `row${isOverdue(task) ? ' bad' : ''}`, id: 'ctask-due' }, h('span', { class: 'muted' }, t('ctask_due_label')),
        h('strong', { class: 'grow' }, fmtTime(task.due_at))),
      row(t('ctask_address'), task.address), row(t('ctask_site'), task.site && task.site.name),
      h('p', { id: 'ctask-text' }, task.text)),
    queued ? h('p', { class: 'notice info' }, t('ctask_queued')) : null,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'ctask-start', class: 'wide', disabled: queued || !task.site,
      onclick: start }, t('ctask_start'))),
  );
  return null;
}
