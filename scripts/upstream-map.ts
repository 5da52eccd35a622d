/**
 * The relay's outbound network in local runs (`npm start`) and the relay's workerd tests: the host
 * map of relay/upstream-map.ts (every Amazon, WeChat and push-service host -> the sandbox, replaced
 * entry by entry with `UPSTREAM_OVERRIDES`) applied *outside* the Worker, as Miniflare's
 * `outboundService`, which receives every fetch the Worker makes. The relay then runs exactly its
 * production code (UPSTREAM_HOST_MAP unset), and a host outside the map is refused with a 502:
 * nothing local reaches the internet, whichever code path makes the request.
 */
import { type HostMap, hostMapToJson, upstreamFetch } from '../relay/upstream-map.ts';

export { buildHostMap } from '../relay/upstream-map.ts';

const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'host']);

/**
 * Miniflare's `outboundService` for a host map: path and query kept, the original host in
 * `X-Forwarded-Host`, and a 502 naming the host when it is not mapped or its simulator is down.
 *
 * @example
 * unstable_startWorker({ ..., dev: { outboundService: outboundService(buildHostMap(sandbox.url)) } })
 */
export function outboundService(map: HostMap, send: (request: Request) => Promise<Response> = (r) => fetch(r)): (request: Request) => Promise<Response> {
  const routed = upstreamFetch(hostMapToJson(map), (input, init) => send(new Request(input, init)));
  return async (request) => {
    try {
      // Miniflare hands in its own Request class, which this runtime's Request does not take as one.
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      // Framing headers describe the original connection; fetch sets its own (undici refuses a
      // content-length it did not compute when a dispatcher other than Node's own is installed).
      const headers: Array<[string, string]> = [];
      request.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name.toLowerCase())) headers.push([name, value]);
      });
      return await routed(request.url, { method: request.method, headers, body, redirect: 'manual' });
    } catch (error) {
      // What a dead network looks like to the relay: its own code turns it into a retry.
      return new Response(`The simulator for ${new URL(request.url).host} is unreachable: ${error instanceof Error ? error.message : String(error)}`, { status: 502 });
    }
  };
}

/** The map as lines a person reads at start-up (`pattern -> base URL`). */
export function describeHostMap(map: HostMap): string[] {
  return [...map].map(([pattern, base]) => `${pattern} -> ${base.href}`);
}
