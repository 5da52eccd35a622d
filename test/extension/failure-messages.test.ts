/**
 * Every failure the extension can meet has words in both languages: each relay error code of the
 * API contract, the browser's own network failures ("Failed to fetch", a timeout), and ours. No
 * line carries the code itself or, in Chinese, any English word.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/api/errors.ts';
import { FAILURE_KEYS, failureCode, failureText, isFailureCode, relayFailureText } from '../../extension/lib/i18n/failure-text.ts';
import { CATALOGS, EN, ZH } from './helpers/i18n.ts';

/** Names a Chinese line may carry as they are: products and the channels' own brand names. */
const ALLOWED_IN_ZH = /\b(?:Server|PushPlus|Webhook|Amazon|WeCom)\b/g;

describe('failure messages', () => {
  it('words every relay error code in zh-CN and en, without printing the code', () => {
    for (const code of ERROR_CODES) {
      expect(isFailureCode(code), code).toBe(true);
      const key = FAILURE_KEYS[code];
      const zh = CATALOGS.zh[key]?.message;
      const en = CATALOGS.en[key]?.message;
      expect(zh, `${code} zh`).toBeTruthy();
      expect(en, `${code} en`).toBeTruthy();
      for (const text of [zh, en]) expect(text).not.toContain(code);
      expect(zh?.replace(ALLOWED_IN_ZH, ''), `${code} zh`).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('words every failure code of its own in both languages', () => {
    for (const [code, key] of Object.entries(FAILURE_KEYS)) {
      expect(CATALOGS.zh[key]?.message, code).toBeTruthy();
      expect(CATALOGS.en[key]?.message, code).toBeTruthy();
      expect(CATALOGS.zh[key]?.message.replace(ALLOWED_IN_ZH, ''), code).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('turns the browser\'s network errors into words, never its English text', () => {
    expect(relayFailureText({ kind: 'offline', message: 'Failed to fetch' }, ZH)).toBe('无法连接服务地址，请检查网络或服务地址');
    expect(relayFailureText({ kind: 'offline', message: 'NetworkError when attempting to fetch resource.' }, EN)).toBe('The relay cannot be reached. Check the network or the relay URL');
    expect(failureCode({ kind: 'offline', message: 'The operation timed out.' })).toBe('timeout');
    expect(failureCode({ kind: 'offline', message: 'signal is aborted without reason' })).toBe('timeout');
    expect(relayFailureText({ kind: 'offline', message: 'The operation timed out.' }, ZH)).toBe('连接服务地址超时，请稍后再试');
  });

  it('words a refusal by its code and a status without our error body by its class', () => {
    expect(relayFailureText({ kind: 'http', status: 403, code: 'owners_only', message: 'only owners can do this' }, ZH)).toBe('仅团队所有者可以执行此操作，请联系所有者');
    expect(relayFailureText({ kind: 'http', status: 400, code: 'invite_invalid', message: 'unknown or expired pairing code' }, ZH)).toBe(
      '配对码无效或已过期，请向团队所有者索取新的配对码',
    );
    expect(failureCode({ kind: 'http', status: 502, code: 'http_error', message: '502 Bad Gateway' })).toBe('server_error');
    expect(failureCode({ kind: 'http', status: 404, code: 'http_error', message: '404 Not Found' })).toBe('request_refused');
    expect(failureCode({ kind: 'invalid', message: 'GET /v1/overview: stores: Invalid type' })).toBe('bad_answer');
    expect(failureCode({ kind: 'unauthorized', message: 'token revoked' })).toBe('unauthorized');
  });

  it('words a code it does not know (an old cache entry) as a general line, not the code', () => {
    expect(failureText('QUOTA_EXCEEDED', ZH)).toBe('出现了未知问题，请稍后再试');
    expect(failureText(null, EN)).toBe('Something went wrong. Try again later');
  });
});
