// Service worker: a versioned app shell, cache-first, so the app opens with no network after the
// first visit. A new deployment (a new VERSION) installs beside the old one and waits until the page
// asks it to take over, so old and new files are never mixed. API requests are not touched here:
// the page's IndexedDB outbox owns everything the inspector enters.
// The server appends a hash of every app file to VERSION (inspect_app/system/routes.py), so any
// changed file is a new version even if this number is not bumped; every app file it serves says
// which version it belongs to (X-App-Version), and this worker keeps only files of its own version.
const VERSION = '2026-11-29.1';
const CACHE = `inspect-shell-${VERSION}`;
// The app shell: what an inspector needs to work offline (sites, checklists, truck checks, drafts,
// outbox, my inspections). Installed in one go: a new version is complete before it is offered.
const SHELL = [
  './',
  'index.html',
  'app.css',
  'app.js',
  'api.js',
  'db.js',
  'drafts.js',
  'gps.js',
  'i18n.js',
  'outbox.js',
  'rules.js',
  'alerts.js',
  'ui.js',
  'view-form.js',
  'legacy.js',
  'view-login.js',
  'view-mine.js',
  'view-outbox.js',
  'view-sites.js',
  'view-truck.js',
  'night-permits.js',
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
];
// Loaded on demand by the desk screens (supervisors, 区城管执法局), not precached: kept in this same
// versioned cache once used (app.js imports them; a new version fetches again the ones used before).
const LAZY = [
  'view-desk.js',
  'view-alerts.js',
  'view-sc.js',
  'view-cases.js',
  'view-site-actions.js',
  'view-night.js',
  'gallery.js',
  'i18n-desk.js',
  'i18n-en.js', // the English words of the shell, loaded when English is chosen
  // 送达 and the fast form extras (bulk pass, distance, annotation, the outbox photo strip): loaded in the
  // background once an inspector is logged in (app.js warmServe), kept here from then on
  'view-serve.js',
  'form-extras.js',
  'form-extras.css',
  'photo-annotate.js',
  'annotate.css',
  'photo-strip.js',
  'view-today.js',
  'i18n-today.js',
  'vendor/signature_pad.min.js',
  // The maps: their screens, the datum code, and Leaflet with the styles (loaded by maplayer.js)
  'view-map.js',
  'view-desk-map.js',
  'maplayer.js',
  'i18n-map.js',
  'geo.js',
  'map.css',
  'vendor/leaflet.js',
  'vendor/leaflet.css',
  // 投诉: the desk screens and the inspector complaint tasks (warmed after login like 送达)
  'view-complaints.js',
  'view-complaint-tasks.js',
  'i18n-complaints.js',
  'view-followups.js',
  // 管理: the index of the registers; each section adds its module and words here
  'view-admin.js',
  'i18n-admin.js',
  'view-admin-robots.js',
  // 管理 › 工地档案 and 单位档案
  'view-admin-sites.js',
  'view-admin-orgs.js',
  'i18n-admin-registry.js',
  // 管理 › 用户 and 渣土车登记: sections of the office-administration desk
  'view-admin-users.js',
  'view-admin-trucks.js',
  'i18n-admin-people.js',
  // 管理 › 检查表: checklist versions without a text editor
  'view-admin-checklists.js',
  'i18n-admin-checklists.js',
  // 修改密码 (needs the network to change anything, but opens like every other screen)
  'view-password.js',
];
const SHELL_URLS = new Set(SHELL.map((path) => new URL(path, self.registration.scope).href));

// A file of this worker's version from the network; anything else is refused (thrown), so an old page
// never runs a newer module next to its older shell, and a half-updated server never gets precached.
async function fetchOwnVersion(url) {
  const response = await fetch(new Request(url, { cache: 'reload' }));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const served = response.headers.get('X-App-Version');
  if (served !== VERSION) throw new VersionChanged(`${url} is version ${served}, this worker is ${VERSION}`);
  return response;
}

class VersionChanged extends Error {}

async function keep(cache, url) {
  await cache.put(url, await fetchOwnVersion(url));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(SHELL.map((path) => keep(cache, new URL(path, self.registration.scope).href)));
    // The desk modules this phone used under the previous version, so they still open offline.
    const used = new Set();
    for (const name of (await caches.keys()).filter((n) => n.startsWith('inspect-shell-') && n !== CACHE)) {
      (await (await caches.open(name)).keys()).forEach((request) => used.add(request.url));
    }
    const lazyUrls = LAZY.map((path) => new URL(path, self.registration.scope).href);
    // Best effort, except that a file of another version means a deployment is under way: fail, and
    // the browser installs again on its next update check.
    await Promise.all(lazyUrls.filter((url) => used.has(url)).map((url) => keep(cache, url).catch((err) => {
      if (err instanceof VersionChanged) throw err;
    })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('inspect-shell-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

const inScope = (url) => url.origin === self.location.origin && url.pathname.startsWith(new URL(self.registration.scope).pathname);

self.addEventListener('message', (event) => {
  if (!event.data) return;
  if (event.data.type === 'SKIP_WAITING') self.skipWaiting();
  // The page names modules it loaded before this worker controlled it (the first visit).
  if (event.data.type === 'cache-urls') {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      const urls = (event.data.urls || []).map((u) => new URL(u))
        .filter((u) => inScope(u) && !u.search && !u.pathname.endsWith('/sw.js'));
      await Promise.all(urls.map(async (url) => {
        if (!(await cache.match(url.href))) await keep(cache, url.href).catch(() => {});
      }));
    })());
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!inScope(url)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Every navigation inside the app gets the shell (routes live in the URL hash).
    if (request.mode === 'navigate') {
      return (await cache.match(new URL('index.html', self.registration.scope).href, { ignoreSearch: true })) || fetch(request);
    }
    const hit = await cache.match(request);
    if (SHELL_URLS.has(url.href)) return hit || fetch(request);
    // Loaded on demand: from this version's cache, else from the network if the server still has
    // this version (then kept). Within a version a file never changes; a background look at the
    // network only serves to notice a new deployment early and offer it (the page's update banner).
    if (hit) {
      event.waitUntil(fetchOwnVersion(url.href).catch((err) => {
        if (err instanceof VersionChanged) return self.registration.update();
        return null; // offline: the cached copy is this version's file
      }));
      return hit;
    }
    try {
      const response = await fetchOwnVersion(url.href);
      await cache.put(url.href, response.clone());
      return response;
    } catch (err) {
      if (err instanceof VersionChanged) {
        event.waitUntil(self.registration.update().catch(() => {}));
        return new Response('', { status: 503, statusText: 'New version deployed: reload the app' });
      }
      return fetch(request); // a plain network error or a 404, as the browser would see it
    }
  })());
});

// Background Sync: wake the open page's outbox; with no page open it runs on the next start.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'outbox-sync') return;
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    pages.forEach((page) => page.postMessage({ type: 'sync-outbox' }));
  })());
});
