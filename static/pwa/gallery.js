// Evidence photos behind the bearer token: thumbnails fetched as blobs (object URLs); a tap opens
// the watermarked display image. Also the score-history chart, drawn as inline SVG.
import { apiBlob } from './api.js';
import { t } from './i18n.js';
import './i18n-desk.js'; // this screen's words join the catalogue
import { h } from './ui.js';

const urls = new Set();
const keep = (blob) => { const u = URL.createObjectURL(blob); urls.add(u); return u; };
export function releasePhotos() { urls.forEach((u) => URL.revokeObjectURL(u)); urls.clear(); }

// `annotations` ({copy id: original id}) shows an annotated copy as such, next to the photo it annotates.
export function gallery(ids, annotations = null) {
  if (!ids || !ids.length) return null;
  const links = annotations || {};
  return h('div', { class: 'thumbs gallery' }, ids.map((id, i) => {
    const img = h('img', { alt: t('photo_alt', { n: i + 1 }) });
    apiBlob(`/api/photos/${id}/thumb`).then(({ blob }) => { img.src = keep(blob); img.dataset.loaded = '1'; })
      .catch(() => { img.alt = t('photo_unavailable'); });
    const of = links[id] ? ids.indexOf(links[id]) + 1 : 0;
    return h('button', { type: 'button', class: `thumb photo-open${links[id] ? ' annotated' : ''}`, 'data-photo': id,
      'data-annotates': links[id] || null, 'aria-label': t('photo_open', { n: i + 1 }), onclick: () => openPhoto(id) }, img,
      links[id] ? h('span', { class: 'thumb-tag' }, of ? t('annotates_photo', { n: of }) : t('annotated_copy')) : null);
  }));
}

// The inspector's reason for finishing outside the geofence, shown beside the evidence flags.
export function offSiteReason(ins) {
  return ins && ins.off_site_reason
    ? h('p', { class: 'notice warn off-site-reason' }, t('off_site_reason_review', { reason: ins.off_site_reason })) : null;
}

export async function openPhoto(id) {
  const close = h('button', { type: 'button', class: 'wide' }, t('close'));
  const dlg = h('dialog', { id: 'photo-viewer', class: 'viewer', 'aria-label': t('photo_display') }, h('p', {}, t('loading')), close);
  close.addEventListener('click', () => dlg.close());
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  try {
    const { blob } = await apiBlob(`/api/photos/${id}/display`);
    dlg.replaceChildren(h('img', { src: keep(blob), alt: t('photo_display') }), close);
  } catch (err) {
    dlg.replaceChildren(h('p', { class: 'notice attn' }, err.message || t('error_generic')), close);
  }
}

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
  kids.forEach((k) => el.append(k));
  return el;
}

// Scores 0–100 over time; dashed lines at the default grade bands (71 合格, 85 优良), a point per inspection.
export function scoreChart(points) {
  const W = 320; const H = 140; const P = 24;
  const times = points.map((p) => new Date(p.finished_at).getTime());
  const t0 = Math.min(...times); const span = Math.max(...times) - t0 || 1;
  const x = (ms) => (points.length < 2 ? W / 2 : P + ((ms - t0) / span) * (W - 2 * P));
  const y = (v) => H - P - (v / 100) * (H - 2 * P);
  const xy = points.map((p, i) => [x(times[i]), y(p.score)]);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': t('chart_label', { n: points.length }) },
    ...[0, 71, 85, 100].map((v) => s('g', {}, s('line', { x1: P, x2: W - 4, y1: y(v), y2: y(v), class: v % 100 ? 'band' : 'axis' }),
      s('text', { x: 2, y: y(v) + 4 }, String(v)))),
    s('polyline', { points: xy.map((p) => p.join(',')).join(' '), class: 'line' }),
    ...xy.map(([cx, cy], i) => s('circle', { cx, cy, r: 5, class: points[i].vetoed ? 'veto' : '' },
      s('title', {}, `${points[i].date} ${points[i].score} ${points[i].grade_label || ''}`))));
  return svg;
}
