// The photos of an outbox item: the server's thumbnail once a photo is uploaded (HEIC included: the server
// decodes it), the local picture or the HEIC placeholder before. Loaded with the outbox, not precached:
// server thumbnails need the network anyway.
import { apiBlob } from './api.js';
import * as store from './db.js';
import { t } from './i18n.js';
import { heicPlaceholder, isHeic } from './form-extras.js';
import { h } from './ui.js';

// `cache` (key → object URL) keeps a list that re-renders on every sync step from fetching again.
export async function photoStrip(item, cache) {
  const nodes = [];
  for (const [i, id] of item.photo_ids.entries()) {
    const alt = t('photo_alt', { n: i + 1 });
    if (item.sent_photos.includes(id)) {
      if (!cache.has(id)) cache.set(id, await apiBlob(`/api/photos/${id}/thumb`).then(({ blob }) => URL.createObjectURL(blob), () => null));
      if (cache.get(id)) { nodes.push(h('div', { class: 'thumb server', 'data-photo': id }, h('img', { src: cache.get(id), alt }))); continue; }
    }
    const photo = await store.get('photos', id);
    if (!photo) continue;
    if (!isHeic(photo) && !cache.has(`local:${id}`)) cache.set(`local:${id}`, URL.createObjectURL(photo.blob));
    nodes.push(h('div', { class: 'thumb local', 'data-photo': id },
      isHeic(photo) ? heicPlaceholder(photo) : h('img', { src: cache.get(`local:${id}`), alt })));
  }
  return nodes.length ? h('div', { class: 'thumbs outbox-photos' }, nodes) : null;
}

export function releaseStrip(cache) {
  cache.forEach((u) => { if (u) URL.revokeObjectURL(u); });
  cache.clear();
}
