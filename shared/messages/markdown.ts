/**
 * Batches as markdown: WeCom's dialect (with `<font color>`, <= 4096 UTF-8 bytes) and the plain
 * markdown ServerChan and PushPlus show. Both lead with the worst alert and, when the batch does
 * not fit, summarise the rest in one closing line - one message per batch, always.
 */
import type { MessageCatalog } from './catalog.ts';
import { type ItemFacts, type MessageBatch, type Tone, itemFacts, worstFirst } from './facts.ts';
import { localTime, utf8Bytes } from './format.ts';
import { phrases } from './phrases.ts';

export type Dialect = 'wecom' | 'plain';

const EMOJI: Record<Tone, string> = { critical: '🔴', warning: '🟠', info: '🔵', recovery: '🟢' };
/** WeCom has three colours: warning (orange-red), info (green), comment (grey). */
const WECOM_COLOR: Record<Tone, 'warning' | 'info' | 'comment'> = {
  critical: 'warning',
  warning: 'warning',
  info: 'comment',
  recovery: 'info',
};

/** WeCom's markdown limit (docs/domain/wechat.md#wecom-group-robot). */
export const WECOM_MAX_BYTES = 4096;

function grey(text: string, dialect: Dialect): string {
  return dialect === 'wecom' ? `<font color="comment">${text}</font>` : `*${text}*`;
}

function block(f: ItemFacts, batch: MessageBatch, dialect: Dialect): string {
  const p = phrases(batch.language);
  const prefix = f.reminder ? `${p.reminder} · ` : '';
  const title = `${EMOJI[f.tone]} ${prefix}${f.headline}`;
  const head = dialect === 'wecom' ? `<font color="${WECOM_COLOR[f.tone]}">**${title}**</font>` : `### ${title}`;
  const bullet = dialect === 'wecom' ? '> ' : '- ';
  const lines: string[] = [];
  const add = (label: string | null, text: string | null) => {
    if (text) lines.push(`${bullet}${label ? p.label(label) : ''}${text}`);
  };
  add(null, f.reminder);
  add(p.store, f.store);
  add(p.marketplace, f.marketplace);
  add(p.value, f.change && (f.target ? `${f.change}${p.aside(f.target)}` : f.change));
  add(p.headroom, f.headroom);
  add(p.wayBackLabel, f.wayBack);
  add(p.window, f.window);
  add(f.helpLink ? p.firstStep : null, f.advice);
  const links = [f.link && `[${p.openAccountHealth}](${f.link})`, f.helpLink && `[${p.help}](${f.helpLink})`].filter(Boolean);
  if (links.length > 0) lines.push(links.join(' · '));
  return [head, ...lines].join('\n');
}

/**
 * The batch as one markdown text of at most `maxBytes` UTF-8 bytes: as many whole alerts as fit,
 * worst first, then one line counting the rest.
 */
export function renderMarkdown(batch: MessageBatch, catalog: MessageCatalog, dialect: Dialect, maxBytes: number): string {
  const p = phrases(batch.language);
  const items = worstFirst(batch.items);
  const header: string[] = [];
  if (batch.resend) header.push(grey(p.resend, dialect));
  if (items.length > 1) header.push(`**${p.brand} · ${p.changes(items.length)}**`);
  const footer = grey(`${p.brand} · ${localTime(batch.now, batch.timeZone)}`, dialect);
  const parts = [...header];
  const size = (extra: string[]) => utf8Bytes([...extra, footer].join('\n\n'));
  let shown = 0;
  for (const item of items) {
    const text = block(itemFacts(item, batch.language, catalog, batch.now), batch, dialect);
    const left = items.length - shown - 1;
    const reserve = left > 0 ? [grey(p.more(left), dialect)] : [];
    if (size([...parts, text, ...reserve]) > maxBytes) break;
    parts.push(text);
    shown++;
  }
  if (shown < items.length) parts.push(grey(p.more(items.length - shown), dialect));
  return [...parts, footer].join('\n\n');
}

/** The body of a WeCom robot message. */
export function renderWecom(batch: MessageBatch, catalog: MessageCatalog): { msgtype: 'markdown'; markdown: { content: string } } {
  return { msgtype: 'markdown', markdown: { content: renderMarkdown(batch, catalog, 'wecom', WECOM_MAX_BYTES) } };
}
