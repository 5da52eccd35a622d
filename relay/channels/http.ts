/** One outbound call to a channel, read as `ChannelAnswer`: never throws, never waits forever. */
import type { ChannelAnswer } from '../../shared/alerts/channel-verdicts.ts';

/** WeChat asks callbacks to answer within 5 s; we give outbound calls a little more. */
const TIMEOUT_MS = 8_000;

export async function postJson(fetcher: typeof fetch, url: string, body: unknown): Promise<ChannelAnswer> {
  let response: Response;
  try {
    response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { status: null, body: null };
  }
  let parsed: unknown = null;
  try {
    // Some of these services answer JSON as text/plain or text/html: parse whatever came.
    parsed = JSON.parse(await response.text());
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed };
}
