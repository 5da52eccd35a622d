/**
 * The relay URL and enrolment code a team's admin built into this copy of the extension
 * (`STOREWATCH_RELAY_URL`, `STOREWATCH_ENROL_CODE` at build time, wxt.config.ts), so one zip in a
 * fingerprint browser's extension library enrols every new or wiped profile by itself.
 */

/** Replaced by the build (Vite `define`); absent where nothing defines it, such as unit tests. */
declare const STOREWATCH_PRECONFIGURED: { relayUrl: string; enrolCode: string } | undefined;

export interface Preconfigured {
  relayUrl: string;
  code: string;
}

export function preconfigured(): Preconfigured | null {
  const built = typeof STOREWATCH_PRECONFIGURED === 'undefined' ? undefined : STOREWATCH_PRECONFIGURED;
  return built && built.relayUrl && built.enrolCode ? { relayUrl: built.relayUrl, code: built.enrolCode } : null;
}
