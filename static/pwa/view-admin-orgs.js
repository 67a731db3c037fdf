// 管理 › 单位档案: the 建设/施工/监理单位 records — search, export, import with the row report — and one
// organisation's page (一企一档): its sites in the caller's units with the role it plays and last score,
// its problems and its penalty cases (a merged duplicate's show here too).
import { api } from './api.js';
import { t } from './i18n.js';
import './i18n-admin-registry.js';
import { fmtTime, h, mount, pick } from './ui.js';
import { exportButtons, failure, importCard, table } from './view-admin-sites.js';

export async function sectionView({ args = [], user }) {
  const admin = user && user.role === 'admin';
  if (/^\d+$/.test(args[0] || '')) return page(Number(args[0]));
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

async function page(id) {
  const data = await api(`/api/scorecards/organisations/${id}`);
  const o = data.organisation;
  const total = Object.values(data.violations).reduce((a, b) => a + b, 0);
  mount(h('p', {}, h('a', { href: '#/admin/organisations' }, `← ${t('rg_orgs_title')}`)),
    h('h2', { id: 'rg-org-name' }, o.name),
    h('p', { class: 'small-text' }, o.credit_code || '', o.address ? ` · ${o.address}` : ''),
    o.contact_name || o.contact_phone ? h('p', { class: 'small-text' }, t('rg_org_contact', { name: o.contact_name || '', phone: o.contact_phone || '' })) : null,
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
