// 夜间施工证明 kept offline with the site list; beside the night permit item, the site's permits valid now.
// Judged as on the server (nightwork/rules.py): dates are nights; after midnight is the evening before's night.
import { api, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { h, fmtTime } from './ui.js';
import { inHours, localParts } from './rules.js';

const KEY = 'night-permits';
const me = () => getSession()?.user.id;

export async function refreshNightPermits() {
  try {
    const res = await api('/api/night-permits');
    await store.put('kv', { user_id: me(), items: res.items || [], at: new Date().toISOString() }, KEY);
  } catch { /* offline: the kept copy stays */ }
}

export function permitCovers(x, date = new Date()) {
  if (x.revoked_at && new Date(x.revoked_at) <= date) return false;
  const { hm } = localParts(date);
  if (!inHours(x, hm)) return false;
  const wraps = x.end_time !== '24:00' && x.end_time <= x.start_time && hm < x.end_time;
  const p = localParts(wraps ? new Date(date - 864e5) : date);
  const night = `${p.year}-${p.md}`;
  return x.valid_from <= night && night <= x.valid_to;
}

export async function permitsValidNow(siteId, date = new Date()) {
  const kept = await store.get('kv', KEY);
  if (!kept || kept.user_id !== me()) return null; // only what this user fetched
  return { at: kept.at, items: kept.items.filter((x) => x.site_id === siteId && permitCovers(x, date)) };
}

export function permitPanel(item, draft) {
  if (item.key !== 'night_work_permit' || !draft.site) return null;
  const box = h('div', { class: 'night-permits small-text', id: 'night-permits', 'aria-live': 'polite' });
  permitsValidNow(draft.site.id).then((kept) => box.replaceChildren(...(!kept ? [h('p', { class: 'notice warn' }, t('night_permits_never'))] : [
    h('strong', {}, t('night_permits_title')),
    kept.items.length ? h('ul', { class: 'plain' }, kept.items.map((x) => h('li', { class: 'night-permit', 'data-permit-id': x.id },
      t('night_permit_line', { number: x.number, office: x.issuing_office, from: x.start_time, to: x.end_time }), x.works ? ` · ${x.works}` : '')))
      : h('p', { class: 'notice attn' }, t('night_permits_none')),
    h('p', { class: 'muted' }, t('night_permits_updated', { time: fmtTime(kept.at) }))]))).catch(() => {});
  return box;
}
