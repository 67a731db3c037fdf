// Desk roles (supervisors, 区城管执法局): home with waiting-work counts, rankings, weekly export.
import { api, apiBlob, ApiError, getSession, saveSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { fmtTime, h, mount, pick, toast } from './ui.js';
import { localParts } from './rules.js';

// Where each waiting-work count leads.
const COUNT_ROUTES = {
  inspections_to_review: 'review', cases_to_review: 'cases/pending_review', cases_referred_out: 'cases/referred_out',
  cases_to_accept: 'cases/approved', cases_to_decide: 'cases/accepted', cases_to_confirm: 'cases/decision_pending',
  complaints_overdue: 'complaints/overdue',
};

export async function homeView({ go }) {
  const user = getSession().user;
  const counts = h('div', { id: 'counts', class: 'grid', 'aria-live': 'polite' }, h('p', {}, t('loading')));
  const link = (route, label) => h('a', { class: 'btn secondary', href: `#/${route}` }, label);
  async function logout() {
    if (!window.confirm(t('logout_confirm'))) return;
    try { await api('/api/auth/logout', { method: 'POST' }); } catch { /* the token simply expires */ }
    await saveSession(null);
    go('login');
  }
  mount(
    h('h2', {}, t('home_title', { name: user.display_name || user.username })),
    counts,
    h('div', { class: 'actions' }, link('scorecards', t('nav_scorecards')), link('cases', t('nav_cases')),
      ['supervisor', 'admin'].includes(user.role) ? link('complaints', t('cmp_title')) : null,
      link('rank', t('rank_title')), link('export', t('export_title')),
      user.role !== 'enforcement' ? link('coverage', t('coverage_title')) : null),
    h('div', { class: 'actions' }, link('password', t('password_change_link')),
      h('button', { type: 'button', id: 'logout', class: 'secondary', onclick: logout }, t('logout_button'))),
  );
  try {
    const res = await api('/api/notifications/counts');
    counts.replaceChildren(...Object.entries(res.counts).map(([key, n]) => h('a', {
      class: `card count${n ? ' waiting' : ''}`, href: `#/${COUNT_ROUTES[key] || 'home'}`, 'data-count': key },
    h('strong', { class: 'big' }, String(n)), h('span', {}, t(`count_${key}`)))));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return; }
    counts.replaceChildren(h('p', { class: 'notice warn' }, t('desk_offline')));
  }
}

// The last complete ISO week in Asia/Shanghai, e.g. "2026-W47" on any day of week 48.
export function lastCompleteWeek(now = new Date()) {
  const p = localParts(now);
  const d = new Date(Date.UTC(+p.year, +p.month - 1, +p.day - 7));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3); // the Thursday decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d - Date.UTC(year, 0, 1)) / 86400000 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export async function exportView() {
  const week = h('input', { id: 'export-week', type: 'week', value: lastCompleteWeek(), required: true });
  const format = h('select', { id: 'export-format' }, ['xlsx', 'csv', 'geojson'].map((f) => h('option', { value: f }, f)));
  const status = h('p', { id: 'export-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'export-download', class: 'wide' }, t('export_download'));
  button.addEventListener('click', async () => {
    const w = week.value.trim().toUpperCase();
    if (!/^\d{4}-W\d{2}$/.test(w)) { status.className = 'notice attn'; status.textContent = t('export_bad_week'); return; }
    button.disabled = true;
    status.className = ''; status.textContent = t('export_working');
    try {
      const { blob, name } = await apiBlob(`/api/exports/weekly?week=${w}&format=${format.value}`);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: name || `export-${w}.${format.value}` });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.className = 'notice ok'; status.textContent = t('export_done', { name: a.download });
    } catch (err) {
      status.className = 'notice attn';
      status.textContent = err instanceof ApiError ? err.message || err.code : t('desk_offline');
    } finally { button.disabled = false; }
  });
  mount(h('h2', {}, t('export_title')), h('p', { class: 'small-text' }, t('export_explain')),
    h('label', { for: 'export-week' }, t('export_week')), week,
    h('label', { for: 'export-format' }, t('export_format')), format,
    h('div', { class: 'actions' }, button), status);
}

