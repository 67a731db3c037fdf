// The checklist: compact cards (note and camera open for a failure, or on demand), the next unanswered card
// scrolled into view, a sticky footer with progress and send. Every answer goes to IndexedDB at once.
import * as store from './db.js';
import { getLang, t } from './i18n.js';
import { h, mount, pick, toast } from './ui.js';
import { discardDraft, followUpOptions, photoCount, problems, saveDraft, submissionBody } from './drafts.js';
import { freshFix, gpsState, onGps, POOR_ACCURACY_M, retryGps, startGps } from './gps.js';
import { enqueue, requestSync } from './outbox.js';
import { uuid4 } from './rules.js';
import { truckHeader, truckSummary } from './view-truck.js';
import { permitPanel } from './night-permits.js';
import { alertText } from './alerts.js';

const urls = new Set();

function windowText(win) {
  if (!win) return '';
  const md = (s) => (getLang() === 'en' ? s : `${Number(s.slice(0, 2))}月${Number(s.slice(3))}日`);
  return t('window_range', {
    start: win.start ? md(win.start) : '', end: win.end ? md(win.end) : '',
    from: win.start_time || '00:00', to: win.end_time || '24:00',
  });
}

export async function formView({ args, go }) {
  const draft = await store.get('drafts', args[0]);
  if (!draft) { mount(h('p', { class: 'notice warn' }, t('draft_missing'))); return; }
  const truck = draft.kind === 'truck';
  const followUp = draft.kind === 'followup'; // 复查: the notice's items only, pass or fail
  draft.annotations = draft.annotations || {};
  startGps();
  const saved = h('span', { id: 'saved-at', class: 'small-text muted', 'aria-live': 'polite' });
  const progressText = h('span', { id: 'progress-text', class: 'grow' });
  const bar = h('progress', { id: 'progress', max: String(draft.items.length), value: '0', 'aria-labelledby': 'progress-text' });
  const gpsLine = h('div', { id: 'gps-status', class: 'gps', 'aria-live': 'polite' });
  const distanceLine = h('div', { id: 'site-distance', class: 'gps', 'aria-live': 'polite' });
  const finishMsg = h('div', { id: 'finish-message', role: 'alert' });
  const cards = {};
  // Bulk pass, counts, distance, storage, annotation: form-extras.js (warmed by app.js); optional.
  let x = null;
  let bulk = null;
  const opened = new Set(); // pass / N-A cards whose note and camera the inspector asked for

  async function persist() {
    const at = await saveDraft(draft);
    saved.textContent = t('saved_at', { time: new Date(at).toLocaleTimeString(getLang() === 'en' ? 'en-GB' : 'zh-CN') });
    saved.dataset.saved = at;
  }

  function updateProgress() {
    const done = draft.items.filter((i) => draft.answers[i.key].outcome).length;
    bar.value = done;
    progressText.textContent = t('progress', { done, total: draft.items.length });
    if (bulk) bulk.refresh();
  }

  function showGps() {
    const { last, problem } = gpsState();
    if (last && !draft.gps_start) { draft.gps_start = freshFix(); persist(); }
    gpsLine.classList.toggle('bad', Boolean(problem) || Boolean(last && last.accuracy_m > POOR_ACCURACY_M));
    if (problem === 'denied') {
      gpsLine.replaceChildren(h('p', { class: 'notice attn' }, t('gps_denied_form')),
        h('button', { type: 'button', class: 'secondary', onclick: retryGps }, t('gps_retry')));
    } else if (problem) gpsLine.replaceChildren(h('p', { class: 'notice warn' }, t(`gps_${problem}`)));
    else if (!last) gpsLine.textContent = t('gps_waiting');
    else if (last.accuracy_m > POOR_ACCURACY_M) {
      gpsLine.replaceChildren(h('p', { class: 'notice warn' }, t('gps_poor', { acc: Math.round(last.accuracy_m), limit: POOR_ACCURACY_M })));
    } else gpsLine.textContent = t('gps_accuracy', { acc: Math.round(last.accuracy_m) });
    distanceLine.hidden = !x || truck || draft.site.lat == null;
    if (x) x.showDistance(distanceLine, x.siteDistance(last, draft.site));
  }

  async function renderThumbs(item) {
    const { thumbs: box, hint } = cards[item.key];
    const answer = draft.answers[item.key];
    const nodes = [];
    for (const id of answer.photo_ids) {
      const photo = await store.get('photos', id);
      if (!photo) continue;
      const copy = draft.annotations[id]; // an annotated copy is tagged; only an original is annotated
      const heic = /hei[cf]/i.test(photo.blob.type); // the browser cannot draw it: a placeholder
      const url = heic ? null : URL.createObjectURL(photo.blob);
      if (url) urls.add(url);
      nodes.push(h('div', { class: `thumb${copy ? ' annotated' : ''}`, 'data-photo': id },
        url ? h('img', { src: url, alt: t('photo_alt', { n: nodes.length + 1 }) }) : x ? x.heicPlaceholder(photo) : photo.name,
        copy ? h('span', { class: 'thumb-tag' }, t('annotated_copy')) : null,
        h('button', { type: 'button', class: 'remove', 'aria-label': t('photo_remove'), onclick: () => removePhoto(item, id) }, '×'),
        copy || heic || truck || !x ? null
          : h('button', { type: 'button', class: 'secondary annotate', onclick: () => annotate(item, photo) }, t('annotate_button'))));
    }
    box.replaceChildren(...nodes);
    const need = item.photos_on_fail || 0;
    hint.textContent = answer.outcome === 'fail' && need
      ? t('photos_needed', { need, have: photoCount(draft, item) }) : '';
    markCard(item);
  }

  function markCard(item) {
    const { card: el, more, addMore } = cards[item.key];
    const a = draft.answers[item.key];
    el.classList.toggle('answered', Boolean(a.outcome));
    el.dataset.outcome = a.outcome || '';
    el.classList.toggle('needs', a.outcome === 'fail' && photoCount(draft, item) < (item.photos_on_fail || 0));
    more.hidden = !(a.outcome === 'fail' || opened.has(item.key) || a.note || a.photo_ids.length);
    addMore.hidden = !more.hidden;
  }

  async function storePhoto(item, blob, name) {
    const id = uuid4();
    await store.put('photos', { id, owner: draft.uuid, item_key: item.key, blob, name, added_at: new Date().toISOString() });
    draft.answers[item.key].photo_ids.push(id);
    return id;
  }

  async function addPhotos(item, files) {
    for (const file of files) {
      // The original bytes are the evidence: stored untouched, never re-encoded (a HEIC may come untyped).
      const type = file.type || (/\.hei[cf]$/i.test(file.name) ? 'image/heic' : 'image/jpeg');
      await storePhoto(item, new Blob([await file.arrayBuffer()], { type }), file.name);
    }
    await persist();
    updateProgress();
    await renderThumbs(item);
  }

  async function annotate(item, photo) {
    if (await x.annotate(draft, photo, (blob, name) => storePhoto(item, blob, name))) { await persist(); await renderThumbs(item); }
  }

  async function removePhoto(item, id) {
    if (!window.confirm(t('photo_remove_confirm'))) return;
    const answer = draft.answers[item.key];
    // An original takes its annotated copies with it.
    const gone = [id, ...Object.keys(draft.annotations).filter((c) => draft.annotations[c] === id)];
    answer.photo_ids = answer.photo_ids.filter((p) => !gone.includes(p));
    gone.forEach((p) => delete draft.annotations[p]);
    await persist();
    for (const p of gone) await store.del('photos', p);
    updateProgress();
    await renderThumbs(item);
  }

  async function answerItem(item, value) {
    draft.answers[item.key].outcome = value;
    updateProgress();
    await persist();
    await renderThumbs(item);
    if (value === 'fail') return; // the failure's camera and note are here
    const keys = draft.items.map((i) => i.key);
    const from = keys.indexOf(item.key);
    const next = [...keys.slice(from + 1), ...keys.slice(0, from)].find((k) => !draft.answers[k].outcome);
    (next ? cards[next].card : footer).scrollIntoView({ block: next ? 'start' : 'end', behavior: 'smooth' });
  }

  function card(item, index) {
    const answer = draft.answers[item.key];
    const thumbs = h('div', { class: 'thumbs' });
    const hint = h('p', { class: 'small-text photo-hint' });
    const name = `outcome-${item.key}`;
    const choice = (value, label) => h('label', { class: value, 'data-outcome': value },
      h('input', { type: 'radio', name, value, checked: answer.outcome === value, onchange: () => answerItem(item, value) }),
      h('span', {}, label));
    const noteId = `note-${item.key}`;
    const fileId = `photo-${item.key}`;
    const note = h('textarea', { id: noteId, rows: '2', value: answer.note || '' });
    let noteTimer = null;
    note.addEventListener('input', () => {
      answer.note = note.value;
      clearTimeout(noteTimer);
      noteTimer = setTimeout(persist, 300);
    });
    note.addEventListener('blur', () => { clearTimeout(noteTimer); answer.note = note.value; persist(); });
    const file = h('input', { id: fileId, type: 'file', accept: 'image/*', capture: 'environment', multiple: true,
      onchange: async (e) => { const files = [...e.target.files]; e.target.value = ''; await addPhotos(item, files); } });
    const more = h('div', { class: 'more', id: `more-${item.key}` },
      h('label', { for: noteId }, t('note_label')), note,
      h('label', { class: 'btn secondary camera', for: fileId }, t('take_photo'), file),
      hint, thumbs);
    const addMore = h('button', { type: 'button', class: 'add-more', id: `add-more-${item.key}`,
      onclick: () => { opened.add(item.key); markCard(item); note.focus(); } }, t('add_more'));
    const el = h('section', { class: 'card item', id: `item-${item.key}`, 'data-key': item.key,
      'data-photos-on-fail': item.photos_on_fail || 0, 'aria-labelledby': `title-${item.key}` },
      h('h3', { id: `title-${item.key}` }, `${index + 1}. ${pick(item, 'text')}`),
      h('div', {},
        item.veto ? h('span', { class: 'tag veto' }, t('veto_item')) : null,
        item.observation ? h('span', { class: 'tag observation' }, t('observation_item')) : null,
        item.window ? h('span', { class: 'tag window' }, t('window_item', { range: windowText(item.window) })) : null),
      item.window ? h('p', { class: 'small-text' }, t('window_why', { range: windowText(item.window), now: draft.local_time })) : null,
      item.alert && draft.alert ? h('p', { class: 'small-text alert-why' }, h('span', { class: `tag alert-${draft.alert.level}` },
        t('alert_item')), ' ', alertText(draft.alert, 'alert_why')) : null,
      item.observation ? h('p', { class: 'small-text' }, t('observation_why')) : null,
      followUp ? null : permitPanel(item, draft), // at night: the site's permits valid now, kept offline
      h('fieldset', { class: 'outcomes' }, h('legend', {}, t('outcome_legend', { n: index + 1 })),
        choice('pass', t('outcome_pass')), choice('fail', t('outcome_fail')), followUp ? null : choice('na', t('outcome_na'))),
      addMore, more);
    cards[item.key] = { card: el, thumbs, hint, more, addMore };
    renderThumbs(item);
    return el;
  }

  // Bulk pass and its undo change answers outside the cards: the radios follow.
  const refreshAnswers = (keys) => {
    keys.forEach((k) => { cards[k].card.querySelectorAll('[type=radio]').forEach((r) => { r.checked = r.value === draft.answers[k].outcome; }); });
    draft.items.filter((i) => keys.includes(i.key)).forEach(renderThumbs);
    updateProgress();
  };

  async function finish() {
    const { unanswered, photosMissing, truckMissing } = problems(draft);
    if (unanswered.length || photosMissing.length || truckMissing.length) {
      finishMsg.replaceChildren(h('p', { class: 'notice attn' }, [
        unanswered.length ? t('finish_unanswered', { n: unanswered.length }) : '',
        photosMissing.length ? t('finish_photos_missing', { n: photosMissing.length }) : '',
        ...truckMissing.map((what) => t(`finish_need_${what}`))].filter(Boolean).join(' ')));
      const first = unanswered[0] || photosMissing[0];
      document.getElementById(first ? `item-${first}` : `photo-${truckMissing[0]}`).closest('div, section').scrollIntoView({ block: 'center' });
      return;
    }
    if (!(x ? await x.askFinish(draft, truck ? null : gpsState().last) : window.confirm(t('finish_confirm')))) return;
    await persist();
    const { body, photoIds } = submissionBody(draft);
    await enqueue(draft, body, photoIds, truck ? truckSummary(draft) : followUp
      ? followUpOptions(draft, body, `${draft.site.name} · ${t('follow_up_of', { number: draft.follow_up.number })}`) : {});
    toast(t('finished_queued'));
    go('outbox');
    requestSync();
  }

  async function discard() {
    if (!window.confirm(t('discard_confirm'))) return;
    await discardDraft(draft);
    go(truck ? 'truck' : followUp ? 'followups' : 'sites');
  }

  const hiddenNote = draft.out_of_window && draft.out_of_window.length
    ? h('p', { class: 'notice info', id: 'window-note' }, t('window_hidden', { n: draft.out_of_window.length, now: draft.local_time,
      range: windowText(draft.out_of_window[0].window) }))
    : null;
  const refreshItem = (key) => { const item = draft.items.find((i) => i.key === key); if (item) { renderThumbs(item); updateProgress(); } };
  const truckTop = truck ? truckHeader(draft, persist, refreshItem) : null;
  const storageNote = h('div', { id: 'storage-note' });
  const footer = h('div', { class: 'form-footer', id: 'form-footer' }, h('div', { class: 'row' }, progressText, saved), bar,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'finish', onclick: finish }, t('finish_button'))));
  mount(
    truck ? h('div', { class: 'card' }, truckTop.node, gpsLine) : h('div', { class: 'card' },
      h('h2', {}, draft.site.name),
      h('p', { class: 'small-text' }, h('span', { class: 'tag' }, t(`phase_${draft.site.phase}`)), ' ',
        t('local_time', { time: draft.local_time }), draft.supersedes ? ` · ${t('resubmission')}` : '',
        followUp ? ` · ${t('follow_up_of', { number: draft.follow_up.number })}` : ''),
      distanceLine, gpsLine),
    storageNote,
    hiddenNote,
    draft.items.length ? draft.items.map(card) : h('p', { class: 'notice warn' }, t('no_items')),
    finishMsg,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'discard', class: 'danger', onclick: discard }, t('discard_button'))),
    footer,
  );
  updateProgress();
  showGps();
  import('./form-extras.js').then(async (extras) => {
    x = extras;
    bulk = x.bulkPassControls(draft, { persist, refreshAnswers, footer });
    updateProgress();
    showGps();
    draft.items.forEach(renderThumbs); // HEIC placeholders
    const note = await x.storageWarning();
    if (note) storageNote.replaceChildren(note);
  }, () => {});
  const off = onGps(showGps);
  // A phone call or app switch hides the page: write the note being typed before the OS may kill it.
  const flush = () => { if (document.visibilityState === 'hidden') persist(); };
  document.addEventListener('visibilitychange', flush);
  return () => {
    off();
    if (truckTop) truckTop.cleanup();
    document.removeEventListener('visibilitychange', flush);
    document.querySelectorAll('dialog.ask, dialog.annotate').forEach((d) => d.remove());
    urls.forEach((u) => URL.revokeObjectURL(u)); urls.clear();
  };
}
