/**
 * Binding a person's WeChat to the Official Account by QR code (DOMAIN.md section 5):
 * `POST /v1/wechat/qr` (a member) shows a short-lived parametric QR; WeChat then calls
 * `GET/POST /wechat/callback` (no auth, signature-checked) when it is scanned.
 *
 * Plaintext mode only: there the signature covers token, timestamp and nonce but not the body,
 * so a captured signature could carry another body. We therefore also require the timestamp and
 * the event's CreateTime to be recent, drop repeats of FromUserName + CreateTime, accept a scene
 * only once and only before it expires, and read nothing from the body but flat fields.
 */
import { Hono } from 'hono';
import { maskSecret } from '../../shared/alerts/channel-secrets.ts';
import { CALLBACK_MAX_BYTES, callbackAction, parseCallbackXml, signatureBase } from '../../shared/alerts/wechat-callback.ts';
import type { Env } from '../env.ts';
import { createQrTicket } from '../channels/official-account.ts';
import { type AlertRouteOptions, type AlertsAppEnv, apiError, resolveOptions } from './alert-routes-kit.ts';

/** A QR code lives 10 minutes: long enough to scan, short enough not to linger in a screenshot. */
const QR_SECONDS = 600;
/** How far a callback's timestamps may be from our clock. */
const CALLBACK_SKEW_MS = 5 * 60_000;

