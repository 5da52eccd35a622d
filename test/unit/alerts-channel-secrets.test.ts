import { describe, expect, it } from 'vitest';
import { maskSecret, parsePushPlusToken, parseServerChanKey, parseWecomKey, serverChanUrl } from '../../shared/alerts/channel-secrets.ts';

const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

describe('parseWecomKey', () => {
  it('accepts the bare key or the whole webhook URL people paste', () => {
    expect(parseWecomKey(KEY)).toBe(KEY);
    expect(parseWecomKey(` https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY} `)).toBe(KEY);
    expect(parseWecomKey(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=${KEY}`)).toBe(KEY);
  });

  it('refuses other hosts and junk', () => {
    expect(parseWecomKey(`https://evil.example/cgi-bin/webhook/send?key=${KEY}`)).toBeNull();
    expect(parseWecomKey('not a key')).toBeNull();
  });
});

describe('ServerChan keys', () => {
  it('sends sctp keys to their own ServerChan³ host and others to sctapi', () => {
    expect(serverChanUrl('sctp1234tABCDEFG')).toBe('https://1234.push.ft07.com/send/sctp1234tABCDEFG.send');
    expect(serverChanUrl('SCT98765TxyzXYZ')).toBe('https://sctapi.ftqq.com/SCT98765TxyzXYZ.send');
  });

  it('accepts the key or the API URL copied from the SendKey page', () => {
    expect(parseServerChanKey('SCT98765TxyzXYZ')).toBe('SCT98765TxyzXYZ');
    expect(parseServerChanKey('https://1234.push.ft07.com/send/sctp1234tABCDEFG.send')).toBe('sctp1234tABCDEFG');
    expect(parseServerChanKey('https://x.example/SCT98765TxyzXYZ.send')).toBeNull();
  });
});

describe('parsePushPlusToken and maskSecret', () => {
  it('accepts a PushPlus token and masks secrets for display', () => {
    expect(parsePushPlusToken('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    expect(parsePushPlusToken('short')).toBeNull();
    expect(maskSecret(KEY)).toBe('693a…5aaa');
    expect(maskSecret('abcdef')).toBe('…ef');
  });
});
