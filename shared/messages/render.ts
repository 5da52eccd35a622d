/** One entry point: the request body each channel type takes for a batch, or for "send test". */
import type { ChannelType } from '../alerts/channel-verdicts.ts';
import type { Language } from '../alerts/rules.ts';
import type { MessageCatalog } from './catalog.ts';
import type { MessageBatch } from './facts.ts';
import { clip, localTime } from './format.ts';
import { renderWecom } from './markdown.ts';
import { type OaTemplateBody, OA_FIELD_MAX, renderOfficialAccount } from './official-account.ts';
import { phrases } from './phrases.ts';
import { SERVERCHAN_TITLE_MAX, renderPushPlus, renderServerChan } from './push-services.ts';

export type RenderedMessage =
  | { type: 'wecom'; body: { msgtype: 'markdown'; markdown: { content: string } } }
  | { type: 'oa'; body: OaTemplateBody }
  | { type: 'serverchan'; body: { title: string; desp: string } }
  | { type: 'pushplus'; body: { title: string; content: string; template: 'markdown' } };

export function renderForChannel(type: ChannelType, batch: MessageBatch, catalog: MessageCatalog): RenderedMessage {
  switch (type) {
    case 'wecom':
      return { type, body: renderWecom(batch, catalog) };
    case 'oa':
      return { type, body: renderOfficialAccount(batch, catalog) };
    case 'serverchan':
      return { type, body: renderServerChan(batch, catalog) };
    case 'pushplus':
      return { type, body: renderPushPlus(batch, catalog) };
  }
}

/** The "send test" message of a channel. */
export function renderTest(type: ChannelType, language: Language, timeZone: string, now: number): RenderedMessage {
  const p = phrases(language);
  const time = localTime(now, timeZone);
  switch (type) {
    case 'wecom':
      return {
        type,
        body: { msgtype: 'markdown', markdown: { content: `<font color="info">**${p.testTitle}**</font>\n${p.testBody}\n\n<font color="comment">${p.brand} · ${time}</font>` } },
      };
    case 'oa': {
      const field = (value: string) => ({ value: clip(value, OA_FIELD_MAX) });
      return {
        type,
        body: { data: { thing1: field(p.brand), thing2: field(p.testTitle), thing3: field('—'), thing4: field('OK'), time5: field(time) }, url: null },
      };
    }
    case 'serverchan':
      return { type, body: { title: clip(p.testTitle, SERVERCHAN_TITLE_MAX), desp: `${p.testBody}\n\n*${p.brand} · ${time}*` } };
    case 'pushplus':
      return { type, body: { title: p.testTitle, content: `${p.testBody}\n\n*${p.brand} · ${time}*`, template: 'markdown' } };
  }
}
