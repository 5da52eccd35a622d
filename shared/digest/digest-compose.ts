/**
 * The daily digest (早报) of one channel: which stores are at risk and by how much (each metric
 * at warn or breach with its value, target and headroom), what changed in the last 24 hours, and
 * a count of the stores that are fine. One message per channel, whatever the number of stores:
 * WeCom's markdown stays within 4096 UTF-8 bytes by showing the worst stores whole and counting
 * the rest ("…及另外 N 个店铺").
 */
import type { ChannelType } from '../alerts/channel-verdicts.ts';
import type { AlertCategory, Language } from '../alerts/rules.ts';
import type { MessageCatalog } from '../messages/catalog.ts';
import { itemFacts } from '../messages/facts.ts';
import { clip, inert, localTime, metricValue, targetText, utf8Bytes } from '../messages/format.ts';
import { WECOM_MAX_BYTES } from '../messages/markdown.ts';
import { OA_FIELD_MAX } from '../messages/official-account.ts';
import { phrases } from '../messages/phrases.ts';
import { SERVERCHAN_TITLE_MAX } from '../messages/push-services.ts';
import type { RenderedMessage } from '../messages/render.ts';
import type { HealthEvent, Level, MetricId, Target } from '../types.ts';
import { digestWords } from './digest-words.ts';

export interface DigestMetric {
  metric: MetricId;
  level: Level;
  value: number | null;
  target: Target | null;
  headroom: number | null;
}

export interface DigestMarketplace {
  marketplaceId: string;
  level: Level;
  metrics: DigestMetric[];
  /** Negative feedback inside the ODR window, when the feedback report has been read. */
  negativeFeedback?: { count: number; windowDays: number } | null;
}

export interface DigestStore {
  storeId: string;
  name: string;
  level: Level;
  auth: 'ok' | 'lost';
  marketplaces: DigestMarketplace[];
}

export interface DigestEvent {
  storeId: string;
  event: HealthEvent;
  category: AlertCategory;
  createdAt: number;
}

export interface Digest {
  /** The local day the digest is for (digest-due.ts). */
  day: string;
  stores: DigestStore[];
  /** Events of about the last day; older ones are left out here. */
  events: DigestEvent[];
  language: Language;
  timeZone: string;
  now: number;
}

const DAY_MS = 86_400_000;
const LEVEL_RANK: Record<Level, number> = { breach: 3, warn: 2, ok: 1, unknown: 0 };
const LEVEL_MARK: Record<Level, string> = { breach: '🔴', warn: '🟠', ok: '🟢', unknown: '⚪' };
/** Changes listed per store before "and N more". */
const CHANGES_SHOWN = 5;
const PLAIN_MAX_BYTES = 16_000;

type Dialect = 'wecom' | 'plain';

function atRisk(store: DigestStore): boolean {
  return store.auth === 'lost' || store.level === 'warn' || store.level === 'breach';
}

interface StoreView {
  store: DigestStore;
  events: DigestEvent[];
}

/** Stores that need a block, worst first: at risk by level, then those with news, then by name. */
function storeViews(digest: Digest): { shown: StoreView[]; quiet: number } {
  const since = digest.now - DAY_MS;
  const byStore = new Map<string, DigestEvent[]>();
  for (const e of digest.events) {
    if (e.createdAt <= since || e.createdAt > digest.now) continue;
    byStore.set(e.storeId, [...(byStore.get(e.storeId) ?? []), e]);
  }
  const views = digest.stores.map((store) => ({ store, events: (byStore.get(store.storeId) ?? []).sort((a, b) => a.createdAt - b.createdAt) }));
  const shown = views
    .filter((v) => atRisk(v.store) || v.events.length > 0)
    .sort(
      (a, b) =>
        Number(b.store.auth === 'lost') - Number(a.store.auth === 'lost') ||
        LEVEL_RANK[b.store.level] - LEVEL_RANK[a.store.level] ||
        b.events.length - a.events.length ||
        a.store.name.localeCompare(b.store.name),
    );
  return { shown, quiet: views.length - shown.length };
}

function metricLine(m: DigestMetric, digest: Digest, catalog: MessageCatalog): string | null {
  if (m.level !== 'warn' && m.level !== 'breach') return null;
  const label = catalog.metric(m.metric);
  const p = phrases(digest.language);
  const name = label ? (digest.language === 'en' ? label.en : label.zh) : inert(m.metric);
  const kind = label?.kind ?? 'rate';
  const value = `${metricValue(m.value, kind)}${m.target ? p.aside(p.target(targetText(m.target, kind))) : ''}`;
  let headroom: string | null = null;
  if (label) {
    const words = { zh: label.defectZh, en: label.defectEn, enPlural: label.defectEnPlural, shortEn: label.shortEn };
    if (m.level === 'breach') headroom = p.headroomGone(typeof m.headroom === 'number' && m.headroom < 0 ? -m.headroom : null, words);
    else if (typeof m.headroom === 'number') headroom = p.headroomLeft(m.headroom, words);
  }
  return [`${LEVEL_MARK[m.level]} ${name} ${value}`, headroom].filter(Boolean).join(' · ');
}

