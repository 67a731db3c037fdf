// The HTTP side of the submission protocol: bearer token, language, JSON errors {code, message}.
import * as store from './db.js';
import { getLang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, details, requestId) {
    super(message || code);
    this.status = status; this.code = code; this.details = details; this.requestId = requestId || null;
  }
}
// No answer at all (offline, dropped connection, DNS): always worth retrying.
export class NetworkError extends Error {
  constructor(message, requestId) { super(message); this.requestId = requestId || null; }
}

// Every request carries an id of its own (X-Request-Id: the server keeps it, answers with it and writes it
// on its log line), so a send that failed on the phone is found in the server's logs — even one whose
// answer never arrived.
export function newRequestId() {
  const c = globalThis.crypto;
  const id = c && c.randomUUID ? c.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 14)}`;
  return `pwa-${id}`;
}

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

function headersFor(extra) {
  const h = { 'Accept-Language': getLang() === 'en' ? 'en' : 'zh-CN', Accept: 'application/json', ...extra };
  if (session) h.Authorization = `Bearer ${session.token}`;
  return h;
}

async function send(path, init) {
  const requestId = newRequestId();
  try {
    const res = await fetch(path, { ...init, headers: { ...init.headers, 'X-Request-Id': requestId },
      cache: 'no-store', credentials: 'omit' });
    res.sentRequestId = requestId;
    return res;
  } catch (err) {
    throw new NetworkError(String(err && err.message || err), requestId);
  }
}

async function refusal(res) {
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  const requestId = (data && data.request_id) || res.headers.get('X-Request-Id') || res.sentRequestId;
  if (!data || typeof data !== 'object') return new ApiError(res.status, `http_${res.status}`, '', null, requestId);
  return new ApiError(res.status, data.code || `http_${res.status}`, data.message || '', data.details, requestId);
}

export async function api(path, { method = 'GET', json, body, headers = {} } = {}) {
  const h = headersFor(headers);
  if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  // The phone's clock at send time: the server compares it with its own to flag clock skew.
  if (method !== 'GET') h['X-Device-Time'] = new Date().toISOString();
  const res = await send(path, { method, headers: h, body });
  if (res.status === 204) return null;
  if (!res.ok) throw await refusal(res);
  try { return await res.json(); } catch { return null; }
}

// A GET of data that rarely changes (the checklist forms): the ETag of the copy we hold goes along, and
// a 304 means it is still current. Returns { changed, data, etag } (no data when unchanged).
export async function apiIfChanged(path, etag) {
  const res = await send(path, { headers: headersFor(etag ? { 'If-None-Match': etag } : {}) });
  if (res.status === 304) return { changed: false, etag };
  if (!res.ok) throw await refusal(res);
  return { changed: true, data: await res.json(), etag: res.headers.get('ETag') || '' };
}

// Bytes behind the bearer token (photos, exports): a Blob and the server's file name.
export async function apiBlob(path) {
  const res = await send(path, { headers: headersFor({ Accept: '*/*' }) });
  if (!res.ok) throw await refusal(res);
  const cd = res.headers.get('Content-Disposition') || '';
  const m = cd.match(/filename\*=UTF-8''([^;]+)/i) || cd.match(/filename="?([^";]+)"?/i);
  return { blob: await res.blob(), name: m ? decodeURIComponent(m[1]) : '' };
}

export function isTransient(err) {
  return err instanceof NetworkError || (err instanceof ApiError && (err.status >= 500 || err.status === 429 || err.status === 408));
}
