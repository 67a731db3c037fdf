// The checklist: one requirement per card, pass / fail / N-A, note, camera, thumbnails, progress,
// GPS accuracy. Every answer is written to IndexedDB at once.
import * as store from './db.js';
import { getLang, t } from './i18n.js';
import { h, mount, pick, toast } from './ui.js';
import { discardDraft, photoCount, problems, saveDraft, submissionBody } from './drafts.js';
import { freshFix, gpsState, onGps, POOR_ACCURACY_M, retryGps, startGps } from './gps.js';
import { enqueue, requestSync } from './outbox.js';
import { uuid4 } from './rules.js';
import { truckHeader, truckSummary } from './view-truck.js';
import { followUpOptions } from './view-followups.js';
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
  startGps();
  const saved = h('span', { id: 'saved-at', class: 'small-text muted', 'aria-live': 'polite' });
  const progressText = h('span', { id: 'progress-text', class: 'grow' });
  const bar = h('progress', { id: 'progress', max: String(draft.items.length), value: '0', 'aria-labelledby': 'progress-text' });
  const gpsLine = h('div', { id: 'gps-status', class: 'gps', 'aria-live': 'polite' });
  const finishMsg = h('div', { id: 'finish-message', role: 'alert' });
  const cards = {};

  async function persist() {
    const at = await saveDraft(draft);
    saved.textContent = t('saved_at', { time: new Date(at).toLocaleTimeString(getLang() === 'en' ? 'en-GB' : 'zh-CN') });
    saved.dataset.saved = at;
  }

  function updateProgress() {
    const done = draft.items.filter((i) => draft.answers[i.key].outcome).length;
    bar.value = done;
    progressText.textContent = t('progress', { done, total: draft.items.length });
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
  }

  async function renderThumbs(item, box, hint) {
    const answer = draft.answers[item.key];
    const nodes = [];
    for (const id of answer.photo_ids) {
      const photo = await store.get('photos', id);
      if (!photo) continue;
      const url = URL.createObjectURL(photo.blob);
      urls.add(url);
      nodes.push(h('div', { class: 'thumb' },
        h('img', { src: url, alt: t('photo_alt', { n: nodes.length + 1 }) }),
        h('button', { type: 'button', 'aria-label': t('photo_remove'), onclick: () => removePhoto(item, id) }, '×')));
    }
    box.replaceChildren(...nodes);
    const need = item.photos_on_fail || 0;
    hint.textContent = answer.outcome === 'fail' && need
      ? t('photos_needed', { need, have: photoCount(draft, item) }) : '';
    markCard(item);
  }

  function markCard(item) {
    const card = cards[item.key].card;
    const a = draft.answers[item.key];
    card.classList.toggle('answered', Boolean(a.outcome));
    card.classList.toggle('needs', a.outcome === 'fail' && photoCount(draft, item) < (item.photos_on_fail || 0));
  }

  async function addPhotos(item, files) {
    const answer = draft.answers[item.key];
    for (const file of files) {
      const id = uuid4();
      // The original bytes are the evidence: stored untouched, never re-encoded.
      const blob = new Blob([await file.arrayBuffer()], { type: file.type || 'image/jpeg' });
      await store.put('photos', { id, owner: draft.uuid, item_key: item.key, blob, name: file.name, added_at: new Date().toISOString() });
      answer.photo_ids.push(id);
    }
    await persist();
    await renderThumbs(item, cards[item.key].thumbs, cards[item.key].hint);
  }

  async function removePhoto(item, id) {
    if (!window.confirm(t('photo_remove_confirm'))) return;
    const answer = draft.answers[item.key];
    answer.photo_ids = answer.photo_ids.filter((p) => p !== id);
    await persist();
    await store.del('photos', id);
    await renderThumbs(item, cards[item.key].thumbs, cards[item.key].hint);
  }

  function card(item, index) {
    const answer = draft.answers[item.key];
    const thumbs = h('div', { class: 'thumbs' });
    const hint = h('p', { class: 'small-text photo-hint' });
    const name = `outcome-${item.key}`;
    const choice = (value, label) => h('label', { class: value, 'data-outcome': value },
      h('input', { type: 'radio', name, value, checked: answer.outcome === value,
        onchange: async () => { answer.outcome = value; updateProgress(); await persist(); renderThumbs(item, thumbs, hint); } }),
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
      h('label', { for: noteId }, t('note_label')), note,
      h('label', { class: 'btn secondary camera', for: fileId }, t('take_photo'), file),
      hint, thumbs);
    cards[item.key] = { card: el, thumbs, hint };
    renderThumbs(item, thumbs, hint);
    return el;
  }

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
    if (!window.confirm(t('finish_confirm'))) return;
    const { body, photoIds } = submissionBody(draft);
    await enqueue(draft, body, photoIds, truck ? truckSummary(draft) : followUp ? followUpOptions(draft, body) : {});
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
  const refreshItem = (key) => { const item = draft.items.find((i) => i.key === key); if (item) renderThumbs(item, cards[key].thumbs, cards[key].hint); };
  const truckTop = truck ? truckHeader(draft, persist, refreshItem) : null;
  mount(
    truck ? h('div', { class: 'card' }, truckTop.node, gpsLine) : h('div', { class: 'card' },
      h('h2', {}, draft.site.name),
      h('p', { class: 'small-text' }, h('span', { class: 'tag' }, t(`phase_${draft.site.phase}`)), ' ',
        t('local_time', { time: draft.local_time }), draft.supersedes ? ` · ${t('resubmission')}` : '',
        followUp ? ` · ${t('follow_up_of', { number: draft.follow_up.number })}` : ''),
      gpsLine),
    h('div', { class: 'sticky-progress' }, h('div', { class: 'row' }, progressText, saved), bar),
    hiddenNote,
    draft.items.length ? draft.items.map(card) : h('p', { class: 'notice warn' }, t('no_items')),
    finishMsg,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'finish', class: 'wide', onclick: finish }, t('finish_button'))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'discard', class: 'danger', onclick: discard }, t('discard_button'))),
  );
  updateProgress();
  showGps();
  const off = onGps(showGps);
  // A phone call or app switch hides the page: write the note being typed before the OS may kill it.
  const flush = () => { if (document.visibilityState === 'hidden') persist(); };
  document.addEventListener('visibilitychange', flush);
  return () => {
    off();
    if (truckTop) truckTop.cleanup();
    document.removeEventListener('visibilitychange', flush);
    urls.forEach((u) => URL.revokeObjectURL(u)); urls.clear();
  };
}
