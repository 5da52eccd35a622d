/**
 * Vitest global setup for the relay tests: starts the sandbox Amazon on 127.0.0.1 (Node side) with
 * a clock the tests move, and provides its URL. Tests in workerd reach it over loopback through the
 * relay's own host map (relay/upstream-map.ts), the way the relay reaches Amazon in production.
 */
import type { TestProject } from 'vitest/node';
import { createSandbox } from '../sandbox/amazon.ts';
import { listen } from '../sandbox/listen.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxUrl: string;
  }
}

/** Starting time of the sandbox clock: a fixed instant, never the wall clock. */
export const SANDBOX_EPOCH = Date.UTC(2026, 10, 23, 0, 0, 0);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let now = SANDBOX_EPOCH;
  const sandbox = createSandbox({ now: () => now, reportProcessingMs: 3000 });
  const server = await listen(
    {
      ...sandbox,
      // Test-only clock control: POST /__clock {"advanceMs": n} | {"at": ms}.
      async handle(request: Request): Promise<Response> {
        const url = new URL(request.url);
        if (url.pathname !== '/__clock') return sandbox.handle(request);
        if (request.method === 'POST') {
          const body = (await request.json()) as { advanceMs?: number; at?: number };
          if (typeof body.at === 'number') now = body.at;
          if (typeof body.advanceMs === 'number') now += body.advanceMs;
        }
        return Response.json({ now });
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
  project.provide('sandboxUrl', server.url);
  return () => server.close();
}
