/**
 * Official Account template message data. Since 2023-05 a template shows each field as at most 20
 * characters, with no colours and no first/remark lines (docs/domain/wechat.md#wechat-official-account-template-messages), so a batch becomes
 * its worst alert in five short fields plus "and N more"; the link opens that marketplace's
 * Account Health page. No emoji in fields: WeChat's field checks are undocumented for them.
 *
 * The template the deployment registers (WECHAT_TEMPLATE_ID) must have these keywords:
 *   thing1 店铺 (store)  thing2 指标 (what)  thing3 变化 (change)  thing4 状态 (status)  time5 时间 (time)
 */
import type { MessageCatalog } from './catalog.ts';
import { type MessageBatch, itemFacts, worstFirst } from './facts.ts';
import { clip, localTime } from './format.ts';
import { phrases } from './phrases.ts';

export const OA_FIELD_MAX = 20;

export interface OaTemplateBody {
  data: Record<'thing1' | 'thing2' | 'thing3' | 'thing4' | 'time5', { value: string }>;
  url: string | null;
}

export function renderOfficialAccount(batch: MessageBatch, catalog: MessageCatalog): OaTemplateBody {
  const p = phrases(batch.language);
  const items = worstFirst(batch.items);
  const first = items[0];
  const f = first ? itemFacts(first, batch.language, catalog, batch.now) : null;
  const more = items.length > 1 ? (batch.language === 'en' ? ` +${items.length - 1}` : ` 等${items.length}项`) : '';
  const field = (text: string) => ({ value: clip(text.trim() || '—', OA_FIELD_MAX) });
  // Clip the variable part first so "+N" / "等N项" always survives.
  const withMore = (text: string) => field(`${clip(text, OA_FIELD_MAX - [...more].length)}${more}`);
  const where = f ? [f.store, f.marketplacePlain].filter(Boolean).join(' ') : p.brand;
  const change = f?.changeCompact ?? f?.verdict ?? '';
  // A warning's headroom says more than its verdict; a breach's verdict says it all.
  const status = f ? (f.reminder ? `${p.reminder} ${f.verdict}` : f.tone === 'critical' ? f.verdict : (f.headroom ?? f.verdict)) : '';
  return {
    data: {
      thing1: field(where),
      thing2: withMore(f?.subject ?? p.testTitle),
      thing3: field(change),
      thing4: field(status),
      time5: field(localTime(batch.now, batch.timeZone)),
    },
    url: f?.link ?? null,
  };
}
