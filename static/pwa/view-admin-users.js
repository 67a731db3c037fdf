// 管理 › 用户: the accounts (GET /api/users) with filters by role, unit, state and name, each with its
// role, units, authority and live sessions. Admins create an account (role, units, authority; a one-time
// password shown once when none is typed), change role and units, deactivate / reactivate, reset the
// password (a new one-time password, shown once) and log it out everywhere, each after a confirmation.
// Supervisors see the accounts of their units without any button (the server refuses them anyway).
import { api, ApiError } from './api.js';
import { getLang, t } from './i18n.js';
import './i18n-admin-people.js'; // this section's words join the catalogue
import { fmtTime, h, mount, toast } from './ui.js';

const ROLES = ['inspector', 'supervisor', 'enforcement', 'admin'];
const AUTHORITIES = ['bureau', 'traffic_police', 'housing', 'ecology'];

const option = (value, label, selected = false) => h('option', { value, selected }, label);
const unitName = (u) => (getLang() === 'en' ? u.name_en || u.name_zh : u.name_zh);
const field = (input, label) => [h('label', { for: input.id }, label), input];

// A refusal in words; a dead session goes back to the login screen.
export function refused(box, err, go) {
  if (err instanceof ApiError && err.status === 401) { go('login'); return; }
  const text = err instanceof ApiError ? err.message || err.code : String(err && err.message || err);
  box.replaceChildren(h('p', { class: 'notice attn', role: 'alert' }, text));
}

