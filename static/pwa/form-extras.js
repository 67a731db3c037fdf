// The fast form's extras: "其余全部合格" with its undo and the footer's counts, the live distance to the site
// with the reason for finishing outside it, the low-storage notice, the HEIC placeholder, photo annotation. Not precached with the shell (its budget): app.js loads
// it in the background once an inspector is logged in (as 送达), so it is there offline at the site.
import { addTexts, t } from './i18n.js';
import { problems } from './drafts.js';
import { distanceM } from './rules.js';
import { fmtDistance, h, toast } from './ui.js';

const zh = {
  bulk_pass_button: '其余全部合格（{n} 项）',
  bulk_pass_none: '已全部作答',
  bulk_pass_confirm: '将 {n} 项未作答的检查项全部标为“合格”？已作答的项不变。',
  bulk_pass_yes: '标记 {n} 项合格',
  bulk_passed: '已将 {n} 项标为合格',
  bulk_undo: '撤销',
  bulk_undone: '已撤销，{n} 项恢复为未作答',
  site_distance: '距工地 {distance}',
  site_distance_outside: '距工地 {distance}，超出 {radius}范围',
  site_distance_unknown: '距工地：等待定位…',
  geofence_warning: '你距工地 {distance}，在 {radius}范围以外，服务器会标记“不在现场”。',
  off_site_reason_label: '原因（可选，如：工地封闭无法进入）',
  storage_low: '手机存储空间不足（剩余约 {free}），照片可能无法保存。请先发送发件箱或清理空间。',
  ask_cancel: '取消',
  finish_yes: '完成并发送',
  footer_fails: '不合格 {n}',
  footer_photos_missing: '缺照片 {n}',
  heic_placeholder: 'HEIC 照片，上传后显示缩略图',
};
const en = {
  bulk_pass_button: 'All others pass ({n})',
  bulk_pass_none: 'All answered',
  bulk_pass_confirm: 'Mark the {n} unanswered items as pass? Answered items stay as they are.',
  bulk_pass_yes: 'Mark {n} as pass',
  bulk_passed: '{n} items marked as pass',
  bulk_undo: 'Undo',
  bulk_undone: 'Undone: {n} items unanswered again',
  site_distance: '{distance} from the site',
  site_distance_outside: '{distance} from the site, outside its {radius} range',
  site_distance_unknown: 'Distance to the site: waiting for a position…',
  geofence_warning: 'You are {distance} from the site, outside its {radius} range: the server will flag it off site.',
  off_site_reason_label: 'Reason (optional, e.g. the site is closed)',
  storage_low: 'Low storage (about {free} free): photos may not be saved. Send the outbox or free space first.',
  ask_cancel: 'Cancel',
  finish_yes: 'Finish and send',
  footer_fails: '{n} failed',
  footer_photos_missing: '{n} short of photos',
  heic_placeholder: 'HEIC photo: thumbnail after upload',
};
addTexts({ 'zh-CN': zh, en });

