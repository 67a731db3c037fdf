// 管理: the office keeps its registers here (sites and their parties, users, trucks, checklist versions).
// Each register is a section module of its own, loaded when opened: #/admin/<section>/<rest…>.
// A section module exports sectionView({ args, go, user }); supervisors see registers, admins change them.
import { ApiError, getSession } from './api.js';
import { t } from './i18n.js';
import './i18n-admin.js'; // the index's words join the catalogue
import { h, mount } from './ui.js';

// One line per section: how to load it and who may open it. `route` points at an existing desk screen.
const SECTIONS = {
  sites: { load: () => import('./view-admin-sites.js'), roles: ['admin', 'supervisor'] },
  organisations: { load: () => import('./view-admin-orgs.js'), roles: ['admin', 'supervisor'] },
  night: { route: 'night-import', roles: ['admin', 'supervisor'] },
  robots: { load: () => import('./view-admin-robots.js'), roles: ['admin'] },
  users: { load: () => import('./view-admin-users.js'), roles: ['admin', 'supervisor'] },
  trucks: { load: () => import('./view-admin-trucks.js'), roles: ['admin', 'supervisor'] },
  checklists: { load: () => import('./view-admin-checklists.js'), roles: ['admin', 'supervisor'] },
};

export async function adminView({ args, go }) {
  const user = getSession().user;
  const [name, ...rest] = args;
  const allowed = Object.entries(SECTIONS).filter(([, s]) => s.roles.includes(user.role));
  const section = allowed.find(([key]) => key === name)?.[1];
  if (!section) { index(allowed); return null; }
  if (section.route) { go(section.route); return null; }
  let module;
  try {
    module = await section.load();
  } catch (err) {
    mount(h('p', { id: 'screen-unavailable', class: 'notice warn' }, t(navigator.onLine ? 'screen_load_failed' : 'screen_not_offline')));
    return null;
  }
  try {
    return (await module.sectionView({ args: rest, go, user })) || null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return null; }
    throw err;
  }
}

function index(sections) {
  const link = ([key, s]) => h('a', { class: 'card admin-section', href: `#/${s.route || `admin/${key}`}`, 'data-section': key },
    h('h3', {}, t(`admin_section_${key}`)), h('p', { class: 'small-text' }, t(`admin_section_${key}_about`)));
  mount(h('h2', {}, t('admin_title')), h('p', { class: 'small-text' }, t(getSession().user.role === 'admin' ? 'admin_explain' : 'admin_explain_readonly')),
    h('div', { id: 'admin-sections', class: 'grid' }, ...sections.map(link)));
}
