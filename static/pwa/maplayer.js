// What both maps share: Leaflet loaded on demand (vendor/, never in the precached shell; the service
// worker keeps it once a map has opened), the configured tiles with a visible message when they cannot
// load, and site markers placed in the tiles' datum (GCJ-02 for Amap) and coloured by last grade.
// Leaflet only sets element styles through the DOM (CSSOM), which the app's CSP allows; markers are
// built with h(), never from HTML text.
import { t } from './i18n.js';
import './i18n-map.js'; // the maps' words join the catalogue
import { h } from './ui.js';
import { toTileDatum } from './geo.js';

const LEAFLET_JS = new URL('./vendor/leaflet.js', import.meta.url).href;
const LEAFLET_CSS = new URL('./vendor/leaflet.css', import.meta.url).href;
const MAP_CSS = new URL('./map.css', import.meta.url).href;
export const GRADES = ['excellent', 'pass', 'fail', 'none'];

let loading = null;

function attach(tag, attrs) {
  return new Promise((resolve, reject) => {
    const el = document.createElement(tag);
    Object.assign(el, attrs);
    el.onload = () => resolve();
    el.onerror = () => { el.remove(); reject(new Error(`${attrs.src || attrs.href} not loaded`)); };
    document.head.append(el);
  });
}

// window.L once Leaflet and the map styles are in; rejects offline before a map was ever opened.
export function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!loading) {
    loading = Promise.all([
      attach('link', { rel: 'stylesheet', href: LEAFLET_CSS }),
      attach('link', { rel: 'stylesheet', href: MAP_CSS }),
      attach('script', { src: LEAFLET_JS }),
    ]).then(() => window.L).catch((err) => { loading = null; throw err; });
  }
  return loading;
}

// Leaflet writes the attribution as HTML: the configured text goes in escaped.
const escapeText = (text) => String(text || '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// A map in `el` with the configured tiles. `message` is shown (and hidden) as tiles fail or load:
// offline, or the tile server unreachable, the map says so instead of staying grey.
export function createMap(L, el, tiles, message) {
  const map = L.map(el, { zoomControl: true, minZoom: 3, maxZoom: 18 });
  map.attributionControl.setPrefix(false);
  el.leafletMap = map; // for the browser tests, which read marker positions through it
  const layer = L.tileLayer(tiles.url, {
    subdomains: tiles.subdomains || 'abc', attribution: escapeText(tiles.attribution), maxZoom: 18,
  });
  let failed = 0;
  const show = (bad) => { message.hidden = !bad; el.classList.toggle('tiles-failed', bad); };
  layer.on('loading', () => { failed = 0; });
  layer.on('tileerror', () => { failed += 1; show(true); });
  layer.on('load', () => show(failed > 0));
  layer.addTo(map);
  if (!navigator.onLine) show(true);
  return { map, datum: tiles.datum || 'GCJ02' };
}

export function tilesMessage() {
  return h('p', { id: 'map-tiles-failed', class: 'notice warn', role: 'status', hidden: true }, t('map_tiles_failed'));
}

export const gradeOf = (site) => (!site.grade ? 'none' : GRADES.includes(site.grade) ? site.grade : 'other');

export function gradeName(site) {
  const g = gradeOf(site);
  if (g === 'none') return t('map_grade_none');
  return site.grade_label || (g === 'other' ? site.grade : t(`grade_${g}`));
}

// A site's marker: a dot coloured by last grade, ringed and marked 停 when suspended, with the number
// of open violations; at the site's position converted to the tiles' datum. `popup` builds what a tap
// opens (an element).
export function siteMarker(L, { datum }, site, popup) {
  const [lat, lon] = toTileDatum(site.lat, site.lon, datum);
  const suspended = site.status === 'suspended';
  const pin = h('div', {
    class: `map-pin grade-${gradeOf(site)}${suspended ? ' suspended' : ''}${site.overdue_violations ? ' overdue' : ''}`,
    'data-site-id': site.site_id, 'data-lat': lat.toFixed(7), 'data-lon': lon.toFixed(7),
  }, suspended ? h('span', { class: 'pin-stop' }, t('map_stop_mark')) : null,
  site.open_violations ? h('span', { class: 'pin-count' }, String(site.open_violations)) : null);
  const icon = L.divIcon({ html: pin, className: 'map-pin-box', iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14] });
  const marker = L.marker([lat, lon], { icon, title: site.name, alt: site.name, riseOnHover: true });
  marker.bindPopup(() => popup(site));
  return marker;
}

// The phone's own position (WGS-84 fix), in the tiles' datum.
export function meMarker(L, { datum }, fix) {
  const [lat, lon] = toTileDatum(fix.lat, fix.lon, datum);
  const icon = L.divIcon({ html: h('div', { class: 'map-me', 'data-lat': lat.toFixed(7), 'data-lon': lon.toFixed(7) }),
    className: 'map-me-box', iconSize: [22, 22], iconAnchor: [11, 11] });
  return L.marker([lat, lon], { icon, title: t('map_me'), alt: t('map_me'), zIndexOffset: 1000, interactive: false });
}

// Today's route: the stops in order joined by a line, each numbered. Stops are WGS-84 (GET /api/today).
export function routeLayer(L, { datum }, stops) {
  const points = stops.map((s) => toTileDatum(s.lat, s.lon, datum));
  const group = L.layerGroup();
  group.line = L.polyline(points, { className: 'route-line', weight: 4, opacity: 0.85 }).addTo(group);
  stops.forEach((stop, i) => {
    const icon = L.divIcon({ html: h('div', { class: 'route-stop', 'data-site-id': stop.site_id, 'data-order': i + 1 }, String(i + 1)),
      className: 'route-stop-box', iconSize: [24, 24], iconAnchor: [30, 34] }); // up and left of the site's pin (its count is up right)
    L.marker(points[i], { icon, title: `${i + 1}. ${stop.name || ''}`, zIndexOffset: 500, interactive: false }).addTo(group);
  });
  return group;
}

// The grades in words with their colours and how many sites have each (and how many are suspended).
export function legend(sites) {
  const count = (g) => sites.filter((s) => gradeOf(s) === g).length;
  const others = count('other');
  const suspended = sites.filter((s) => s.status === 'suspended').length;
  return h('ul', { id: 'map-legend', class: 'map-legend' },
    ...GRADES.map((g) => h('li', { 'data-grade': g }, h('span', { class: `swatch grade-${g}` }),
      `${g === 'none' ? t('map_grade_none') : t(`grade_${g}`)} ${count(g)}`)),
    others ? h('li', { 'data-grade': 'other' }, h('span', { class: 'swatch grade-other' }), `${t('map_grade_other')} ${others}`) : null,
    h('li', { 'data-grade': 'suspended' }, h('span', { class: 'swatch suspended' }), `${t('map_suspended')} ${suspended}`));
}
