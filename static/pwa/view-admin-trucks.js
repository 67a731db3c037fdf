// 管理 › 渣土车登记: vehicles with their filings (GET /api/vehicles, filtered by plate prefix, company,
// filing status and service state, paged), the haulage companies, and importing the filing list (CSV or
// XLSX) with its row-by-row report — all or nothing, so a refused file names its rows and imports none.
// Admins change a filing, take a truck out of service, add a company and import; supervisors see the
// lists without the buttons. Vehicles are district-wide (a truck drives through every unit), so the
// registry is the same for every supervisor.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import './i18n-admin-people.js'; // this section's words join the catalogue
import { h, mount, toast } from './ui.js';
import { ask, refused } from './view-admin-users.js'; // the same refusal and in-page question

const TABS = ['vehicles', 'companies', 'import'];
const FILINGS = ['filed', 'unfiled', 'expired', 'revoked'];
const PAGE_SIZE = 50;

const option = (value, label, selected = false) => h('option', { value, selected }, label);
const field = (input, label) => h('div', {}, h('label', { for: input.id }, label), input);

const table = (heads, rows, attrs = {}) => h('table', { class: 'report', ...attrs },
  h('thead', {}, h('tr', {}, heads.map((x) => h('th', {}, x)))), h('tbody', {}, rows));

function filingText(v) {
  return v.filing_problem ? t(`ap_problem_${v.filing_problem}`) : t('ap_filing_ok');
}

// The filing of one vehicle, changed in place under its row.
function filingForm(v, box, reload, go) {
  const status = h('select', { id: `admin-vehicle-${v.id}-status` }, FILINGS.map((f) => option(f, t(`ap_filing_${f}`), f === v.filing_status)));
  const expires = h('input', { id: `admin-vehicle-${v.id}-expires`, type: 'date', value: v.filing_expires_on || '' });
  const msg = h('div', { class: 'form-message' });
  const form = h('form', { class: 'card', novalidate: true }, h('div', { class: 'filters' },
    field(status, t('ap_col_filing')), field(expires, t('ap_col_expires'))), msg,
  h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-action': 'save' }, t('ap_save')),
    h('button', { type: 'button', class: 'secondary', onclick: () => box.replaceChildren() }, t('ap_cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(`/api/vehicles/${v.id}`, { method: 'PATCH', json: { filing_status: status.value, filing_expires_on: expires.value || null } });
      toast(t('ap_done_vehicle', { plate: v.plate }));
      await reload();
    } catch (err) { refused(msg, err, go); }
  });
  box.replaceChildren(form);
}

