/**
 * Secrets of the local relay, made once and kept in .wrangler/state (git-ignored) so that a second
 * `npm start` can still decrypt the refresh tokens the first one stored.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { STATE_DIR } from './local-relay.ts';

export interface LocalSecrets {
  SETUP_TOKEN: string;
  TOKEN_ENCRYPTION_KEY: string;
  [name: string]: string;
}

export function localSecrets(setupToken?: string): LocalSecrets {
  const path = `${STATE_DIR}/local-secrets.json`;
  let secrets: LocalSecrets;
  if (existsSync(path)) {
    secrets = JSON.parse(readFileSync(path, 'utf8')) as LocalSecrets;
  } else {
    secrets = {
      SETUP_TOKEN: randomBytes(18).toString('base64url'),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return setupToken ? { ...secrets, SETUP_TOKEN: setupToken } : secrets;
}
