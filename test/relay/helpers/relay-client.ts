/**
 * Drives the real Worker through `exports.default.fetch` and keeps every response body it saw, so
 * a test can grep them all for a secret. Storage is shared by the tests of a file: tests make their
 * own workspaces and compare row counts, never assume empty tables.
 */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';

export const SETUP_TOKEN = 'setup-token-for-tests';
export const BASE = 'https://relay.test';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** Every response body seen in this file, in order. */
export const seenBodies: string[] = [];

/** A fresh client address per call, so one test's rate-limit windows do not touch another's. */
export function freshIp(): string {
  const octet = () => Math.floor(Math.random() * 256);
  return `10.${octet()}.${octet()}.${octet()}`;
}

export async function call<T = unknown>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; ip?: string } = {},
): Promise<Answer<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  headers.set('cf-connecting-ip', options.ip ?? freshIp());
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  // Redirects are answers to check, not to follow (the OAuth start redirects off to Amazon).
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body, redirect: 'manual' }));
  const text = await res.text();
  seenBodies.push(text);
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // HTML pages and empty bodies stay text
  }
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

export interface Workspace {
  workspaceId: string;
  memberId: string;
  token: string;
}

export async function setupWorkspace(name = 'Acme 团队'): Promise<Workspace> {
  const res = await call<Workspace>('POST', '/v1/setup', { token: SETUP_TOKEN, body: { workspace: name, owner: 'Lin' } });
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${res.text}`);
  return res.body;
}

/** Invites and pairs a member into the workspace; returns the member's token. */
export async function pairMember(owner: Workspace, device = 'Chrome on laptop'): Promise<{ token: string; memberId: string }> {
  const invite = await call<{ code: string }>('POST', '/v1/invites', { token: owner.token, body: {} });
  if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${invite.text}`);
  const pair = await call<{ token: string; memberId: string }>('POST', '/v1/pair', { body: { code: invite.body.code, device } });
  if (pair.status !== 201) throw new Error(`pair: ${pair.status} ${pair.text}`);
  return pair.body;
}

export interface CreatedStore {
  id: string;
  name: string;
  region: string;
  sellerId: string | null;
  marketplaces: Array<{ marketplaceId: string; countryCode: string }>;
}

export async function addStore(owner: Workspace, refreshToken: string, region = 'na', name = 'Acme US'): Promise<CreatedStore> {
  const res = await call<CreatedStore>('POST', '/v1/stores', { token: owner.token, body: { name, region, refreshToken } });
  if (res.status !== 201) throw new Error(`add store: ${res.status} ${res.text}`);
  return res.body;
}

const TABLES = ['workspaces', 'members', 'api_tokens', 'invites', 'oauth_states', 'stores', 'store_marketplaces', 'snapshots', 'events'] as const;

/** Row counts of the relay's tables (rate_limits left out: counting a refused attempt is the point). */
export async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n;
  return out;
}

/** Every text value of every column of every table, for grepping a secret. */
export async function everyStoredText(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'").all<{
    name: string;
  }>();
  const parts: string[] = [];
  for (const { name } of results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of rows.results) parts.push(JSON.stringify(row));
  }
  return parts.join('\n');
}
