/**
 * One alert as the facts a person needs - what, where, old -> new, target, headroom, window, link -
 * already worded in the member's language. Every channel format is built from these.
 */
import { type AlertCategory, type Language, isCritical } from '../alerts/rules.ts';
import type { HealthEvent } from '../types.ts';
import type { MessageCatalog, MetricLabel } from './catalog.ts';
import { clip, inert, metricValue, targetText, windowText } from './format.ts';
import { type OdrPart, type Phrases, phrases } from './phrases.ts';

/** One alert in a message. */
export interface MessageItem {
  alertId: string;
  storeName: string;
  event: HealthEvent;
  category: AlertCategory;
  /** A reminder about an alert sent before and not acknowledged. */
  reminder: boolean;
  createdAt: number;
}

/** Everything going out to one channel at once. */
export interface MessageBatch {
  items: MessageItem[];
  language: Language;
  timeZone: string;
  now: number;
  /** Some of this may have been delivered before (see shared/alerts/outbox.ts). */
  resend: boolean;
}

export type Tone = 'critical' | 'warning' | 'info' | 'recovery';

export interface ItemFacts {
  tone: Tone;
  /** "订单缺陷率（自配送）已超标" */
  headline: string;
  subject: string;
  verdict: string;
  store: string;
  /** "🇺🇸 美国站" */
  marketplace: string | null;
  /** "美国站": without the flag, for places that take no emoji (Official Account fields). */
  marketplacePlain: string | null;
  /** "0.8% → 1.12%" */
  change: string | null;
  /** "0.8%→1.12% (<1%)": the change for a 20-character field. */
  changeCompact: string | null;
  target: string | null;
  headroom: string | null;
  /** A breach's way back: "需再有约 40 笔无缺陷订单才能回到目标内". */
  wayBack: string | null;
  window: string | null;
  /** The event kind's advice, or for a metric that broke or is near breaking, what to do first. */
  advice: string | null;
  link: string | null;
  /** Amazon's help page for the metric, on the marketplace's Seller Central host. */
  helpLink: string | null;
  reminder: string | null;
}

const TONE_RANK: Record<Tone, number> = { critical: 3, warning: 2, info: 1, recovery: 0 };
const DAY = 86_400_000;

function toneOf(item: MessageItem): Tone {
  if (item.category === 'recovery') return 'recovery';
  if (isCritical(item.event)) return 'critical';
  return item.event.severity === 'info' ? 'info' : 'warning';
}

/** Worst first (critical, warning, info, recovery), then oldest first: a batch leads with the worst. */
export function worstFirst(items: readonly MessageItem[]): MessageItem[] {
  return items
    .map((item, i) => ({ item, i, rank: TONE_RANK[toneOf(item)] }))
    .sort((a, b) => b.rank - a.rank || a.item.createdAt - b.item.createdAt || a.i - b.i)
    .map((x) => x.item);
}

function verdictOf(e: HealthEvent, p: Phrases): string {
  switch (e.kind) {
    case 'level_changed':
      if (e.to === 'breach') return p.verdict.breach;
      if (e.to === 'ok') return p.verdict.ok;
      return e.from === 'breach' ? p.verdict.improved : p.verdict.warn;
    case 'headroom_low':
      return p.verdict.headroomLow;
    case 'policy_count_rose':
      return p.verdict.countRose;
    case 'account_status_changed':
    case 'ahr_status_changed':
      return p.verdict.statusChanged;
    case 'auth_lost':
      return p.verdict.authLost;
    case 'reauth_due':
      return p.verdict.reauthDue;
    case 'data_stale':
      return p.verdict.stale;
    case 'polling_failing':
      return p.verdict.pollingFailing;
    case 'ahr_score_changed':
      return Number(e.to) < Number(e.from) ? p.verdict.scoreDown : p.verdict.scoreUp;
    case 'warning_state_changed':
      return e.to === 'BAD' ? p.verdict.warningOn : p.verdict.warningOff;
    case 'suspended_listings':
      return e.to === 'true' ? p.verdict.suspendedOn : p.verdict.suspendedOff;
    case 'odr_defects_rose': {
      const n = Number(e.to) - Number(e.from);
      return p.odrNew(Number.isFinite(n) && n > 0 ? n : 1, odrPart(e.detail.part));
    }
  }
}

function odrPart(part: string | undefined): OdrPart {
  return part === 'chargebacks' || part === 'negativeFeedback' ? part : 'claims';
}

function changeOf(e: HealthEvent, metric: MetricLabel | null, p: Phrases): string | null {
  const { valueFrom, valueTo, target } = e.detail;
  if (e.kind === 'odr_defects_rose') {
    // The new claim first, then where the rate stands (still under target, or the event would be a breach).
    const counts = `${p.odrPart(odrPart(e.detail.part))} ${inert(e.from ?? '—')} → ${inert(e.to ?? '—')}`;
    const rates = metric && typeof valueTo === 'number' ? ` · ${metricValue(valueFrom, metric.kind, target)} → ${metricValue(valueTo, metric.kind, target)}` : '';
    return `${counts}${rates}`;
  }
  if (e.kind === 'warning_state_changed') return `${inert(e.detail.part ?? '—')}: ${inert(e.from ?? '—')} → ${inert(e.to ?? '—')}`;
  if (e.kind === 'ahr_score_changed') return `${inert(e.from ?? '—')} → ${inert(e.to ?? '—')}`;
  if (metric && (typeof valueFrom === 'number' || typeof valueTo === 'number')) {
    return `${metricValue(valueFrom, metric.kind, target)} → ${metricValue(valueTo, metric.kind, target)}`;
  }
  if (e.kind === 'account_status_changed') {
    const name = (s: string | null) => (s === null ? '—' : (p.accountStatus[s] ?? inert(s)));
    return `${name(e.from)} → ${name(e.to)}`;
  }
  if (e.kind === 'ahr_status_changed' || e.kind === 'policy_count_rose') {
    return `${inert(e.from ?? '—')} → ${inert(e.to ?? '—')}`;
  }
  return null;
}

