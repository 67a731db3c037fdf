// 群消息 (管理 → 群机器人): what was posted to the 企业微信 / 钉钉 group robots, what is waiting, and what was given
// up and why — with "try again" for a failed one. Admins only; the robots' URLs and keys never leave the server.
import { api, ApiError } from './api.js';
import { hasText, t } from './i18n.js';
import './i18n-admin.js';
import { fmtTime, h, mount, toast } from './ui.js';

const STATUSES = ['', 'failed', 'pending', 'delivered'];
const PAGE_SIZE = 20;
// The bureau and the shared supervisors' robot by name; a unit's own robot by its code.
const audienceText = (a) => (hasText(`robots_audience_${a}`) ? t(`robots_audience_${a}`) : a);

export async function sectionView() {
  const summary = h('div', { id: 'robots-summary' }, t('loading'));
  const filter = h('select', { id: 'robots-status' }, STATUSES.map((s) => h('option', { value: s }, t(`robots_filter_${s || 'all'}`))));
  const list = h('div', { id: 'robots-list' });
  const more = h('div', { class: 'actions' });
  mount(h('h2', {}, t('admin_section_robots')), h('p', { class: 'small-text' }, t('robots_explain')), summary,
    h('label', { for: filter.id }, t('robots_status')), filter, list, more);

  async function loadSummary() {
    try {
      const s = await api('/api/webhooks/summary');
      summary.replaceChildren(
        h('p', { class: s.audiences.length ? '' : 'notice warn', id: 'robots-configured' }, s.audiences.length
          ? t('robots_configured', { list: s.audiences.map(audienceText).join('、') })
          : t('robots_none_configured')),
        h('p', { class: 'row' }, ...['failed', 'pending', 'delivered'].map((k) => h('span', { class: `tag status-${k}`, 'data-count': k },
          t(`robots_count_${k}`, { n: s.counts[k] })))));
    } catch (err) { summary.replaceChildren(h('p', { class: 'notice warn' }, failure(err))); }
  }

  async function load(page = 1) {
    const query = new URLSearchParams({ page, page_size: PAGE_SIZE });
    if (filter.value) query.set('status', filter.value);
    let res;
    try {
      res = await api(`/api/webhooks/deliveries?${query}`);
    } catch (err) { list.replaceChildren(h('p', { class: 'notice warn' }, failure(err))); return; }
    const rows = res.items.map((d) => row(d));
    if (page === 1) list.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted', id: 'robots-empty' }, t('robots_empty'))]));
    else list.append(...rows);
    more.replaceChildren(page * PAGE_SIZE < res.total
      ? h('button', { type: 'button', class: 'secondary', id: 'robots-more', onclick: () => load(page + 1) }, t('robots_more')) : '');
  }

  function row(d) {
    const retry = d.status === 'failed' ? h('button', { type: 'button', class: 'secondary small', 'data-retry': d.id, onclick: async (e) => {
      e.target.disabled = true;
      try {
        await api(`/api/webhooks/deliveries/${d.id}/retry`, { method: 'POST' });
        toast(t('robots_retried'));
        loadSummary(); load();
      } catch (err) { e.target.disabled = false; toast(failure(err)); }
    } }, t('robots_retry')) : null;
    const attempts = d.attempt_log.map((a) => h('li', {}, a.at_local, ' · ', a.ok ? t('robots_attempt_ok') : (a.error || `HTTP ${a.http_status}`),
      ` · ${a.duration_ms} ms`));
    return h('section', { class: `card robot-delivery status-${d.status}`, 'data-delivery-id': d.id },
      h('p', {}, h('strong', {}, d.event_label), ' ', h('span', { class: `tag status-${d.status}` }, d.status_label), ' ',
        h('span', { class: 'small-text' }, d.created_at_local, ' · ', t('robots_to', { audience: audienceText(d.audience) }))),
      h('pre', { class: 'robot-text' }, d.text),
      d.last_error && d.status !== 'delivered' ? h('p', { class: 'small-text bad' }, t('robots_last_error', { error: d.last_error })) : null,
      d.status === 'pending' && d.attempts ? h('p', { class: 'small-text' }, t('robots_next', { time: fmtTime(d.next_attempt_at) })) : null,
      attempts.length ? h('details', {}, h('summary', {}, t('robots_attempts', { n: d.attempts })), h('ul', { class: 'small-text' }, ...attempts)) : null,
      retry);
  }

  function failure(err) { return err instanceof ApiError ? err.message || err.code : t('desk_offline'); }

  filter.addEventListener('change', () => load());
  await Promise.all([loadSummary(), load()]);
}