export async function rankView() {
  const by = h('select', { id: 'rank-by' }, ['contractor', 'unit'].map((v) => h('option', { value: v }, t(`rank_by_${v}`))));
  const list = h('ol', { id: 'rank-list', class: 'plain' });
  async function load() {
    list.replaceChildren(h('li', {}, t('loading')));
    try {
      const res = await api(`/api/scorecards/rankings?by=${by.value}&days=90`);
      list.replaceChildren(...(res.items.length ? res.items.map((r) => h('li', { class: 'card' },
        h('div', { class: 'row' }, h('strong', { class: 'grow' }, `${r.rank}. ${by.value === 'unit' ? pick(r.unit, 'name') : r.contractor}`),
          h('span', { class: 'big' }, r.avg_score != null ? String(Math.round(r.avg_score * 10) / 10) : '—')),
        h('div', { class: 'small-text' }, t('rank_line', { sites: r.sites, ins: r.inspections, v: r.violations, rep: r.repeat_violations }))))
        : [h('li', {}, t('none'))]));
    } catch (err) { list.replaceChildren(h('li', { class: 'notice warn' }, err.message || t('desk_offline'))); }
  }
  by.addEventListener('change', load);
  const offenders = h('section', { id: 'offenders', 'aria-labelledby': 'offenders-title' }, h('p', {}, t('loading')));
  const jump = h('button', { type: 'button', id: 'to-offenders', class: 'secondary',
    onclick: () => offenders.scrollIntoView({ block: 'start' }) }, t('offenders_jump'));
  mount(h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('rank_title')), jump),
    h('label', { for: 'rank-by' }, t('rank_by')), by, list, offenders);
  await Promise.all([load(), loadOffenders(offenders)]);
}

// Muck trucks and haulage companies failing roadside checks again and again (clause 11.2), for follow-up.
const OFFENDER_DAYS = 30;
async function loadOffenders(box) {
  const title = h('h2', { id: 'offenders-title' }, t('offenders_title', { days: OFFENDER_DAYS }));
  let res;
  try {
    res = await api(`/api/roadside/repeat-offenders?days=${OFFENDER_DAYS}&limit=20`);
  } catch (err) {
    box.replaceChildren(title, h('p', { class: 'notice warn' }, err.message || t('desk_offline')));
    return;
  }
  const counts = (r) => t('offender_counts', { failed: r.failed_checks, checks: r.checks, open: r.open_violations });
  const vehicle = (r, i) => h('li', { class: 'card offender', 'data-plate': r.plate },
    h('div', { class: 'row' }, h('strong', { class: 'grow plate' }, `${i + 1}. ${r.plate}`),
      h('span', { class: 'big', title: t('offender_failed_label') }, String(r.failed_checks))),
    h('div', {}, r.company_name || t(r.registered ? 'offender_no_company' : 'offender_unregistered')),
    h('div', { class: 'small-text' }, counts(r),
      r.last_failed_at ? ` · ${t('offender_last_failed', { time: fmtTime(r.last_failed_at) })}` : ''));
  const company = (c, i) => h('li', { class: 'card offender', 'data-company-id': c.company_id },
    h('div', { class: 'row' }, h('strong', { class: 'grow' }, `${i + 1}. ${c.company_name}`),
      h('span', { class: 'big', title: t('offender_failed_label') }, String(c.failed_checks))),
    h('div', { class: 'small-text' }, t('offender_vehicles', { n: c.vehicles }), ' · ', counts(c)));
  const list = (id, rows, item) => h('ol', { id, class: 'plain' }, rows.length ? rows.map(item) : h('li', {}, t('none')));
  box.replaceChildren(title,
    h('h3', {}, t('offender_vehicles_title')), list('offender-vehicles', res.vehicles, vehicle),
    h('h3', {}, t('offender_companies_title')), list('offender-companies', res.companies, company));
}

// 巡查覆盖: sites due, done, missed and pending in an ISO week, per unit (its coverage target, set here)
// and per inspector (the sites assigned to them); assigning sites to an inspector for days.
const FIGURES = ['due', 'done', 'missed', 'pending'];
const today = () => { const p = localParts(); return `${p.year}-${p.month}-${p.day}`; };
const figures = (row) => FIGURES.map((k) => h('td', { 'data-figure': k }, String(row[k])));
const failure = (err) => (err instanceof ApiError ? err.message || err.code : t('desk_offline'));

