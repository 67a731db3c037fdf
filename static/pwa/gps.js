// One watchPosition for the whole app: the latest WGS-84 fix with its accuracy, or why there is none.
import { isoLocal } from './rules.js';

export const POOR_ACCURACY_M = 50;
const FRESH_MS = 2 * 60 * 1000;
let watchId = null;
let last = null;
let problem = null; // 'denied' | 'unavailable' | 'timeout' | 'unsupported'
const listeners = new Set();

function notify() { listeners.forEach((fn) => fn({ last, problem })); }

export function startGps() {
  if (!('geolocation' in navigator)) { problem = 'unsupported'; notify(); return; }
  if (watchId !== null) return;
  watchId = navigator.geolocation.watchPosition((pos) => {
    last = {
      lat: pos.coords.latitude, lon: pos.coords.longitude,
      accuracy_m: Math.round((pos.coords.accuracy || 0) * 10) / 10,
      ts: pos.timestamp || Date.now(),
    };
    problem = null;
    notify();
  }, (err) => {
    problem = err.code === 1 ? 'denied' : err.code === 3 ? 'timeout' : 'unavailable';
    if (err.code === 1) { navigator.geolocation.clearWatch(watchId); watchId = null; }
    notify();
  }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 });
}

export function retryGps() {
  if (watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; }
  problem = null;
  startGps();
}

export function gpsState() { return { last, problem }; }

export function onGps(fn) { listeners.add(fn); return () => listeners.delete(fn); }

// The fix as the submission protocol wants it, or null when there is no recent one.
export function freshFix() {
  if (!last || Date.now() - last.ts > FRESH_MS) return null;
  return {
    lat: last.lat, lon: last.lon, accuracy_m: last.accuracy_m, datum: 'WGS84',
    captured_at: isoLocal(new Date(last.ts)),
  };
}
