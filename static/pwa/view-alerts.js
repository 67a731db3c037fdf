// 重污染天气预警 at the desk: while an alert is in force, per unit, what the inspection office needs within
// hours (active sites, inspected since it began, found working against it, open alert violations), refreshed
// every minute while the page is visible; the alert report (XLSX); and declaring an alert.
import { api, apiBlob, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { fmtTime, h, mount, pick } from './ui.js';
import { isoLocal } from './rules.js';

const POLL_MS = 60 * 1000;
const LEVELS = ['blue', 'yellow', 'orange', 'red'];
const FIGURES = ['active_sites', 'inspected_sites', 'working_sites', 'open_violations'];

function levelTag(level) {
  return h('span', { class: `tag alert-${level}` }, t('alert_level_label', { level: t(`alert_level_${level}`) }));
}

async function download(alert, status) {
  try {
    const { blob, name } = await apiBlob(`/api/alert-reports/${alert.id}/xlsx`);
    const a = h('a', { href: URL.createObjectURL(blob), download: name || `alert-report-${alert.id}.xlsx` });
    document.body.append(a); a.click(); a.remove();
    status.textContent = t('export_done', { name: a.download });
  } catch (err) { status.textContent = err.message || t('desk_offline'); }
}

function dashboardCard(report) {
  const { alert } = report;
  const status = h('p', { class: 'small-text', 'aria-live': 'polite' });
  const total = Object.fromEntries(FIGURES.map((f) => [f, report.units.reduce((sum, u) => sum + u[f], 0)]));
  const row = (name, u, id) => h('tr', id ? { 'data-unit-id': id } : { class: 'total' },
    h('th', { scope: 'row' }, name), FIGURES.map((f) => h('td', { 'data-figure': f }, String(u[f]))));
  return h('section', { class: 'card alert-dashboard', 'data-alert-id': alert.id },
    h('div', { class: 'row' }, levelTag(alert.level), h('strong', { class: 'grow' }, alert.notice_number)),
    h('p', { class: 'small-text' }, t('alert_period', { from: fmtTime(report.period_start), to: fmtTime(alert.effective_end) }),
      alert.note ? ` · ${alert.note}` : ''),
    h('table', { class: 'report alert-units' },
      h('thead', {}, h('tr', {}, h('th', {}, t('unit_label')), FIGURES.map((f) => h('th', {}, t(`alert_fig_${f}`))))),
      h('tbody', {}, report.units.map((u) => row(pick(u, 'name'), u, u.unit_id)), row(t('alert_total'), total))),
    h('p', { class: 'small-text muted' }, t('alert_refreshed', { time: fmtTime(new Date().toISOString()) })),
    h('button', { type: 'button', class: 'secondary alert-report', onclick: () => download(alert, status) }, t('alert_report_download')),
    status);
}

function declareForm(onDone) {
  const user = getSession().user;
  const now = new Date();
  const local = (d) => isoLocal(d).slice(0, 16);
  const level = h('select', { id: 'alert-level' }, LEVELS.map((l) => h('option', { value: l, selected: l === 'orange' }, t(`alert_level_${l}`))));
  const starts = h('input', { id: 'alert-starts', type: 'datetime-local', value: local(now), required: true });
  const ends = h('input', { id: 'alert-ends', type: 'datetime-local', value: local(new Date(now.getTime() + 72 * 3600 * 1000)), required: true });
  const number = h('input', { id: 'alert-number', required: true, maxlength: '80', placeholder: '呼重污染指办〔2026〕12号' });
  const note = h('input', { id: 'alert-note', maxlength: '2000' });
  const district = h('input', { id: 'alert-district', type: 'checkbox' });
  const units = (user.units || []).map((u) => h('label', {}, h('input', { type: 'checkbox', class: 'alert-unit', value: u.id, checked: true }), ' ', pick(u, 'name')));
  const msg = h('p', { role: 'alert' });
  const submit = async (event) => {
    event.preventDefault();
    const unitIds = [...document.querySelectorAll('.alert-unit:checked')].map((c) => Number(c.value));
    try {
      await api('/api/alerts', { method: 'POST', json: {
        level: level.value, starts_at: starts.value, ends_at: ends.value, notice_number: number.value.trim(),
        note: note.value.trim() || null, scope: district.checked ? 'district' : 'units', unit_ids: district.checked ? [] : unitIds } });
      msg.className = 'notice ok'; msg.textContent = t('alert_declared');
      onDone();
    } catch (err) { msg.className = 'notice warn'; msg.textContent = err.message || t('desk_offline'); }
  };
  return h('details', { class: 'card', id: 'alert-declare' }, h('summary', {}, t('alert_declare_title')),
    h('form', { onsubmit: submit },
      h('label', { for: 'alert-level' }, t('alert_level_field')), level,
      h('label', { for: 'alert-starts' }, t('alert_starts_field')), starts,
      h('label', { for: 'alert-ends' }, t('alert_ends_field')), ends,
      h('label', { for: 'alert-number' }, t('alert_number_field')), number,
      h('label', { for: 'alert-note' }, t('alert_note_field')), note,
      h('fieldset', {}, h('legend', {}, t('alert_scope_field')),
        h('label', {}, district, ' ', t('alert_scope_district')), units),
      h('button', { type: 'submit', class: 'wide' }, t('alert_declare_button')), msg));
}

export async function alertsView() {
  const box = h('div', { id: 'alert-dashboards', 'aria-live': 'polite' }, h('p', {}, t('loading')));
  const past = h('ul', { id: 'alert-history', class: 'plain' });
  async function load() {
    try {
      const [active, recent] = await Promise.all([api('/api/alerts?in_force=true&page_size=20'), api('/api/alerts?page_size=10')]);
      const reports = await Promise.all(active.items.map((a) => api(`/api/alert-reports/${a.id}`)));
      box.replaceChildren(...(reports.length ? reports.map(dashboardCard) : [h('p', { class: 'notice info', id: 'no-alert' }, t('alert_none'))]));
      past.replaceChildren(...recent.items.map((a) => {
        const status = h('span', { class: 'small-text' });
        return h('li', { class: 'card', 'data-alert-id': a.id }, levelTag(a.level), ' ', a.notice_number, ' · ',
          t('alert_period', { from: fmtTime(a.starts_at), to: fmtTime(a.effective_end) }), ' ',
          h('button', { type: 'button', class: 'secondary', onclick: () => download(a, status) }, t('alert_report_download')), status);
      }));
    } catch (err) { box.replaceChildren(h('p', { class: 'notice warn' }, err.message || t('desk_offline'))); }
  }
  const role = getSession().user.role;
  mount(h('h2', {}, t('alerts_title')), box, role === 'enforcement' ? null : declareForm(load),
    h('h3', {}, t('alert_history_title')), past);
  await load();
  // Refreshed without reloading while visible; a hidden page does not poll.
  let timer = null;
  const start = () => { if (!timer) timer = setInterval(load, POLL_MS); };
  const stop = () => { clearInterval(timer); timer = null; };
  const onVisibility = () => { if (document.visibilityState === 'hidden') stop(); else { load(); start(); } };
  document.addEventListener('visibilitychange', onVisibility);
  if (document.visibilityState !== 'hidden') start();
  return () => { stop(); document.removeEventListener('visibilitychange', onVisibility); };
}
