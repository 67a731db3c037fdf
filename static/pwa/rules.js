// Which checklist items apply: the site's phase and the local date and time in Asia/Shanghai,
// computed on the phone with Intl so a phone set to another zone still gets the district's rules.
export const TZ = 'Asia/Shanghai';

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export function localParts(date = new Date()) {
  const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
  const hour = p.hour === '24' ? '00' : p.hour;
  return {
    year: p.year, month: p.month, day: p.day, hour, minute: p.minute, second: p.second,
    md: `${p.month}-${p.day}`, hm: `${hour}:${p.minute}`,
  };
}

// ISO 8601 with the +08:00 offset (China has no daylight saving time since 1991).
export function isoLocal(date = new Date()) {
  const p = localParts(date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}+08:00`;
}

export function inWindow(win, parts) {
  if (!win) return true;
  const { md, hm } = parts;
  let dateOk = true;
  if (win.start && win.end) {
    dateOk = win.start <= win.end ? md >= win.start && md <= win.end : md >= win.start || md <= win.end;
  }
  return dateOk && inHours(win, hm);
}

// Hours are [start_time, end_time); an end before the start wraps midnight (夜间 22:00–06:00), as on the server.
export function inHours(win, hm) {
  if (!win.start_time || !win.end_time) return true;
  if (win.end_time <= win.start_time) return hm >= win.start_time || hm < win.end_time;
  return hm >= win.start_time && hm < win.end_time;
}

export function phaseApplies(item, phase) {
  const phases = item.phases || ['all'];
  return phases.includes('all') || phases.includes(phase);
}

// An item may be asked only at sites in some statuses (the 停工 check: suspended sites), as on the server.
export function statusApplies(item, status) {
  return !item.site_statuses || item.site_statuses.includes(status);
}

// An alert-response item is asked only while an alert of one of its levels binds (重污染天气预警), as on the server.
export function alertApplies(item, alertLevels = []) {
  return !item.alert || item.alert.some((level) => alertLevels.includes(level));
}

// The form for one site now: applicable items, and the window items left out (the app says why).
// alertLevels: the levels binding the site's unit (the district, for a truck) now, from the cached alerts.
export function formFor(form, phase, date = new Date(), status = 'active', alertLevels = []) {
  const parts = localParts(date);
  const items = [];
  const outOfWindow = [];
  for (const item of form.items || []) {
    if (!phaseApplies(item, phase) || !statusApplies(item, status) || !alertApplies(item, alertLevels)) continue;
    if (inWindow(item.window, parts)) items.push(item); else outOfWindow.push(item);
  }
  return { items, outOfWindow, parts, versionIds: form.version_ids || [] };
}

export function distanceM(lat1, lon1, lat2, lon2) {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

export function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
