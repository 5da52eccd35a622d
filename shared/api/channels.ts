/** Contract of `/v1/channels`: secrets go in, only masked hints come out. */
import * as v from 'valibot';
import { isValidTimeZone } from '../alerts/quiet-hours.ts';

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40));
const Language = v.picklist(['zh-CN', 'en']);
const TimeZone = v.pipe(v.string(), v.maxLength(64), v.check(isValidTimeZone, 'an IANA time zone, e.g. Asia/Shanghai'));
/** The robot key or webhook URL, the SendKey, the PushPlus token - checked per type by the relay. */
const Secret = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(512));

/**
 * A WeCom robot is a team channel (owners add it); ServerChan and PushPlus are personal. The
 * Official Account channel is created by scanning the QR code (`POST /v1/wechat/qr`), not here.
 */
export const CreateChannelRequest = v.strictObject({
  type: v.picklist(['wecom', 'serverchan', 'pushplus']),
  name: Name,
  secret: Secret,
  language: v.optional(Language),
  timeZone: v.optional(TimeZone),
});
export type CreateChannelRequest = v.InferOutput<typeof CreateChannelRequest>;

export const PatchChannelRequest = v.strictObject({
  name: v.optional(Name),
  secret: v.optional(Secret),
  language: v.optional(Language),
  timeZone: v.optional(TimeZone),
});
export type PatchChannelRequest = v.InferOutput<typeof PatchChannelRequest>;

export const ChannelView = v.object({
  id: v.string(),
  type: v.picklist(['wecom', 'oa', 'serverchan', 'pushplus']),
  name: v.string(),
  /** team: everyone's (a WeCom group robot); personal: one member's. */
  scope: v.picklist(['team', 'personal']),
  memberId: v.nullable(v.string()),
  /** e.g. "693a…5aaa": the secret itself is never returned. */
  secretHint: v.string(),
  language: Language,
  timeZone: v.string(),
  state: v.picklist(['ok', 'broken']),
  brokenReason: v.nullable(v.string()),
  brokenAt: v.nullable(v.number()),
  createdAt: v.number(),
});
export type ChannelView = v.InferOutput<typeof ChannelView>;

export const ChannelsResponse = v.object({ channels: v.array(ChannelView) });

/** `POST /v1/channels/:id/test`: what the channel itself answered. */
export const ChannelTestResponse = v.object({
  verdict: v.object({
    outcome: v.picklist(['sent', 'retry', 'refresh_token', 'rejected', 'broken']),
    code: v.string(),
    reason: v.nullable(v.string()),
  }),
  channel: ChannelView,
});
export type ChannelTestResponse = v.InferOutput<typeof ChannelTestResponse>;

/**
 * `GET /v1/wechat/binding` and `POST /v1/wechat/binding/confirm` (the caller's own): a scanned QR
 * code binds nothing until its member confirms it here, so a code photographed over a shoulder
 * and scanned by someone else never receives the team's alerts. `scanned`: waiting for that
 * confirmation (`scannedAt`, `hint` a masked WeChat id); `bound`: alerts go to it.
 */
export const WechatBindingResponse = v.object({
  state: v.picklist(['none', 'pending', 'scanned', 'bound', 'disabled']),
  scannedAt: v.nullable(v.number()),
  hint: v.nullable(v.string()),
});
export type WechatBindingResponse = v.InferOutput<typeof WechatBindingResponse>;

/** `POST /v1/wechat/qr`: a short-lived parametric QR code binding the caller's WeChat. */
export const WechatQrResponse = v.object({
  ticket: v.string(),
  url: v.string(),
  imageUrl: v.string(),
  expiresAt: v.number(),
});
export type WechatQrResponse = v.InferOutput<typeof WechatQrResponse>;