// A question in the page (not window.confirm): the action runs only on 确定. The trucks section uses both too.
export function ask(box, text, yes, run) {
  const panel = h('div', { class: 'notice warn', 'data-testid': 'admin-confirm' }, h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', 'data-action': 'confirm', onclick: async () => { panel.remove(); await run(); } }, yes),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => panel.remove() }, t('ap_cancel'))));
  box.replaceChildren(panel);
}

// The one-time password, once: it is in no list and no log, so closing the box loses it.
function showPassword(box, username, password) {
  const panel = h('div', { class: 'notice info', id: 'admin-user-otp', role: 'status' },
    h('strong', {}, t('ap_otp_title', { username })),
    h('p', {}, h('strong', {}, h('code', { id: 'admin-user-otp-value' }, password))),
    h('p', { class: 'small-text' }, t('ap_otp_note')),
    h('button', { type: 'button', class: 'secondary', onclick: () => panel.remove() }, t('ap_otp_close')));
  box.replaceChildren(panel);
}

function unitBoxes(prefix, units, chosen = []) {
  return h('fieldset', { class: 'filters', id: `${prefix}-units` }, h('legend', {}, t('ap_col_units')),
    units.map((u) => h('label', { class: 'row' }, h('input', { type: 'checkbox', value: u.code, checked: chosen.includes(u.code) }), unitName(u))));
}
const checkedUnits = (set) => [...set.querySelectorAll('input:checked')].map((i) => i.value);

function createForm(units, reload, otpBox, go) {
  const el = {
    username: h('input', { id: 'admin-user-username', type: 'text', maxlength: '64', autocomplete: 'off' }),
    name: h('input', { id: 'admin-user-name', type: 'text', maxlength: '80' }),
    role: h('select', { id: 'admin-user-role' }, ROLES.map((r) => option(r, t(`ap_role_${r}`)))),
    authority: h('select', { id: 'admin-user-authority' }, AUTHORITIES.map((a) => option(a, t(`ap_authority_${a}`)))),
    password: h('input', { id: 'admin-user-password', type: 'password', maxlength: '200', autocomplete: 'new-password' }),
  };
  const unitSet = unitBoxes('admin-user-new', units);
  const authorityRow = h('div', { hidden: true }, field(el.authority, t('ap_col_authority')));
  el.role.addEventListener('change', () => { authorityRow.hidden = el.role.value !== 'enforcement'; });
  const msg = h('div', { class: 'form-message' });
  const submit = h('button', { type: 'submit', id: 'admin-user-create-submit' }, t('ap_create_submit'));
  const form = h('form', { class: 'card', id: 'admin-user-create', hidden: true, novalidate: true },
    h('h3', {}, t('ap_create_title')), field(el.username, t('ap_col_username')), field(el.name, t('ap_col_name')),
    field(el.role, t('ap_col_role')), authorityRow, unitSet, field(el.password, t('ap_password')), msg, submit);
  const opener = h('button', { type: 'button', class: 'secondary', id: 'admin-user-create-open',
    onclick: () => { form.hidden = !form.hidden; } }, t('ap_create_open'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = el.username.value.trim();
    if (!username) { msg.replaceChildren(h('p', { class: 'notice attn' }, t('ap_username_needed'))); return; }
    const body = { username, role: el.role.value, units: checkedUnits(unitSet) };
    if (el.name.value.trim()) body.display_name = el.name.value.trim();
    if (el.role.value === 'enforcement') body.authority = el.authority.value;
    if (el.password.value) body.password = el.password.value;
    submit.disabled = true; msg.replaceChildren();
    try {
      const account = await api('/api/users', { method: 'POST', json: body });
      form.reset(); form.hidden = true; authorityRow.hidden = true;
      toast(t('ap_created', { username: account.username }));
      if (account.one_time_password) showPassword(otpBox, account.username, account.one_time_password);
      await reload();
    } catch (err) { refused(msg, err, go); } finally { submit.disabled = false; }
  });
  return h('div', {}, opener, form);
}

// Role and units of one account, in place under its row.
function editForm(a, units, box, reload, go) {
  const role = h('select', { id: `admin-user-${a.id}-role` }, ROLES.map((r) => option(r, t(`ap_role_${r}`), r === a.role)));
  const unitSet = unitBoxes(`admin-user-${a.id}`, units, a.units.map((u) => u.code));
  const msg = h('div', { class: 'form-message' });
  const form = h('form', { class: 'card', novalidate: true }, field(role, t('ap_col_role')),
    h('p', { class: 'small-text muted' }, t('ap_role_change_note')), unitSet, msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-action': 'save' }, t('ap_save')),
      h('button', { type: 'button', class: 'secondary', onclick: () => box.replaceChildren() }, t('ap_cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(`/api/users/${a.id}`, { method: 'PATCH', json: { role: role.value, units: checkedUnits(unitSet) } });
      toast(t('ap_done_update', { username: a.username }));
      await reload();
    } catch (err) { refused(msg, err, go); }
  });
  box.replaceChildren(form);
}

function actionsOf(a, units, box, otpBox, reload, go) {
  const run = (path, done) => async () => {
    try {
      const res = await api(`/api/users/${a.id}/${path}`, { method: 'POST', json: path === 'reset-password' ? {} : undefined });
      if (done) done(res);
      await reload();
    } catch (err) { refused(box, err, go); }
  };
  const button = (action, label, onclick, cls = 'secondary') => h('button', { type: 'button', class: cls, 'data-action': action, onclick }, label);
  const username = a.username;
  return [
    a.active
      ? button('deactivate', t('ap_deactivate'), () => ask(box, t('ap_confirm_deactivate', { username }), t('ap_deactivate'),
        run('deactivate', () => toast(t('ap_done_deactivate', { username })))), 'danger')
      : button('reactivate', t('ap_reactivate'), () => ask(box, t('ap_confirm_reactivate', { username }), t('ap_reactivate'),
        run('reactivate', () => toast(t('ap_done_reactivate', { username }))))),
    button('reset', t('ap_reset'), () => ask(box, t('ap_confirm_reset', { username }), t('ap_reset'),
      run('reset-password', (res) => showPassword(otpBox, username, res.one_time_password)))),
    button('revoke', t('ap_revoke'), () => ask(box, t('ap_confirm_revoke', { username }), t('ap_revoke'),
      run('revoke-tokens', (res) => toast(t('ap_done_revoke', { username, n: res.tokens_revoked }))))),
    button('edit', t('ap_edit'), () => editForm(a, units, box, reload, go)),
  ];
}

export async function sectionView({ go, user }) {
  const admin = user && user.role === 'admin';
  let units = [];
  try { units = await api('/api/users/units'); } catch (err) {
    const box = h('div', {}); refused(box, err, go); mount(h('h2', {}, t('ap_users_title')), box); return null;
  }
  const filters = {
    role: h('select', { id: 'admin-users-role' }, option('', t('ap_any')), ROLES.map((r) => option(r, t(`ap_role_${r}`)))),
    unit: h('select', { id: 'admin-users-unit' }, option('', t('ap_any')), units.map((u) => option(u.code, unitName(u)))),
    active: h('select', { id: 'admin-users-active' }, option('', t('ap_any')), option('true', t('ap_state_active')),
      option('false', t('ap_state_inactive'))),
    q: h('input', { id: 'admin-users-q', type: 'search', maxlength: '64' }),
  };
  const otpBox = h('div', { id: 'admin-user-otp-box', 'aria-live': 'polite' });
  const list = h('div', { id: 'admin-users-list', 'aria-live': 'polite' });

  async function reload() {
    const query = new URLSearchParams(Object.entries(filters).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
    let accounts;
    try { accounts = await api(`/api/users${query.toString() ? `?${query}` : ''}`); } catch (err) { refused(list, err, go); return; }
    if (!accounts.length) { list.replaceChildren(h('p', { class: 'muted', id: 'admin-users-empty' }, t('ap_no_users'))); return; }
    const heads = ['ap_col_username', 'ap_col_name', 'ap_col_role', 'ap_col_units', 'ap_col_state', 'ap_col_tokens', 'ap_col_created'];
    const rows = accounts.flatMap((a) => {
      const box = h('div', {});
      const cells = [
        h('td', {}, a.username), h('td', {}, a.display_name),
        h('td', { 'data-col': 'role' }, t(`ap_role_${a.role}`), a.role === 'enforcement' ? h('div', { class: 'small-text muted' }, t(`ap_authority_${a.authority}`)) : null),
        h('td', {}, a.sees_all_units ? t('ap_all_units') : a.units.map(unitName).join('、')),
        h('td', { 'data-col': 'state' }, h('span', { class: a.active ? 'tag' : 'tag veto' }, t(a.active ? 'ap_state_active' : 'ap_state_inactive'))),
        h('td', { 'data-col': 'tokens' }, String(a.live_tokens)), h('td', {}, fmtTime(a.created_at)),
      ];
      if (admin) cells.push(h('td', {}, h('div', { class: 'actions' }, actionsOf(a, units, box, otpBox, reload, go))));
      return [h('tr', { 'data-user': a.username, 'data-active': String(a.active) }, cells),
        h('tr', { class: 'admin-user-more' }, h('td', { colspan: String(cells.length) }, box))];
    });
    list.replaceChildren(h('table', { class: 'report admin-users' },
      h('thead', {}, h('tr', {}, heads.map((k) => h('th', {}, t(k))), admin ? h('th', {}, t('ap_col_actions')) : null)),
      h('tbody', {}, rows)));
  }

  Object.values(filters).forEach((el) => el.addEventListener(el.tagName === 'INPUT' ? 'input' : 'change', reload));
  mount(
    h('h2', {}, t('ap_users_title')),
    admin ? null : h('p', { class: 'notice info', id: 'admin-readonly' }, t('ap_users_readonly')),
    admin ? createForm(units, reload, otpBox, go) : null,
    otpBox,
    h('div', { class: 'filters' }, h('div', {}, field(filters.role, t('ap_filter_role'))), h('div', {}, field(filters.unit, t('ap_filter_unit'))),
      h('div', {}, field(filters.active, t('ap_filter_state'))), h('div', {}, field(filters.q, t('ap_filter_name'))),
      h('button', { type: 'button', class: 'secondary', id: 'admin-users-refresh', onclick: reload }, t('ap_refresh'))),
    list,
  );
  await reload();
  return null;
}
