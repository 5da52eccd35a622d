/**
 * The one error shape of the relay API, `{ "error": { "code", "message" } }`, with a closed list of
 * codes so the extension can switch on them, and the helper that turns a validation failure into a
 * message naming the field.
 */
import * as v from 'valibot';

export const ERROR_CODES = [
  // The caller's mistakes (4xx).
  'bad_json',
  'invalid',
  'unauthorized',
  'forbidden',
  'owners_only',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'invite_invalid',
  'oauth_state_invalid',
  'store_exists',
  /** The merchant id is already recorded on another store of the workspace (same region). */
  'merchant_id_taken',
  'version_conflict',
  'invalid_secret',
  'amazon_authorization_failed',
  'no_marketplaces',
  /** The store's Amazon authorization was lost (LWA said invalid_grant): connect it again. */
  'authorization_lost',
  /** A cap of the workspace or member is reached (shared/api/limits.ts); `limit` names it. */
  'limit_reached',
  /** `POST /v1/setup` after the first workspace, without ALLOW_MORE_WORKSPACES=true. */
  'setup_closed',
  // Ours or Amazon's (5xx).
  'not_configured',
  'amazon_unavailable',
  /** WeChat refused or failed a call the request needed (a QR code for the Official Account). */
  'wechat',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiError = v.object({
  error: v.object({
    code: v.picklist(ERROR_CODES),
    message: v.string(),
    /** With `limit_reached`: which cap (shared/api/limits.ts) and its value. */
    limit: v.optional(v.string()),
    max: v.optional(v.number()),
  }),
});
export type ApiError = v.InferOutput<typeof ApiError>;

/**
 * One line naming the first problem and where it is, e.g. `region: Invalid type: Expected ...`.
 *
 * @example
 * const r = v.safeParse(schema, body);
 * if (!r.success) return error(400, 'invalid', describeIssues(r.issues));
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Checks `input` against `schema`: the typed output, or one line naming the field that failed.
 *
 * @example
 * const r = parse(CreateStoreRequest, body);
 * if (!r.ok) return error(400, 'invalid', r.message); // "region: a region: na, eu or fe"
 */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; message: string } {
  const result = v.safeParse(schema, input);
  return result.success ? { ok: true, value: result.output } : { ok: false, message: describeIssues(result.issues) };
}
