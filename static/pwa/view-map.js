// The inspector's map (地图): sites around the phone coloured by last grade, the phone's position and
// today's route (GET /api/today) as a numbered line; tapping a site offers to start its inspection.
// Loaded on demand (not in the precached shell). Without tiles it says so, and the list (巡查) works as
// before; the points are kept on the phone, so a map opened offline still shows where the sites are.
import { api, ApiError, getSession } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { distanceM, localParts } from './rules.js';
import { fmtDistance, fmtTime, h, mount, toast } from './ui.js';
import { gpsState, onGps, startGps } from './gps.js';
import { startDraft } from './drafts.js';
import { createMap, gradeName, legend, loadLeaflet, meMarker, routeLayer, siteMarker, tilesMessage } from './maplayer.js';
import { toTileDatum } from './geo.js';

const NEARBY = 300; // sites drawn around the inspector
const CACHE_KEY = 'map-sites';

// The map points of the inspector's units nearest the phone, from the server or else as last kept.
async function mapPoints(fix) {
  const params = new URLSearchParams({ limit: String(NEARBY) });
  if (fix) { params.set('lat', fix.lat); params.set('lon', fix.lon); }
  try {
    const data = await api(`/api/map/sites?${params}`);
    await store.put('kv', { ...data, at: new Date().toISOString(), user_id: getSession().user.id }, CACHE_KEY);
    return { data, cachedAt: null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    const cached = await store.get('kv', CACHE_KEY);
    // Only this user's points: another inspector's units may differ.
    if (!cached || cached.user_id !== getSession().user.id) throw err;
    return { data: cached, cachedAt: cached.at };
  }
}

// Today's stops still to visit, in route order: from GET /api/today (今日任务; asked from the phone's
// position), else the day the today screen kept on the phone; in the order the inspector moved them to
// on that screen, if they did (its 'today-order'), else the server's.
async function todayRoute(fix) {
  const user = getSession().user.id;
  let day = null;
  try {
    day = await api(`/api/today${fix ? `?lat=${fix.lat}&lon=${fix.lon}` : ''}`);
  } catch {
    const kept = await store.get('kv', 'today').catch(() => null);
    const p = localParts();
    if (kept && kept.user === user && kept.data && kept.data.date === `${p.year}-${p.md}`) day = kept.data; // as view-today.js keeps it
  }
  const stops = ((day && day.stops) || [])
    .filter((s) => (s.status || 'todo') === 'todo' && Number.isFinite(s.lat) && Number.isFinite(s.lon))
    .sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9));
  const moved = await store.get('kv', 'today-order').catch(() => null);
  if (moved && moved.user_id === user && moved.date === day?.date && Array.isArray(moved.order)) {
    const rank = new Map(moved.order.map((id, i) => [id, i]));
    stops.sort((a, b) => (rank.get(a.site_id) ?? 1e9) - (rank.get(b.site_id) ?? 1e9));
  }
  let total = 0;
  stops.forEach((stop, i) => {
    const prev = i ? stops[i - 1] : fix;
    if (prev) total += distanceM(prev.lat, prev.lon, stop.lat, stop.lon);
  });
  return { stops, total };
}

export async function mapView({ go }) {
  startGps();
  const status = h('p', { id: 'map-status', class: 'small-text muted', 'aria-live': 'polite' }, t('loading'));
  const message = tilesMessage();
  const box = h('div', { id: 'map', class: 'map', role: 'application', 'aria-label': t('map_title') });
  const legendSlot = h('div', {});
  const routeLine = h('p', { id: 'map-route', class: 'small-text', hidden: true });
  mount(
    h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('map_title')),
      h('a', { class: 'btn secondary', href: '#/sites', id: 'map-to-list' }, t('map_to_list'))),
    status, message, routeLine, box, legendSlot,
  );

  let L;
  let points;
  try {
    [L, points] = await Promise.all([loadLeaflet(), mapPoints(gpsState().last)]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return null; }
    status.textContent = '';
    message.hidden = false;
    message.textContent = t(navigator.onLine ? 'map_not_loaded' : 'map_not_offline');
    box.hidden = true;
    return null;
  }
  const { data, cachedAt } = points;
  const drawn = createMap(L, box, data.tiles, message);
  const { map } = drawn;
  const sites = data.items || [];

  async function open(site) {
    try {
      const draft = await startDraft({ id: site.site_id, name: site.name, phase: site.phase, status: site.status, contractor: site.contractor });
      go(`inspect/${draft.uuid}`);
    } catch (err) {
      toast(err.message || t('error_generic'));
    }
  }
  const popup = (site) => h('div', { class: 'map-popup', 'data-site-id': site.site_id },
    h('strong', {}, site.name),
    h('div', { class: 'small-text' }, gradeName(site), site.score != null ? ` · ${Math.round(site.score * 10) / 10}` : '',
      site.last_inspected_at ? ` · ${fmtTime(site.last_inspected_at)}` : ''),
    site.status === 'suspended' ? h('div', { class: 'small-text bad' }, t('site_suspended', { number: site.suspension_order_number || '' })) : null,
    site.open_violations ? h('div', { class: 'small-text' }, t('open_violations', { n: site.open_violations })) : null,
    site.distance_m != null ? h('div', { class: 'small-text' }, fmtDistance(site.distance_m)) : null,
    h('button', { type: 'button', class: 'map-start', onclick: () => open(site) }, t('map_start_inspection')));

  L.layerGroup(sites.map((site) => siteMarker(L, drawn, site, popup))).addTo(map);
  legendSlot.replaceChildren(legend(sites));
  status.textContent = cachedAt ? t('map_cached', { time: fmtTime(cachedAt) }) : t('map_count', { n: sites.length });

  let me = null;
  const showMe = () => {
    const fix = gpsState().last;
    if (!fix) return;
    if (me) me.setLatLng(toTileDatum(fix.lat, fix.lon, drawn.datum)); else me = meMarker(L, drawn, fix).addTo(map);
  };
  showMe();
  const fix = gpsState().last;
  const nearest = sites.slice(0, 12).map((s) => [s.lat, s.lon]);
  const frame = (fix ? [[fix.lat, fix.lon], ...nearest] : nearest).map(([a, b]) => toTileDatum(a, b, drawn.datum));
  if (frame.length) map.fitBounds(frame, { padding: [24, 24], maxZoom: 16 }); else map.setView(toTileDatum(40.82, 111.65, drawn.datum), 13); // 回民区

  const { stops, total } = await todayRoute(fix);
  if (stops.length) {
    routeLayer(L, drawn, stops).addTo(map);
    routeLine.hidden = false;
    routeLine.textContent = t('map_route', { n: stops.length, total: fmtDistance(total) });
  }
  const off = onGps(showMe);
  return () => { off(); map.remove(); };
}
