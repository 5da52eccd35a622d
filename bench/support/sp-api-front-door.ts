/**
 * Points the `amazon-sp-api` npm package at the sandbox without touching its code or the internet.
 * The package sends every request (LWA, SP-API, the S3 document) with node:https through its
 * documented `https_proxy_agent` option; the agent given here hands it a plain TCP socket to a
 * loopback front door instead of a TLS one, so the same bytes a real call would send arrive over
 * HTTP. The front door does for the package what Miniflare's outboundService does for the relay:
 * the original host goes into `X-Forwarded-Host` (which picks the sandbox's region or WeChat side).
 * The relay reaches the sandbox over plain loopback HTTP too, so neither side pays for TLS.
 */
import { Agent } from 'node:https';
import { type Socket, connect } from 'node:net';
import type { Sandbox } from '../../test/sandbox/amazon.ts';
import { type Listening, listen } from '../../test/sandbox/listen.ts';

/** An https.Agent whose connections are plain TCP to 127.0.0.1:`port`. */
class LoopbackAgent extends Agent {
  private readonly port: number;

  constructor(port: number) {
    super({ keepAlive: true });
    this.port = port;
  }

  override createConnection(): Socket {
    return connect(this.port, '127.0.0.1');
  }
}

/**
 * Real LWA takes its token request as JSON or as a form, and the package sends JSON; the sandbox's
 * LWA reads only the form Amazon documents, so the front door re-encodes that one body.
 */
async function asForm(request: Request): Promise<Request> {
  const body = (await request.json()) as Record<string, string>;
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/x-www-form-urlencoded');
  headers.delete('content-length');
  return new Request(request.url, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
}

export interface FrontDoor {
  agent: Agent;
  close(): Promise<void>;
}

export async function spApiFrontDoor(sandbox: Sandbox): Promise<FrontDoor> {
  const door: Listening = await listen(
    {
      ...sandbox,
      async handle(request) {
        const host = request.headers.get('host') ?? '';
        const json = (request.headers.get('content-type') ?? '').includes('json');
        const routed = new URL(request.url).pathname === '/auth/o2/token' && json ? await asForm(request) : request;
        const headers = new Headers(routed.headers);
        headers.set('x-forwarded-host', host);
        const body = routed.method === 'GET' || routed.method === 'HEAD' ? undefined : await routed.arrayBuffer();
        return sandbox.handle(new Request(routed.url, { method: routed.method, headers, body }));
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
  const agent = new LoopbackAgent(Number(new URL(door.url).port));
  return {
    agent,
    async close() {
      agent.destroy();
      await door.close();
    },
  };
}