// Register one truck (admin): the server normalises and checks the plate and says what is wrong.
async function vehicleForm(reload, go) {
  let companies = [];
  try { companies = (await api('/api/companies?page_size=200')).items; } catch { companies = []; }
  const el = {
    plate: h('input', { id: 'admin-vehicle-plate', type: 'text', maxlength: '20', autocomplete: 'off' }),
    company: h('select', { id: 'admin-vehicle-company' }, option('', '—'), companies.map((c) => option(String(c.id), c.name))),
    load: h('input', { id: 'admin-vehicle-load', type: 'number', min: '0', max: '100', step: '0.1', inputmode: 'decimal' }),
    status: h('select', { id: 'admin-vehicle-status' }, FILINGS.map((f) => option(f, t(`ap_filing_${f}`)))),
    expires: h('input', { id: 'admin-vehicle-expires', type: 'date' }),
  };
  const msg = h('div', { class: 'form-message' });
  const form = h('form', { class: 'card', id: 'admin-vehicle-form', hidden: true, novalidate: true }, h('div', { class: 'filters' },
    field(el.plate, t('ap_col_plate')), field(el.company, t('ap_col_company')), field(el.load, t('ap_load_tonnes')),
    field(el.status, t('ap_col_filing')), field(el.expires, t('ap_col_expires'))), msg,
  h('button', { type: 'submit', id: 'admin-vehicle-submit' }, t('ap_save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const load = Number(el.load.value);
    if (!el.plate.value.trim() || !el.load.value || !(load > 0)) { msg.replaceChildren(h('p', { class: 'notice attn' }, t('ap_vehicle_needed'))); return; }
    try {
      const v = await api('/api/vehicles', { method: 'POST', json: { plate: el.plate.value.trim(), rated_load_t: load,
        company_id: el.company.value ? Number(el.company.value) : null, filing_status: el.status.value, filing_expires_on: el.expires.value || null } });
      toast(t('ap_done_vehicle', { plate: v.plate })); form.reset(); form.hidden = true; msg.replaceChildren();
      await reload();
    } catch (err) { refused(msg, err, go); }
  });
  return h('div', {}, h('button', { type: 'button', class: 'secondary', id: 'admin-vehicle-open', onclick: () => { form.hidden = !form.hidden; } }, t('ap_vehicle_open')), form);
}

async function vehiclesTab(root, admin, go) {
  const filters = {
    plate: h('input', { id: 'admin-vehicles-plate', type: 'search', maxlength: '20' }),
    company: h('input', { id: 'admin-vehicles-company', type: 'search', maxlength: '120' }),
    filing_status: h('select', { id: 'admin-vehicles-filing' }, option('', t('ap_any')), FILINGS.map((f) => option(f, t(`ap_filing_${f}`)))),
    active: h('select', { id: 'admin-vehicles-active' }, ['true', 'false', 'all'].map((a) => option(a, t(`ap_active_${a}`)))),
  };
  const list = h('div', { id: 'admin-vehicles-list', 'aria-live': 'polite' });
  let page = 1;
  async function reload() {
    const query = new URLSearchParams(Object.entries(filters).map(([k, el]) => [k, el.value.trim()]).filter(([, x]) => x));
    query.set('page', String(page)); query.set('page_size', String(PAGE_SIZE));
    let res;
    try { res = await api(`/api/vehicles?${query}`); } catch (err) { refused(list, err, go); return; }
    if (!res.items.length) { list.replaceChildren(h('p', { class: 'muted', id: 'admin-vehicles-empty' }, t('ap_no_vehicles'))); return; }
    const heads = ['ap_col_plate', 'ap_col_company', 'ap_col_load', 'ap_col_filing', 'ap_col_expires', 'ap_col_sites'].map((k) => t(k));
    if (admin) heads.push(t('ap_col_actions'));
    const rows = res.items.flatMap((v) => {
      const box = h('div', {});
      const cells = [h('td', {}, h('strong', {}, v.plate)), h('td', {}, v.company ? v.company.name : '—'),
        h('td', {}, t('ap_tonnes', { n: v.rated_load_t })),
        h('td', { 'data-col': 'filing' }, t(`ap_filing_${v.filing_status}`), ' · ',
          h('span', { class: v.filing_valid ? 'tag' : 'tag veto' }, filingText(v))),
        h('td', {}, v.filing_expires_on || '—'), h('td', {}, v.sites.map((s) => s.name).join('、') || '—')];
      if (admin) {
        cells.push(h('td', {}, h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'data-action': 'filing', onclick: () => filingForm(v, box, reload, go) }, t('ap_edit_filing')),
          v.active ? h('button', { type: 'button', class: 'danger', 'data-action': 'deactivate',
            onclick: () => ask(box, t('ap_confirm_deactivate_vehicle', { plate: v.plate }), t('ap_deactivate_vehicle'), async () => {
              try { await api(`/api/vehicles/${v.id}/deactivate`, { method: 'POST' }); toast(t('ap_done_vehicle', { plate: v.plate })); await reload(); } catch (err) { refused(box, err, go); }
            }) }, t('ap_deactivate_vehicle')) : null)));
      }
      return [h('tr', { 'data-plate': v.plate }, cells), h('tr', {}, h('td', { colspan: String(cells.length) }, box))];
    });
    const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
    list.replaceChildren(h('p', { class: 'small-text', id: 'admin-vehicles-total' }, t('ap_vehicles_total', { n: res.total })),
      table(heads, rows, { id: 'admin-vehicles-table' }),
      ...(pages < 2 ? [] : [h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => { page -= 1; reload(); } }, t('ap_prev')),
        h('span', {}, `${page} / ${pages}`),
        h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => { page += 1; reload(); } }, t('ap_more')))]));
  }
  Object.values(filters).forEach((el) => el.addEventListener(el.tagName === 'INPUT' ? 'input' : 'change', () => { page = 1; reload(); }));
  root.replaceChildren(...(admin ? [await vehicleForm(reload, go)] : []), h('div', { class: 'filters' }, field(filters.plate, t('ap_filter_plate')), field(filters.company, t('ap_filter_company')),
    field(filters.filing_status, t('ap_filter_filing')), field(filters.active, t('ap_filter_active'))), list);
  await reload();
}

