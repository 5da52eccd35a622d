import { describe, expect, it } from 'vitest';
import { callbackAction, parseCallbackXml, signatureBase } from '../../shared/alerts/wechat-callback.ts';

const subscribe = `<xml><ToUserName><![CDATA[gh_123]]></ToUserName>
<FromUserName><![CDATA[oUser1]]></FromUserName>
<CreateTime>1773153000</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[subscribe]]></Event>
<EventKey><![CDATA[qrscene_sw_abc123]]></EventKey>
<Ticket><![CDATA[TICKET]]></Ticket>
</xml>`;

function action(xml: string) {
  const parsed = parseCallbackXml(xml);
  if (!parsed.ok) throw new Error(parsed.reason);
  return callbackAction(parsed.fields);
}

describe('parseCallbackXml', () => {
  it('reads the fields of a subscribe event, CDATA or plain', () => {
    expect(parseCallbackXml(subscribe)).toEqual({
      ok: true,
      fields: {
        ToUserName: 'gh_123',
        FromUserName: 'oUser1',
        CreateTime: '1773153000',
        MsgType: 'event',
        Event: 'subscribe',
        EventKey: 'qrscene_sw_abc123',
        Ticket: 'TICKET',
      },
    });
  });

  it('refuses DTDs and entity declarations (no XXE), processing instructions, and oversized bodies', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><FromUserName>&e;</FromUserName></xml>`;
    expect(parseCallbackXml(xxe)).toEqual({ ok: false, reason: 'declarations are not accepted' });
    expect(parseCallbackXml('<xml><?php x ?></xml>')).toMatchObject({ ok: false });
    expect(parseCallbackXml(`<xml>${'a'.repeat(9000)}</xml>`)).toEqual({ ok: false, reason: 'too large' });
    expect(parseCallbackXml('{"json":true}')).toMatchObject({ ok: false });
  });

  it('accepts an XML declaration and decodes only the five basic entities', () => {
    expect(parseCallbackXml('<?xml version="1.0"?><xml><EventKey>a&amp;b&#65;</EventKey></xml>')).toEqual({ ok: true, fields: { EventKey: 'a&b&#65;' } });
  });
});

describe('callbackAction', () => {
  it('binds a new follower who scanned our QR (subscribe + qrscene_)', () => {
    expect(action(subscribe)).toEqual({ type: 'bind', openid: 'oUser1', scene: 'sw_abc123', createTime: '1773153000' });
  });

  it('binds an existing follower who scanned it (SCAN + scene)', () => {
    expect(action(subscribe.replace('subscribe', 'SCAN').replace('qrscene_', ''))).toMatchObject({ type: 'bind', scene: 'sw_abc123' });
  });

  it('disables on unsubscribe and ignores plain follows and other messages', () => {
    expect(action(subscribe.replace('subscribe', 'unsubscribe'))).toEqual({ type: 'unfollow', openid: 'oUser1', createTime: '1773153000' });
    expect(action(subscribe.replace('qrscene_sw_abc123', ''))).toEqual({ type: 'ignore' });
    expect(action(subscribe.replace('[CDATA[event]]', '[CDATA[text]]'))).toEqual({ type: 'ignore' });
    expect(action(subscribe.replace('qrscene_sw_abc123', 'qrscene_bad scene!'))).toEqual({ type: 'ignore' });
  });
});

describe('signatureBase', () => {
  it('sorts token, timestamp and nonce before joining, as WeChat does', () => {
    expect(signatureBase('tok', '1409659813', '1372623149')).toBe('13726231491409659813tok');
  });
});