function storeBlock(view: StoreView, digest: Digest, catalog: MessageCatalog, dialect: Dialect): string {
  const p = phrases(digest.language);
  const w = digestWords(digest.language);
  const { store, events } = view;
  const name = clip(inert(store.name), 60) || '—';
  const head = dialect === 'wecom' ? `**${LEVEL_MARK[store.level]} ${name}**` : `#### ${LEVEL_MARK[store.level]} ${name}`;
  const bullet = dialect === 'wecom' ? '> ' : '- ';
  const lines: string[] = [];
  if (store.auth === 'lost') lines.push(`${bullet}${w.authLost}`);
  const markets = [...store.marketplaces].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  for (const market of markets) {
    const label = catalog.marketplace(market.marketplaceId);
    const where = label ? p.marketplaceName(label) : inert(market.marketplaceId);
    const fb = market.negativeFeedback;
    const items = [
      ...market.metrics.map((m) => metricLine(m, digest, catalog)).filter((x): x is string => x !== null),
      ...(fb && fb.count > 0 && market.level !== 'ok' ? [w.negativeFeedback(fb.count, fb.windowDays)] : []),
    ];
    for (const item of items) lines.push(`${bullet}${where} · ${item}`);
  }
  if (events.length > 0) {
    const headlines = events.slice(-CHANGES_SHOWN).map((e) => {
      const f = itemFacts({ alertId: e.event.key, storeName: store.name, event: e.event, category: e.category, reminder: false, createdAt: e.createdAt }, digest.language, catalog, digest.now);
      return [f.marketplacePlain, f.headline, f.order].filter(Boolean).join(' ');
    });
    const more = events.length > CHANGES_SHOWN ? `${digest.language === 'en' ? ', ' : '，'}${w.moreChanges(events.length - CHANGES_SHOWN)}` : '';
    lines.push(`${bullet}${p.label(w.changesLabel)}${headlines.join(digest.language === 'en' ? '; ' : '；')}${more}`);
  }
  return [head, ...lines].join('\n');
}

function grey(text: string, dialect: Dialect): string {
  return dialect === 'wecom' ? `<font color="comment">${text}</font>` : `*${text}*`;
}

function counts(digest: Digest, shown: StoreView[]) {
  const breach = digest.stores.filter((s) => s.level === 'breach').length;
  const warn = digest.stores.filter((s) => s.level === 'warn').length;
  const changes = shown.reduce((n, v) => n + v.events.length, 0);
  return { breach, warn, changes, risky: digest.stores.filter(atRisk).length };
}

/**
 * The digest as one markdown text of at most `maxBytes` UTF-8 bytes.
 *
 * @example
 * renderDigestMarkdown(digest, defaultCatalog, 'wecom', 4096)
 */
export function renderDigestMarkdown(digest: Digest, catalog: MessageCatalog, dialect: Dialect, maxBytes: number): string {
  const w = digestWords(digest.language);
  const p = phrases(digest.language);
  const { shown, quiet } = storeViews(digest);
  const c = counts(digest, shown);
  const title = dialect === 'wecom' ? `<font color="info">**${w.title(digest.day)}**</font>` : `### ${w.title(digest.day)}`;
  const header = [title, digest.stores.length === 0 ? w.noStores : w.summary(digest.stores.length, c.breach, c.warn, c.changes)];
  const rest = quiet > 0 ? [grey(shown.length === 0 ? w.allHealthy(quiet) : w.healthyRest(quiet), dialect)] : [];
  const footer = grey(`${p.brand} · ${localTime(digest.now, digest.timeZone)}`, dialect);
  const size = (parts: string[]) => utf8Bytes([...parts, footer].join('\n\n'));
  const parts = [...header];
  let done = 0;
  for (const view of shown) {
    const block = storeBlock(view, digest, catalog, dialect);
    const left = shown.length - done - 1;
    const reserve = [...(left > 0 ? [grey(w.moreStores(left), dialect)] : []), ...rest];
    if (size([...parts, block, ...reserve]) > maxBytes) break;
    parts.push(block);
    done++;
  }
  if (done < shown.length) parts.push(grey(w.moreStores(shown.length - done), dialect));
  return [...parts, ...rest, footer].join('\n\n');
}

/** A short title for services that show one: "店铺哨兵早报 · 2026-12-07 · 3 个店铺有风险". */
export function digestTitle(digest: Digest, max: number): string {
  const w = digestWords(digest.language);
  const risky = digest.stores.filter(atRisk).length;
  return clip(risky > 0 ? `${w.title(digest.day)} · ${w.atRisk(risky)}` : w.title(digest.day), max);
}

/** The digest in the body each channel type takes. */
export function renderDigest(type: ChannelType, digest: Digest, catalog: MessageCatalog): RenderedMessage {
  switch (type) {
    case 'wecom':
      return { type, body: { msgtype: 'markdown', markdown: { content: renderDigestMarkdown(digest, catalog, 'wecom', WECOM_MAX_BYTES) } } };
    case 'serverchan':
      return { type, body: { title: digestTitle(digest, SERVERCHAN_TITLE_MAX), desp: renderDigestMarkdown(digest, catalog, 'plain', PLAIN_MAX_BYTES) } };
    case 'pushplus':
      return { type, body: { title: digestTitle(digest, 100), content: renderDigestMarkdown(digest, catalog, 'plain', PLAIN_MAX_BYTES), template: 'markdown' } };
    case 'oa': {
      // Five 20-character fields, no emoji (messages/official-account.ts): the day, the risk, the news, the worst store.
      const w = digestWords(digest.language);
      const { shown } = storeViews(digest);
      const c = counts(digest, shown);
      const worst = shown[0];
      const field = (text: string) => ({ value: clip(text.trim() || '—', OA_FIELD_MAX) });
      return {
        type,
        body: {
          data: {
            thing1: field(w.title(digest.day)),
            thing2: field(c.risky > 0 ? w.atRisk(c.risky) : w.allHealthy(digest.stores.length)),
            thing3: field(w.changes(c.changes)),
            thing4: field(worst ? inert(worst.store.name) : '—'),
            time5: field(localTime(digest.now, digest.timeZone)),
          },
          url: null,
        },
      };
    }
  }
}
