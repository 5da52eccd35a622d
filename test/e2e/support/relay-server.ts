/** Serves a fake relay (fake-relay.ts) over HTTP on 127.0.0.1, for the extension in Chromium. */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeRelay } from './fake-relay.ts';

async function body(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface RelayServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRelay(relay: FakeRelay, port = 0): Promise<RelayServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const payload = await body(req);
      const response = await relay.handle(new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers, body: payload ? new Uint8Array(payload) : undefined }));
      // forEach rather than iteration: the benchmarks compile this with the Workers' Headers type too.
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => (out[name] = value));
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
