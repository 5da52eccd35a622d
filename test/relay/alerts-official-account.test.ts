import { beforeEach, describe, expect, it } from 'vitest';
import { World, bindOfficialAccount, confirmBinding, eventXml, odrEvent, postCallback, qrCodes, wechatSignature } from './helpers/alerts-world.ts';

let world: World;

beforeEach(async () => {
  world = new World();
  await world.seed();
});

async function binding(member: string) {
  return world.env.DB.prepare('SELECT state, channel_id, scene FROM oa_bindings WHERE member_id = ?').bind(member).first<{ state: string; channel_id: string | null; scene: string }>();
}

async function channelCount(): Promise<number> {
  return (await world.env.DB.prepare("SELECT COUNT(*) AS n FROM channels WHERE type = 'oa'").first<{ n: number }>())!.n;
}

describe('POST /v1/wechat/qr', () => {
  it('creates a short-lived QR_STR_SCENE code for the caller, through the configured API base', async () => {
    const res = await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    const [code] = qrCodes(world);
    expect(body).toEqual({
      ticket: code!.ticket,
      url: code!.url,
      imageUrl: `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(code!.ticket)}`,
      expiresAt: world.now + 600_000,
    });
    expect(world.wechat.requests).toEqual(['wx-forwarder.test/cgi-bin/stable_token', 'wx-forwarder.test/cgi-bin/qrcode/create']);
    expect(await binding('member1')).toMatchObject({ state: 'pending', scene: code!.scene });
  });

  it('keeps one QR per member: a new one replaces the old scene, which then binds nothing', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const [first, second] = qrCodes(world);
    await postCallback(world, eventXml('oOld', 'subscribe', `qrscene_${first!.scene}`, Math.floor(world.now / 1000)));
    expect(await channelCount()).toBe(0);
    await postCallback(world, eventXml('oNew', 'SCAN', second!.scene, Math.floor(world.now / 1000) + 1));
    expect(await (await confirmBinding(world, 'member1')).json()).toMatchObject({ state: 'bound', hint: '…ew' });
    expect(await binding('member1')).toMatchObject({ state: 'bound' });
  });

  it('points the QR image at WECHAT_QR_IMAGE_BASE when set (npm start: the sandbox, which serves it)', async () => {
    world.env.WECHAT_QR_IMAGE_BASE = 'http://127.0.0.1:8790/';
    const res = await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const { ticket, imageUrl } = (await res.json()) as { ticket: string; imageUrl: string };
    expect(imageUrl).toBe(`http://127.0.0.1:8790/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`);
    const image = await world.wechat.fetch(imageUrl);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('reuses the cached access token for the next call', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'owner1' });
    expect(world.wechat.requests.filter((r) => r.endsWith('/stable_token'))).toHaveLength(1);
  });
});

