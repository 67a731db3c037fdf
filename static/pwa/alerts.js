// Heavy-pollution alerts (重污染天气预警) on the phone: fetched with the checklists, kept in IndexedDB for
// offline use. The banner and the form's alert items are decided from this copy, at the moment a form is
// started (as the server decides by the inspection's start).
import * as store from './db.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { fmtTime, h } from './ui.js';

const LEVELS = ['blue', 'yellow', 'orange', 'red'];
let cache = [];

// What binds the caller's units now or later today; the cached copy when offline.
export async function loadAlerts({ refresh = false } = {}) {
  const cached = await store.get('kv', 'alerts');
  if (cached) cache = cached.data.alerts || [];
  if (cached && !refresh) return cache;
  try {
    const data = await api('/api/alerts/active');
    await store.put('kv', { data, fetched_at: new Date().toISOString() }, 'alerts');
    cache = data.alerts || [];
  } catch { /* offline: keep the cached copy */ }
  return cache;
}

export function knownAlerts() { return cache; }

const inForce = (a, date) => new Date(a.starts_at) <= date && date < new Date(a.effective_end);
const binds = (a, unitId) => a.scope === 'district' || (unitId != null && (a.unit_ids || []).includes(unitId));

// The alert binding a unit at a moment: the highest level in force (null: none). unitId null is a
// truck on the road: district-wide alerts only. Any unit: 'any' (the banner).
export function bindingAlert(alerts, unitId, date = new Date()) {
  let best = null;
  for (const a of alerts || []) {
    if (!inForce(a, date) || (unitId !== 'any' && !binds(a, unitId))) continue;
    if (!best || LEVELS.indexOf(a.level) > LEVELS.indexOf(best.level)) best = a;
  }
  return best;
}

// What a draft keeps of the alert it was composed under (the form says why its alert items are there).
export function draftAlert(alert) {
  return alert ? { level: alert.level, notice_number: alert.notice_number, until: alert.effective_end } : null;
}

export function alertText(alert, key) {
  return t(key, { level: t(`alert_level_${alert.level}`), number: alert.notice_number,
    until: fmtTime(alert.until || alert.effective_end) });
}

export function alertBanner(date = new Date(), link = null) {
  const alert = bindingAlert(cache, 'any', date);
  if (!alert) return null;
  return h('div', { class: `banner alert-${alert.level}`, id: 'alert-banner', 'data-level': alert.level, role: 'status' },
    h('span', { class: 'grow' }, alertText(alert, 'alert_banner')),
    link ? h('a', { href: link, class: 'banner-link' }, t('alert_banner_open')) : null);
}
