// 送达: serving the rectification notice on the spot, right after a check with failed items.
// The phone does not know the notice's number yet (the server issues it when the inspection
// arrives), so the record names the inspection's UUID. It is saved to IndexedDB with its own UUID
// and its picture (the signature PNG, or a photo of the refusal) and sent by the outbox after the
// inspection: exactly once, however often it is retried.
import * as store from './db.js';
import { getSession } from './api.js';
import { t } from './i18n.js';
import { h, mount, pick, toast } from './ui.js';
import { loadForms } from './drafts.js';
import { freshFix, startGps } from './gps.js';
import { requestSync } from './outbox.js';
import { isoLocal, uuid4 } from './rules.js';
import SignaturePad from './vendor/signature_pad.min.js';

// A service record already waiting (or sent) for this inspection, if any.
async function serviceFor(inspectionUuid) {
  return (await store.all('outbox')).find((i) => i.kind === 'service' && i.after === inspectionUuid) || null;
}

// The record and its picture in one transaction: the outbox never holds a record without its picture.
async function saveService(inspection, body, blob) {
  const session = getSession();
  const record = {
    uuid: body.uuid, kind: 'service', after: inspection.uuid, body, method: 'PUT',
    endpoint: `/api/inspections/${inspection.uuid}/service`, read_path: null,
    photo_ids: [body.evidence_id], photo_path: `/api/notice-services/${body.uuid}/evidence`, sent_photos: [],
    posted: false, state: 'waiting', user_id: session.user.id, site_name: inspection.site_name, site: inspection.site,
    created_at: new Date().toISOString(), attempts: 0, error: null, server: null, progress: null,
  };
  await store.atomically(['outbox', 'photos'], (tx) => {
    tx.objectStore('photos').put({ id: body.evidence_id, owner: body.uuid, item_key: 'service', blob, added_at: record.created_at });
    tx.objectStore('outbox').put(record);
  });
  return record;
}

async function failedItems(inspection) {
  const failed = inspection.body.items.filter((i) => i.outcome === 'fail').map((i) => i.key);
  let known = [];
  try { const forms = await loadForms(); known = [...(forms.site?.items || []), ...(forms.truck?.items || [])]; } catch { known = []; }
  return failed.map((key) => { const item = known.find((i) => i.key === key); return item ? pick(item, 'text') : key; });
}

// The canvas drawn at the device's pixel density, so the signature is sharp; redrawn on resize.
function sizeCanvas(canvas, pad) {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  const data = pad.isEmpty() ? null : pad.toData();
  canvas.width = canvas.offsetWidth * ratio;
  canvas.height = canvas.offsetHeight * ratio;
  canvas.getContext('2d').scale(ratio, ratio);
  pad.clear();
  if (data) pad.fromData(data);
}

function canvasPng(canvas) {
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), 'image/png'));
}

