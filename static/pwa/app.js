// Boot, navigation, banners and the service worker. Screens live in view-*.js.
// The inspector's screens are imported here and precached by sw.js (the app shell: everything needed
// to inspect sites and trucks offline). The desk screens are imported on first use (lazy below) and
// the service worker keeps them in the same versioned cache after that.
import { getSession, loadSession, onSession } from './api.js';
import * as store from './db.js';
import { applyStatic, getLang, setLang, t } from './i18n.js';
import { events as outboxEvents, outboxItems, requestSync, resetBackoff, syncState } from './outbox.js';
import { startGps } from './gps.js';
import { h, mount, toast } from './ui.js';
import { loadForms } from './drafts.js';
import { alertBanner, loadAlerts } from './alerts.js';
import { loginView } from './view-login.js';
import { sitesView } from './view-sites.js';
import { formView } from './view-form.js';
import { outboxView } from './view-outbox.js';
import { mineView } from './view-mine.js';
import { truckView } from './view-truck.js';

// A screen in a module loaded on demand. If it cannot be loaded (offline before it was ever opened,
// or the server already has a newer deployment than this page), the screen says so, and the service
// worker is asked to look for a new version: "new version available — reload" follows when there is one.
const lazy = (load, name) => async (ctx) => {
  let module;
  try {
    module = await load();
  } catch (err) {
    console.warn('screen not loaded', err);
    navigator.serviceWorker?.getRegistration().then((reg) => reg && reg.update()).catch(() => {});
    mount(h('div', { id: 'screen-unavailable', class: 'notice warn' },
      h('p', {}, t(navigator.onLine ? 'screen_load_failed' : 'screen_not_offline')),
      h('button', { type: 'button', onclick: () => location.reload() }, t('update_reload'))));
    return null;
  }
  cacheLazyModules();
  return module[name](ctx);
};
const desk = () => import('./view-desk.js');
const scorecards = () => import('./view-sc.js');
const cases = () => import('./view-cases.js');
// The maps load Leaflet themselves (maplayer.js), on first use only.
const inspectorMap = () => import('./view-map.js');
const deskMap = () => import('./view-desk-map.js');
const night = () => import('./view-night.js');
const alertDesk = () => import('./view-alerts.js'); // 重污染天气预警: dashboard, report, declaring
// 送达 (the signature pad and its screen) stays out of the install-time shell, but an inspector's phone
// loads it in the background as soon as it is online and logged in, so it opens offline at the site.
const serve = () => import('./view-serve.js');
// 投诉任务 (complaint tasks) likewise: warmed after login so the task page opens offline; and the fast form's
// extras (bulk pass and distance, photo annotation, the outbox's photo strip).
const complaintTasks = () => import('./view-complaint-tasks.js');
const followups = () => import('./view-followups.js'); // 复查: the same, to keep the precached shell < 150 KB
const complaints = () => import('./view-complaints.js');
const today = () => import('./view-today.js');
const admin = () => import('./view-admin.js'); // 管理: the registers, a section module each
const password = () => import('./view-password.js'); // 修改密码, forced after an admin set the password
const warmServe = () => {
  if (!navigator.onLine) return;
  Promise.all([serve(), complaintTasks(), followups(), today(), import('./form-extras.js'), import('./photo-annotate.js'), import('./photo-strip.js')])
    .then(cacheLazyModules).catch(() => {});
};

const ROUTES = {
  login: loginView, sites: sitesView, inspect: formView, outbox: outboxView, mine: mineView, truck: truckView, serve: lazy(serve, 'serveView'),
  followups: lazy(followups, 'followupsView'), map: lazy(inspectorMap, 'mapView'), sitemap: lazy(deskMap, 'deskMapView'), today: lazy(today, 'todayView'),
  ctasks: lazy(complaintTasks, 'complaintTasksView'), ctask: lazy(complaintTasks, 'complaintTaskView'),
  complaints: lazy(complaints, 'complaintsView'), complaint: lazy(complaints, 'complaintView'),
  coverage: lazy(desk, 'coverageView'),
  home: lazy(desk, 'homeView'), rank: lazy(desk, 'rankView'), export: lazy(desk, 'exportView'),
  scorecards: lazy(scorecards, 'scorecardsView'), site: lazy(scorecards, 'siteView'),
  insp: lazy(scorecards, 'inspectionView'), review: lazy(scorecards, 'reviewListView'),
  cases: lazy(cases, 'casesView'), case: lazy(cases, 'caseView'),
  'night-import': lazy(night, 'nightImportView'), alerts: lazy(alertDesk, 'alertsView'), admin: lazy(admin, 'adminView'),
  password: lazy(password, 'passwordView'),
};
// Each role's screens; the first is its home. Inspectors work in the field, the others at a desk.
const INSPECTOR = ['today', 'sites', 'truck', 'outbox', 'mine', 'inspect', 'serve', 'followups', 'map', 'ctasks', 'ctask'];
const DESK = ['home', 'scorecards', 'cases', 'review', 'site', 'insp', 'case', 'rank', 'export', 'sitemap', 'night-import',
  'complaints', 'complaint', 'alerts', 'coverage', 'admin'];
