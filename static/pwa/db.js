// IndexedDB: the only place the app keeps anything. Drafts, the outbox and photo blobs live
// here so a closed tab, a crash or a restart loses nothing.
const DB_NAME = 'inspect-pwa';
const DB_VERSION = 1;
export const STORES = { kv: 'kv', drafts: 'drafts', outbox: 'outbox', photos: 'photos' };

let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
        if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts', { keyPath: 'uuid' });
        if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'uuid' });
        if (!db.objectStoreNames.contains('photos')) {
          db.createObjectStore('photos', { keyPath: 'id' }).createIndex('owner', 'owner');
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDB blocked by another tab'));
    });
  }
  return opening;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

function result(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function get(store, key) {
  const db = await openDb();
  return result(db.transaction(store).objectStore(store).get(key));
}

export async function all(store) {
  const db = await openDb();
  return result(db.transaction(store).objectStore(store).getAll());
}

export async function put(store, value, key) {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  if (key === undefined) tx.objectStore(store).put(value); else tx.objectStore(store).put(value, key);
  return done(tx);
}

export async function del(store, key) {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  return done(tx);
}

export async function photosOf(owner) {
  const db = await openDb();
  return result(db.transaction('photos').objectStore('photos').index('owner').getAll(owner));
}

// Several stores changed atomically: fn(tx) issues the requests, the promise settles on commit.
export async function atomically(stores, fn) {
  const db = await openDb();
  const tx = db.transaction(stores, 'readwrite');
  fn(tx);
  return done(tx);
}
