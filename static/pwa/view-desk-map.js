// The supervisor's map (工地地图): every open site of their units coloured by last grade, with its open
// violations and suspended sites marked 停; filter by unit; a tap shows the site and links to its page.
// Loaded on demand with the desk screens; the tiles' failure is stated, the scorecards list still works.
import { api, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { fmtTime, h, mount, pick } from './ui.js';
import { createMap, gradeName, legend, loadLeaflet, siteMarker, tilesMessage } from './maplayer.js';
import { toTileDatum } from './geo.js';

const LIMIT = 2000;

export async function deskMapView({ go }) {
  const status = h('p', { id: 'map-status', class: 'small-text muted', 'aria-live': 'polite' }, t('loading'));
  const message = tilesMessage();
  const unit = h('select', { id: 'map-unit' }, h('option', { value: '' }, t('map_all_units')));
  const box = h('div', { id: 'map', class: 'map desk-map', role: 'application', 'aria-label': t('nav_sitemap') });
  const legendSlot = h('div', {});
  mount(
    h('div', { class: 'row' }, h('h2', { class: 'grow' }, t('nav_sitemap')),
      h('a', { class: 'btn secondary', href: '#/scorecards', id: 'map-to-list' }, t('map_to_scorecards'))),
    h('label', { for: 'map-unit' }, t('unit_label')), unit,
    status, message, box, legendSlot,
  );
  let L;
  let data;
  try {
    [L, data] = await Promise.all([loadLeaflet(), api(`/api/map/sites?limit=${LIMIT}`)]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return null; }
    status.textContent = '';
    message.hidden = false;
    message.textContent = t(navigator.onLine ? 'map_not_loaded' : 'map_not_offline');
    box.hidden = true;
    return null;
  }
  const drawn = createMap(L, box, data.tiles, message);
  const { map } = drawn;
  const all = data.items || [];
  const units = new Map((getSession().user.units || []).map((u) => [u.code, u]));
  all.forEach((s) => units.set(s.unit.code, s.unit));
  unit.append(...[...units.values()].map((u) => h('option', { value: u.code }, pick(u, 'name'))));

  const popup = (site) => h('div', { class: 'map-popup', 'data-site-id': site.site_id },
    h('strong', {}, site.name),
    h('div', { class: 'small-text' }, pick(site.unit, 'name'), site.contractor ? ` · ${site.contractor}` : ''),
    h('div', { class: 'small-text' }, gradeName(site), site.score != null ? ` · ${Math.round(site.score * 10) / 10}` : '',
      site.last_inspected_at ? ` · ${fmtTime(site.last_inspected_at)}` : ''),
    site.status === 'suspended' ? h('div', { class: 'small-text bad' }, t('map_suspended_order', { number: site.suspension_order_number || '' })) : null,
    h('div', { class: `small-text${site.overdue_violations ? ' bad' : ''}` },
      t('map_open_violations', { n: site.open_violations, overdue: site.overdue_violations })),
    h('a', { class: 'btn', href: `#/site/${site.site_id}` }, t('map_open_site')));

  let layer = null;
  function draw() {
    const sites = unit.value ? all.filter((s) => s.unit.code === unit.value) : all;
    if (layer) layer.remove();
    layer = L.layerGroup(sites.map((site) => siteMarker(L, drawn, site, popup))).addTo(map);
    legendSlot.replaceChildren(legend(sites));
    const violations = sites.reduce((n, s) => n + s.open_violations, 0);
    status.textContent = t('map_desk_count', { n: sites.length, v: violations }) + (data.truncated ? ` ${t('map_truncated', { n: LIMIT })}` : '');
    const frame = sites.map((s) => toTileDatum(s.lat, s.lon, drawn.datum));
    if (frame.length) map.fitBounds(frame, { padding: [24, 24], maxZoom: 16 }); else map.setView(toTileDatum(40.82, 111.65, drawn.datum), 12);
  }
  unit.addEventListener('change', draw);
  draw();
  return () => map.remove();
}
