/**
 * `GET /healthz` (no auth): `{ok: true}`, or 503 `{ok: false, keys}` when the relay's encryption
 * keys do not open what it stored (`mismatch`) or are not set up (`missing`). The options page
 * shows a banner for either: deliveries wait until the operator fixes the keys.
 */
import * as v from 'valibot';

export const HealthResponse = v.object({
  ok: v.boolean(),
  keys: v.optional(v.picklist(['mismatch', 'missing'])),
});
export type HealthResponse = v.InferOutput<typeof HealthResponse>;
