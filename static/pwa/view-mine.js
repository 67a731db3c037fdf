// My inspections as the server sees them: review status, score, grade, evidence flags, and
// those sent back for correction, which can be opened and resubmitted (a new UUID that supersedes).
import { api, ApiError, getSession, saveSession } from './api.js';
import { isUnsent, outboxItems } from './outbox.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { flagTexts, fmtTime, gradeText, h, mount, toast, truckText } from './ui.js';
import { startDraft } from './drafts.js';

export async function mineView({ go }) {
  const status = h('p', { id: 'mine-status', class: 'small-text muted', 'aria-live': 'polite' });
  const list = h('div', { id: 'mine-list' });

  async function resubmit(ins) {
    try {
      const full = await api(`/api/inspections/${ins.uuid}`);
      let site = full.site || ins.site;
      try { site = await api(`/api/sites/${site.id}`); } catch { /* fall back to the summary */ }
      const answers = Object.fromEntries((full.items || []).map((i) => [i.key || i.item_key, i]));
      const draft = await startDraft({ ...site, phase: site.phase || full.site_phase }, { supersedes: ins.uuid, answers });
      go(`inspect/${draft.uuid}`);
    } catch (err) {
      toast(err instanceof ApiError ? err.message : t('resubmit_needs_network'));
    }
  }

  function row(ins) {
    const rejected = ins.review_status === 'rejected';
    const flags = flagTexts(ins.flags);
    return h('section', { class: 'card mine-item', 'data-uuid': ins.uuid, 'data-review': ins.review_status },
      h('div', { class: 'row' }, h('strong', { class: 'grow subject' }, (ins.site && ins.site.name) || truckText(ins.truck) || '—'),
        h('span', { class: `state ${rejected ? 'attention' : 'sent'}` }, t(`review_${ins.review_status}`))),
      h('div', { class: 'small-text muted' }, t('finished_at', { time: fmtTime(ins.finished_at) }),
        ' · ', t(`completeness_${ins.completeness || 'incomplete'}`)),
      h('div', {}, ins.score != null ? t('score_grade', { score: Math.round(ins.score * 10) / 10, grade: gradeText(ins) }) : t('no_score'),
        ins.vetoed ? h('span', { class: 'tag veto' }, t('vetoed')) : null),
      ins.scoring_rule_label ? h('div', { class: 'small-text muted scoring-rule' }, ins.scoring_rule_label,
        (ins.additional_deductions || []).map((d) => h('div', { class: 'deduction' }, d.label))) : null,
      flags.length ? h('ul', { class: 'flags small-text', 'aria-label': t('flags_label') },
        flags.map((text) => h('li', {}, text))) : null,
      rejected && ins.review_note ? h('p', { class: 'notice warn' }, t('review_note', { note: ins.review_note })) : null,
      rejected && ins.sent_back !== false ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'resubmit', onclick: () => resubmit(ins) }, t('resubmit_button'))) : null);
  }

  async function logout() {
    const unsent = (await outboxItems()).filter(isUnsent).length;
    if (!window.confirm(unsent ? t('logout_unsent_warning', { n: unsent }) : t('logout_confirm'))) return;
    try { await api('/api/auth/logout', { method: 'POST' }); } catch { /* offline: the token simply expires */ }
    await saveSession(null);
    go('login');
  }

  const session = getSession();
  mount(h('h2', {}, t('mine_title')), status, list,
    h('div', { class: 'card' },
      h('p', {}, t('logged_in_as', { name: session.user.display_name || session.user.username })),
      h('a', { class: 'btn secondary wide', id: 'change-password', href: '#/password' }, t('password_change_link')),
      h('button', { type: 'button', id: 'logout', class: 'secondary wide', onclick: logout }, t('logout_button'))));
  status.textContent = t('loading');
  try {
    const page = await api('/api/inspections?mine=1&page=1&page_size=50');
    await store.put('kv', { items: page.items, at: new Date().toISOString() }, 'mine');
    list.replaceChildren(...(page.items.length ? page.items.map(row) : [h('p', {}, t('mine_empty'))]));
    status.textContent = t('mine_count', { n: page.total ?? page.items.length });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { go('login'); return; }
    const cached = await store.get('kv', 'mine');
    if (cached) {
      list.replaceChildren(...cached.items.map(row));
      status.textContent = t('mine_cached', { time: fmtTime(cached.at) });
    } else status.textContent = t('mine_offline');
  }
}
