import { createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../sandbox/amazon.ts';
import { control, forwarded } from '../sandbox/client.ts';

const START = Date.UTC(2026, 10, 23, 2, 0, 0);
const API = 'https://api.weixin.qq.com/cgi-bin';
const CALLBACK = 'http://127.0.0.1:8787/wechat/callback';
const CREDENTIALS = { grant_type: 'client_credential', appid: 'wx-sandbox', secret: 'sandbox-secret' };

interface Posted {
  url: URL;
  method: string;
  body: string;
  contentType: string | null;
}

/** A callback server that answers from a script (then: `success`, or the echostr of a GET) and keeps what it got. */
function fakeCallback(answers: Array<{ status: number; body: string }> = []) {
  const posted: Posted[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    posted.push({ url: new URL(req.url), method: req.method, body: await req.text(), contentType: req.headers.get('content-type') });
    const next = answers.shift() ?? { status: 200, body: req.method === 'GET' ? (new URL(req.url).searchParams.get('echostr') ?? '') : 'success' };
    return new Response(next.body, { status: next.status });
  }) as typeof fetch;
  return { posted, fetchFn };
}

function world(answers?: Array<{ status: number; body: string }>) {
  let t = START;
  const callback = fakeCallback(answers);
  const sandbox = createSandbox({ now: () => t, fetch: callback.fetchFn, officialAccount: { callbackUrl: CALLBACK } });
  const call = async (path: string, json: unknown) => (await (await sandbox.handle(forwarded(`${API}${path}`, { json }))).json()) as Record<string, unknown>;
  const token = async (extra: Record<string, unknown> = {}) => call('/stable_token', { ...CREDENTIALS, force_refresh: false, ...extra });
  const qr = async (accessToken: string, scene = 'sw-bind-1', expireSeconds = 600) =>
    call(`/qrcode/create?access_token=${encodeURIComponent(accessToken)}`, { expire_seconds: expireSeconds, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: scene } } });
  const scan = async (body: Record<string, unknown> = {}) => {
    const res = await sandbox.handle(control('POST', 'wechat/oa/scan', body));
    return { status: res.status, body: (await res.json()) as { event: string; openid: string; eventKey: string; callback: { attempts: unknown[]; accepted: boolean } | null } };
  };
  const send = (accessToken: string, json: Record<string, unknown>) => call(`/message/template/send?access_token=${encodeURIComponent(accessToken)}`, json);
  return { sandbox, callback, call, token, qr, scan, send, advance: (ms: number) => (t += ms) };
}

/** A follower bound through a scanned QR code, and a live token. */
async function followed(w: ReturnType<typeof world>) {
  const accessToken = (await w.token()).access_token as string;
  await w.qr(accessToken);
  const { body } = await w.scan();
  return { accessToken, openid: body.openid };
}

const message = (touser: string, extra: Record<string, unknown> = {}) => ({
  touser,
  template_id: 'sandbox-template',
  data: { thing1: { value: '美国站 ODR 超标' }, thing2: { value: '1.20% (目标 <1%)' } },
  ...extra,
});

describe('sandbox Official Account: stable_token', () => {
  it('issues a 7200 s token and hands back the same one, with its remaining life, in normal mode', async () => {
    const { token, advance } = world();
    const first = await token();
    expect(first).toMatchObject({ access_token: expect.any(String), expires_in: 7200 });
    advance(1000 * 1000);
    expect(await token()).toEqual({ access_token: first.access_token, expires_in: 6200 });
  });

  it('answers 40125 for a wrong secret and 40013 for a wrong appid', async () => {
    const { token } = world();
    expect(await token({ secret: 'nope' })).toMatchObject({ errcode: 40125 });
    expect(await token({ appid: 'wx0000000000000000' })).toMatchObject({ errcode: 40013 });
  });

  it('keeps the previous token working for 5 minutes after a forced refresh, then answers 40001', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    const fresh = (await w.token({ force_refresh: true })).access_token as string;
    expect(fresh).not.toBe(accessToken);
    expect(await w.send(accessToken, message(openid))).toMatchObject({ errcode: 0 });
    w.advance(5 * 60_000);
    expect(await w.send(accessToken, message(openid))).toMatchObject({ errcode: 40001 });
    expect(await w.send(fresh, message(openid))).toMatchObject({ errcode: 0 });
  });

  it('answers 42001 once the token is 7200 s old, and a new call to stable_token mints a new one', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    w.advance(7200 * 1000);
    expect(await w.send(accessToken, message(openid))).toMatchObject({ errcode: 42001 });
    const next = (await w.token()).access_token as string;
    expect(next).not.toBe(accessToken);
    expect(await w.send(next, message(openid))).toMatchObject({ errcode: 0 });
  });
});

