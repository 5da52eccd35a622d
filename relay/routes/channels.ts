/**
 * `GET/POST/PATCH/DELETE /v1/channels` and `POST /v1/channels/:id/test`. A WeCom robot is a team
 * channel that owners manage; ServerChan, PushPlus and the Official Account binding are personal.
 * Secrets are stored encrypted and never returned - only a masked hint.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ChannelType } from '../../shared/alerts/channel-verdicts.ts';
import { maskSecret, parsePushPlusToken, parseServerChanKey, parseWecomKey } from '../../shared/alerts/channel-secrets.ts';
import { CreateChannelRequest, type ChannelView, PatchChannelRequest } from '../../shared/api/channels.ts';
import { LIMITS } from '../../shared/api/limits.ts';
import { testChannel } from '../alerts/channel-test.ts';
import { deleteChannel, insertChannel, updateChannel } from '../alerts/channels-db.ts';
import { forgetNextLook, saveDigestSettings } from '../digest/digest-db.ts';
import { type ChannelWithDigest, digestSettingsOf } from '../digest/digest-settings.ts';
import { type ChannelRow, getChannel, listChannels } from '../alerts/settings.ts';
import { channelSecretBinding } from '../crypto/secrets.ts';
import { requireMember } from './guards.ts';
import { type Caller, type RelayEnv, apiError, limitError, readJson } from './kit.ts';

export function channelView(row: ChannelWithDigest): ChannelView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    scope: row.member_id === null ? 'team' : 'personal',
    memberId: row.member_id,
    secretHint: row.secret_hint,
    language: row.language === 'en' ? 'en' : 'zh-CN',
    timeZone: row.time_zone,
    state: row.state,
    brokenReason: row.broken_reason,
    brokenAt: row.broken_at,
    createdAt: row.created_at,
    digest: digestSettingsOf(row),
  };
}

/** Owners see every channel (so they see a broken one); members the team's and their own. */
function canSee(caller: Caller, row: ChannelRow): boolean {
  return row.workspace_id === caller.workspaceId && (caller.role === 'owner' || row.member_id === null || row.member_id === caller.memberId);
}

/** Team channels are the owners'; a personal channel is its member's (and owners may remove it). */
function canChange(caller: Caller, row: ChannelRow): boolean {
  return row.workspace_id === caller.workspaceId && (caller.role === 'owner' || row.member_id === caller.memberId);
}

const PARSERS: Record<Exclude<ChannelType, 'oa'>, (input: string) => string | null> = {
  wecom: parseWecomKey,
  serverchan: parseServerChanKey,
  pushplus: parsePushPlusToken,
};

const SECRET_HELP: Record<Exclude<ChannelType, 'oa'>, string> = {
  wecom: 'a WeCom robot key or its webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...)',
  serverchan: 'a ServerChan SendKey (SCT... or sctp...)',
  pushplus: 'a PushPlus token',
};

async function findVisible(c: Context<RelayEnv>): Promise<ChannelRow | null> {
  const row = await getChannel(c.env.DB, c.req.param('id') ?? '');
  return row && canSee(c.var.caller, row) ? row : null;
}

