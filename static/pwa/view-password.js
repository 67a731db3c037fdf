// 修改密码: the user chooses their own password. Forced after logging in with one an admin set (a new account
// or a reset: the server then refuses everything else with 403 password_change_required); otherwise reached
// from 我的巡查 or the desk home. Every session of the account ends; the answer's token replaces this one.
import { api, ApiError, getSession, NetworkError, saveSession } from './api.js';
import { addTexts, t } from './i18n.js';
import { h, mount } from './ui.js';

const zh = {
  pw_title: '修改密码',
  pw_required: '你的密码是管理员设置的。请先设置一个只有你自己知道的新密码，再继续使用。',
  pw_current: '当前密码',
  pw_new: '新密码',
  pw_repeat: '再次输入新密码',
  pw_rules: '至少 8 个字符，不能与用户名相同。修改后，其他手机和电脑上的登录都会退出。',
  pw_mismatch: '两次输入的新密码不一致。',
  pw_submit: '保存新密码',
  pw_cancel: '返回',
  pw_offline: '没有网络，暂时不能修改密码。',
};

const en = {
  pw_title: 'Change password',
  pw_required: 'An administrator set your password. Choose one that only you know before you go on.',
  pw_current: 'Current password',
  pw_new: 'New password',
  pw_repeat: 'New password again',
  pw_rules: 'At least 8 characters, not your username. Changing it logs you out on every other phone and computer.',
  pw_mismatch: 'The two new passwords differ.',
  pw_submit: 'Save new password',
  pw_cancel: 'Back',
  pw_offline: 'No network: the password cannot be changed right now.',
};

addTexts({ 'zh-CN': zh, en });

export async function passwordView({ go }) {
  const session = getSession();
  const forced = Boolean(session.user.must_change_password);
  const field = (id, autocomplete) => h('input', { id, name: id, type: 'password', autocomplete, required: true,
    minlength: 8, maxlength: 200 });
  const current = field('pw-current', 'current-password');
  const fresh = field('pw-new', 'new-password');
  const repeat = field('pw-repeat', 'new-password');
  const error = h('div', { id: 'pw-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'wide' }, t('pw_submit'));

  async function onSubmit(event) {
    event.preventDefault();
    error.replaceChildren();
    if (fresh.value !== repeat.value) {
      error.replaceChildren(h('p', { class: 'notice attn' }, t('pw_mismatch')));
      repeat.focus();
      return;
    }
    submit.disabled = true;
    try {
      const res = await api('/api/auth/password', { method: 'POST',
        json: { current_password: current.value, new_password: fresh.value } });
      await saveSession({ token: res.token, expires_at: res.expires_at, user: res.user });
      go(''); // the role's home, now open
    } catch (err) {
      const text = err instanceof NetworkError ? t('pw_offline')
        : err instanceof ApiError ? (err.message || err.code) : String(err);
      error.replaceChildren(h('p', { class: 'notice attn', 'data-code': err.code || '' }, text));
      if (err instanceof ApiError && err.code === 'current_password_wrong') current.focus();
      else fresh.focus();
    } finally {
      submit.disabled = false;
    }
  }

  mount(
    h('h2', {}, t('pw_title')),
    forced ? h('p', { class: 'notice warn', id: 'pw-required' }, t('pw_required')) : null,
    h('form', { id: 'password-form', onsubmit: onSubmit, novalidate: true },
      h('label', { for: 'pw-current' }, t('pw_current')), current,
      h('label', { for: 'pw-new' }, t('pw_new')), fresh,
      h('label', { for: 'pw-repeat' }, t('pw_repeat')), repeat,
      h('p', { class: 'small-text muted' }, t('pw_rules')),
      error,
      h('div', { class: 'actions' }, submit,
        forced ? null : h('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, t('pw_cancel')))),
  );
  current.focus();
}
