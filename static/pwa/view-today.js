// 今日任务, the inspector's home: the day's stops in route order, kept for offline use; move, skip
// (through the outbox), done once its inspection is sent.
import { api, ApiError, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import './i18n-today.js'; // this screen's words join the catalogue
import { distanceM, localParts, uuid4 } from './rules.js';
import { fmtDistance, fmtTime, h, mount, toast } from './ui.js';
import { gpsState, onGps, startGps } from './gps.js';
import { outboxItems, requestSync } from './outbox.js';
import { listDrafts, startDraft } from './drafts.js';

const dayOf = (d) => { const p = localParts(d); return `${p.year}-${p.md}`; };

async function loadDay(user) {
  const fix = gpsState().last;
  try {
    const data = await api(`/api/today${fix ? `?lat=${fix.lat}&lon=${fix.lon}` : ''}`);
    const at = new Date().toISOString();
    await store.put('kv', { data, at, user }, 'today');
    return { data, at };
  } catch (err) {
    if (err instanceof ApiError && err.status && err.status < 500) throw err;
    const saved = await store.get('kv', 'today');
    return saved && saved.user === user && saved.data.date === dayOf() ? { ...saved, offline: true } : null;
  }
}

// What the outbox knows before the server does.
async function pending(day) {
  const known = new Map();
  for (const o of await outboxItems()) {
    if (o.kind === 'skip') { if (o.body.date === day) known.set(o.body.site_id, { skip: { ...o.body, pending: true } }); }
    else if (o.site && !['service', 'truck'].includes(o.kind) && dayOf(new Date(o.created_at)) === day) {
      known.set(o.site.id, { sent: o.state === 'sent', queued: o.state !== 'sent' });
    }
  }
  return known;
}

export async function todayView({ go }) {
  startGps();
  const user = getSession().user.id;
  const status = h('p', { id: 'today-status', class: 'small-text muted', 'aria-live': 'polite' }, t('loading'));
  const summary = h('p', { id: 'today-summary' });
  const list = h('div', { id: 'today-list' });
  const drafts = h('div', { id: 'drafts' }); // checks started and not finished, a tap away
  listDrafts().then((open) => drafts.replaceChildren(...open.map((d) => h('button', {
    type: 'button', class: 'site card draft', 'data-draft': d.uuid, onclick: () => go(`inspect/${d.uuid}`) }, d.site.name))));
  mount(drafts, h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('today_title')),
    h('button', { type: 'button', id: 'today-all-sites', class: 'secondary', onclick: () => go('sites') }, t('today_all_sites'))), status, summary, list);
  let got;
  try {
    got = await loadDay(user);
  } catch (err) {
    if (err.status === 401) go('login'); else status.textContent = err.message;
    return null;
  }
  if (!got) { status.textContent = t('today_offline_none'); return null; }
  let day;
  const show = (g) => {
    day = g.data;
    status.textContent = g.offline ? t('today_cached', { time: fmtTime(g.at) }) : t('today_date', { date: day.date });
  };
  show(got);

  async function draw() {
    const known = await pending(day.date);
    const saved = await store.get('kv', 'today-order');
    const order = saved && saved.user === user && saved.date === day.date ? saved.order : null;
    const stops = day.stops.map((s) => {
      const k = known.get(s.site_id) || {};
      if (s.status !== 'todo') return s;
      if (k.sent) return { ...s, status: 'done' };
      return k.skip ? { ...s, status: 'skipped', skip: k.skip } : { ...s, queued: k.queued };
    });
    const todo = stops.filter((s) => s.status === 'todo');
    if (order) todo.sort((a, b) => (order.indexOf(a.site_id) + 1 || 1e9) - (order.indexOf(b.site_id) + 1 || 1e9));
    let prev = day.position || todo[0];
    let total = 0;
    todo.forEach((s, i) => {
      s.order = i + 1; s.leg_m = prev ? distanceM(prev.lat, prev.lon, s.lat, s.lon) : 0; total += s.leg_m; prev = s;
    });
    summary.textContent = t('today_summary', { n: todo.length, distance: fmtDistance(total) });
    const rest = (status_, title) => {
      const some = stops.filter((s) => s.status === status_);
      return some.length ? [h('h3', {}, t(title, { n: some.length })), ...some.map((s) => card(s))] : [];
    };
    list.replaceChildren(...todo.map((s, i) => card(s, i, todo)),
      order ? h('button', { type: 'button', class: 'secondary', id: 'today-reset-order',
        onclick: () => store.del('kv', 'today-order').then(draw) }, t('today_reset_order')) : '',
      ...rest('done', 'today_done'), ...rest('skipped', 'today_skipped'), stops.length ? '' : h('p', {}, t('today_none')));
    list.dataset.positioned = day.position ? '1' : '0'; // drawn from the phone's position
  }

  async function move(todo, i, j) {
    const ids = todo.map((s) => s.site_id);
    [ids[i], ids[j]] = [ids[j], ids[i]];
    await store.put('kv', { user, date: day.date, order: ids }, 'today-order');
    draw();
  }

  async function start(s) {
    if (s.kinds.some((k) => k.startsWith('follow_up'))) { go('followups'); return; }
    if (s.complaint_id) { go(`ctask/${s.complaint_id}`); return; } // its inspection answers the complaint
    try {
      go(`inspect/${(await startDraft({ id: s.site_id, name: s.name, phase: s.phase, status: s.site_status })).uuid}`);
    } catch (err) { toast(err.message || t('error_generic')); }
  }

  function skipForm(s, box) {
    const reason = h('select', { id: `skip-reason-${s.site_id}`, class: 'skip-reason' },
      day.skip_reasons.map((r) => h('option', { value: r.code }, r.label)));
    const note = h('input', { class: 'skip-note', maxlength: 500, placeholder: t('today_skip_note') });
    const confirm = async () => {
      if (reason.value === 'other' && !note.value.trim()) { toast(t('today_skip_note_needed')); return; }
      const body = { uuid: uuid4(), site_id: s.site_id, date: day.date, reason: reason.value, note: note.value.trim() || null };
      // through the outbox, with the same UUID on every retry (a replay is answered as stored)
      await store.put('outbox', { uuid: body.uuid, body, photo_ids: [], sent_photos: [], posted: false, kind: 'skip',
        endpoint: '/api/today/skips', state: 'waiting', user_id: user, site_name: `${t('today_skip')} · ${s.name}`,
        site: { id: s.site_id, name: s.name }, created_at: new Date().toISOString(), attempts: 0 });
      requestSync();
      draw();
    };
    box.replaceChildren(h('label', { for: reason.id }, t('today_skip_reason')), reason, note, h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger skip-confirm', onclick: confirm }, t('today_skip')),
      h('button', { type: 'button', class: 'secondary', onclick: () => box.replaceChildren() }, t('today_cancel'))));
  }

  function card(s, i, todo) {
    const box = h('div');
    const label = (code) => (day.skip_reasons.find((r) => r.code === code) || {}).label || code;
    return h('section', { class: `card stop ${s.status}${todo ? '' : ' muted'}`, 'data-site-id': s.site_id, 'data-status': s.status },
      h('div', { class: 'row' }, todo ? h('span', { class: 'badge-count stop-order' }, String(s.order)) : '',
        h('strong', { class: 'grow' }, s.name), todo ? h('span', { class: 'distance' }, fmtDistance(s.leg_m)) : ''),
      h('div', { class: 'small-text' }, s.kind_labels.map((l, k) => h('span', {
        class: `tag${s.kinds[k] === 'follow_up_overdue' ? ' veto' : ''}` }, l)), ' ', t(`phase_${s.phase}`)),
      h('div', { class: 'small-text reasons' }, s.reasons.map((r) => r.text).join(' · ')),
      s.skip ? h('div', { class: 'small-text muted' }, label(s.skip.reason), s.skip.note ? ` · ${s.skip.note}` : '',
        s.skip.pending ? ` · ${t('today_queued')}` : '') : '',
      s.queued ? h('div', { class: 'small-text muted' }, t('today_queued')) : '',
      todo ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'stop-start', onclick: () => start(s) }, t('today_start')),
        h('button', { type: 'button', class: 'secondary stop-up', 'aria-label': t('today_up'), disabled: i === 0,
          onclick: () => move(todo, i, i - 1) }, '↑'),
        h('button', { type: 'button', class: 'secondary stop-down', 'aria-label': t('today_down'),
          disabled: i === todo.length - 1, onclick: () => move(todo, i, i + 1) }, '↓'),
        h('button', { type: 'button', class: 'secondary stop-skip', onclick: () => skipForm(s, box) }, t('today_skip'))) : '',
      box);
  }

  await draw();
  // Planned again from the first fix, or after a move of 300 m.
  let busy = false;
  const replan = async () => {
    const fix = gpsState().last;
    const from = day.position;
    if (busy || !fix || got.offline || (from && distanceM(fix.lat, fix.lon, from.lat, from.lon) < 300)) return;
    busy = true;
    try { const g = await loadDay(user); if (g && !g.offline) { show(g); await draw(); } } catch { /* keep the list */ }
    busy = false;
  };
  const off = onGps(replan);
  replan();
  return off;
}