async function companiesTab(root, admin, go) {
  const list = h('div', { id: 'admin-companies-list' });
  async function reload() {
    let res;
    try { res = await api('/api/companies?page_size=200'); } catch (err) { refused(list, err, go); return; }
    if (!res.items.length) { list.replaceChildren(h('p', { class: 'muted' }, t('ap_no_companies'))); return; }
    list.replaceChildren(table(['ap_col_company', 'ap_col_licence', 'ap_col_contact', 'ap_col_phone'].map((k) => t(k)),
      res.items.map((c) => h('tr', { 'data-company': c.name }, [c.name, c.licence_number, c.contact_name, c.contact_phone]
        .map((x) => h('td', {}, x || '—'))))));
  }
  let form = null;
  if (admin) {
    const el = {
      name: h('input', { id: 'admin-company-name', type: 'text', maxlength: '120' }),
      licence: h('input', { id: 'admin-company-licence', type: 'text', maxlength: '60' }),
      contact: h('input', { id: 'admin-company-contact', type: 'text', maxlength: '60' }),
      phone: h('input', { id: 'admin-company-phone', type: 'tel', maxlength: '30' }),
    };
    const msg = h('div', { class: 'form-message' });
    const f = h('form', { class: 'card', id: 'admin-company-form', hidden: true, novalidate: true }, h('div', { class: 'filters' },
      field(el.name, t('ap_company_name')), field(el.licence, t('ap_col_licence')), field(el.contact, t('ap_col_contact')),
      field(el.phone, t('ap_col_phone'))), msg, h('button', { type: 'submit', id: 'admin-company-submit' }, t('ap_save')));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const name = el.name.value.trim();
      if (!name) { msg.replaceChildren(h('p', { class: 'notice attn' }, t('ap_company_needed'))); return; }
      const opt = (input) => input.value.trim() || null;
      try {
        await api('/api/companies', { method: 'POST', json: { name, licence_number: opt(el.licence), contact_name: opt(el.contact), contact_phone: opt(el.phone) } });
        toast(t('ap_company_created', { name })); f.reset(); f.hidden = true; msg.replaceChildren();
        await reload();
      } catch (err) { refused(msg, err, go); }
    });
    form = h('div', {}, h('button', { type: 'button', class: 'secondary', id: 'admin-company-open', onclick: () => { f.hidden = !f.hidden; } }, t('ap_company_open')), f);
  }
  root.replaceChildren(form || '', list);
  await reload();
}

function importTab(root, go) {
  const file = h('input', { id: 'admin-import-file', type: 'file', accept: '.csv,.xlsx,text/csv' });
  const report = h('div', { id: 'admin-import-report', 'aria-live': 'polite' });
  const upload = async (dryRun) => {
    const f = file.files[0];
    if (!f) { report.replaceChildren(h('p', { class: 'notice attn' }, t('ap_import_choose'))); return; }
    report.replaceChildren();
    try {
      const res = await api(`/api/vehicles/import${dryRun ? '?dry_run=1' : ''}`, { method: 'POST', body: f,
        headers: { 'Content-Type': f.name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' } });
      const ignored = res.ignored_columns && res.ignored_columns.length
        ? [h('p', { class: 'small-text' }, t('ap_import_ignored', { columns: res.ignored_columns.join('、') }))] : [];
      report.replaceChildren(h('p', { class: 'notice ok', id: 'admin-import-summary' }, t(dryRun ? 'ap_import_checked' : 'ap_import_done', res)), ...ignored);
    } catch (err) {
      if (err instanceof ApiError && err.details && Array.isArray(err.details.errors)) {
        report.replaceChildren(h('p', { class: 'notice attn', id: 'admin-import-refused' }, err.message),
          table(['ap_col_row', 'ap_col_column', 'ap_col_problem', 'ap_col_value'].map((k) => t(k)),
            err.details.errors.map((e) => h('tr', { 'data-row': String(e.row) }, [String(e.row), e.column, e.message, e.value].map((x) => h('td', {}, x ?? '')))),
            { id: 'admin-import-errors' }));
      } else refused(report, err, go);
    }
  };
  root.replaceChildren(h('section', { class: 'card', id: 'admin-import' },
    h('p', { class: 'small-text' }, t('ap_import_explain')), h('label', { for: file.id }, t('ap_import_file')), file,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'admin-import-check', onclick: () => upload(true) }, t('ap_import_check')),
      h('button', { type: 'button', id: 'admin-import-go', onclick: () => upload(false) }, t('ap_import_go'))), report));
}

export async function sectionView({ args = [], go, user }) {
  const admin = user && user.role === 'admin';
  const tabs = admin ? TABS : TABS.filter((x) => x !== 'import');
  const tab = tabs.includes(args[0]) ? args[0] : 'vehicles';
  const body = h('div', { id: `admin-trucks-${tab}` });
  mount(
    h('h2', {}, t('ap_trucks_title')),
    admin ? null : h('p', { class: 'notice info', id: 'admin-readonly' }, t('ap_trucks_readonly')),
    h('nav', { class: 'actions', id: 'admin-trucks-tabs' }, tabs.map((x) => h('a', {
      href: `#/admin/trucks/${x}`, class: x === tab ? 'btn' : 'btn secondary', 'data-tab': x, 'aria-current': x === tab ? 'page' : null,
    }, t(`ap_tab_${x}`)))),
    body,
  );
  if (tab === 'vehicles') await vehiclesTab(body, admin, go);
  else if (tab === 'companies') await companiesTab(body, admin, go);
  else importTab(body, go);
  return null;
}