function headroomOf(e: HealthEvent, metric: MetricLabel | null, p: Phrases): string | null {
  if (!metric || (e.kind === 'level_changed' && e.to === 'ok')) return null;
  const h = e.detail.headroom;
  const words = { zh: metric.defectZh, en: metric.defectEn, enPlural: metric.defectEnPlural, shortEn: metric.shortEn };
  // Once broken there is no headroom left; the counts say by how much it is over.
  if (e.to === 'breach') return p.headroomGone(typeof e.detail.over === 'number' ? e.detail.over : null, words);
  return typeof h === 'number' ? p.headroomLeft(h, words) : null;
}

function wayBackOf(e: HealthEvent, metric: MetricLabel | null, p: Phrases): string | null {
  const n = e.detail.wayBack;
  if (!metric || e.to !== 'breach' || typeof n !== 'number' || n <= 0 || !metric.goodZh || !metric.goodEn) return null;
  return p.wayBack(n, { zh: metric.goodZh, en: metric.goodEn, enPlural: metric.goodEnPlural ?? metric.goodEn });
}

/** A metric's first step goes with the events that say it broke or is about to. */
function firstStepOf(e: HealthEvent, metric: MetricLabel | null, language: Language): string | null {
  if (!metric) return null;
  const worrying = (e.kind === 'level_changed' && (e.to === 'breach' || e.to === 'warn')) || e.kind === 'headroom_low' || e.kind === 'policy_count_rose';
  if (!worrying) return null;
  return (language === 'en' ? metric.firstStepEn : metric.firstStepZh) ?? null;
}

function helpLinkOf(metric: MetricLabel | null, accountHealthUrl: string | undefined): string | null {
  if (!metric?.helpPath || !accountHealthUrl) return null;
  const origin = /^https:\/\/[^/]+/.exec(accountHealthUrl);
  return origin ? `${origin[0]}${metric.helpPath}` : null;
}

/** The change for a 20-character field: a new claim is its count alone, a rate its values and target. */
function compactChange(e: HealthEvent, change: string | null, compactTarget: string | null, p: Phrases): string | null {
  if (e.kind === 'odr_defects_rose') return `${p.odrPart(odrPart(e.detail.part))} ${inert(e.from ?? '—')}→${inert(e.to ?? '—')}`;
  if (!change) return null;
  return compactTarget ? `${change.replace(/ → /, '→')} (${compactTarget})` : change.replace(/ → /, '→');
}

/** The facts of one item in `language`, looked up in `catalog`. */
export function itemFacts(item: MessageItem, language: Language, catalog: MessageCatalog, now: number): ItemFacts {
  const p = phrases(language);
  const e = item.event;
  const metric = e.metric ? catalog.metric(e.metric) : null;
  const market = e.marketplaceId ? catalog.marketplace(e.marketplaceId) : null;
  // A metric the catalog does not know (yet) is still named, by its id.
  const subject = metric ? (language === 'en' ? metric.en : metric.zh) : e.metric ? inert(e.metric) : (p.subject[e.kind] ?? e.kind);
  const verdict = verdictOf(e, p);
  const target = metric && e.detail.target ? p.target(targetText(e.detail.target, metric.kind)) : null;
  const compactTarget = metric && e.detail.target ? targetText(e.detail.target, metric.kind).replace(' ', '') : null;
  const change = changeOf(e, metric, p);
  const days = Math.max(1, Math.floor((now - item.createdAt) / DAY));
  return {
    tone: toneOf(item),
    headline: language === 'en' ? `${subject} ${verdict}` : `${subject}${verdict}`,
    subject,
    verdict,
    store: clip(inert(item.storeName), 60) || '—',
    marketplace: market ? p.marketplaceName(market) : e.marketplaceId ? inert(e.marketplaceId) : null,
    marketplacePlain: market ? p.marketplaceName({ ...market, flag: '' }).trim() : e.marketplaceId ? inert(e.marketplaceId) : null,
    change,
    changeCompact: compactChange(e, change, compactTarget, p),
    target,
    headroom: headroomOf(e, metric, p),
    wayBack: wayBackOf(e, metric, p),
    window: e.detail.window ? windowText(e.detail.window, p.windowSeparator) : null,
    advice: p.advice[e.kind] ?? firstStepOf(e, metric, language),
    link: market?.accountHealthUrl ?? null,
    helpLink: helpLinkOf(metric, market?.accountHealthUrl),
    reminder: item.reminder ? p.remindedAge(days) : null,
  };
}
