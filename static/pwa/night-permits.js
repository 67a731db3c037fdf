// 夜间施工证明 on the phone: the permits of the inspector's sites are fetched with the site list and kept
// in IndexedDB, so at the gate at night, offline, the permit item of the form shows the permits that allow
// work now (number, issuing office, hours). Whether a permit covers a moment is judged as on the server
// (inspect_app/nightwork/rules.py): dates are nights, and the hours after midnight of 22:00–06:00 belong
// to the night that began the evening before.
import { api, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { h, fmtTime } from './ui.js';
import { inHours, localParts } from './rules.js';

export const PERMIT_ITEM = 'night_work_permit';
const KEY = 'night-permits';


// Fetch the current permits of the user's sites and keep them; offline, the kept copy stays.
export async function refreshNightPermits() {
  try {
    const res = await api('/api/night-permits');
    const session = getSession();
    await store.put('kv', { user_id: session && session.user.id, items: res.items || [], at: new Date().toISOString() }, KEY);
  } catch { /* offline or an older server: the kept copy (if any) is used */ }
}

function addDays(ymd, days) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// The permit allows work at ``date`` (Asia/Shanghai), as rules.covers on the server.
export function permitCovers(permit, date = new Date()) {
  if (permit.revoked_at && new Date(permit.revoked_at) <= date) return false;
  const p = localParts(date);
  const { start_time: start, end_time: end } = permit;
  if (!inHours({ start_time: start, end_time: end }, p.hm)) return false;
  const today = `${p.year}-${p.md}`;
  const wraps = end !== '24:00' && end <= start;
  const night = wraps && p.hm < end ? addDays(today, -1) : today;
  return permit.valid_from <= night && night <= permit.valid_to;
}

export async function permitsValidNow(siteId, date = new Date()) {
  const kept = await store.get('kv', KEY);
  const session = getSession();
  if (!kept || !session || kept.user_id !== session.user.id) return null; // only the permits this user fetched
  return { at: kept.at, items: kept.items.filter((x) => x.site_id === siteId && permitCovers(x, date)) };
}

// Shown under the permit item of a site's form (null for every other item).
export function permitPanel(item, draft) {
  if (item.key !== PERMIT_ITEM || !draft.site) return null;
  const box = h('div', { class: 'night-permits small-text', id: 'night-permits', 'aria-live': 'polite' });
  permitsValidNow(draft.site.id).then((kept) => {
    if (!kept) { box.replaceChildren(h('p', { class: 'notice warn' }, t('night_permits_never'))); return; }
    box.replaceChildren(
      h('strong', {}, t('night_permits_title')),
      kept.items.length
        ? h('ul', { class: 'plain' }, kept.items.map((x) => h('li', { class: 'night-permit', 'data-permit-id': x.id },
          t('night_permit_line', { number: x.number, office: x.issuing_office, from: x.start_time, to: x.end_time }),
          x.works ? ` · ${x.works}` : '')))
        : h('p', { class: 'notice attn' }, t('night_permits_none')),
      h('p', { class: 'muted' }, t('night_permits_updated', { time: fmtTime(kept.at) })));
  }).catch(() => {});
  return box;
}
