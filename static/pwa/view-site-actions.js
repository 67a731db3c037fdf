// The site page's sections that act (supervisors and admins; others only read them): the site's
// 整改通知书 with 送达 recorded from the desk (邮寄 / 留置) for an unserved one, closing a violation that
// can never be re-checked, and a suspended site's stop-work order with its resumption (复工) steps.
// The server decides what is allowed: a refusal is shown in its own words where the form is.
import { api, apiBlob, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { fmtTime, h, toast } from './ui.js';
import { isoLocal, uuid4 } from './rules.js';

const DESK_METHODS = ['mail', 'left'];
const CLOSE_REASONS = ['season_ended', 'phase_moved_on', 'other'];
const canAct = () => ['supervisor', 'admin'].includes(getSession().user.role);

export function refused(box, err) {
  if (err instanceof ApiError && err.status === 401) { location.hash = '#/login'; return; }
  box.replaceChildren(h('p', { class: 'notice attn' }, err instanceof ApiError ? err.message || err.code : t('desk_offline')));
}

// A form folded under its button. ``read`` returns the request body, or a message naming what is
// missing; one request id per opened form, so a retried tap repeats the same request, never a second.
export function foldedForm({ id, open, title, fields, read, send, done }) {
  const msg = h('div', { class: 'form-message', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'wide', id: `${id}-submit` }, title);
  const form = h('form', { class: 'card move', id, hidden: true, novalidate: true }, h('h4', {}, title), fields, msg, submit);
  const opener = h('button', { type: 'button', class: 'secondary', id: `${id}-open`, 'aria-expanded': 'false',
    onclick: () => { form.hidden = !form.hidden; opener.setAttribute('aria-expanded', String(!form.hidden)); } }, open);
  const requestId = uuid4();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = read();
    if (typeof body === 'string') { msg.replaceChildren(h('p', { class: 'notice attn' }, body)); return; }
    submit.disabled = true; msg.replaceChildren();
    try { await send(body, requestId); done(); } catch (err) { refused(msg, err); } finally { submit.disabled = false; }
  });
  return h('div', { class: 'site-action' }, opener, form);
}

const radios = (name, values, label) => h('fieldset', { class: 'outcomes two' }, h('legend', {}, label),
  values.map((v, i) => h('label', { 'data-value': v }, h('input', { type: 'radio', name, value: v, checked: i === 0 }), h('span', {}, t(`${name}_${v}`)))));
const pickedValue = (set) => set.querySelector('input:checked').value;
// Beijing wall-clock time for a datetime-local input, and back to ISO 8601 with its offset.
const nowLocal = () => isoLocal().slice(0, 16);

// 送达 from the desk for an unserved notice: by mail or left at the site, when, and a note.
function serviceForm(n, reload) {
  const method = radios('svc_method', DESK_METHODS, t('svc_method'));
  const at = h('input', { id: `svc-at-${n.id}`, type: 'datetime-local', value: nowLocal(), max: nowLocal() });
  const note = h('textarea', { id: `svc-note-${n.id}`, rows: '2', maxlength: '500', placeholder: t('svc_note_example') });
  return foldedForm({
    id: `svc-${n.id}`, open: t('svc_open'), title: t('svc_title', { number: n.number }),
    fields: [method, h('label', { for: at.id }, t('svc_at')), at, h('label', { for: note.id }, t('svc_note')), note],
    read: () => {
      if (!at.value) return t('svc_at_needed');
      if (!note.value.trim()) return t('svc_note_needed');
      return { method: pickedValue(method), served_at: `${at.value.slice(0, 16)}:00+08:00`, note: note.value.trim() };
    },
    send: (body, uuid) => api(`/api/notices/${n.id}/service`, { method: 'POST', json: { uuid, ...body } }),
    done: () => { toast(t('svc_saved', { number: n.number })); reload(); },
  });
}

async function openPdf(url) {
  try { window.open(URL.createObjectURL((await apiBlob(url)).blob), '_blank'); } catch (err) {
    toast(err instanceof ApiError ? err.message || err.code : t('desk_offline'));
  }
}

