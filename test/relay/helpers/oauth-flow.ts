/**
 * "Connect with Amazon" as a browser goes through it: the relay's start page sets its cookie and
 * sends the browser to Amazon; Amazon sends it back to the callback, which shows a confirmation
 * form; the browser posts that form. Each step is a function so tests can stop, replay or forge one.
 */
import { type Answer, type Workspace, call } from './relay-client.ts';

export interface Browser {
  /** The cookie the relay's start page set, as the browser sends it back. */
  cookie: string | null;
}

/** `POST /v1/oauth/start`: the relay's start page address. */
export async function startConsent(owner: Workspace, region = 'eu', storeId?: string): Promise<string> {
  const res = await call<{ url: string }>('POST', '/v1/oauth/start', { token: owner.token, body: storeId ? { region, storeId } : { region } });
  if (res.status !== 200) throw new Error(`oauth start: ${res.status} ${res.text}`);
  return res.body.url;
}

/** The browser opens the start page: it keeps the cookie and follows the redirect's state. */
export async function openStartPage(url: string, browser: Browser): Promise<{ state: string; consent: URL; answer: Answer }> {
  const u = new URL(url);
  const answer = await call('GET', `${u.pathname}${u.search}`);
  const setCookie = answer.headers.get('set-cookie');
  const cookie = setCookie?.split(';')[0] ?? null;
  if (cookie) browser.cookie = cookie;
  const consent = new URL(answer.headers.get('location') ?? 'https://invalid.test/');
  return { state: consent.searchParams.get('state') ?? '', consent, answer };
}

export function callbackPath(state: string, code = 'code-ok-oauth', seller = 'A1SELLER2EXAMPLE'): string {
  return `/v1/oauth/callback?${new URLSearchParams({ state, selling_partner_id: seller, spapi_oauth_code: code })}`;
}

/** Amazon sends the browser back: the confirmation page, and the form fields it would post. */
export async function returnFromAmazon(path: string, browser: Browser): Promise<{ answer: Answer; form: Record<string, string> }> {
  const answer = await call('GET', path, { headers: browser.cookie ? { cookie: browser.cookie } : {} });
  const form: Record<string, string> = {};
  for (const m of answer.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return { answer, form };
}

/** The person clicks "Confirm": the form posted from the relay's own page. */
export function confirm(form: Record<string, string>, browser: Browser, origin = 'https://relay.test'): Promise<Answer> {
  return call('POST', '/v1/oauth/callback', {
    raw: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...(browser.cookie ? { cookie: browser.cookie } : {}) },
  });
}

/** The whole consent in one browser: start page, Amazon, confirmation. Returns the final page. */
export async function connectWithAmazon(owner: Workspace, options: { region?: string; code?: string; seller?: string; storeId?: string } = {}): Promise<Answer> {
  const browser: Browser = { cookie: null };
  const { state } = await openStartPage(await startConsent(owner, options.region ?? 'eu', options.storeId), browser);
  const { form } = await returnFromAmazon(callbackPath(state, options.code, options.seller), browser);
  return confirm(form, browser);
}