export async function coverageView({ go }) {
  const week = h('input', { id: 'coverage-week', type: 'week', value: lastCompleteWeek(new Date(Date.now() + 7 * 86400000)) });
  const units = h('div', { id: 'coverage-units' }, t('loading'));
  const people = h('div', { id: 'coverage-inspectors' });
  const assign = h('section', { id: 'assign', class: 'card' });
  let assignBuilt = false; // built once: reloading the figures must not undo what the supervisor is choosing
  mount(h('h2', {}, t('coverage_title')), h('p', { class: 'small-text' }, t('coverage_explain')),
    h('label', { for: 'coverage-week' }, t('export_week')), week, units, people, assign);

  async function load() {
    let res;
    try {
      res = await api(`/api/coverage?week=${encodeURIComponent(week.value.toUpperCase())}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { go('login'); return; }
      units.replaceChildren(h('p', { class: 'notice warn' }, failure(err)));
      return;
    }
    const head = (first) => h('tr', {}, h('th', {}, first), ...FIGURES.map((k) => h('th', {}, t(`coverage_${k}`))));
    units.replaceChildren(...res.units.map((u) => unitCard(u, head)));
    people.replaceChildren(h('h3', {}, t('coverage_by_inspector')), h('table', { class: 'coverage' },
      head(t('coverage_inspector')), ...res.inspectors.map((p) => h('tr', { 'data-inspector-id': p.inspector_id },
        h('td', {}, p.display_name, p.skips ? ` · ${t('coverage_skips', { n: p.skips })}` : ''), ...figures(p)))));
    if (!assignBuilt) { assignBuilt = true; assignForm(res.inspectors); }
  }

  function unitCard(u, head) {
    const every = h('input', { type: 'number', min: 1, max: 366, value: u.every_days, class: 'coverage-every', 'aria-label': t('coverage_every') });
    const save = async () => {
      try {
        await api(`/api/coverage-targets/${u.code}`, { method: 'PUT', json: { every_days: Number(every.value) } });
        toast(t('coverage_target_saved'));
        load();
      } catch (err) { toast(failure(err)); }
    };
    const missed = u.sites.filter((s) => s.status === 'missed');
    return h('section', { class: 'card coverage-unit', 'data-unit': u.code },
      h('h3', {}, pick(u, 'name')),
      h('div', { class: 'row' }, h('span', {}, t('coverage_every')), every,
        h('button', { type: 'button', class: 'secondary coverage-save', onclick: save }, t('coverage_save'))),
      h('table', { class: 'coverage' }, head(''), h('tr', {}, h('td', {}, t('coverage_sites')), ...figures(u))),
      missed.length ? h('p', { class: 'small-text bad coverage-missed' }, t('coverage_missed_sites'), missed.map((s) => s.name).join('、')) : null);
  }

  async function assignForm(inspectors) {
    let sites = [];
    try { sites = (await api('/api/sites?page_size=100')).items; } catch { /* the form says nothing can be chosen */ }
    const who = h('select', { id: 'assign-inspector' }, inspectors.map((p) => h('option', { value: p.inspector_id }, p.display_name)));
    const where = h('select', { id: 'assign-site' }, sites.map((s) => h('option', { value: s.id }, s.name)));
    const from = h('input', { id: 'assign-from', type: 'date', value: today() });
    const to = h('input', { id: 'assign-to', type: 'date', value: today() });
    const submit = async () => {
      try {
        await api('/api/assignments', { method: 'POST', json: { inspector_id: Number(who.value), site_ids: [Number(where.value)],
          start_on: from.value, end_on: to.value || from.value } });
        toast(t('assign_done', { site: where.selectedOptions[0].textContent, name: who.selectedOptions[0].textContent }));
        load();
      } catch (err) { toast(failure(err)); }
    };
    assign.replaceChildren(h('h3', {}, t('assign_title')),
      h('label', { for: who.id }, t('coverage_inspector')), who, h('label', { for: where.id }, t('assign_site')), where,
      h('label', { for: from.id }, t('assign_from')), from, h('label', { for: to.id }, t('assign_to')), to,
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'assign-submit', onclick: submit }, t('assign_button'))));
  }

  week.addEventListener('change', load);
  await load();
}
