// Night-work permits (夜间施工证明) at the desk: the site page's list of a site's permits (every role that
// sees the site; supervisors and admins record one or revoke one), and the import screen (CSV/XLSX with Chinese
// headers, all or nothing): a check first, then the import, and each refused row named with its reason.
import { api, ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js';
import { fmtTime, h, mount, toast } from './ui.js';
import { foldedForm } from './view-site-actions.js';


const canWrite = () => ['supervisor', 'admin'].includes(getSession().user.role);

function permitRow(p, reload) {
  const revoke = canWrite() && p.status !== 'revoked' ? h('button', { type: 'button', class: 'secondary small', 'data-revoke': p.id,
    onclick: async () => {
      const reason = window.prompt(t('night_revoke_reason'));
      if (!reason || !reason.trim()) return;
      try {
        await api(`/api/night-permits/${p.id}/revoke`, { method: 'POST', json: { reason: reason.trim() } });
        toast(t('night_revoked')); reload();
      } catch (err) { toast(err instanceof ApiError ? err.message || err.code : t('desk_offline')); }
    } }, t('night_revoke')) : null;
  return h('li', { class: `night-permit ${p.status}`, 'data-permit-id': p.id },
    h('strong', {}, p.number), ' ', h('span', { class: `tag status-${p.status}` }, t(`night_status_${p.status}`)), h('br'),
    h('span', { class: 'small-text' }, p.issuing_office, ' · ', t('night_dates', { from: p.valid_from, to: p.valid_to }), ' · ',
      t('night_hours', { from: p.start_time, to: p.end_time }), p.works ? ` · ${p.works}` : '', p.note ? ` · ${p.note}` : ''),
    p.revoked_at ? h('div', { class: 'small-text muted' }, t('night_revoked_note', { time: fmtTime(p.revoked_at), reason: p.revoke_reason || '' })) : null,
    revoke);
}

// Recording one permit from the desk (supervisors and admins); the server checks dates and hours again.
function createForm(siteId, reload) {
  const input = (name, attrs) => h('input', { id: `np-${name}`, name, ...attrs });
  const fields = {
    number: input('number', { maxlength: '60', required: true }), issuing_office: input('issuing_office', { maxlength: '120', required: true }),
    valid_from: input('valid_from', { type: 'date', required: true }), valid_to: input('valid_to', { type: 'date', required: true }),
    start_time: input('start_time', { type: 'time', value: '22:00', required: true }), end_time: input('end_time', { type: 'time', value: '06:00', required: true }),
    works: input('works', { maxlength: '500' }), note: input('note', { maxlength: '500' }),
  };
  return foldedForm({
    id: 'night-permit-new', open: t('night_new_open'), title: t('night_new_title'),
    fields: Object.entries(fields).map(([name, el]) => [h('label', { for: el.id }, t(`night_field_${name}`)), el]),
    read: () => {
      const missing = ['number', 'issuing_office', 'valid_from', 'valid_to', 'start_time', 'end_time'].filter((n) => !fields[n].value.trim());
      if (missing.length) return t('night_new_missing', { fields: missing.map((n) => t(`night_field_${n}`)).join('、') });
      const body = Object.fromEntries(Object.entries(fields).map(([name, el]) => [name, el.value.trim() || null]));
      return body;
    },
    send: (body) => api(`/api/sites/${encodeURIComponent(siteId)}/night-permits`, { method: 'POST', json: body }),
    done: () => { toast(t('night_new_saved')); reload(); },
  });
}

// The site page's section; filled when the list arrives (the rest of the page does not wait for it).
export function nightPermitsSection(siteId, reload) {
  const body = h('div', {}, h('p', {}, t('loading')));
  api(`/api/sites/${encodeURIComponent(siteId)}/night-permits`).then((res) => {
    body.replaceChildren(res.items.length ? h('ul', { class: 'plain' }, res.items.map((p) => permitRow(p, reload))) : h('p', {}, t('night_none')));
  }).catch((err) => body.replaceChildren(h('p', { class: 'notice attn' }, err instanceof ApiError ? err.message || err.code : t('desk_offline'))));
  return h('section', { class: 'card', id: 'night-permits' }, h('h3', {}, t('night_section_title')), body,
    canWrite() ? [createForm(siteId, reload), h('p', {}, h('a', { href: '#/night-import', id: 'night-import-link' }, t('night_import_link')))] : null);
}

function errorTable(errors) {
  return h('table', { class: 'import-errors', id: 'night-import-errors' },
    h('thead', {}, h('tr', {}, ['row', 'column', 'value', 'problem'].map((c) => h('th', { scope: 'col' }, t(`night_col_${c}`))))),
    h('tbody', {}, errors.map((e) => h('tr', { 'data-row': e.row }, h('td', {}, String(e.row)), h('td', {}, e.column || ''),
      h('td', {}, e.value || ''), h('td', {}, e.message)))));
}

export async function nightImportView() {
  const file = h('input', { id: 'night-import-file', type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const result = h('div', { id: 'night-import-result', role: 'status', 'aria-live': 'polite' });

  async function send(dryRun) {
    const chosen = file.files[0];
    if (!chosen) { result.replaceChildren(h('p', { class: 'notice warn' }, t('night_import_pick'))); return; }
    result.replaceChildren(h('p', {}, t('loading')));
    try {
      const report = await api(`/api/night-permits/import${dryRun ? '?dry_run=1' : ''}`, {
        method: 'POST', body: await chosen.arrayBuffer(), headers: { 'Content-Type': 'application/octet-stream' } });
      result.replaceChildren(h('p', { class: 'notice info', id: 'night-import-report' }, t('night_import_report', {
        mode: t(dryRun ? 'night_import_mode_check' : 'night_import_mode_run'), ...report })),
      report.ignored_columns.length ? h('p', { class: 'small-text' }, t('night_import_ignored', { cols: report.ignored_columns.join('、') })) : null);
    } catch (err) {
      if (err instanceof ApiError && err.details && err.details.errors) {
        result.replaceChildren(h('p', { class: 'notice attn' }, err.message), h('p', {}, t('night_import_errors', { n: err.details.error_count })),
          errorTable(err.details.errors));
      } else result.replaceChildren(h('p', { class: 'notice attn' }, err instanceof ApiError ? err.message || err.code : t('desk_offline')));
    }
  }

  mount(
    h('p', {}, h('a', { href: '#/home' }, t('back'))),
    h('h2', {}, t('night_import_title')),
    h('p', { class: 'small-text' }, t('night_import_help')),
    h('label', { for: 'night-import-file' }, t('night_import_file')), file,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'night-import-check', class: 'secondary', onclick: () => send(true) }, t('night_import_check')),
      h('button', { type: 'button', id: 'night-import-run', onclick: () => send(false) }, t('night_import_run'))),
    result);
  return null;
}
