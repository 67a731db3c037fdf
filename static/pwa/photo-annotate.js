// Annotating a photo: a circle or an arrow and a short label drawn on a *copy* (canvas). The original blob
// is never touched — it is the evidence, uploaded byte for byte; the copy is a second photo linked to it.
import { addTexts, t } from './i18n.js';
import { h } from './ui.js';

// This screen's words join the one catalogue when it loads (it is not part of the precached shell).
const zh = {
  annotate_title: '在照片副本上标注（原图不变）',
  annotate_circle: '圈',
  annotate_arrow: '箭头',
  annotate_label: '文字标注（可选）',
  annotate_hint: '在照片上按住拖动：圈出或用箭头指出问题。原图照原样上传，标注图作为第二张照片。',
  annotate_save: '保存标注图',
  annotate_canvas: '照片，可在上面画圈或箭头',
};
const en = {
  annotate_title: 'Annotate a copy of the photo (the original stays as it is)',
  annotate_circle: 'Circle',
  annotate_arrow: 'Arrow',
  annotate_label: 'Label (optional)',
  annotate_hint: 'Drag on the photo to circle or point at the problem. The original is uploaded unchanged, the copy as a second photo.',
  annotate_save: 'Save annotated copy',
  annotate_canvas: 'Photo; draw a circle or an arrow on it',
};
addTexts({ 'zh-CN': zh, en });

// Its styles, attached once (a stylesheet from our own origin, as the strict CSP allows).
const STYLES = new URL('./annotate.css', import.meta.url).href;
function attachStyles() {
  if (document.querySelector(`link[href="${STYLES}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: STYLES }));
}

const MAX_SIDE = 1600; // the copy is for pointing, not for evidence: a phone-screen size is enough
const COLOUR = '#e00000';

function drawArrow(ctx, x0, y0, x1, y1, width) {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  const head = width * 5;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(angle - Math.PI / 7), y1 - head * Math.sin(angle - Math.PI / 7));
  ctx.lineTo(x1 - head * Math.cos(angle + Math.PI / 7), y1 - head * Math.sin(angle + Math.PI / 7));
  ctx.closePath();
  ctx.fill();
}

// The label sits beside the shape, never on what it points at: behind an arrow's tail, under a circle.
function drawLabel(ctx, text, shape, size, gap) {
  ctx.font = `bold ${size}px sans-serif`;
  const w = ctx.measureText(text).width + 12;
  let x = gap;
  let y = gap;
  if (shape && shape.tool === 'arrow') {
    x = shape.x1 >= shape.x0 ? shape.x0 - w - gap : shape.x0 + gap;
    y = shape.y1 >= shape.y0 ? shape.y0 - size - 12 - gap : shape.y0 + gap;
  } else if (shape) {
    x = shape.x0 - w / 2;
    y = shape.y0 + shape.r + gap;
  }
  const left = Math.max(4, Math.min(x, ctx.canvas.width - w - 4));
  const top = Math.max(4, Math.min(y, ctx.canvas.height - size - 16));
  ctx.fillStyle = 'rgba(255,255,255,.85)';
  ctx.fillRect(left, top, w, size + 12);
  ctx.fillStyle = COLOUR;
  ctx.textBaseline = 'top';
  ctx.fillText(text, left + 6, top + 6);
}

// Opens the annotation screen for `blob`; resolves a JPEG Blob of the annotated copy, or null (cancelled,
// or a format the browser cannot decode, such as HEIC).
export async function annotatePhoto(blob) {
  let bitmap;
  try { bitmap = await createImageBitmap(blob); } catch { return null; }
  attachStyles();
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const W = Math.round(bitmap.width * scale);
  const H = Math.round(bitmap.height * scale);
  const canvas = h('canvas', { id: 'annotate-canvas', class: 'annotate-canvas', width: W, height: H,
    role: 'img', 'aria-label': t('annotate_canvas') });
  const ctx = canvas.getContext('2d');
  const line = Math.max(4, Math.round(W / 150));
  let tool = 'circle';
  let shape = null; // {tool, x0, y0, x1, y1} in canvas pixels
  let dragging = false;
  const label = h('input', { id: 'annotate-label', type: 'text', maxlength: '40' });

  function draw() {
    ctx.drawImage(bitmap, 0, 0, W, H);
    ctx.strokeStyle = COLOUR; ctx.fillStyle = COLOUR; ctx.lineWidth = line; ctx.lineCap = 'round';
    if (shape) shape.r = Math.max(line * 3, Math.hypot(shape.x1 - shape.x0, shape.y1 - shape.y0));
    if (shape && shape.tool === 'circle') {
      ctx.beginPath();
      ctx.arc(shape.x0, shape.y0, shape.r, 0, 2 * Math.PI);
      ctx.stroke();
    } else if (shape) drawArrow(ctx, shape.x0, shape.y0, shape.x1, shape.y1, line);
    const text = label.value.trim();
    if (text) drawLabel(ctx, text, shape, Math.max(18, Math.round(W / 22)), line * 2);
  }

  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * W, ((e.clientY - r.top) / r.height) * H];
  };
  canvas.addEventListener('pointerdown', (e) => {
    const [x, y] = at(e);
    shape = { tool, x0: x, y0: y, x1: x, y1: y };
    dragging = true;
    canvas.setPointerCapture(e.pointerId);
    draw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    [shape.x1, shape.y1] = at(e);
    draw();
  });
  canvas.addEventListener('pointerup', () => { dragging = false; });
  label.addEventListener('input', draw);

  const toolButton = (name) => h('button', { type: 'button', class: 'secondary tool', id: `annotate-${name}`,
    'aria-pressed': String(tool === name), onclick: (e) => {
      tool = name;
      e.currentTarget.parentNode.querySelectorAll('.tool').forEach((b) => b.setAttribute('aria-pressed', String(b === e.currentTarget)));
      if (shape) { shape.tool = name; draw(); }
    } }, t(`annotate_${name}`));

  return new Promise((resolve) => {
    let settled = false;
    const dlg = h('dialog', { id: 'annotate', class: 'annotate', 'aria-labelledby': 'annotate-title' });
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dlg.close(); dlg.remove(); bitmap.close();
      resolve(value);
    };
    const save = () => {
      draw();
      canvas.toBlob((copy) => finish(copy), 'image/jpeg', 0.9);
    };
    dlg.append(
      h('h2', { id: 'annotate-title' }, t('annotate_title')),
      h('p', { class: 'small-text' }, t('annotate_hint')),
      h('div', { class: 'actions' }, toolButton('circle'), toolButton('arrow')),
      canvas,
      h('label', { for: 'annotate-label' }, t('annotate_label')), label,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'annotate-cancel', onclick: () => finish(null) }, t('ask_cancel')),
        h('button', { type: 'button', id: 'annotate-save', onclick: save }, t('annotate_save'))));
    dlg.addEventListener('cancel', () => finish(null));
    document.body.append(dlg);
    draw();
    dlg.showModal();
  });
}
