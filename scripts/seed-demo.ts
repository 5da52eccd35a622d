/**
 * The demo workspace of `npm start`: an owner, three stores (one per region) authorized with the
 * sandbox's demo refresh tokens, and a fresh pairing code. Idempotent: a second start reuses the
 * owner kept in .wrangler/state and adds only what is missing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { STATE_DIR } from './local-relay.ts';

const DEMO_STORES = [
  { name: '演示店铺 North America', region: 'na', refreshToken: 'Atzr|sandbox-na' },
  { name: '演示店铺 Europe', region: 'eu', refreshToken: 'Atzr|sandbox-eu' },
  { name: '演示店铺 Japan & Australia', region: 'fe', refreshToken: 'Atzr|sandbox-fe' },
];

const DEMO_WECOM_KEY = '5d0c2a4e-7b1f-4e39-9a6c-3f8e1d2b7c60';

async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: unknown }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

function expectOk(what: string, res: { status: number; body: unknown }): Record<string, unknown> {
  if (res.status >= 300) throw new Error(`${what} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

async function ownerToken(relay: string, setupToken: string): Promise<string> {
  const path = `${STATE_DIR}/demo-owner.json`;
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { token: string };
    if ((await call(`${relay}/v1/me`, { token: saved.token })).status === 200) return saved.token;
  }
  const created = expectOk(
    'Creating the demo workspace',
    await call(`${relay}/v1/setup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setupToken}` },
      body: JSON.stringify({ workspace: '演示团队 Demo team', owner: 'demo-owner' }),
    }),
  );
  const token = String(created.token);
  writeFileSync(path, JSON.stringify({ token }), { mode: 0o600 });
  return token;
}

export async function seedDemo(relay: string, setupToken: string): Promise<{ ownerToken: string; pairingCode: string }> {
  const token = await ownerToken(relay, setupToken);
  const existing = expectOk('Listing stores', await call(`${relay}/v1/stores`, { token })) as { stores?: Array<{ region: string }> };
  const regions = new Set((existing.stores ?? []).map((s) => s.region));
  for (const store of DEMO_STORES) {
    if (regions.has(store.region)) continue;
    expectOk(`Adding ${store.name}`, await call(`${relay}/v1/stores`, { method: 'POST', token, body: JSON.stringify(store) }));
  }
  const channels = expectOk('Listing channels', await call(`${relay}/v1/channels`, { token })) as { channels?: unknown[] };
  if ((channels.channels ?? []).length === 0) {
    // A WeCom group robot on the sandbox: its messages show in the sandbox page's phone view.
    expectOk(
      'Adding the demo WeCom robot',
      await call(`${relay}/v1/channels`, {
        method: 'POST',
        token,
        body: JSON.stringify({ type: 'wecom', name: '演示运营群 Demo ops group', secret: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${DEMO_WECOM_KEY}` }),
      }),
    );
  }
  const invite = expectOk('Creating a pairing code', await call(`${relay}/v1/invites`, { method: 'POST', token, body: '{}' }));
  return { ownerToken: token, pairingCode: String(invite.code) };
}