async function hexDigest(algorithm: 'SHA-1' | 'SHA-256', text: string): Promise<string> {
  const digest = await crypto.subtle.digest(algorithm, new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** WeChat's signature: sha1 of token, timestamp and nonce sorted and joined, and a fresh timestamp. */
async function signedByWechat(env: Env, query: Record<string, string>, now: number): Promise<boolean> {
  const { signature, timestamp, nonce } = query;
  if (!env.WECHAT_TOKEN || !signature || !timestamp || !nonce || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Number(timestamp) * 1000 - now) > CALLBACK_SKEW_MS) return false;
  return sameText(await hexDigest('SHA-1', signatureBase(env.WECHAT_TOKEN, timestamp, nonce)), signature.toLowerCase());
}

/** The body as text, or null past `max` bytes - without reading an unbounded body into memory. */
async function readAtMost(request: Request, max: number): Promise<string | null> {
  if (Number(request.headers.get('content-length') ?? '0') > max) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

export function openidHash(openid: string): Promise<string> {
  return hexDigest('SHA-256', `oa-openid:${openid}`);
}

/** `POST /qr`, mounted under /v1/wechat with the auth middleware. */
export function wechatQrRoutes(options: AlertRouteOptions) {
  const { deps, now } = resolveOptions(options);
  const app = new Hono<AlertsAppEnv>();
  app.use('*', options.auth);

  app.post('/qr', async (c) => {
    const { workspaceId, memberId } = c.var.caller;
    const d = deps(c.env);
    const at = now();
    const scene = `sw${d.newId().replace(/-/g, '')}`.slice(0, 64);
    const qr = await createQrTicket(c.env, d, scene, QR_SECONDS, at);
    if ('verdict' in qr) {
      const status = qr.verdict.code === 'not_configured' ? 503 : 502;
      return apiError(c, status, 'wechat', qr.verdict.outcome === 'sent' ? 'no QR code' : qr.verdict.reason);
    }
    const expiresAt = at + qr.expireSeconds * 1000;
    // One QR per member: a new one replaces the scene of the last, which then binds nothing.
    await c.env.DB.prepare(
      `INSERT INTO oa_bindings (member_id, workspace_id, scene, scene_expires_at, state, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT(member_id) DO UPDATE SET scene = excluded.scene, scene_expires_at = excluded.scene_expires_at,
         state = CASE WHEN oa_bindings.state = 'bound' THEN 'bound' ELSE 'pending' END, updated_at = excluded.updated_at`,
    )
      .bind(memberId, workspaceId, scene, expiresAt, at)
      .run();
    return c.json({
      ticket: qr.ticket,
      url: qr.url,
      imageUrl: `${(c.env.WECHAT_QR_IMAGE_BASE || 'https://mp.weixin.qq.com').replace(/\/+$/, '')}/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`,
      expiresAt,
    });
  });

  return app;
}

async function bind(env: Env, options: ReturnType<typeof resolveOptions>, openid: string, scene: string, now: number): Promise<D1PreparedStatement[]> {
  const db = env.DB;
  const binding = await db
    .prepare('SELECT member_id, workspace_id, channel_id FROM oa_bindings WHERE scene = ? AND scene_expires_at > ?')
    .bind(scene, now)
    .first<{ member_id: string; workspace_id: string; channel_id: string | null }>();
  if (!binding) return [];
  const d = options.deps(env);
  const sealed = await d.secrets.seal(openid);
  const hash = await openidHash(openid);
  const channelId = binding.channel_id ?? d.newId();
  const upsertChannel = binding.channel_id
    ? db
        .prepare("UPDATE channels SET secret = ?, secret_hint = ?, state = 'ok', broken_reason = NULL, broken_at = NULL, updated_at = ? WHERE id = ?")
        .bind(sealed, maskSecret(openid), now, channelId)
    : db
        .prepare(
          `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, state, next_send_at, created_at, updated_at)
           VALUES (?, ?, ?, 'oa', '微信公众号', ?, ?, 'ok', 0, ?, ?)`,
        )
        .bind(channelId, binding.workspace_id, binding.member_id, sealed, maskSecret(openid), now, now);
  return [
    upsertChannel,
    // The scene is spent: the same QR (or a replay of its scan) binds nothing more.
    db
      .prepare("UPDATE oa_bindings SET state = 'bound', openid_hash = ?, channel_id = ?, scene_expires_at = ?, updated_at = ? WHERE member_id = ?")
      .bind(hash, channelId, now, now, binding.member_id),
  ];
}

async function unfollow(env: Env, openid: string, now: number): Promise<D1PreparedStatement[]> {
  const db = env.DB;
  const hash = await openidHash(openid);
  return [
    db
      .prepare(
        `UPDATE channels SET state = 'broken', broken_reason = 'the user unfollowed the Official Account', broken_at = ?, updated_at = ?
         WHERE id IN (SELECT channel_id FROM oa_bindings WHERE openid_hash = ?)`,
      )
      .bind(now, now, hash),
    db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE openid_hash = ?").bind(now, hash),
  ];
}

/** `GET/POST /callback`, mounted under /wechat without auth: WeChat signs, we verify. */
export function wechatCallbackRoutes(options: Omit<AlertRouteOptions, 'auth'>) {
  const resolved = resolveOptions({ ...options, auth: async (_c, next) => next() });
  const app = new Hono<{ Bindings: Env }>();

  app.get('/callback', async (c) => {
    if (!(await signedByWechat(c.env, c.req.query(), resolved.now()))) return c.text('forbidden', 403);
    return c.text(c.req.query('echostr') ?? '');
  });

  app.post('/callback', async (c) => {
    const now = resolved.now();
    if (!(await signedByWechat(c.env, c.req.query(), now))) return c.text('forbidden', 403);
    const body = await readAtMost(c.req.raw, CALLBACK_MAX_BYTES);
    if (body === null) return c.text('success');
    const parsed = parseCallbackXml(body);
    // WeChat shows the person an error for anything but "success": every signed call gets it.
    if (!parsed.ok) return c.text('success');
    const action = callbackAction(parsed.fields);
    if (action.type === 'ignore' || Math.abs(Number(action.createTime) * 1000 - now) > CALLBACK_SKEW_MS) return c.text('success');
    const db = c.env.DB;
    const seen = await db
      .prepare('SELECT 1 FROM wechat_callbacks_seen WHERE from_user = ? AND create_time = ?')
      .bind(action.openid, action.createTime)
      .first();
    if (seen) return c.text('success');
    const changes = action.type === 'bind' ? await bind(c.env, resolved, action.openid, action.scene, now) : await unfollow(c.env, action.openid, now);
    await db.batch([
      ...changes,
      db
        .prepare('INSERT INTO wechat_callbacks_seen (from_user, create_time, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .bind(action.openid, action.createTime, now),
    ]);
    return c.text('success');
  });

  return app;
}
