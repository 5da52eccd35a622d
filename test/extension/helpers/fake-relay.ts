/**
 * A relay in a function: answers the client's `fetch` from a routing table and records what it
 * was asked, so tests check both sides of the conversation without a network.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Route = (request: Recorded) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function fakeRelay(routes: Record<string, Route>) {
  const calls: Recorded[] = [];
  let down = false;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const request: Recorded = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(request);
    if (down) throw new TypeError('Failed to fetch');
    const route = routes[`${request.method} ${url.pathname}`];
    return route ? route(request) : json({ error: { code: 'not_found', message: `no route ${request.method} ${url.pathname}` } }, 404);
  };
  return {
    fetch,
    calls,
    /** Every later request fails the way fetch does when nothing answers. */
    setDown(value: boolean): void {
      down = value;
    },
  };
}
