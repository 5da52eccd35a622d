import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addStore, call, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

let first: Workspace;
let second: Workspace;
let storeId: string;
let channelId: string;
let alertId: number;
let jobId: string;

beforeAll(async () => {
  first = await setupWorkspace('First');
  second = await setupWorkspace('Second');
  storeId = (await addStore(first, 'Atzr|good-tenant-first')).id;
  const channel = await call<{ channel: { id: string } }>('POST', '/v1/channels', { token: first.token, body: { type: 'wecom', name: '运营群', secret: WECOM } });
  if (channel.status !== 201) throw new Error(`add channel: ${channel.status} ${channel.text}`);
  channelId = channel.body.channel.id;
  const inserted = await env.DB.prepare(
    `INSERT INTO alerts (workspace_id, store_id, marketplace_id, event_key, kind, severity, category, payload, created_at)
     VALUES (?, ?, 'ATVPDKIKX0DER', ?, 'level_changed', 'critical', 'problem', '{}', 1) RETURNING id`,
  )
    .bind(first.workspaceId, storeId, `tenant-${storeId}`)
    .first<{ id: number }>();
  alertId = inserted!.id;
  const refresh = await call<{ jobId: string }>('POST', `/v1/stores/${storeId}/refresh`, { token: first.token });
  if (refresh.status !== 202) throw new Error(`refresh: ${refresh.status} ${refresh.text}`);
  jobId = refresh.body.jobId;
});

/** Every route that names one of the first workspace's resources, with a body it would accept. */
function routes(): Array<[method: string, path: string, body?: unknown]> {
  return [
    ['PATCH', `/v1/stores/${storeId}`, { name: 'taken over' }],
    ['DELETE', `/v1/stores/${storeId}`],
    ['GET', `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER&metric=odrMfn`],
    ['POST', `/v1/stores/${storeId}/refresh`],
    ['GET', `/v1/jobs/${jobId}`],
    ['PATCH', `/v1/channels/${channelId}`, { name: 'taken over' }],
    ['DELETE', `/v1/channels/${channelId}`],
    ['POST', `/v1/channels/${channelId}/test`, {}],
    ['POST', `/v1/alerts/${alertId}/ack`, {}],
  ];
}

describe("a second workspace's owner", () => {
  it("gets 404 on every route that names the first workspace's resources", async () => {
    for (const [method, path, body] of routes()) {
      const res = await call(method, path, { token: second.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body, `${method} ${path}`).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it("sees none of the first workspace's stores, channels or alerts in lists and the overview", async () => {
    const stores = await call<{ stores: unknown[] }>('GET', '/v1/stores', { token: second.token });
    expect(stores.body.stores).toEqual([]);
    const overview = await call<{ stores: unknown[] }>('GET', '/v1/overview', { token: second.token });
    expect(overview.body.stores).toEqual([]);
    const channels = await call<{ channels: unknown[] }>('GET', '/v1/channels', { token: second.token });
    expect(channels.body.channels).toEqual([]);
    const alerts = await call<{ alerts: unknown[] }>('GET', '/v1/alerts', { token: second.token });
    expect(alerts.body.alerts).toEqual([]);
  });

  it('changed nothing of the first workspace', async () => {
    const store = await env.DB.prepare('SELECT name FROM stores WHERE id = ?').bind(storeId).first<{ name: string }>();
    expect(store?.name).toBe('Acme US');
    const channel = await env.DB.prepare('SELECT name FROM channels WHERE id = ?').bind(channelId).first<{ name: string }>();
    expect(channel?.name).toBe('运营群');
    const alert = await env.DB.prepare('SELECT acknowledged_at FROM alerts WHERE id = ?').bind(alertId).first<{ acknowledged_at: number | null }>();
    expect(alert?.acknowledged_at).toBeNull();
  });

  it('while the first workspace itself can reach each of them', async () => {
    const history = await call('GET', `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER&metric=odrMfn`, { token: first.token });
    expect(history.status).toBe(200);
    const patched = await call('PATCH', `/v1/stores/${storeId}`, { token: first.token, body: { paused: false } });
    expect(patched.status).toBe(200);
  });
});
