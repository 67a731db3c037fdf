// Sites nearest first from the current position, search by name, filter by phase; open drafts on top.
import { api, ApiError, NetworkError } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { distanceM } from './rules.js';
import { fmtDistance, fmtTime, h, mount, toast } from './ui.js';
import { gpsState, onGps, retryGps, startGps } from './gps.js';
import { listDrafts, startDraft } from './drafts.js';
import { refreshNightPermits } from './night-permits.js';

const PHASES = ['earthwork', 'foundation', 'structure', 'decoration', 'demolition', 'idle'];

export async function sitesView({ go }) {
  startGps();
  const q = h('input', { id: 'site-search', type: 'search', autocomplete: 'off', placeholder: t('search_placeholder') });
  const phase = h('select', { id: 'site-phase' },
    h('option', { value: '' }, t('all_phases')), PHASES.map((p) => h('option', { value: p }, t(`phase_${p}`))));
  const gpsLine = h('p', { id: 'sites-gps', class: 'gps small-text' });
  const status = h('p', { id: 'sites-status', class: 'small-text muted', 'aria-live': 'polite' });
  const list = h('div', { id: 'site-list' });
  const drafts = h('div', { id: 'drafts' });
  let usedFix = null;
  let timer = null;

  async function open(site) {
    try {
      const draft = await startDraft(site);
      go(`inspect/${draft.uuid}`);
    } catch (err) {
      toast(err instanceof NetworkError ? t('forms_not_downloaded') : (err.message || t('error_generic')));
    }
  }

  function siteButton(site) {
    return h('button', { type: 'button', class: 'site card', 'data-site-id': site.id, onclick: () => open(site) },
      h('div', { class: 'row' },
        h('strong', { class: 'grow' }, site.name),
        site.distance_m != null ? h('span', { class: 'distance' }, fmtDistance(site.distance_m)) : null),
      h('div', { class: 'small-text' },
        h('span', { class: 'tag' }, t(`phase_${site.phase}`)),
        site.unit ? ` ${site.unit.name_zh || ''} · ` : ' ', site.contractor || ''),
      site.status === 'suspended' ? h('div', { class: 'small-text suspended bad' },
        h('span', { class: 'tag veto' }, t('site_suspended', { number: site.suspension_order_number || '' }))) : null,
      site.last_score != null ? h('div', { class: 'small-text last-score' }, t('last_score', { score: Math.round(site.last_score * 10) / 10 }),
        site.grade_label ? ` ${site.grade_label}` : '', site.last_inspected_at ? ` · ${fmtTime(site.last_inspected_at)}` : '') : null,
      site.open_violations ? h('div', { class: `small-text open-violations${site.overdue_violations ? ' bad' : ''}` },
        t('open_violations', { n: site.open_violations }),
        site.overdue_violations ? ` · ${t('overdue_violations', { n: site.overdue_violations })}` : '') : null);
  }

  function showGps() {
    const { last, problem } = gpsState();
    gpsLine.classList.toggle('bad', Boolean(problem));
    if (problem === 'denied') {
      gpsLine.replaceChildren(t('gps_denied_sites'), ' ', h('button', { type: 'button', class: 'secondary', onclick: retryGps }, t('gps_retry')));
    } else if (problem) gpsLine.textContent = t(`gps_${problem}`);
    else if (last) gpsLine.textContent = t('gps_position', { acc: Math.round(last.accuracy_m) });
    else gpsLine.textContent = t('gps_waiting');
  }

  async function load() {
    const fix = gpsState().last;
    usedFix = fix;
    const params = new URLSearchParams({ page_size: '100' });
    if (fix) { params.set('near', `${fix.lat},${fix.lon}`); params.set('datum', 'WGS84'); }
    if (q.value.trim()) params.set('q', q.value.trim());
    if (phase.value) params.set('phase', phase.value);
    status.textContent = t('loading');
    try {
      const page = await api(`/api/sites?${params}`);
      await addSummaries(page.items);
      if (!q.value.trim() && !phase.value) {
        await store.put('kv', { items: page.items, at: new Date().toISOString() }, 'sites');
        refreshNightPermits(); // kept with the sites, for the night item offline
      }
      render(page.items);
      status.textContent = t('sites_count', { n: page.total });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { go('login'); return; }
      const cached = await store.get('kv', 'sites');
      if (!cached) { status.textContent = t('sites_offline_none'); list.replaceChildren(); return; }
      const term = q.value.trim();
      let items = cached.items.filter((s) => (!term || s.name.includes(term)) && (!phase.value || s.phase === phase.value));
      if (fix) {
        items = items.map((s) => ({ ...s, distance_m: distanceM(fix.lat, fix.lon, s.lat, s.lon) }))
          .sort((a, b) => a.distance_m - b.distance_m);
      }
      render(items);
      status.textContent = t('sites_offline_cached', { time: fmtTime(cached.at) });
    }
  }

  // Last score and open violations per site, when the server offers them (older servers do not).
  async function addSummaries(items) {
    if (!items.length) return;
    try {
      const res = await api(`/api/sites/summaries?ids=${items.map((s) => s.id).join(',')}`);
      const by = new Map((res.items || []).map((x) => [x.site_id, x]));
      for (const site of items) {
        const x = by.get(site.id);
        if (x) Object.assign(site, { last_score: x.last_score, grade_label: x.grade_label, last_inspected_at: x.last_inspected_at,
          open_violations: x.open_violations, overdue_violations: x.overdue_violations });
      }
    } catch { /* no summaries: the list still works */ }
  }

  function render(items) {
    list.replaceChildren(...(items.length ? items.map(siteButton) : [h('p', {}, t('no_sites'))]));
  }

  async function showDrafts() {
    const open = await listDrafts();
    drafts.replaceChildren(open.length ? h('h2', {}, t('drafts_title')) : '', ...open.map((d) => {
      const answered = Object.values(d.answers).filter((a) => a.outcome).length;
      return h('button', { type: 'button', class: 'site card draft', 'data-draft': d.uuid, onclick: () => go(`inspect/${d.uuid}`) },
        h('strong', {}, d.site.name), h('div', { class: 'small-text' },
          t('draft_progress', { done: answered, total: d.items.length }), ' · ', fmtTime(d.updated_at),
          d.supersedes ? ` · ${t('resubmission')}` : ''));
    }));
  }

  const schedule = () => { clearTimeout(timer); timer = setTimeout(load, 300); };
  q.addEventListener('input', schedule);
  phase.addEventListener('change', load);

  // 今日复查 / 已逾期 and 投诉任务 on the home, from modules loaded beside the shell (warmed at login by
  // app.js; nothing shows if they are not there yet)
  const followUps = h('div', { id: 'follow-ups-slot' });
  import('./view-followups.js').then((m) => followUps.replaceChildren(m.followUpCounts(go))).catch(() => {});
  const complaintTasks = h('div', { id: 'complaint-tasks-slot' });
  import('./view-complaint-tasks.js').then((m) => complaintTasks.replaceChildren(m.complaintTaskCounts(go))).catch(() => {});
  mount(
    followUps,
    complaintTasks,
    drafts,
    h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('sites_title')),
      h('a', { class: 'btn secondary', href: '#/map', id: 'open-map' }, t('map_open'))),
    gpsLine,
    h('label', { for: 'site-search' }, t('search_label')), q,
    h('label', { for: 'site-phase' }, t('phase_label')), phase,
    status, list,
  );
  let loaded = false;
  const off = onGps(() => {
    showGps();
    // The first fix (or a move of more than 200 m) re-sorts the list.
    const fix = gpsState().last;
    if (loaded && fix && (!usedFix || distanceM(fix.lat, fix.lon, usedFix.lat, usedFix.lon) > 200)) load();
  });
  showGps();
  await showDrafts();
  await load();
  loaded = true;
  showGps();
  if (gpsState().last && !usedFix) load(); // the first fix arrived while the list was loading
  return () => { off(); clearTimeout(timer); };
}
