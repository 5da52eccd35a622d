import { describe, expect, it } from 'vitest';
import {
  nextChinaMidnight,
  oaVerdict,
  pushPlusVerdict,
  serverChanVerdict,
  wecomVerdict,
} from '../../shared/alerts/channel-verdicts.ts';

const NOW = Date.UTC(2026, 2, 10, 4, 0, 30);
const ok200 = (body: unknown) => ({ status: 200, body });

describe('WeCom robot verdicts', () => {
  it('counts only errcode 0 as sent', () => {
    expect(wecomVerdict(ok200({ errcode: 0, errmsg: 'ok' }), NOW)).toMatchObject({ outcome: 'sent' });
  });

  it('never trusts HTTP 200 alone: a 200 without errcode is retried', () => {
    expect(wecomVerdict(ok200(null), NOW)).toMatchObject({ outcome: 'retry' });
    expect(wecomVerdict(ok200({ ok: true }), NOW)).toMatchObject({ outcome: 'retry' });
  });

  it('retries 45009 after the minute the rate limit counts', () => {
    expect(wecomVerdict(ok200({ errcode: 45009, errmsg: 'api freq out of limit' }), NOW)).toEqual({
      outcome: 'retry',
      code: '45009',
      reason: '45009 api freq out of limit',
      notBefore: Date.UTC(2026, 2, 10, 4, 1, 1),
    });
  });

  it('retries busy (-1) and the concurrency limit (45033)', () => {
    expect(wecomVerdict(ok200({ errcode: -1 }), NOW)).toMatchObject({ outcome: 'retry', code: '-1' });
    expect(wecomVerdict(ok200({ errcode: 45033 }), NOW)).toMatchObject({ outcome: 'retry', code: '45033' });
  });

  it('marks the robot broken on 93000 (invalid key)', () => {
    expect(wecomVerdict(ok200({ errcode: 93000, errmsg: 'invalid webhook url' }), NOW)).toMatchObject({ outcome: 'broken', code: '93000', unfollowed: false });
  });

  it('rejects the message, not the robot, on 40008, 44004 and 45002', () => {
    for (const errcode of [40008, 44004, 45002]) expect(wecomVerdict(ok200({ errcode }), NOW)).toMatchObject({ outcome: 'rejected' });
  });

  it('retries on 5xx, 429 and no answer at all', () => {
    expect(wecomVerdict({ status: 502, body: null }, NOW)).toMatchObject({ outcome: 'retry', code: 'http_502' });
    expect(wecomVerdict({ status: 429, body: null }, NOW)).toMatchObject({ outcome: 'retry' });
    expect(wecomVerdict({ status: null, body: null }, NOW)).toMatchObject({ outcome: 'retry', code: 'network' });
  });
});

describe('Official Account verdicts', () => {
  it('keeps the msgid of a sent template message', () => {
    expect(oaVerdict(ok200({ errcode: 0, errmsg: 'ok', msgid: 200228332 }))).toEqual({ outcome: 'sent', code: '0', messageId: '200228332' });
  });

  it('asks for a token refresh on 40001, 40014 and 42001', () => {
    for (const errcode of [40001, 40014, 42001]) expect(oaVerdict(ok200({ errcode }))).toMatchObject({ outcome: 'refresh_token' });
  });

  it('disables the binding when the user unfollowed (43004)', () => {
    expect(oaVerdict(ok200({ errcode: 43004 }))).toMatchObject({ outcome: 'broken', unfollowed: true });
  });

  it('treats a bad openid or template id as permanent, a quota as transient, a bad field as our bug', () => {
    expect(oaVerdict(ok200({ errcode: 40003 }))).toMatchObject({ outcome: 'broken', unfollowed: false });
    expect(oaVerdict(ok200({ errcode: 40037 }))).toMatchObject({ outcome: 'broken' });
    expect(oaVerdict(ok200({ errcode: 45009 }))).toMatchObject({ outcome: 'retry' });
    expect(oaVerdict(ok200({ errcode: 47003 }))).toMatchObject({ outcome: 'rejected' });
  });

  it('names the fixed-IP forwarder when the caller IP is not allow-listed', () => {
    const v = oaVerdict(ok200({ errcode: 40164, errmsg: 'invalid ip' }));
    expect(v).toMatchObject({ outcome: 'broken' });
    expect(v.outcome === 'broken' && v.reason).toContain('WECHAT_API_BASE');
  });
});

describe('ServerChan verdicts', () => {
  it('accepts code 0 with data.errno 0 and keeps the push id', () => {
    expect(serverChanVerdict(ok200({ code: 0, message: '', data: { pushid: '123', readkey: 'x', error: 'SUCCESS', errno: 0 } }))).toEqual({
      outcome: 'sent',
      code: '0',
      messageId: '123',
    });
  });

  it('does not accept code 0 with a non-zero errno', () => {
    expect(serverChanVerdict(ok200({ code: 0, data: { errno: 1024, error: 'busy' } }))).toMatchObject({ outcome: 'retry', code: '1024' });
  });

  it('marks the key broken when the service says the key is bad', () => {
    expect(serverChanVerdict({ status: 200, body: { code: 40001, message: 'bad pushtoken' } })).toMatchObject({ outcome: 'broken' });
    expect(serverChanVerdict({ status: 404, body: null })).toMatchObject({ outcome: 'broken' });
  });
});

describe('PushPlus verdicts', () => {
  it('accepts code 200', () => {
    expect(pushPlusVerdict(ok200({ code: 200, msg: '请求成功', data: 'abc' }), NOW)).toEqual({ outcome: 'sent', code: '200', messageId: 'abc' });
  });

  it('retries an over-quota account (900) after midnight in China', () => {
    expect(pushPlusVerdict(ok200({ code: 900, msg: '用户账号使用受限' }), NOW)).toMatchObject({ outcome: 'retry', notBefore: Date.UTC(2026, 2, 10, 16, 0) });
  });

  it('marks a bad token (903) broken', () => {
    expect(pushPlusVerdict(ok200({ code: 903, msg: '无效的用户令牌' }), NOW)).toMatchObject({ outcome: 'broken' });
  });
});

describe('nextChinaMidnight', () => {
  it('is 16:00 UTC today before it, tomorrow after it', () => {
    expect(nextChinaMidnight(Date.UTC(2026, 2, 10, 15, 59))).toBe(Date.UTC(2026, 2, 10, 16, 0));
    expect(nextChinaMidnight(Date.UTC(2026, 2, 10, 16, 0))).toBe(Date.UTC(2026, 2, 11, 16, 0));
  });
});
