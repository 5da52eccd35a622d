/**
 * Every failure the extension can meet, as a short code each surface words in its own language:
 * the relay's error codes (shared/api/errors.ts), the network's ("Failed to fetch", a timeout) and
 * our own. A raw code, an HTTP status or an exception's text never reaches the screen; they go to
 * the console through `describeFailure` instead.
 */
import type { ErrorCode } from '../../../shared/api/errors.ts';
import type { RelayFailure } from '../relay/relay-client.ts';
import type { MessageKey, Translate } from './i18n.ts';

export type FailureCode =
  | ErrorCode
  /** No answer: the relay is down, the address is wrong, or the network is ("Failed to fetch"). */
  | 'offline'
  /** The request or the job took too long. */
  | 'timeout'
  /** A 5xx without our error body (a proxy, a crashed Worker). */
  | 'server_error'
  /** A 4xx without our error body: the address is not a Storewatch relay. */
  | 'request_refused'
  /** A 2xx whose body broke the contract: the relay is another version. */
  | 'bad_answer'
  /** The background did not answer the page (it was restarting) or threw. */
  | 'extension_error'
  | 'not_paired';

/** `satisfies` keeps it total: a new relay error code fails the type check until it has words. */
export const FAILURE_KEYS = {
  bad_json: 'errBadJson',
  invalid: 'errInvalid',
  unauthorized: 'errUnauthorized',
  forbidden: 'errForbidden',
  owners_only: 'errOwnersOnly',
  not_found: 'errNotFound',
  payload_too_large: 'errPayloadTooLarge',
  rate_limited: 'errRateLimited',
  invite_invalid: 'errInviteInvalid',
  oauth_state_invalid: 'errOauthStateInvalid',
  store_exists: 'errStoreExists',
  merchant_id_taken: 'errMerchantIdTaken',
  version_conflict: 'errVersionConflict',
  invalid_secret: 'errInvalidSecret',
  amazon_authorization_failed: 'errAmazonAuthorizationFailed',
  no_marketplaces: 'errNoMarketplaces',
  authorization_lost: 'errAuthorizationLost',
  limit_reached: 'errLimitReached',
  setup_closed: 'errSetupClosed',
  not_configured: 'errNotConfigured',
  amazon_unavailable: 'errAmazonUnavailable',
  wechat: 'errWechat',
  internal: 'errInternal',
  offline: 'errOffline',
  timeout: 'errTimeout',
  server_error: 'errServerError',
  request_refused: 'errRequestRefused',
  bad_answer: 'errBadAnswer',
  extension_error: 'errExtension',
  not_paired: 'errNotPaired',
} as const satisfies Record<FailureCode, MessageKey>;

export function isFailureCode(value: string): value is FailureCode {
  return Object.hasOwn(FAILURE_KEYS, value);
}

/** Browsers word a timed-out or aborted fetch in their own English ("The operation timed out"). */
const TIMEOUT = /time(?:d)?\s*out|timeout|abort/i;

export function failureCode(failure: RelayFailure): FailureCode {
  switch (failure.kind) {
    case 'offline':
      return TIMEOUT.test(failure.message) ? 'timeout' : 'offline';
    case 'unauthorized':
      return 'unauthorized';
    case 'invalid':
      return 'bad_answer';
    case 'http':
      if (isFailureCode(failure.code)) return failure.code;
      return failure.status >= 500 ? 'server_error' : 'request_refused';
  }
}

/** A stored or passed-on failure code in words; anything else (an old cache entry) as a generic line. */
export function failureText(code: string | null | undefined, t: Translate): string {
  return code && isFailureCode(code) ? t(FAILURE_KEYS[code]) : t('errUnknown');
}

/** The relay's failure in words, straight from a client result. */
export function relayFailureText(failure: RelayFailure, t: Translate): string {
  return t(FAILURE_KEYS[failureCode(failure)]);
}