// Its styles (HEIC placeholder, tags, the in-page question), attached once: a stylesheet of our own origin.
const STYLES = new URL('./form-extras.css', import.meta.url).href;
if (!document.querySelector(`link[href="${STYLES}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: STYLES }));

// A modal question in the page; true for yes, false for no or Escape. `body` goes under the text.
export function askInPage({ id, text, yes, no = t('ask_cancel'), body = null }) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { id, class: 'ask', 'aria-labelledby': `${id}-text` });
    const done = (value) => { if (dlg.isConnected) { dlg.close(); dlg.remove(); resolve(value); } };
    dlg.append(h('p', { id: `${id}-text`, class: 'ask-text' }, text), body || '', h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary ask-no', onclick: () => done(false) }, no),
      h('button', { type: 'button', class: 'ask-yes', onclick: () => done(true) }, yes)));
    dlg.addEventListener('cancel', () => done(false));
    document.body.append(dlg);
    dlg.showModal();
  });
}

export const fmtBytes = (n) => (n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`);


// One tap marks every unanswered item pass, after an in-page question naming how many. Undoable until
// sent (the keys are kept in the draft); undo returns only the items as it left them (pass, no note, no photo).
// `footer` gets the button, the undo line and the counts of failures and of items short of photos.
export function bulkPassControls(draft, { persist, refreshAnswers, footer }) {
  const button = h('button', { type: 'button', id: 'bulk-pass', class: 'secondary' });
  const undoLine = h('div', { id: 'bulk-undo', class: 'row small-text', hidden: true });
  const fails = h('span', { id: 'footer-fails', class: 'small-text' });
  const photos = h('span', { id: 'footer-photos', class: 'small-text' });
  footer.firstChild.firstChild.after(fails, photos);
  footer.lastChild.prepend(button);
  footer.querySelector('progress').after(undoLine);
  const open = () => draft.items.map((i) => i.key).filter((k) => !draft.answers[k].outcome);
  const untouched = (k) => { const a = draft.answers[k]; return a && a.outcome === 'pass' && !a.note && !a.photo_ids.length; };

  async function mark(keys, outcome, list, message) {
    keys.forEach((k) => { draft.answers[k].outcome = outcome; });
    draft.bulk_passed = list;
    await persist();
    refreshAnswers(keys);
    toast(t(message, { n: keys.length }));
  }

  button.addEventListener('click', async () => {
    const keys = open();
    const n = keys.length;
    if (n && await askInPage({ id: 'bulk-confirm', text: t('bulk_pass_confirm', { n }), yes: t('bulk_pass_yes', { n }) })) {
      await mark(keys, 'pass', [...new Set([...(draft.bulk_passed || []), ...keys])], 'bulk_passed');
    }
  });
  const undo = () => mark((draft.bulk_passed || []).filter(untouched), null, [], 'bulk_undone');

  function refresh() {
    const failed = draft.items.filter((i) => draft.answers[i.key].outcome === 'fail').length;
    const missing = problems(draft).photosMissing.length;
    fails.textContent = failed ? t('footer_fails', { n: failed }) : '';
    photos.textContent = missing ? t('footer_photos_missing', { n: missing }) : '';
    const n = open().length;
    button.textContent = n ? t('bulk_pass_button', { n }) : t('bulk_pass_none');
    button.disabled = !n;
    const marked = (draft.bulk_passed || []).filter(untouched).length;
    undoLine.hidden = !marked;
    undoLine.replaceChildren(h('span', { class: 'grow' }, t('bulk_passed', { n: marked })),
      h('button', { type: 'button', id: 'bulk-undo-button', class: 'secondary', onclick: undo }, t('bulk_undo')));
  }
  return { refresh };
}

// The phone's distance to the site (both WGS-84); null without a fix or coordinates (trucks, old drafts).
export function siteDistance(fix, site) {
  if (!fix || !site || site.lat == null) return null;
  const metres = distanceM(fix.lat, fix.lon, site.lat, site.lon);
  const radius = site.geofence_radius_m || 200;
  return { metres, radius, outside: metres > radius };
}

// "距工地 35 米" / "距工地 766 米，超出 200 米范围": fmtDistance for both numbers.
export function showDistance(line, d) {
  line.textContent = d ? t(d.outside ? 'site_distance_outside' : 'site_distance',
    { distance: fmtDistance(d.metres), radius: fmtDistance(d.radius) }) : t('site_distance_unknown');
  line.classList.toggle('bad', Boolean(d && d.outside));
  line.dataset.metres = d ? String(Math.round(d.metres)) : '';
}

// The finish question. Outside the geofence it warns and takes an optional reason that travels with the
// inspection (context for the reviewer: the server flags it off site all the same); back inside, none.
export async function askFinish(draft, fix) {
  const d = siteDistance(fix, draft.site);
  const box = d && d.outside ? h('div', { id: 'geofence-warning', class: 'notice attn' },
    h('p', {}, t('geofence_warning', { distance: fmtDistance(d.metres), radius: fmtDistance(d.radius) })),
    h('label', { for: 'off-site-reason' }, t('off_site_reason_label')),
    h('textarea', { id: 'off-site-reason', rows: '2', maxlength: '200', value: draft.off_site_reason || '' })) : null;
  if (!(await askInPage({ id: 'finish-confirm', text: t('finish_confirm'), yes: t('finish_yes'), body: box }))) return false;
  if (box) draft.off_site_reason = box.querySelector('textarea').value.trim().slice(0, 200);
  else delete draft.off_site_reason;
  return true;
}

// An annotated copy of `photo` (photo-annotate.js), stored by `store(blob, name)` as a second photo of the
// item and linked to its original in draft.annotations; false when cancelled or not loadable offline.
export async function annotate(draft, photo, store) {
  const copy = await import('./photo-annotate.js').then((m) => m.annotatePhoto(photo.blob), () => toast(t('screen_not_offline')));
  if (copy) draft.annotations[await store(copy, `annotated-${photo.name}.jpg`)] = photo.id;
  return Boolean(copy);
}

// Said before the form takes photos: under 100 MB free, a few photos and their outbox copies may not fit.
export async function storageWarning() {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    const free = quota - (usage || 0);
    if (!quota || free >= 100 * 1048576) return null;
    return h('p', { id: 'storage-low', class: 'notice attn', role: 'alert' }, t('storage_low', { free: fmtBytes(Math.max(0, free)) }));
  } catch { return null; } // no StorageManager: nothing to say
}

// The browser cannot decode HEIC (iPhones' default): before upload such a photo shows a placeholder (name,
// size, "HEIC 照片，上传后显示缩略图"); after upload the server's thumbnail (photo-strip.js).
export const isHeic = (photo) => /hei[cf]/i.test(photo.blob.type); // view-form types an untyped .heic

export function heicPlaceholder(photo) {
  return h('div', { class: 'heic-placeholder', 'data-photo': photo.id }, h('b', {}, photo.name || 'HEIC'),
    h('span', {}, fmtBytes(photo.blob.size)), h('span', {}, t('heic_placeholder')));
}