export function noticesSection(notices, reload) {
  const row = (n) => h('li', { class: 'card notice-row', 'data-notice-id': n.id, 'data-served': n.service ? '1' : '0', 'data-status': n.status },
    h('div', { class: 'row' }, h('strong', { class: 'grow' }, n.number),
      h('span', { class: 'state' }, n.status === 'void' ? t('notice_void') : n.rectified ? t('notice_rectified') : t('notice_open'))),
    h('div', { class: 'small-text' }, t('notice_line', { issued: fmtTime(n.issued_at), deadline: n.deadline_date, n: n.items })),
    h('div', { class: `small-text served${n.service ? '' : ' bad'}` }, n.service
      ? t('notice_served', { method: n.service.method_label, time: fmtTime(n.service.served_at) }) : t('notice_unserved')),
    n.follow_up ? h('div', { class: 'small-text' }, t('notice_follow_up', { due: n.follow_up.due_on, who: n.follow_up.assignee })) : null,
    h('div', { class: 'actions' }, h('a', { class: 'btn secondary notice-pdf', href: n.pdf_url,
      onclick: (e) => { e.preventDefault(); openPdf(n.pdf_url); } }, t('notice_pdf'))),
    !n.service && n.status !== 'void' && canAct() ? serviceForm(n, reload) : null);
  return h('section', { class: 'card', id: 'site-notices' }, h('h3', {}, t('notices_title', { n: notices.length })),
    notices.length ? h('ul', { class: 'plain' }, notices.map(row)) : h('p', {}, t('none')));
}

// Closing a violation that can never be re-checked (an ozone item after 30 September, an earthwork
// item after the phase moved on): the reason and a note, audited on the server.
export function closeViolationForm(v, reload) {
  if (!canAct()) return null;
  const reason = radios('vclose_reason', CLOSE_REASONS, t('vclose_reason'));
  const note = h('textarea', { id: `vclose-note-${v.id}`, rows: '2', maxlength: '2000' });
  return foldedForm({
    id: `vclose-${v.id}`, open: t('vclose_open'), title: t('vclose_title'),
    fields: [reason, h('label', { for: note.id }, t('vclose_note')), note],
    read: () => (note.value.trim() ? { reason: pickedValue(reason), note: note.value.trim() } : t('vclose_note_needed')),
    send: (body) => api(`/api/violations/${v.id}/close`, { method: 'POST', json: body }),
    done: () => { toast(t('vclose_saved')); reload(); },
  });
}

// A suspended site: its stop-work orders and the three steps that bring it back (复工).
export async function suspensionSection(siteId, reload) {
  const box = h('section', { class: 'card', id: 'site-suspension' }, h('h3', {}, t('susp_title')), h('p', {}, t('loading')));
  let d;
  try { d = await api(`/api/sites/${siteId}/suspensions`); } catch (err) { refused(box, err); return box; }
  const open = d.suspensions.filter((s) => !s.ended_at);
  if (d.site_status !== 'suspended' || !open.length) { box.hidden = true; return box; }
  const applied = open.every((s) => s.applied_at);
  const inspected = open.every((s) => s.status === 'inspected');
  const step = (key, done, detail) => h('li', { class: done ? 'done' : '', 'data-step': key, 'data-done': done ? '1' : '0' },
    h('strong', {}, `${done ? '✓' : '○'} ${t(`susp_step_${key}`)}`), detail ? h('div', { class: 'small-text' }, detail) : null);
  const latest = open[open.length - 1];
  const note = (id) => h('textarea', { id, rows: '2', maxlength: '1000' });
  const stepForm = (key, path) => {
    const text = note(`susp-${key}-note`);
    return foldedForm({
      id: `susp-${key}`, open: t(`susp_${key}_open`), title: t(`susp_${key}_open`),
      fields: [h('label', { for: text.id }, t('susp_note')), text],
      read: () => (text.value.trim() ? { note: text.value.trim() } : {}),
      send: (body) => api(`/api/sites/${siteId}/resumption/${path}`, { method: 'POST', json: body }),
      done: () => { toast(t(`susp_${key}_saved`)); reload(); },
    });
  };
  box.dataset.status = latest.status;
  box.replaceChildren(h('h3', {}, t('susp_title')),
    h('p', { class: 'notice warn', id: 'susp-order' }, t('susp_order', { number: d.suspension_order_number || latest.decision_number }), h('br'),
      open.map((s) => h('span', { class: 'small-text' }, t('susp_since', { time: fmtTime(s.started_at), state: s.status_label }), ' ',
        s.case_id ? h('a', { href: `#/case/${s.case_id}` }, s.case_number || t('susp_case')) : null))),
    h('ol', { class: 'plain steps', id: 'susp-steps' },
      step('application', applied, applied ? t('susp_applied_at', { time: fmtTime(latest.applied_at), note: latest.application_note || '' }) : null),
      step('inspection', inspected, t(inspected ? 'susp_inspection_done' : 'susp_inspection_needed')),
      step('approval', false, null)),
    canAct() ? (applied ? stepForm('approval', 'approval') : stepForm('application', 'application')) : null);
  return box;
}
