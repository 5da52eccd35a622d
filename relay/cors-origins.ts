/**
 * Which browser origins may call the relay (docs/operations.md#deploy: `ALLOWED_ORIGINS`): the
 * extension ids in ALLOWED_ORIGINS, local dev pages on loopback, and - only when the deployment
 * says ALLOW_ANY_EXTENSION_ORIGIN=1 (local runs, where an unpacked extension's id varies) - any
 * chrome-extension:// origin.
 */
import type { Env } from './env.ts';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?$/;
const EXTENSION = /^chrome-extension:\/\/[a-p]{32}$/;

export function isAllowedOrigin(origin: string, env: Pick<Env, 'ALLOWED_ORIGINS' | 'ALLOW_ANY_EXTENSION_ORIGIN'>): boolean {
  if (LOOPBACK.test(origin)) return true;
  const listed = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (listed.includes(origin)) return true;
  return env.ALLOW_ANY_EXTENSION_ORIGIN === '1' && EXTENSION.test(origin);
}
