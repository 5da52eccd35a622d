/** The production wiring of the pipeline shell: real clock, ids, outbound fetch, LWA and alerting. */
import { defaultAlertDeps } from '../alerts/deps.ts';
import { fanOutEvents } from '../alerts/fan-out.ts';
import { type Keyring, keyringFromEnv } from '../crypto/secrets.ts';
import type { Env } from '../env.ts';
import { upstreamFetch } from '../upstream-map.ts';
import { accessTokenFor } from './access-token.ts';
import { withTimeout } from './amazon-calls.ts';
import type { PipelineDeps } from './consumer.ts';
import { eventRow } from './snapshots.ts';

/** Amazon answers in well under a second; a call hanging this long is a failure to retry later. */
export const AMAZON_TIMEOUT_MS = 20_000;

export function defaultPipelineDeps(env: Env): PipelineDeps {
  // The platform's fetch in production (UPSTREAM_HOST_MAP unset: relay/upstream-map.ts).
  const outbound = withTimeout(upstreamFetch(env.UPSTREAM_HOST_MAP), AMAZON_TIMEOUT_MS);
  let keyring: Promise<Keyring> | null = null;
  return {
    now: () => Date.now(),
    newId: (prefix) => `${prefix}_${crypto.randomUUID()}`,
    fetch: outbound,
    async accessToken(e, store) {
      keyring ??= keyringFromEnv(e);
      return accessTokenFor(e, await keyring, store.id, outbound, Date.now());
    },
    async fanOut(e, events, ctx) {
      await fanOutEvents(e, events.map(eventRow), Date.now(), { ctx, deps: defaultAlertDeps(e) });
    },
  };
}
