/** ServerChan and PushPlus bodies: a short title plus markdown (docs/domain/wechat.md, ServerChan and PushPlus). */
import type { MessageCatalog } from './catalog.ts';
import { type MessageBatch, itemFacts, worstFirst } from './facts.ts';
import { clip } from './format.ts';
import { renderMarkdown } from './markdown.ts';
import { phrases } from './phrases.ts';

/** ServerChan shows at most 32 characters of title. */
export const SERVERCHAN_TITLE_MAX = 32;
/** Markdown kept well under what either service accepts, so one batch is one message. */
const BODY_MAX_BYTES = 16_000;

/** "🔴 订单缺陷率已超标 · Acme 美国站" or "🔴 3 项变化：订单缺陷率已超标 · Acme 美国站", clipped to `max`. */
export function batchTitle(batch: MessageBatch, catalog: MessageCatalog, max: number): string {
  const p = phrases(batch.language);
  const items = worstFirst(batch.items);
  const first = items[0];
  if (!first) return clip(p.brand, max);
  const f = itemFacts(first, batch.language, catalog, batch.now);
  const where = [f.store, f.marketplacePlain].filter(Boolean).join(' ');
  const lead = items.length > 1 ? p.label(p.changes(items.length)) : '';
  const mark = f.tone === 'recovery' ? '🟢' : f.tone === 'critical' ? '🔴' : '🟠';
  return clip(`${mark} ${lead}${f.headline} · ${where}`, max);
}

export function renderServerChan(batch: MessageBatch, catalog: MessageCatalog): { title: string; desp: string } {
  return { title: batchTitle(batch, catalog, SERVERCHAN_TITLE_MAX), desp: renderMarkdown(batch, catalog, 'plain', BODY_MAX_BYTES) };
}

export function renderPushPlus(
  batch: MessageBatch,
  catalog: MessageCatalog,
): { title: string; content: string; template: 'markdown' } {
  return { title: batchTitle(batch, catalog, 100), content: renderMarkdown(batch, catalog, 'plain', BODY_MAX_BYTES), template: 'markdown' };
}
