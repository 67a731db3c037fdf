// 管理 › 单位档案: the 建设/施工/监理单位 records — search, export, import with the row report — and one
// organisation's page (一企一档): its sites in the caller's units with the role it plays and last score,
// its problems and its penalty cases (a merged duplicate's show here too). Admins edit the record there (the
// server's refusal, e.g. a wrong 统一社会信用代码, shows under the form) and merge a duplicate into it.
import { api } from './api.js';
import { t } from './i18n.js';
import './i18n-admin-registry.js';
import { fmtTime, h, mount, pick, toast } from './ui.js';
import { exportButtons, failure, importCard, table } from './view-admin-sites.js';

export async function sectionView({ args = [], user }) {
  const admin = user && user.role === 'admin';
  if (/^\d+$/.test(args[0] || '')) return page(Number(args[0]), { admin });
  return list({ admin });
}

async function list({ admin }) {
  const q = h('input', { id: 'rg-org-q', type: 'search', placeholder: t('rg_search_orgs_placeholder') });
  const body = h('div', { id: 'rg-org-list' }, t('loading'));
  const load = async () => {
    const query = new URLSearchParams({ page_size: 100 });
    if (q.value.trim()) query.set('q', q.value.trim());
    try {
      const res = await api(`/api/organisations?${query}`);
      body.replaceChildren(res.items.length ? table([t('rg_col_name'), t('rg_col_code')], res.items.map((o) => h('tr', { 'data-org-id': o.id },
        h('td', {}, h('a', { href: `#/admin/organisations/${o.id}` }, o.name)), h('td', {}, o.credit_code || '')))) : h('p', { class: 'muted' }, t('rg_none')));
    } catch (err) { body.replaceChildren(h('p', { class: 'notice warn' }, failure(err))); }
  };
  mount(h('h2', {}, t('rg_orgs_title')), admin ? null : h('p', { class: 'notice info', id: 'rg-readonly' }, t('rg_readonly')),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } }, q, h('button', { type: 'submit', class: 'secondary' }, t('rg_search'))),
    exportButtons('/api/organisations/export', 'organisations'),
    admin ? importCard('/api/organisations/import', { done: 'rg_import_done_orgs', checked: 'rg_import_checked_orgs' }, load) : null,
    body);
  await load();
}

const FIELDS = [['name', 'rg_org_name', 120], ['credit_code', 'rg_org_code', 40], ['address', 'rg_address', 200],
  ['contact_name', 'rg_org_contact_name', 60], ['contact_phone', 'rg_org_contact_phone', 30]];

// The edit form: only the changed fields are sent; a refusal is shown under the form and nothing changes.
function editForm(o, reload) {
  const inputs = Object.fromEntries(FIELDS.map(([k, , max]) => [k, h('input', { id: `rg-org-${k.replace('_', '-')}`, type: 'text', maxlength: max, value: o[k] ?? '' })]));
  const error = h('p', { class: 'notice attn', id: 'rg-org-edit-error', hidden: true });
  const save = async (e) => {
    e.preventDefault();
    error.hidden = true;
    const json = {};
    for (const [k] of FIELDS) {
      const v = inputs[k].value.trim();
      if (v !== (o[k] ?? '')) json[k] = v || (k === 'name' ? v : null);
    }
    if (!Object.keys(json).length) return;
    try {
      await api(`/api/organisations/${o.id}`, { method: 'PATCH', json });
      toast(t('rg_saved'));
      await reload();
    } catch (err) { error.textContent = failure(err); error.hidden = false; }
  };
  return h('details', { class: 'card', id: 'rg-org-edit' }, h('summary', {}, t('rg_org_edit')),
    h('form', { id: 'rg-org-form', onsubmit: save },
      FIELDS.map(([k, label]) => h('div', { class: 'field' }, h('label', { for: inputs[k].id }, t(label)), inputs[k])),
      h('button', { type: 'submit', id: 'rg-org-save' }, t('rg_save')), error));
}

