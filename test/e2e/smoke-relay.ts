/**
 * A tiny relay on 127.0.0.1 for the smoke test: pairing, identity, the overview (with ETag), the
 * alert feed, history, and one refresh whose job walks through its states one poll at a time.
 * The answers follow shared/api's shapes; the relay itself is tested in test/relay.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertView, StoreOverview } from '../../shared/api/index.ts';

export const PAIRING_CODE = 'K7M2-Q9XH';
export const TOKEN = 'e2e-token-1';

const JOB_STATES = ['queued', 'requesting', 'waiting', 'downloading', 'done'] as const;

export interface SmokeRelay {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : null;
}

export async function startSmokeRelay(stores: StoreOverview[], alerts: AlertView[], now: number): Promise<SmokeRelay> {
  const requests: string[] = [];
  let polls = 0;
  const server: Server = createServer((req, res) => {
    // The extension calls from its own origin; the real relay admits it with CORS too.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, if-none-match');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('access-control-expose-headers', 'etag');
    if (req.method === 'OPTIONS') return send(res, 204);
    const url = new URL(req.url ?? '/', 'http://relay');
    const route = `${req.method} ${url.pathname}`;
    requests.push(route);
    void (async () => {
      if (route === 'POST /v1/pair') {
        const body = (await readJson(req)) as { code?: string };
        if (body?.code !== PAIRING_CODE.replace('-', '')) return send(res, 400, { error: { code: 'invite_invalid', message: 'unknown or expired pairing code' } });
        return send(res, 200, { token: TOKEN, workspaceId: 'w-demo', memberId: 'm-lin', role: 'owner' });
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
      switch (route) {
        case 'GET /v1/me':
          return send(res, 200, { workspaceId: 'w-demo', workspaceName: 'Demo workspace', memberId: 'm-lin', name: 'Lin', role: 'owner' });
        case 'GET /v1/overview': {
          const version = polls >= JOB_STATES.length ? 2 : 1;
          const etag = `"overview-${version}"`;
          if (req.headers['if-none-match'] === etag) return send(res, 304, undefined, { etag });
          return send(res, 200, { stores: stores.map((s) => (version === 2 && s.id === 's-warn' ? { ...s, lastCheckedAt: now } : s)) }, { etag });
        }
        case 'GET /v1/alerts':
          return send(res, 200, { alerts, cursor: null });
        case 'POST /v1/stores/s-warn/refresh':
          polls = 0;
          return send(res, 202, { jobId: 'job-1' });
        case 'GET /v1/jobs/job-1': {
          const state = JOB_STATES[Math.min(polls++, JOB_STATES.length - 1)]!;
          return send(res, 200, { id: 'job-1', storeId: 's-warn', state, error: null, startedAt: now, finishedAt: state === 'done' ? now : null });
        }
      }
      if (req.method === 'GET' && /^\/v1\/stores\/[^/]+\/history$/.test(url.pathname)) {
        const day = 86_400_000;
        const points = Array.from({ length: 8 }, (_, i) => ({ takenAt: now - (7 - i) * day, value: 0.002 + i * 0.0012, level: i > 5 ? 'breach' : 'ok' }));
        return send(res, 200, { points });
      }
      return send(res, 404, { error: { code: 'not_found', message: `no route ${route}` } });
    })().catch((error: unknown) => send(res, 500, { error: { code: 'internal', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
