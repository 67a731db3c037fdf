// Small DOM helpers. Text is always set as text, never parsed as HTML (server data included).
import { t, getLang, hasText } from './i18n.js';
import { TZ } from './rules.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function mount(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  return main;
}

let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 4000);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(getLang() === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(d);
}

export function fmtDistance(m) {
  if (m === null || m === undefined) return '';
  return m < 1000 ? t('metres', { n: Math.round(m) }) : t('kilometres', { n: (m / 1000).toFixed(1) });
}

// Text fields that come in zh/en pairs from the server (text_zh/text_en, title_zh/title_en).
export function pick(obj, field) {
  if (!obj) return '';
  return (getLang() === 'en' ? obj[`${field}_en`] || obj[`${field}_zh`] : obj[`${field}_zh`] || obj[`${field}_en`]) || '';
}

// The grade in words: the server's label, or the catalogue's when the server sent only a code.
export function gradeText(ins) {
  if (!ins || !ins.grade) return '';
  if (ins.grade_label && ins.grade_label !== `grade_${ins.grade}`) return ins.grade_label;
  return hasText(`grade_${ins.grade}`) ? t(`grade_${ins.grade}`) : ins.grade;
}

// One evidence flag in words: the server words every flag through one function (core/wording.flag_text:
// Beijing time, m below 1 km and km above, the reader's language); the code only if a flag came without it.
export function flagText(flag) {
  return flag.message || flag.code;
}

// Evidence flags in words, each distinct message once (start and finish positions can say the same).
// With ``photoIds`` only the flags of those photos (to show under the photos they concern); with
// ``{ except }`` the flags concerning none of those photos (the inspection's own, and the rest).
export function flagTexts(flags, photoIds = null, { except = null } = {}) {
  const only = photoIds ? new Set(photoIds) : null;
  const skip = except ? new Set(except) : null;
  return [...new Set((flags || [])
    .filter((f) => (!only || only.has(f.photo_id)) && (!skip || !skip.has(f.photo_id)))
    .map(flagText))];
}

// A roadside check's truck as people know it: the plate and its haulage company ("蒙A12345 · 顺达渣土").
export function truckText(truck) {
  return truck ? [truck.plate, truck.company].filter(Boolean).join(' · ') : '';
}