describe('sandbox Official Account: template messages', () => {
  it('sends to a follower and answers {errcode: 0, errmsg: "ok", msgid}, shown on the phone', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    const res = await w.send(accessToken, message(openid, { url: 'https://sellercentral.amazon.com/performance/dashboard' }));
    expect(res).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
    const phone = (await (await w.sandbox.handle(control('GET', 'messages'))).json()) as { messages: Array<{ channel: string; to: string; text: string }> };
    expect(phone.messages[0]).toMatchObject({ channel: 'oa', to: openid, text: expect.stringContaining('店铺: 美国站 ODR 超标') });
  });

  it('answers 40003 for an openid the account never saw and 43004 after the person unfollows', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    expect(await w.send(accessToken, message('oUnknown0000000000000000000'))).toMatchObject({ errcode: 40003 });
    expect((await w.sandbox.handle(control('POST', 'wechat/oa/unsubscribe', { openid }))).status).toBe(200);
    expect(await w.send(accessToken, message(openid))).toMatchObject({ errcode: 43004 });
  });

  it('answers 40037 for another template id, 47003 for a field over 20 characters, 40001 for a made-up token', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    expect(await w.send(accessToken, message(openid, { template_id: 'other' }))).toMatchObject({ errcode: 40037 });
    expect(await w.send(accessToken, message(openid, { data: { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } } }))).toMatchObject({ errcode: 47003 });
    expect(await w.send(accessToken, message(openid, { data: { thing1: { value: '一二三四五六七八九十一二三四五六七八九十' } } }))).toMatchObject({ errcode: 0 });
    expect(await w.send('made-up', message(openid))).toMatchObject({ errcode: 40001 });
  });

  it('de-duplicates client_msg_id per user for 10 minutes: one message, the same msgid', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    const first = await w.send(accessToken, message(openid, { client_msg_id: 'alert-42' }));
    w.advance(9 * 60_000);
    const again = await w.send(accessToken, message(openid, { client_msg_id: 'alert-42' }));
    expect(again).toEqual(first);
    w.advance(60_000);
    const later = await w.send(accessToken, message(openid, { client_msg_id: 'alert-42' }));
    expect(later.msgid).not.toBe(first.msgid);
    const phone = (await (await w.sandbox.handle(control('GET', 'messages'))).json()) as { messages: unknown[] };
    expect(phone.messages).toHaveLength(2);
  });
});