export async function serveView({ args, go }) {
  const inspection = await store.get('outbox', args[0]);
  if (!inspection || inspection.kind === 'service') { mount(h('p', { class: 'notice warn', id: 'serve-missing' }, t('serve_missing'))); return null; }
  const existing = await serviceFor(inspection.uuid);
  if (existing) {
    mount(h('h2', {}, t('serve_title')), h('p', { class: 'notice info', id: 'serve-done' }, t('serve_already')),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => go('outbox') }, t('nav_outbox'))));
    return null;
  }
  startGps();
  const message = h('div', { id: 'serve-message', role: 'alert' });
  let method = 'signed';
  let refusalPhoto = null;

  const canvas = h('canvas', { id: 'signature-pad', class: 'signature-pad', 'aria-label': t('serve_sign_here') });
  const signerName = h('input', { id: 'signer-name', type: 'text', maxlength: '60', autocomplete: 'off' });
  const signerRole = h('input', { id: 'signer-role', type: 'text', maxlength: '60', autocomplete: 'off' });
  const witness = h('input', { id: 'witness-name', type: 'text', maxlength: '60', autocomplete: 'off' });
  const note = h('textarea', { id: 'serve-note', rows: '2', maxlength: '500' });
  const preview = h('div', { class: 'thumbs', id: 'refusal-thumb' });
  const photoInput = h('input', { id: 'refusal-photo', type: 'file', accept: 'image/jpeg,image/heic', capture: 'environment',
    onchange: async (e) => {
      const file = e.target.files[0]; e.target.value = '';
      if (!file) return;
      refusalPhoto = new Blob([await file.arrayBuffer()], { type: file.type || 'image/jpeg' });
      const url = URL.createObjectURL(refusalPhoto);
      preview.replaceChildren(h('div', { class: 'thumb' }, h('img', { src: url, alt: t('serve_refusal_photo') })));
    } });
  const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);

  const signedPart = h('div', { id: 'serve-signed' },
    h('p', { class: 'small-text' }, t('serve_sign_here')), canvas,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'signature-clear', onclick: () => pad.clear() }, t('serve_clear'))),
    field('signer-name', t('serve_signer_name'), signerName), field('signer-role', t('serve_signer_role'), signerRole));
  const refusedPart = h('div', { id: 'serve-refused', hidden: true },
    field('witness-name', t('serve_witness_name'), witness),
    h('label', { class: 'btn secondary camera', for: 'refusal-photo' }, t('serve_refusal_photo'), photoInput), preview);
  const choice = (value) => h('label', { 'data-method': value },
    h('input', { type: 'radio', name: 'serve-method', value, checked: value === method,
      onchange: () => { method = value; signedPart.hidden = value !== 'signed'; refusedPart.hidden = value !== 'refused'; if (value === 'signed') sizeCanvas(canvas, pad); } }),
    h('span', {}, t(`serve_${value}`)));

  async function save() {
    const problemText = method === 'signed'
      ? (pad.isEmpty() ? t('serve_need_signature') : (!signerName.value.trim() || !signerRole.value.trim()) ? t('serve_need_name') : '')
      : (!witness.value.trim() || !refusalPhoto ? t('serve_need_witness') : '');
    if (problemText) { message.replaceChildren(h('p', { class: 'notice attn' }, problemText)); return; }
    const blob = method === 'signed' ? await canvasPng(canvas) : refusalPhoto;
    const body = { uuid: uuid4(), method, served_at: isoLocal(new Date()), gps: null, evidence_id: uuid4(), note: note.value.trim() };
    const fix = freshFix();
    if (fix) body.gps = { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
    if (method === 'signed') Object.assign(body, { signer_name: signerName.value.trim(), signer_role: signerRole.value.trim() });
    else body.witness_name = witness.value.trim();
    await saveService(inspection, body, blob);
    toast(t('serve_saved'));
    go('outbox');
    requestSync();
  }

  mount(
    h('h2', {}, t('serve_title')),
    h('p', { class: 'small-text' }, inspection.site_name),
    h('p', {}, t('serve_intro', { n: inspection.body.items.filter((i) => i.outcome === 'fail').length })),
    h('ul', { id: 'serve-items' }, (await failedItems(inspection)).map((text) => h('li', {}, text))),
    h('fieldset', { class: 'outcomes serve-methods' }, h('legend', {}, t('serve_method_legend')), choice('signed'), choice('refused')),
    signedPart, refusedPart,
    field('serve-note', t('serve_note'), note),
    message,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'serve-save', class: 'wide', onclick: save }, t('serve_save'))),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'serve-later', class: 'secondary', onclick: () => go('outbox') }, t('serve_later'))),
  );
  // Thick enough to read when printed; a finger's stroke on a 360 px screen.
  const pad = new SignaturePad(canvas, { minWidth: 1.2, maxWidth: 3.2, penColor: '#10204a' });
  sizeCanvas(canvas, pad);
  // A refusal message goes as soon as the inspector starts putting it right.
  const clearMessage = () => message.replaceChildren();
  pad.addEventListener('beginStroke', clearMessage);
  document.getElementById('main').addEventListener('input', clearMessage);
  const resize = () => sizeCanvas(canvas, pad);
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    document.getElementById('main').removeEventListener('input', clearMessage);
    pad.off();
  };
}
