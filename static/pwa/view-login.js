// Log in. The token is remembered in IndexedDB so the app opens logged in after a restart.
import { api, ApiError, getSession, NetworkError, saveSession } from './api.js';
import { outboxItems } from './outbox.js';
import { t } from './i18n.js';
import { h, mount } from './ui.js';
import { startGps } from './gps.js';

export async function loginView({ go }) {
  const previous = getSession();
  const waiting = (await outboxItems()).filter((i) => i.state !== 'sent').length;
  const error = h('div', { id: 'login-error', role: 'alert' });
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username',
    autocapitalize: 'none', required: true, value: previous ? previous.user.username : '' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'wide' }, t('login_button'));

  async function onSubmit(event) {
    event.preventDefault();
    error.replaceChildren();
    submit.disabled = true;
    try {
      const res = await api('/api/auth/login', { method: 'POST', json: { username: username.value.trim(), password: password.value } });
      if (previous && previous.user.id !== res.user.id && waiting) {
        error.replaceChildren(h('p', { class: 'notice warn' }, t('login_other_user_waiting', { n: waiting })));
      }
      await saveSession({ token: res.token, expires_at: res.expires_at, user: res.user });
      if (res.user.role === 'inspector') startGps();
      go(''); // each role's home
    } catch (err) {
      const text = err instanceof NetworkError ? t('login_offline')
        : err instanceof ApiError ? (err.message || t('login_failed')) : t('login_failed');
      error.replaceChildren(h('p', { class: 'notice attn' }, text));
    } finally {
      submit.disabled = false;
    }
  }

  mount(
    h('h2', {}, previous ? t('login_again_title') : t('login_title')),
    previous && waiting ? h('p', { class: 'notice warn' }, t('login_again_explain', { n: waiting })) : null,
    !navigator.onLine ? h('p', { class: 'notice warn' }, t('login_offline')) : null,
    h('form', { id: 'login-form', onsubmit: onSubmit, novalidate: true },
      h('label', { for: 'username' }, t('username')), username,
      h('label', { for: 'password' }, t('password')), password,
      error,
      h('div', { class: 'actions' }, submit)),
  );
  (previous ? password : username).focus();
}