const ROLE_ROUTES = { inspector: INSPECTOR, supervisor: DESK, admin: DESK,
  enforcement: DESK.filter((r) => !['review', 'night-import', 'complaints', 'complaint', 'coverage', 'admin'].includes(r)) };
const NAV = {
  inspector: ['today', 'sites', 'truck', 'outbox', 'mine'],
  supervisor: ['home', 'scorecards', 'sitemap', 'cases', 'review', 'alerts', 'admin'],
  enforcement: ['home', 'cases', 'scorecards', 'alerts'],
};
NAV.admin = NAV.supervisor;
const NAV_OWNER = { map: 'sites', inspect: 'sites', serve: 'outbox', followups: 'sites', ctasks: 'sites', ctask: 'sites', site: 'scorecards',
  insp: 'review', case: 'cases', rank: 'home', export: 'home', 'night-import': 'scorecards', complaints: 'home', complaint: 'home', coverage: 'home',
  password: 'mine' };
const routesOf = (session) => ROLE_ROUTES[session.user.role] || INSPECTOR;
let cleanup = null;
let updateWorker = null;
let navOwner = null; // the tab shown as current

// The tab a screen belongs to: a checklist being filled is under 巡查, or under 渣土车 for a truck.
async function ownerOf(view, args) {
  if (view !== 'inspect') return NAV_OWNER[view] || view;
  const draft = args[0] ? await store.get('drafts', args[0]).catch(() => null) : null;
  return draft && draft.kind === 'truck' ? 'truck' : 'sites';
}

export function go(route) {
  if (location.hash === `#/${route}`) render(); else location.hash = `#/${route}`;
}

async function render() {
  const [name, ...args] = location.hash.replace(/^#\/?/, '').split('/');
  const session = getSession();
  let view = 'login';
  if (session) view = name === 'login' || name === 'password' || routesOf(session).includes(name) ? name : routesOf(session)[0];
  // A password an admin set must be replaced before anything else (the server refuses the rest meanwhile).
  if (session && session.user.must_change_password && view !== 'login') view = 'password';
  document.body.classList.toggle('desk', Boolean(session) && routesOf(session) !== INSPECTOR);
  if (cleanup) { try { cleanup(); } catch { /* a screen failing to clean up must not block the next */ } }
  cleanup = null;
  navOwner = await ownerOf(view, args);
  renderNav();
  cleanup = (await ROUTES[view]({ args, go })) || null;
  document.getElementById('main').focus({ preventScroll: true });
}

async function renderNav() {
  const nav = document.getElementById('nav');
  const session = getSession();
  nav.hidden = !session || Boolean(session.user.must_change_password);
  if (nav.hidden) return;
  const unsent = (await outboxItems()).filter((i) => i.state !== 'sent').length;
  const link = (route) => h('a', {
    href: `#/${route}`, 'aria-current': navOwner === route ? 'page' : null,
  }, t(`nav_${route}`), route === 'outbox' && unsent ? h('span', { class: 'badge-count', 'data-testid': 'outbox-count' }, String(unsent)) : null);
  nav.setAttribute('aria-label', t('nav_label'));
  nav.replaceChildren(...(NAV[session.user.role] || NAV.inspector).map(link));
}

function renderBanners() {
  const box = document.getElementById('banners');
  const banners = [];
  if (updateWorker) {
    banners.push(h('div', { class: 'banner info', id: 'update-banner' },
      h('span', { class: 'grow' }, t('update_available')),
      h('button', { type: 'button', onclick: applyUpdate }, t('update_reload'))));
  }
  if (getSession() && syncState.needsLogin) {
    banners.push(h('div', { class: 'banner attn', id: 'login-again-banner' },
      h('span', { class: 'grow' }, t('login_again_needed')),
      h('button', { type: 'button', onclick: () => go('login') }, t('login_again_button'))));
  }
  // 重污染天气预警 in force: on every screen (at the desk it opens the alert dashboard)
  const alert = getSession() ? alertBanner(new Date(), routesOf(getSession()) !== INSPECTOR ? '#/alerts' : null) : null;
  if (alert) banners.push(alert);
  if (syncState.offline) {
    banners.push(h('div', { class: 'banner warn', id: 'offline-banner' }, h('span', { class: 'grow' }, t('offline_banner'))));
  }
  box.replaceChildren(...banners);
}

function applyUpdate() {
  if (!updateWorker) return;
  sessionStorage.setItem('sw-update', '1');
  updateWorker.postMessage({ type: 'SKIP_WAITING' });
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.register('sw.js', { scope: './' });
  const offer = (worker) => { updateWorker = worker; renderBanners(); };
  // A new version waits until the inspector chooses to reload: old and new files are never mixed.
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (sessionStorage.getItem('sw-update')) { sessionStorage.removeItem('sw-update'); location.reload(); return; }
    cacheLazyModules(); // the first install has just taken control
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'sync-outbox') requestSync();
  });
  setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
}