describe('sandbox Official Account: QR codes and signed callbacks', () => {
  it('creates a QR_STR_SCENE code {ticket, expire_seconds, url} and serves its image until it expires', async () => {
    const w = world();
    const accessToken = (await w.token()).access_token as string;
    const created = await w.qr(accessToken, 'sw-scene', 60);
    expect(created).toEqual({ ticket: expect.stringMatching(/^gQ/), expire_seconds: 60, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    const image = `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(created.ticket as string)}`;
    const res = await w.sandbox.handle(forwarded(image));
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toContain('<svg');
    w.advance(60_000);
    expect((await w.sandbox.handle(forwarded(image))).status).toBe(404);
    expect((await w.scan()).status).toBe(410);
  });

  it('posts a signed subscribe event with EventKey qrscene_<scene> for a new follower, in the published XML', async () => {
    const w = world();
    const accessToken = (await w.token()).access_token as string;
    const { ticket } = await w.qr(accessToken, 'sw-bind-7');
    const { status, body } = await w.scan();
    expect(status).toBe(200);
    expect(body).toMatchObject({ event: 'subscribe', eventKey: 'qrscene_sw-bind-7', callback: { accepted: true } });
    expect(w.callback.posted).toHaveLength(1);
    const posted = w.callback.posted[0]!;
    expect(`${posted.url.origin}${posted.url.pathname}`).toBe(CALLBACK);
    expect(posted.method).toBe('POST');
    const q = posted.url.searchParams;
    expect(q.get('timestamp')).toBe(String(START / 1000));
    expect(q.get('nonce')).toMatch(/^\d+$/);
    const expected = createHash('sha1').update(['sandbox-callback-token', q.get('timestamp')!, q.get('nonce')!].sort().join('')).digest('hex');
    expect(q.get('signature')).toBe(expected);
    expect(q.get('openid')).toBe(body.openid);
    const field = (name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[(.*?)\\]\\]>|([^<]*))</${name}>`).exec(posted.body)?.slice(1).find((v) => v !== undefined);
    expect(posted.body.startsWith('<xml>')).toBe(true);
    expect(field('ToUserName')).toMatch(/^gh_/);
    expect(field('FromUserName')).toBe(body.openid);
    expect(field('CreateTime')).toBe(String(START / 1000));
    expect(field('MsgType')).toBe('event');
    expect(field('Event')).toBe('subscribe');
    expect(field('EventKey')).toBe('qrscene_sw-bind-7');
    expect(field('Ticket')).toBe(ticket);
  });

  it('posts SCAN with the bare scene for someone already following, and unsubscribe when they leave', async () => {
    const w = world();
    const { accessToken, openid } = await followed(w);
    await w.qr(accessToken, 'sw-bind-8');
    const again = await w.scan({ openid });
    expect(again.body).toMatchObject({ event: 'SCAN', openid, eventKey: 'sw-bind-8' });
    expect(w.callback.posted[1]!.body).toContain('<Event><![CDATA[SCAN]]></Event>');
    expect(w.callback.posted[1]!.body).toContain('<EventKey><![CDATA[sw-bind-8]]></EventKey>');
    await w.sandbox.handle(control('POST', 'wechat/oa/unsubscribe', { openid }));
    expect(w.callback.posted[2]!.body).toContain('<Event><![CDATA[unsubscribe]]></Event>');
  });

  it('in safe mode posts only ToUserName and Encrypt, with encrypt_type=aes and msg_signature, the event AES-256-CBC encrypted', async () => {
    const w = world();
    const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    expect((await w.sandbox.handle(control('POST', 'wechat/oa/config', { encodingAesKey }))).status).toBe(200);
    const accessToken = (await w.token()).access_token as string;
    await w.qr(accessToken, 'sw-bind-9');
    const { body } = await w.scan();
    expect(body.callback).toMatchObject({ accepted: true });
    const posted = w.callback.posted[0]!;
    const q = posted.url.searchParams;
    expect(q.get('encrypt_type')).toBe('aes');
    const encrypt = /<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt>/.exec(posted.body)?.[1];
    expect(encrypt).toBeDefined();
    expect(posted.body).not.toContain('FromUserName');
    expect(q.get('msg_signature')).toBe(createHash('sha1').update(['sandbox-callback-token', q.get('timestamp')!, q.get('nonce')!, encrypt!].sort().join('')).digest('hex'));
    // Decrypted here with Node's own AES, its padding check off: WeChat pads to 32-byte blocks.
    const key = Buffer.from(`${encodingAesKey}=`, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypt!, 'base64')), decipher.final()]);
    const pad = plain.at(-1)!;
    expect(pad).toBeGreaterThanOrEqual(1);
    expect(pad).toBeLessThanOrEqual(32);
    expect(plain.length % 32).toBe(0);
    const length = plain.readUInt32BE(16);
    const xml = plain.subarray(20, 20 + length).toString('utf8');
    expect(xml).toContain('<EventKey><![CDATA[qrscene_sw-bind-9]]></EventKey>');
    expect(xml).toContain(`<FromUserName><![CDATA[${body.openid}]]></FromUserName>`);
    expect(plain.subarray(20 + length, plain.length - pad).toString('utf8')).toBe('wx-sandbox');
  });

  it('retries a callback that fails, with the same body, three attempts at most', async () => {
    const w = world([{ status: 500, body: '' }, { status: 502, body: '' }, { status: 500, body: '' }]);
    const accessToken = (await w.token()).access_token as string;
    await w.qr(accessToken);
    const { body } = await w.scan();
    expect(body.callback).toMatchObject({ accepted: false });
    expect(body.callback!.attempts).toHaveLength(3);
    expect(new Set(w.callback.posted.map((p) => p.body)).size).toBe(1);
  });

  it('verifies the callback URL the way WeChat does: a signed GET whose echostr must come back', async () => {
    const w = world([{ status: 200, body: 'wrong' }]);
    const verify = async () => ((await (await w.sandbox.handle(control('POST', 'wechat/oa/verify'))).json()) as { ok: boolean }).ok;
    expect(await verify()).toBe(false);
    expect(await verify()).toBe(true);
    const get = w.callback.posted[0]!;
    expect(get.method).toBe('GET');
    expect(get.url.searchParams.get('echostr')).toMatch(/^\d+$/);
    const { signature, timestamp, nonce } = Object.fromEntries(get.url.searchParams) as Record<string, string>;
    expect(signature).toBe(createHash('sha1').update(['sandbox-callback-token', timestamp!, nonce!].sort().join('')).digest('hex'));
  });
});
