/** The pipeline shell's dependencies from the invocation's platform: Amazon calls with a timeout, LWA, alerting. */
import { fanOutEvents } from '../alerts/fan-out.ts';
import { type Keyring, keyringFromEnv } from '../crypto/secrets.ts';
import type { PlatformDeps } from '../platform-deps.ts';
import { accessTokenFor } from './access-token.ts';
import { withTimeout } from './amazon-calls.ts';
import type { PipelineDeps } from './consumer.ts';

/** Amazon answers in well under a second; a call hanging this long is a failure to retry later. */
export const AMAZON_TIMEOUT_MS = 20_000;

export function pipelineDeps(deps: PlatformDeps): PipelineDeps {
  const outbound = withTimeout(deps.fetch, AMAZON_TIMEOUT_MS);
  let keyring: Promise<Keyring> | null = null;
  return {
    now: deps.now,
    newId: (prefix) => `${prefix}_${deps.newId()}`,
    fetch: outbound,
    async accessToken(e, store) {
      keyring ??= keyringFromEnv(e);
      return accessTokenFor(e, await keyring, store.id, outbound, deps.now());
    },
    async fanOut(e, events, ctx) {
      await fanOutEvents(e, events, deps.now(), { ctx, deps });
    },
  };
}
