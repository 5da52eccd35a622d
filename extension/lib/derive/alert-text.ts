/**
 * An alert of the feed in words, built by the same code that words the WeChat messages
 * (shared/messages/facts.ts), so the popup and the phone say the same thing.
 */
import type { AlertView } from '../../../shared/api/index.ts';
import { EVENT_KINDS, type Language } from '../../../shared/alerts/rules.ts';
import { defaultCatalog } from '../../../shared/messages/default-catalog.ts';
import { type ItemFacts, itemFacts } from '../../../shared/messages/facts.ts';
import type { HealthEvent, HealthEventKind, MetricId } from '../../../shared/types.ts';

function isKind(kind: string): kind is HealthEventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind);
}

/** Null for a kind this build does not know yet: shown as a plain line rather than mis-worded. */
export function alertFacts(alert: AlertView, storeName: string, language: Language, now: number): ItemFacts | null {
  if (!isKind(alert.kind)) return null;
  const event: HealthEvent = {
    key: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    marketplaceId: alert.marketplaceId,
    metric: alert.metric as MetricId | null,
    from: alert.from,
    to: alert.to,
    // The relay stores HealthEvent.detail verbatim (shared/api/alerts.ts).
    detail: alert.detail as HealthEvent['detail'],
  };
  const facts = itemFacts({ alertId: alert.id, storeName, event, category: alert.category, reminder: false, createdAt: alert.createdAt }, language, defaultCatalog, now);
  return { ...facts, change: firstReading(facts.change, language) };
}

/** A change from nothing is a first reading: "当前 3%" / "now 3%", not "— → 3%". */
export function firstReading(change: string | null, language: Language): string | null {
  if (!change?.startsWith('— → ')) return change;
  return `${language === 'en' ? 'now' : '当前'} ${change.slice('— → '.length)}`;
}

/** "ODR (MFN) breached its target · 0.8% → 1.12%": one line for a notification or a list. */
export function alertLine(facts: ItemFacts): string {
  return [facts.headline, facts.change, facts.headroom].filter(Boolean).join(' · ');
}