export function channelsRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/channels', requireMember, async (c) => {
    const rows = await listChannels(c.env.DB, c.var.caller.workspaceId);
    return c.json({ channels: rows.filter((r) => canSee(c.var.caller, r)).map(channelView) });
  });

  app.post('/channels', requireMember, async (c) => {
    const body = await readJson(c, CreateChannelRequest);
    if (!body.ok) return body.response;
    const { type, name, language, timeZone } = body.value;
    const caller = c.var.caller;
    if (type === 'wecom' && caller.role !== 'owner') return apiError(c, 403, 'owners_only', 'only owners can add a team WeCom robot');
    const secret = PARSERS[type](body.value.secret);
    if (!secret) return apiError(c, 400, 'invalid_secret', `secret: expected ${SECRET_HELP[type]}`);
    const d = c.var.deps;
    const at = d.now();
    const id = d.newId();
    const row: ChannelRow = {
      id,
      workspace_id: caller.workspaceId,
      member_id: type === 'wecom' ? null : caller.memberId,
      type,
      name,
      secret: await d.secrets.seal(secret, channelSecretBinding(id)),
      secret_hint: maskSecret(secret),
      language: language ?? 'zh-CN',
      time_zone: timeZone ?? 'Asia/Shanghai',
      state: 'ok',
      broken_reason: null,
      broken_at: null,
      next_send_at: 0,
      lease_token: null,
      lease_until: null,
      created_at: at,
      updated_at: at,
    };
    const cap = row.member_id === null ? 'teamChannelsPerWorkspace' : 'personalChannelsPerMember';
    if (!(await insertChannel(c.env.DB, row, LIMITS[cap]))) return limitError(c, cap);
    return c.json({ channel: channelView(row) }, 201);
  });

  app.patch('/channels/:id', requireMember, async (c) => {
    const row = await findVisible(c);
    if (!row) return apiError(c, 404, 'not_found', 'no such channel');
    if (!canChange(c.var.caller, row)) return apiError(c, 403, 'forbidden', 'only owners or the channel’s member can change it');
    const body = await readJson(c, PatchChannelRequest);
    if (!body.ok) return body.response;
    const next = { ...row, updated_at: c.var.deps.now() };
    if (body.value.name !== undefined) next.name = body.value.name;
    if (body.value.language !== undefined) next.language = body.value.language;
    if (body.value.timeZone !== undefined) next.time_zone = body.value.timeZone;
    if (body.value.secret !== undefined) {
      if (row.type === 'oa') return apiError(c, 400, 'invalid_secret', 'an Official Account channel is re-bound by scanning a new QR code');
      const secret = PARSERS[row.type](body.value.secret);
      if (!secret) return apiError(c, 400, 'invalid_secret', `secret: expected ${SECRET_HELP[row.type]}`);
      // A new key is a fresh start: the channel is presumed working until it answers otherwise.
      Object.assign(next, { secret: await c.var.deps.secrets.seal(secret, channelSecretBinding(row.id)), secret_hint: maskSecret(secret), state: 'ok', broken_reason: null, broken_at: null });
    }
    await updateChannel(c.env.DB, next);
    let view = channelView(next);
    if (body.value.digest !== undefined) {
      const before = digestSettingsOf(next);
      const digest = { ...before, ...body.value.digest };
      await saveDigestSettings(c.env.DB, row.id, digest, digest.enabled && !before.enabled, next.updated_at);
      view = { ...view, digest };
    } else if (body.value.timeZone !== undefined) {
      // A digest that follows the channel's zone moves with it.
      await forgetNextLook(c.env.DB, row.id);
    }
    return c.json({ channel: view });
  });

  app.delete('/channels/:id', requireMember, async (c) => {
    const row = await findVisible(c);
    if (!row) return apiError(c, 404, 'not_found', 'no such channel');
    if (!canChange(c.var.caller, row)) return apiError(c, 403, 'forbidden', 'only owners or the channel’s member can remove it');
    await deleteChannel(c.env.DB, row.id);
    return c.body(null, 204);
  });

  app.post('/channels/:id/test', requireMember, async (c) => {
    const row = await findVisible(c);
    if (!row) return apiError(c, 404, 'not_found', 'no such channel');
    const caller = c.var.caller;
    if (row.member_id === null && caller.role !== 'owner') return apiError(c, 403, 'owners_only', 'only owners can test a team channel');
    if (row.member_id !== null && row.member_id !== caller.memberId) return apiError(c, 403, 'forbidden', 'only its own member can test a personal channel');
    const d = c.var.deps;
    const now = d.now();
    const result = await testChannel(c.env, d, row.id, now);
    if (!result.tested) {
      c.header('retry-after', String(Math.max(1, Math.ceil((result.retryAt - now) / 1000))));
      return apiError(c, 429, 'rate_limited', 'this channel was tested or messaged a moment ago; try again after retry-after seconds');
    }
    const { verdict } = result;
    const reason = verdict.outcome === 'sent' ? null : verdict.reason;
    return c.json({ verdict: { outcome: verdict.outcome, code: verdict.code, reason }, channel: channelView(result.channel) });
  });

  return app;
}
