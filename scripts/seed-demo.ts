/**
 * The demo workspace of `npm start`, made through the relay's own API as a person would: an owner
 * (POST /v1/setup), three stores - one per region - authorized with the sandbox's demo refresh
 * tokens (POST /v1/stores), a WeCom group robot on the sandbox (its messages show in the sandbox
 * page's phone view), a fresh pairing code for a member and one that pairs a browser as the owner
 * (POST /v1/invites, `memberId` = the owner's own id). Idempotent: a second start
 * finds the owner token kept in .wrangler/state and adds only what is missing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DEMO_SELLERS } from '../test/sandbox/amazon.ts';
import { STATE_DIR } from './local-relay.ts';

const DEMO_STORES = [
  { name: '演示店铺 北美 Demo NA', region: 'na', refreshToken: DEMO_SELLERS.na.refreshToken },
  { name: '演示店铺 欧洲 Demo EU', region: 'eu', refreshToken: DEMO_SELLERS.eu.refreshToken },
  { name: '演示店铺 远东 Demo FE', region: 'fe', refreshToken: DEMO_SELLERS.fe.refreshToken },
] as const;

const DEMO_WECOM_KEY = '5d0c2a4e-7b1f-4e39-9a6c-3f8e1d2b7c60';

async function call(url: string, init: { method?: string; token: string; body?: unknown }): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

function expectOk(what: string, res: { status: number; body: unknown }): Record<string, unknown> {
  if (res.status >= 300) throw new Error(`${what} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/** The demo owner's API token: the one kept from an earlier start while it still works, else a new workspace. */
async function ownerToken(relay: string, setupToken: string): Promise<string> {
  const path = `${STATE_DIR}/demo-owner.json`;
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { token: string };
    if ((await call(`${relay}/v1/me`, { token: saved.token })).status === 200) return saved.token;
  }
  const created = expectOk('Creating the demo workspace', await call(`${relay}/v1/setup`, { method: 'POST', token: setupToken, body: { workspace: '演示团队 Demo team', owner: '店主 Owner' } }));
  const token = String(created.token);
  writeFileSync(path, JSON.stringify({ token }), { mode: 0o600 });
  return token;
}

export interface DemoWorkspace {
  ownerToken: string;
  pairingCode: string;
  /** Pairs one browser profile as the demo owner (owners' sections in options: members, rules). */
  ownerCode: string;
  stores: Array<{ id: string; name: string; region: string }>;
}

export async function seedDemo(relay: string, setupToken: string): Promise<DemoWorkspace> {
  const token = await ownerToken(relay, setupToken);
  const list = async () => (expectOk('Listing stores', await call(`${relay}/v1/stores`, { token })).stores ?? []) as Array<{ id: string; name: string; region: string }>;
  const existing = new Set((await list()).map((s) => s.region));
  for (const store of DEMO_STORES) {
    if (!existing.has(store.region)) expectOk(`Adding ${store.name}`, await call(`${relay}/v1/stores`, { method: 'POST', token, body: store }));
  }
  const channels = (expectOk('Listing channels', await call(`${relay}/v1/channels`, { token })).channels ?? []) as unknown[];
  if (channels.length === 0) {
    const secret = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${DEMO_WECOM_KEY}`;
    expectOk('Adding the demo WeCom robot', await call(`${relay}/v1/channels`, { method: 'POST', token, body: { type: 'wecom', name: '演示运营群 Demo ops group', secret } }));
  }
  const invite = expectOk('Creating a pairing code', await call(`${relay}/v1/invites`, { method: 'POST', token, body: {} }));
  const me = expectOk('Reading the owner', await call(`${relay}/v1/me`, { token }));
  const ownerInvite = expectOk('Creating an owner enrolment code', await call(`${relay}/v1/invites`, { method: 'POST', token, body: { memberId: me.memberId, devices: 1 } }));
  return { ownerToken: token, pairingCode: String(invite.code), ownerCode: String(ownerInvite.code), stores: await list() };
}