describe('the WeChat callback', () => {
  it('echoes echostr on a correctly signed GET and refuses a wrong signature', async () => {
    const q = await wechatSignature(Math.floor(world.now / 1000));
    const ok = await world.app.request(`/wechat/callback?${q}&echostr=hello123`, {}, world.env);
    expect([ok.status, await ok.text()]).toEqual([200, 'hello123']);
    const bad = await world.app.request(`/wechat/callback?${q.replace(/signature=\w/, 'signature=0')}&echostr=x`, {}, world.env);
    expect(bad.status).toBe(403);
  });

  it('binds the openid to the member on a signed subscribe with qrscene_<scene>, and the channel appears', async () => {
    const channelId = await bindOfficialAccount(world, 'member1', 'oMember1');
    const res = await world.request('/v1/channels', { as: 'member1' });
    const { channels } = (await res.json()) as { channels: Array<Record<string, unknown>> };
    expect(channels).toEqual([expect.objectContaining({ id: channelId, type: 'oa', scope: 'personal', memberId: 'member1', state: 'ok', secretHint: '…r1' })]);
    expect(JSON.stringify(channels)).not.toContain('oMember1');
  });

  it('changes nothing for an unsigned or forged callback', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const xml = eventXml('oEve', 'subscribe', `qrscene_${qrCodes(world)[0]!.scene}`, Math.floor(world.now / 1000));
    const unsigned = await world.app.request('/wechat/callback', { method: 'POST', body: xml }, world.env);
    const forged = await postCallback(world, xml, await wechatSignature(Math.floor(world.now / 1000), 'n0nce', 'guessed-token'));
    const stale = await postCallback(world, xml, await wechatSignature(Math.floor(world.now / 1000) - 3600));
    expect([unsigned.status, forged.status, stale.status]).toEqual([403, 403, 403]);
    expect(await channelCount()).toBe(0);
    expect(await binding('member1')).toMatchObject({ state: 'pending' });
  });

  it('changes nothing when a callback is replayed: a retried or re-posted subscribe binds no one again', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const t = Math.floor(world.now / 1000);
    const subscribe = eventXml('oMember1', 'subscribe', `qrscene_${qrCodes(world)[0]!.scene}`, t);
    await postCallback(world, subscribe);
    await confirmBinding(world, 'member1');
    await postCallback(world, eventXml('oMember1', 'unsubscribe', '', t + 5));
    expect(await binding('member1')).toMatchObject({ state: 'disabled' });
    // WeChat's retry (or an attacker's re-post) of the earlier subscribe:
    const replay = await postCallback(world, subscribe);
    expect(await replay.text()).toBe('success');
    expect(await binding('member1')).toMatchObject({ state: 'disabled' });
    expect(await channelCount()).toBe(1);
  });

  it('answers success and changes nothing for bodies it will not read', async () => {
    for (const body of ['<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml></xml>', 'x'.repeat(20_000), '{}']) {
      const res = await postCallback(world, body);
      expect([res.status, await res.text()]).toEqual([200, 'success']);
    }
    expect(await channelCount()).toBe(0);
  });
});

describe('template messages', () => {
  it('delivers an alert as a template message with client_msg_id, fields within 20 characters', async () => {
    await bindOfficialAccount(world, 'member1', 'oMember1');
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    const sent = world.wechat.messagesTo('oa');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('oMember1');
    expect(sent[0]!.request).toMatchObject({
      template_id: 'tpl-1',
      url: 'https://sellercentral.amazon.com/performance/account/health',
      data: {
        thing1: { value: 'Acme Home 美国站' },
        thing2: { value: '订单缺陷率（自配送）' },
        thing3: { value: '0.89%→1.12% (<1%)' },
        thing4: { value: '已超标' },
        time5: { value: '2026-03-10 12:00' },
      },
    });
    expect(typeof sent[0]!.request['client_msg_id']).toBe('string');
  });

  it('refetches the access token once when WeChat says it is invalid (40001) and sends', async () => {
    await bindOfficialAccount(world, 'member1', 'oMember1');
    // Another server forced a new token; WeChat keeps ours alive 5 more minutes, then says 40001.
    world.wechat.oa.tokens.rotate();
    world.now += 6 * 60_000;
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(world.wechat.messagesTo('oa')).toHaveLength(1);
  });

  it('disables the binding and marks the channel broken when the user unfollowed (43004)', async () => {
    const channelId = await bindOfficialAccount(world, 'member1', 'oMember1');
    // The unfollow event never reached the relay (callback down): it learns from the 43004.
    world.wechat.oa.configure({ callbackUrl: null });
    await world.wechat.oa.unsubscribe('oMember1');
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(await binding('member1')).toMatchObject({ state: 'disabled' });
    const row = await world.env.DB.prepare('SELECT state, broken_reason FROM channels WHERE id = ?').bind(channelId).first();
    expect(row).toEqual({ state: 'broken', broken_reason: 'the user unfollowed the Official Account (43004)' });
  });
});