async function boot() {
  // Without IndexedDB (some private modes, old WebViews) no draft can be kept: a sentence, not a blank screen.
  if (!window.indexedDB) {
    document.getElementById('main').hidden = true;
    document.getElementById('old-browser').hidden = false;
    return;
  }
  // The progress bar sticks just under the header, whatever the header's height in this language.
  const header = document.getElementById('top');
  new ResizeObserver(() => document.documentElement.style.setProperty('--header-h', `${header.offsetHeight}px`)).observe(header);
  await setLang((await store.get('kv', 'lang')) || 'zh-CN');
  applyStatic();
  await loadSession();
  document.getElementById('lang-switch').addEventListener('click', async () => {
    const next = getLang() === 'en' ? 'zh-CN' : 'en';
    await setLang(next);
    await store.put('kv', next, 'lang');
    applyStatic();
    renderBanners();
    render();
  });
  window.addEventListener('hashchange', render);
  window.addEventListener('online', () => { syncState.offline = false; renderBanners(); resetBackoff(); requestSync(); });
  window.addEventListener('offline', () => { syncState.offline = true; renderBanners(); });
  outboxEvents.addEventListener('change', () => { renderBanners(); renderNav(); });
  onSession((session) => {
    renderBanners();
    if (session) { askForPersistentStorage(); loadForms({ refresh: true }).then(renderBanners).catch(() => {}); requestSync(); }
    if (session && routesOf(session) === INSPECTOR) warmServe();
  });
  if (getSession()) await loadAlerts();
  renderBanners();
  setInterval(renderBanners, 60 * 1000); // an alert's banner goes when the alert ends
  await render();
  if (getSession()) {
    askForPersistentStorage();
    if (routesOf(getSession()) === INSPECTOR) { startGps(); warmServe(); }
    if (navigator.onLine) loadForms({ refresh: true }).then(renderBanners).catch(() => {});
  }
  requestSync();
  registerServiceWorker().catch((err) => console.warn('service worker not registered', err));
  document.documentElement.dataset.ready = '1';
  performance.mark('app-usable');
}

// Ask the browser not to evict IndexedDB (drafts, outbox, photos) under storage pressure.
async function askForPersistentStorage() {
  if (!navigator.storage || !navigator.storage.persist) return;
  try {
    if (await navigator.storage.persisted()) return;
    if (!(await navigator.storage.persist()) && (await outboxItems()).length) {
      toast(t('storage_not_persistent'));
    }
  } catch { /* not supported in this browser */ }
}

// Modules loaded before the service worker controlled the page (the very first visit) did not pass
// through it: once it does control the page, hand it their addresses to keep (sw.js 'cache-urls').
// It keeps only files of its own version, so nothing of another deployment enters its cache.
function cacheLazyModules() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return;
  const urls = performance.getEntriesByType('resource').map((e) => e.name)
    .filter((u) => u.startsWith(new URL('./', location.href).href) && u.endsWith('.js'));
  worker.postMessage({ type: 'cache-urls', urls });
}

boot();
