// Service worker: a versioned app shell, cache-first, so the app opens with no network after the
// first visit. A new deployment (a new VERSION) installs beside the old one and waits until the page
// asks it to take over, so old and new files are never mixed. API requests are not touched here:
// the page's IndexedDB outbox owns everything the inspector enters.
// The server appends a hash of every app file to VERSION (inspect_app/system/routes.py), so any
// changed file is a new version even if this number is not bumped.
const VERSION = '2026-11-29.1';
const CACHE = `inspect-shell-${VERSION}`;
const SHELL = [
  './',
  'index.html',
  'app.css',
  'app.js',
  'api.js',
  'db.js',
  'drafts.js',
  'gallery.js',
  'gps.js',
  'i18n.js',
  'outbox.js',
  'rules.js',
  'ui.js',
  'view-cases.js',
  'view-desk.js',
  'view-form.js',
  'view-login.js',
  'view-mine.js',
  'view-outbox.js',
  'view-sc.js',
  'view-sites.js',
  'view-truck.js',
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  // cache: 'reload' skips the HTTP cache so a new version never precaches an old file.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('inspect-shell-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Every navigation inside the app gets the shell (routes live in the URL hash).
    const key = request.mode === 'navigate' ? new URL('index.html', scope).href : request;
    const hit = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
    return hit || fetch(request);
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
