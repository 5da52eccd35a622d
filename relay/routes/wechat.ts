/**
 * Binding a person's WeChat to the Official Account by QR code (docs/domain/wechat.md):
 * `POST /v1/wechat/qr` (a member) shows a short-lived parametric QR; WeChat then calls
 * `GET/POST /wechat/callback` (no auth, signature-checked) when it is scanned; the scan binds
 * nothing until the member confirms it (`GET /v1/wechat/binding`, `POST /v1/wechat/binding/confirm`),
 * so a code scanned by someone else - a photo over a shoulder - never receives the team's alerts.
 *
 * Plaintext mode: the signature covers token, timestamp and nonce but not the body, so a captured
 * signature could carry another body. So the timestamp and the event's CreateTime must be recent,
 * one timestamp + nonce carries one body only (wechat_nonces), repeats of FromUserName + CreateTime
 * are dropped, a scene is accepted once and only before it expires, and only flat fields are read.
 * Safe mode (WECHAT_ENCODING_AES_KEY set): the body is encrypted and `msg_signature` covers it;
 * then plaintext bodies are refused.
 */
import { Hono } from 'hono';
import { maskSecret } from '../../shared/alerts/channel-secrets.ts';
import { CALLBACK_MAX_BYTES, callbackAction, parseCallbackXml, signatureBase } from '../../shared/alerts/wechat-callback.ts';
import { encryptedField, isEncodingAesKey, msgSignatureBase, unframeMessage } from '../../shared/alerts/wechat-safe-mode.ts';
import {
  type BindingRow,
  bindStatements,
  callbackSeen,
  findBinding,
  findPendingScene,
  firstBodyFor,
  markCallbackSeen,
  savePendingScene,
  scannedStatement,
  unfollowStatements,
} from '../alerts/oa-bindings-db.ts';
import { createQrTicket } from '../channels/official-account.ts';
import { decryptCbcUnpadded } from '../crypto/aes-cbc.ts';
import { fromBase64 } from '../crypto/encoding.ts';
import { channelSecretBinding } from '../crypto/secrets.ts';
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

type Opened = { ok: true; xml: string } | { ok: false };

/**
 * The event XML of a callback: the body itself in plaintext mode, or its decrypted `<Encrypt>` in
 * safe mode after checking `msg_signature` and the appid inside. With an EncodingAESKey set, a
 * plaintext body is refused: its signature does not cover it.
 */
async function openCallback(env: Env, query: Record<string, string>, body: string): Promise<Opened> {
  const key = env.WECHAT_ENCODING_AES_KEY;
  if (query.encrypt_type !== 'aes') return key ? { ok: false } : { ok: true, xml: body };
  if (!key || !isEncodingAesKey(key) || !env.WECHAT_TOKEN || !env.WECHAT_APP_ID) return { ok: false };
  const encrypt = encryptedField(body);
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!encrypt || !signature || !timestamp || !nonce) return { ok: false };
  if (!sameText(await hexDigest('SHA-1', msgSignatureBase(env.WECHAT_TOKEN, timestamp, nonce, encrypt)), signature.toLowerCase())) return { ok: false };
  let plain: Uint8Array;
  try {
    const aesKey = fromBase64(`${key}=`);
    plain = await decryptCbcUnpadded(aesKey, aesKey.slice(0, 16), fromBase64(encrypt));
  } catch {
    return { ok: false };
  }
  const unframed = unframeMessage(plain);
  return unframed.ok && unframed.appId === env.WECHAT_APP_ID ? { ok: true, xml: unframed.message } : { ok: false };
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

  app.get('/binding', requireMember, async (c) => {
    return c.json(bindingView(await findBinding(c.env.DB, c.var.caller.memberId), c.var.deps.now()));
  });

  /** The member confirms that the WeChat that scanned their code is theirs: alerts go to it from now on. */
  app.post('/binding/confirm', requireMember, async (c) => {
    const d = c.var.deps;
    const now = d.now();
    const row = await findBinding(c.env.DB, c.var.caller.memberId);
    const view = bindingView(row, now);
    if (!row || view.state !== 'scanned' || !row.scanned_openid || !row.scanned_openid_hash) {
      return apiError(c, 404, 'not_found', 'no scan is waiting for confirmation: show a new QR code and scan it');
    }
    const openid = await d.secrets.open(row.scanned_openid, scanBinding(row.member_id));
    const id = row.channel_id ?? d.newId();
    const channel = { id, sealedOpenid: await d.secrets.seal(openid, channelSecretBinding(id)), openid, openidHash: row.scanned_openid_hash };
    await c.env.DB.batch(bindStatements(c.env.DB, { member_id: row.member_id, workspace_id: row.workspace_id, channel_id: row.channel_id }, channel, now));
    return c.json(bindingView(await findBinding(c.env.DB, row.member_id), now));
  });

  return app;
}

/** What the scanned openid is sealed to until its member confirms it. */
const scanBinding = (memberId: string) => `oa-scan/${memberId}`;

/** A scan spends the scene and waits for its member's confirmation; nothing is bound yet. */
async function scanned(db: D1Database, deps: PlatformDeps, openid: string, scene: string, now: number): Promise<D1PreparedStatement[]> {
  const binding = await findPendingScene(db, scene, now);
  if (!binding) return [];
  const sealedOpenid = await deps.secrets.seal(openid, scanBinding(binding.member_id));
  return [scannedStatement(db, binding, { sealedOpenid, openidHash: await openidHash(openid), hint: maskSecret(openid) }, now)];
}

/** The member's view: a scan within the QR code's lifetime waits for confirmation. */
function bindingView(row: BindingRow | null, now: number) {
  if (!row) return { state: 'none' as const, scannedAt: null, hint: null };
  if (row.scanned_openid && row.scanned_at !== null && row.scanned_at + QR_SECONDS * 1000 > now) {
    return { state: 'scanned' as const, scannedAt: row.scanned_at, hint: row.scanned_hint };
  }
  return { state: row.state, scannedAt: null, hint: row.state === 'bound' ? row.hint : null };
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
    const query = c.req.query();
    if (!(await signedByWechat(c.env, query, now))) return c.text('forbidden', 403);
    const body = await readAtMost(c.req.raw, CALLBACK_MAX_BYTES);
    if (body === null) return c.text('success');
    const db = c.env.DB;
    // WeChat retries with the same body; another body under the same signature is a forgery.
    const bodyHash = await hexDigest('SHA-256', body);
    if ((await firstBodyFor(db, query.timestamp!, query.nonce!, bodyHash, now, 2 * CALLBACK_SKEW_MS)) !== bodyHash) return c.text('forbidden', 403);
    const opened = await openCallback(c.env, query, body);
    if (!opened.ok) return c.text('forbidden', 403);
    const parsed = parseCallbackXml(opened.xml);
    // WeChat shows the person an error for anything but "success": every signed call gets it.
    if (!parsed.ok) return c.text('success');
    const action = callbackAction(parsed.fields);
    if (action.type === 'ignore' || Math.abs(Number(action.createTime) * 1000 - now) > CALLBACK_SKEW_MS) return c.text('success');
    if (await callbackSeen(db, action.openid, action.createTime)) return c.text('success');
    const changes = action.type === 'bind' ? await scanned(db, c.var.deps, action.openid, action.scene, now) : unfollowStatements(db, await openidHash(action.openid), now);
    await db.batch([...changes, markCallbackSeen(db, action.openid, action.createTime, now)]);
    return c.text('success');
  });

  return app;
}