// Merge a duplicate into this record: find it, pick it, confirm naming both, then the page shows the moved sites.
function mergeCard(o, reload) {
  const q = h('input', { id: 'rg-org-merge-q', type: 'search', placeholder: t('rg_party_find') });
  const results = h('select', { id: 'rg-org-merge-results', hidden: true });
  const go = h('button', { type: 'button', id: 'rg-org-merge-go', disabled: true }, t('rg_org_merge_go'));
  const error = h('p', { class: 'notice attn', id: 'rg-org-merge-error', hidden: true });
  let items = [];
  const chosen = () => items.find((x) => String(x.id) === results.value) || null;
  const search = async () => {
    error.hidden = true;
    if (!q.value.trim()) return;
    try {
      const res = await api(`/api/organisations?${new URLSearchParams({ q: q.value.trim(), page_size: 20 })}`);
      items = res.items.filter((x) => x.id !== o.id);
      results.replaceChildren(h('option', { value: '' }, items.length ? '—' : t('rg_none')),
        ...items.map((x) => h('option', { value: x.id }, `${x.name}${x.credit_code ? ` · ${x.credit_code}` : ''}`)));
      results.hidden = false;
      go.disabled = true;
    } catch (err) { error.textContent = failure(err); error.hidden = false; }
  };
  results.onchange = () => { go.disabled = !chosen(); };
  go.onclick = async () => {
    const dup = chosen();
    if (!dup || !window.confirm(t('rg_org_merge_confirm', { duplicate: dup.name, survivor: o.name }))) return;
    error.hidden = true;
    try {
      await api(`/api/organisations/${o.id}/merge`, { method: 'POST', json: { duplicate_id: dup.id } });
      await reload(t('rg_org_merged', { duplicate: dup.name }));
    } catch (err) { error.textContent = failure(err); error.hidden = false; }
  };
  return h('details', { class: 'card', id: 'rg-org-merge' }, h('summary', {}, t('rg_org_merge')),
    h('p', { class: 'small-text' }, t('rg_org_merge_explain')),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); search(); } }, q,
      h('button', { type: 'submit', class: 'secondary', id: 'rg-org-merge-search' }, t('rg_search'))),
    results, go, error);
}

async function page(id, { admin = false } = {}, notice = null) {
  const data = await api(`/api/scorecards/organisations/${id}`);
  const o = data.organisation;
  const total = Object.values(data.violations).reduce((a, b) => a + b, 0);
  const reload = (message) => page(id, { admin }, message);
  const editable = admin && o.merged_into_id == null;
  mount(h('p', {}, h('a', { href: '#/admin/organisations' }, `← ${t('rg_orgs_title')}`)),
    h('h2', { id: 'rg-org-name' }, o.name),
    notice ? h('p', { class: 'notice info', id: 'rg-org-notice' }, notice) : null,
    o.merged_into_id != null ? h('p', { class: 'notice warn', id: 'rg-org-merged-away' },
      h('a', { href: `#/admin/organisations/${o.merged_into_id}` }, t('rg_org_merged_away', { id: o.merged_into_id }))) : null,
    h('p', { class: 'small-text' }, o.credit_code || '', o.address ? ` · ${o.address}` : ''),
    o.contact_name || o.contact_phone ? h('p', { class: 'small-text' }, t('rg_org_contact', { name: o.contact_name || '', phone: o.contact_phone || '' })) : null,
    editable ? editForm(o, reload) : null,
    editable ? mergeCard(o, reload) : null,
    h('p', { id: 'rg-org-violations' }, t('rg_org_violations', { open: data.violations.open || 0, total })),
    h('h3', {}, t('rg_org_sites')),
    table(['rg_col_name', 'rg_col_unit', 'rg_col_roles', 'rg_col_phase', 'rg_col_score', 'rg_col_violations'].map((k) => t(k)),
      data.sites.map((s) => h('tr', { 'data-site-id': s.id }, h('td', {}, h('a', { href: `#/admin/sites/${s.id}` }, s.name)),
        h('td', {}, pick(s.unit, 'name')), h('td', {}, s.roles.map((r) => t(`rg_role_${r}`)).join('、')),
        h('td', {}, t(`phase_${s.phase}`)), h('td', {}, s.last_score != null ? String(Math.round(s.last_score * 10) / 10) : '—'),
        h('td', {}, String(s.open_violations ?? 0)))), { id: 'rg-org-sites' }),
    h('h3', {}, t('rg_org_cases')),
    data.cases.length ? table(['rg_col_case', 'rg_col_name', 'rg_col_party', 'rg_col_status', 'rg_col_created'].map((k) => t(k)),
      data.cases.map((c) => h('tr', { 'data-case-id': c.id }, h('td', {}, h('a', { href: `#/case/${c.id}` }, c.case_number)),
        h('td', {}, c.site_name || ''), h('td', {}, c.party_name || ''), h('td', {}, c.status), h('td', {}, fmtTime(c.created_at)))), { id: 'rg-org-cases' })
      : h('p', { class: 'muted', id: 'rg-org-no-cases' }, t('rg_none')));
}
