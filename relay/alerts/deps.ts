/** The platform the alert code runs on, passed in so tests hand in stand-ins (STYLE.md principle 2). */
import type { MessageCatalog } from '../../shared/messages/catalog.ts';
import { defaultCatalog } from '../../shared/messages/default-catalog.ts';
import type { Env } from '../env.ts';
import { type SecretBox, secretBoxFromEnv } from '../crypto/secrets.ts';
import { upstreamFetch } from '../upstream-map.ts';

/** The points between the steps of one delivery, where a test may "kill" the consumer. */
export type DeliveryCheckpoint = 'claimed' | 'sent' | 'recorded';

export interface AlertDeps {
  /** Outbound HTTP (WeCom, Official Account, ServerChan, PushPlus). */
  fetch: typeof fetch;
  catalog: MessageCatalog;
  secrets: SecretBox;
  /** Random ids (claim tokens, channel ids, QR scenes). */
  newId: () => string;
  /** Called after each delivery step; a test throws here to simulate the Worker dying at that point. */
  checkpoint?: (step: DeliveryCheckpoint) => void;
}

export function defaultAlertDeps(env: Env, overrides: Partial<AlertDeps> = {}): AlertDeps {
  return {
    // The host map applies in local runs only (UPSTREAM_HOST_MAP unset in production).
    fetch: upstreamFetch(env.UPSTREAM_HOST_MAP, (input, init) => fetch(input, init)),
    catalog: defaultCatalog,
    secrets: secretBoxFromEnv(env),
    newId: () => crypto.randomUUID(),
    ...overrides,
  };
}