describe('confirming a scanned QR code', () => {
  it('sends nothing to whoever scanned until the member confirms in options, then sends there', async () => {
    const res = await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const { ticket } = (await res.json()) as { ticket: string };
    const scan = await world.wechat.oa.scan({ ticket, openid: 'oScanner42' });
    expect(scan).toMatchObject({ callback: { accepted: true } });
    const view = await (await world.request('/v1/wechat/binding', { as: 'member1' })).json();
    expect(view).toEqual({ state: 'scanned', scannedAt: world.now, hint: '…42' });
    expect(await channelCount()).toBe(0);
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(world.wechat.messagesTo('oa')).toHaveLength(0);

    // Someone else's confirmation confirms nothing of theirs.
    expect((await confirmBinding(world, 'owner1')).status).toBe(404);
    expect(await (await confirmBinding(world, 'member1')).json()).toEqual({ state: 'bound', scannedAt: null, hint: '…42' });
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/2'))]);
    expect(world.wechat.messagesTo('oa').map((m) => m.to)).toEqual(['oScanner42']);
  });

  it('lets a scan wait only as long as its QR code lived, and forgets one whose scanner unfollowed', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    await world.wechat.oa.scan({ openid: 'oLate0001' });
    world.now += 601_000;
    expect((await confirmBinding(world, 'member1')).status).toBe(404);

    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    await world.wechat.oa.scan({ openid: 'oLeaver01' });
    world.now += 5_000;
    await world.wechat.oa.unsubscribe('oLeaver01');
    expect(await (await world.request('/v1/wechat/binding', { as: 'member1' })).json()).toMatchObject({ state: 'pending' });
    expect((await confirmBinding(world, 'member1')).status).toBe(404);
    expect(await channelCount()).toBe(0);
  });
});

describe('safe mode (encrypted callbacks)', () => {
  const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

  beforeEach(() => {
    world.env.WECHAT_ENCODING_AES_KEY = AES_KEY;
    world.wechat.oa.configure({ encodingAesKey: AES_KEY });
  });

  it('reads an encrypted scan from the sandbox Official Account and binds after confirmation', async () => {
    const channelId = await bindOfficialAccount(world, 'member1', 'oSafeMode1');
    expect(channelId).toBeTruthy();
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    expect(world.wechat.messagesTo('oa').map((m) => m.to)).toEqual(['oSafeMode1']);
  });

  it('refuses plaintext bodies, a wrong msg_signature, another appid and a key it does not hold', async () => {
    await world.request('/v1/wechat/qr', { method: 'POST', as: 'member1' });
    const scene = qrCodes(world)[0]!.scene;
    const plain = await postCallback(world, eventXml('oPlain001', 'subscribe', `qrscene_${scene}`, Math.floor(world.now / 1000)));
    expect(plain.status).toBe(403);

    // A real encrypted scan, captured on its way (posted where the relay answers 404), then altered.
    world.wechat.oa.configure({ callbackUrl: 'https://relay.test/captured' });
    const scan = await world.wechat.oa.scan({ openid: 'oCaptured1' });
    if ('error' in scan || !scan.callback) throw new Error('no scan');
    expect(scan.callback.accepted).toBe(false);
    const { url, body } = scan.callback;
    expect(body).toContain('<Encrypt>');
    const query = new URL(url).searchParams;
    const send = (q: URLSearchParams, b: string) => world.app.request(`/wechat/callback?${q}`, { method: 'POST', body: b, headers: { 'content-type': 'text/xml' } }, world.env);

    const badSignature = new URLSearchParams(query);
    badSignature.set('msg_signature', '0'.repeat(40));
    expect((await send(badSignature, body)).status).toBe(403);

    world.env.WECHAT_APP_ID = 'wx-another-app';
    expect((await send(query, body)).status).toBe(403);
    world.env.WECHAT_APP_ID = 'wx-app';

    world.env.WECHAT_ENCODING_AES_KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg';
    expect((await send(query, body)).status).toBe(403);
    world.env.WECHAT_ENCODING_AES_KEY = AES_KEY;

    expect(await (await world.request('/v1/wechat/binding', { as: 'member1' })).json()).toMatchObject({ state: 'pending' });
    // The untouched capture still reads: the refusals above were the alterations'.
    expect([(await send(query, body)).status]).toEqual([200]);
    expect(await (await world.request('/v1/wechat/binding', { as: 'member1' })).json()).toMatchObject({ state: 'scanned', hint: '…d1' });
  });
});
