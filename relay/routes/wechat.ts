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
import { CALLBACK_MAX_BYTES, callbackAction, parseCallbackXml, signatureBase } from '../../shared/alerts/wechat-callback.ts';
import { bindStatements, callbackSeen, findPendingScene, markCallbackSeen, savePendingScene, unfollowStatements } from '../alerts/oa-bindings-db.ts';
import { createQrTicket } from '../channels/official-account.ts';
import type { Env } from '../env.ts';
import type { PlatformDeps } from '../platform-deps.ts';
import { requireMember } from './guards.ts';
import { type RelayEnv, apiError } from './kit.ts';

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
export function wechatQrRoutes() {
  const app = new Hono<RelayEnv>();

  app.post('/qr', requireMember, async (c) => {
    const { workspaceId, memberId } = c.var.caller;
    const d = c.var.deps;
    const at = d.now();
    const scene = `sw${d.newId().replace(/-/g, '')}`.slice(0, 64);
    const qr = await createQrTicket(c.env, d, scene, QR_SECONDS, at);
    if ('verdict' in qr) {
      const status = qr.verdict.code === 'not_configured' ? 503 : 502;
      return apiError(c, status, 'wechat', qr.verdict.outcome === 'sent' ? 'no QR code' : qr.verdict.reason);
    }
    const expiresAt = at + qr.expireSeconds * 1000;
    await savePendingScene(c.env.DB, { memberId, workspaceId, scene, expiresAt }, at);
    return c.json({
      ticket: qr.ticket,
      url: qr.url,
      imageUrl: `${(c.env.WECHAT_QR_IMAGE_BASE || 'https://mp.weixin.qq.com').replace(/\/+$/, '')}/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`,
      expiresAt,
    });
  });

  return app;
}

async function bind(db: D1Database, deps: PlatformDeps, openid: string, scene: string, now: number): Promise<D1PreparedStatement[]> {
  const binding = await findPendingScene(db, scene, now);
  if (!binding) return [];
  const channel = { id: binding.channel_id ?? deps.newId(), sealedOpenid: await deps.secrets.seal(openid), openid, openidHash: await openidHash(openid) };
  return bindStatements(db, binding, channel, now);
}

/** `GET/POST /callback`, mounted under /wechat without auth: WeChat signs, we verify. */
export function wechatCallbackRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/callback', async (c) => {
    if (!(await signedByWechat(c.env, c.req.query(), c.var.deps.now()))) return c.text('forbidden', 403);
    return c.text(c.req.query('echostr') ?? '');
  });

  app.post('/callback', async (c) => {
    const now = c.var.deps.now();
    if (!(await signedByWechat(c.env, c.req.query(), now))) return c.text('forbidden', 403);
    const body = await readAtMost(c.req.raw, CALLBACK_MAX_BYTES);
    if (body === null) return c.text('success');
    const parsed = parseCallbackXml(body);
    // WeChat shows the person an error for anything but "success": every signed call gets it.
    if (!parsed.ok) return c.text('success');
    const action = callbackAction(parsed.fields);
    if (action.type === 'ignore' || Math.abs(Number(action.createTime) * 1000 - now) > CALLBACK_SKEW_MS) return c.text('success');
    const db = c.env.DB;
    if (await callbackSeen(db, action.openid, action.createTime)) return c.text('success');
    const changes = action.type === 'bind' ? await bind(db, c.var.deps, action.openid, action.scene, now) : unfollowStatements(db, await openidHash(action.openid), now);
    await db.batch([...changes, markCallbackSeen(db, action.openid, action.createTime, now)]);
    return c.text('success');
  });

  return app;
}
