/**
 * Node side of the relay tests' network: Miniflare's `outboundService` receives every request the
 * Worker makes, and this sends the ones marked `x-storewatch-sandbox: <name>` to a sandbox Amazon
 * of that name (test/sandbox/, created on first use, each with its own clock), through the same
 * host map `npm start` uses (scripts/upstream-map.ts). Unmarked requests go to `fallback`, so
 * tests written against other stand-ins are untouched. One sandbox per name keeps test files that
 * run in parallel from sharing sellers, faults or clocks.
 *
 * `POST /__clock {"at": ms}` (or `{"advanceMs": n}`) with the header moves that sandbox's clock:
 * tests never let the sandbox read the wall clock.
 */
import { buildHostMap, outboundService } from '../../scripts/upstream-map.ts';
import { type Sandbox, createSandbox } from '../sandbox/amazon.ts';
import { SANDBOX_CONTROL as SANDBOX_BASE, SANDBOX_EPOCH, SANDBOX_HEADER } from './sandbox-wire.ts';

export function sandboxOutbound(fallback: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  const sandboxes = new Map<string, { sandbox: Sandbox; clock: { now: number } }>();
  const route = outboundService(buildHostMap(SANDBOX_BASE), async (forwarded) => {
    const name = forwarded.headers.get(SANDBOX_HEADER) ?? '';
    return sandboxes.get(name)!.sandbox.handle(forwarded);
  });
  return async (request) => {
    const name = request.headers.get(SANDBOX_HEADER);
    if (!name) return fallback(request);
    let entry = sandboxes.get(name);
    if (!entry) {
      const clock = { now: SANDBOX_EPOCH };
      entry = { clock, sandbox: createSandbox({ now: () => clock.now, reportProcessingMs: 3000 }) };
      sandboxes.set(name, entry);
    }
    const url = new URL(request.url);
    if (url.pathname === '/__clock') {
      const body = (request.method === 'POST' ? await request.json() : {}) as { at?: number; advanceMs?: number };
      if (typeof body.at === 'number') entry.clock.now = body.at;
      if (typeof body.advanceMs === 'number') entry.clock.now += body.advanceMs;
      return Response.json({ now: entry.clock.now });
    }
    // Control API calls name the sandbox host directly; Amazon's hosts go through the host map.
    if (url.pathname.startsWith('/_sandbox/')) return entry.sandbox.handle(new Request(`${SANDBOX_BASE}${url.pathname}${url.search}`, request));
    return route(request);
  };
}
