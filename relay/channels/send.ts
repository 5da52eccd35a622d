/** Sends one rendered message to one channel and returns the channel's own verdict. */
import { type ChannelVerdict, channelVerdict } from '../../shared/alerts/channel-verdicts.ts';
import { serverChanUrl } from '../../shared/alerts/channel-secrets.ts';
import type { RenderedMessage } from '../../shared/messages/render.ts';
import type { AlertDeps } from '../platform-deps.ts';
import type { ChannelRow } from '../alerts/settings.ts';
import { channelSecretBinding } from '../crypto/secrets.ts';
import type { Env } from '../env.ts';
import { postJson } from './http.ts';
import { sendTemplate } from './official-account.ts';

/** What a delivery held back by the relay's own keys says (the options banner says the rest). */
export const KEYS_MISMATCH_REASON = "held: the relay's encryption key does not open this channel's secret (TOKEN_ENCRYPTION_KEY replaced?); it goes out once the right key is back";

export const WECOM_WEBHOOK = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';
export const PUSHPLUS_SEND = 'https://www.pushplus.plus/send';

/**
 * `messageKey` identifies the message across a resend; only the Official Account can use it
 * (`client_msg_id`), the others have no idempotency key (see shared/alerts/outbox.ts).
 */
export async function sendToChannel(
  env: Env,
  deps: AlertDeps,
  channel: Pick<ChannelRow, 'id' | 'type' | 'secret'>,
  message: RenderedMessage,
  messageKey: string,
  now: number,
): Promise<ChannelVerdict> {
  let secret: string;
  try {
    secret = await deps.secrets.open(channel.secret, channelSecretBinding(channel.id));
  } catch {
    // The operator's fault, not the channel's: the relay's keys do not open what it stored (a
    // replaced TOKEN_ENCRYPTION_KEY). Nothing is broken or dead; it goes out once the key is back.
    return { outcome: 'retry', code: 'keys', reason: KEYS_MISMATCH_REASON, notBefore: null, operatorFault: true };
  }
  switch (message.type) {
    case 'wecom':
      return channelVerdict('wecom', await postJson(deps.fetch, `${WECOM_WEBHOOK}?key=${encodeURIComponent(secret)}`, message.body), now);
    case 'serverchan':
      return channelVerdict('serverchan', await postJson(deps.fetch, serverChanUrl(secret), message.body), now);
    case 'pushplus':
      return channelVerdict('pushplus', await postJson(deps.fetch, PUSHPLUS_SEND, { token: secret, ...message.body }), now);
    case 'oa':
      return sendTemplate(env, deps, secret, message.body, messageKey, now);
  }
}
