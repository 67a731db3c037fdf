// The outbox: what is waiting, sending, sent, or needs the inspector's attention, and why.
import { t } from './i18n.js';
import { fmtTime, gradeText, h, mount } from './ui.js';
import { clearOutbox, events, isUnsent, outboxItems, removeItem, requestSync, resetBackoff, retryItem, syncState } from './outbox.js';
import { startDraft } from './drafts.js';
import { getSession } from './api.js';
import { findingList } from './view-truck.js';

// What the inspector can do about each refusal.
function advice(code) {
  const known = ['inspection_conflict', 'photos_required', 'photo_conflict', 'photo_too_large', 'unsupported_image',
    'image_corrupt', 'image_too_many_pixels', 'not_found', 'forbidden', 'photo_missing_locally', 'unknown_item', 'item_not_in_versions'];
  return t(known.includes(code) ? `advice_${code}` : 'advice_generic');
}

export async function outboxView({ go }) {
  // Photos as the server has them once uploaded (photo-strip.js: not precached; offline, no strip).
  const thumbCache = new Map();
  const strips = import('./photo-strip.js').catch(() => null);
  const list = h('div', { id: 'outbox-list' });
  const summary = h('p', { id: 'outbox-summary', 'aria-live': 'polite' });

  async function editAsNew(item) {
    // A corrected copy gets a new UUID; the refused one stays until the inspector deletes it.
    const answers = Object.fromEntries(item.body.items.map((i) => [i.key, i]));
    const draft = await startDraft(item.site, { supersedes: item.body.supersedes || null, answers });
    go(`inspect/${draft.uuid}`);
  }

  function stateLine(item) {
    if (item.state === 'sending') {
      return item.progress && item.progress.photo
        ? t('state_sending_photo', { n: item.progress.photo, total: item.progress.total }) : t('state_sending');
    }
    if (item.state === 'waiting') {
      const session = getSession();
      if (session && item.user_id !== session.user.id) return t('state_waiting_owner');
      return t('state_waiting');
    }
    return t(`state_${item.state}`);
  }

  function row(item, served) {
    const s = item.server || {};
    const strip = h('div', { class: 'photo-strip' });
    if (item.photo_ids.length) {
      strips.then((m) => m && m.photoStrip(item, thumbCache)).then((node) => { if (node) strip.replaceChildren(node); });
    }
    // A check with failed items gets a notice: offer to serve it (送达) until a record is saved.
    const toServe = Array.isArray(item.body.items) && !served.has(item.uuid) && item.body.items.some((i) => i.outcome === 'fail');
    return h('section', { class: 'card outbox-item', 'data-uuid': item.uuid, 'data-state': item.state },
      h('div', { class: 'row' }, h('strong', { class: 'grow' }, item.kind === 'truck' ? `${t('nav_truck')} ${item.site_name}`
          : item.kind === 'service' ? t('serve_outbox_title', { name: item.site_name })
            : item.kind === 'complaint_link' ? t('complaint_link_outbox', { ticket: item.site_name }) : item.site_name),
        h('span', { class: `state ${item.state}` }, stateLine(item))),
      h('div', { class: 'small-text muted' }, t('finished_at', { time: fmtTime(item.body.finished_at || item.body.served_at) }),
        ' · ', t('photo_count', { n: item.photo_ids.length })),
      strip,
      item.state === 'sent' ? h('div', { class: 'small-text' },
        s.score != null ? t('score_grade', { score: Math.round(s.score * 10) / 10, grade: gradeText(s) }) : t('sent_confirmed')) : null,
      item.state === 'sent' && item.kind === 'truck' ? findingList(s) : null,
      item.state === 'waiting' && item.error && item.error.transient
        ? h('p', { class: 'small-text' }, t('waiting_reason_network')) : null,
      toServe ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'serve-offer', id: `serve-${item.uuid}`,
        onclick: () => go(`serve/${item.uuid}`) }, t('serve_title'))) : null,
      item.state === 'attention' ? h('div', { class: 'notice attn attention' },
        h('p', { class: 'server-message' }, item.error.message || item.error.code),
        h('p', { class: 'small-text' }, advice(item.error.code)),
        h('p', { class: 'small-text muted' }, t('local_copy_kept')),
        item.error.request_id ? h('p', { class: 'small-text muted request-id' },
          t('request_id_line', { id: item.error.request_id })) : null) : null,
      item.state === 'attention' ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => retryItem(item.uuid) }, t('retry_button')),
        ['truck', 'service', 'complaint_link', 'skip'].includes(item.kind) ? null : h('button', { type: 'button', class: 'secondary', onclick: () => editAsNew(item) }, t('edit_copy_button')),
        h('button', { type: 'button', class: 'danger', onclick: async () => {
          if (window.confirm(t('delete_unsent_confirm'))) await removeItem(item.uuid);
        } }, t('delete_button'))) : null);
  }

  async function refresh() {
    const items = await outboxItems();
    const unsent = items.filter(isUnsent).length;
    let line = items.length ? t('outbox_summary', { unsent, sent: items.length - unsent }) : t('outbox_empty');
    if (unsent && syncState.offline) line += ` ${t('outbox_offline')}`;
    else if (unsent && syncState.nextRetryAt) line += ` ${t('outbox_next_retry', { time: new Date(syncState.nextRetryAt).toLocaleTimeString() })}`;
    summary.textContent = line;
    const served = new Set(items.filter((i) => i.kind === 'service').map((i) => i.after));
    list.replaceChildren(...items.slice().reverse().map((item) => row(item, served)));
  }

  async function clear() {
    const unsent = (await outboxItems()).filter(isUnsent).length;
    if (unsent) {
      if (!window.confirm(t('clear_unsent_warning', { n: unsent }))) return;
      await clearOutbox({ onlySent: false });
    } else {
      if (!window.confirm(t('clear_sent_confirm'))) return;
      await clearOutbox({ onlySent: true });
    }
  }

  mount(
    h('h2', {}, t('outbox_title')),
    summary,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'send-now', onclick: () => { resetBackoff(); requestSync(); } }, t('send_now')),
      h('button', { type: 'button', id: 'clear-sent', class: 'secondary', onclick: () => clearOutbox({ onlySent: true }) }, t('clear_sent')),
      h('button', { type: 'button', id: 'clear-outbox', class: 'danger', onclick: clear }, t('clear_outbox'))),
    list,
  );
  await refresh();
  const handler = () => refresh();
  events.addEventListener('change', handler);
  return () => { events.removeEventListener('change', handler); strips.then((m) => m && m.releaseStrip(thumbCache)); };
}
