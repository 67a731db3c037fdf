// The HTTP side of the submission protocol: bearer token, language, JSON errors {code, message}.
import * as store from './db.js';
import { getLang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status; this.code = code; this.details = details;
  }
}
// No answer at all (offline, dropped connection, DNS): always worth retrying.
export class NetworkError extends Error {}

let session = null;
const listeners = new Set();

export function getSession() { return session; }
export function onSession(fn) { listeners.add(fn); }

export async function loadSession() {
  session = (await store.get('kv', 'session')) || null;
  return session;
}

export async function saveSession(value) {
  session = value;
  if (value) await store.put('kv', value, 'session'); else await store.del('kv', 'session');
  listeners.forEach((fn) => fn(session));
}

export async function api(path, { method = 'GET', json, body, headers = {} } = {}) {
  const h = { 'Accept-Language': getLang() === 'en' ? 'en' : 'zh-CN', Accept: 'application/json', ...headers };
  if (session) h.Authorization = `Bearer ${session.token}`;
  if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body, cache: 'no-store', credentials: 'omit' });
  } catch (err) {
    throw new NetworkError(String(err && err.message || err));
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    if (!data || typeof data !== 'object') throw new ApiError(res.status, `http_${res.status}`, '');
    throw new ApiError(res.status, data.code || `http_${res.status}`, data.message || '', data.details);
  }
  return data;
}

export function isTransient(err) {
  return err instanceof NetworkError || (err instanceof ApiError && (err.status >= 500 || err.status === 429 || err.status === 408));
}
