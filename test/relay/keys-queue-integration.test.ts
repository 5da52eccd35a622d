/**
 * A wrong encryption key is the operator's fault, not the channels' (relay/crypto/key-check.ts):
 * deliveries wait, channels stay ok, `/healthz` and the log say so, and the right key sends them.
 * Key ids come from the keys' bytes, and channel secrets are bound to their channel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS_BOUND, checkKeys, keysAtStart } from '../../relay/crypto/key-check.ts';
import { channelSecretBinding, keyIdOf, keyringFromEnv, open, refreshTokenContext, seal, secretBoxFromEnv } from '../../relay/crypto/secrets.ts';
import { fromBase64, toBase64 } from '../../relay/crypto/encoding.ts';
import { World, odrEvent } from './helpers/alerts-world.ts';

const keyOf = (byte: number) => toBase64(new Uint8Array(32).fill(byte));

let world: World;
let logged: string[];

beforeEach(async () => {
  world = new World();
  await world.seed();
  logged = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
});
afterEach(() => vi.restoreAllMocks());

/** Seals the seeded stores' refresh tokens for real, so the key check has a token to open. */
async function sealStores(key: string): Promise<void> {
  const ring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: key });
  for (const [store, workspace] of [['s1', 'w1'], ['s2', 'w2']] as const) {
    const s = await seal(ring, `Atzr|token-of-${store}`, refreshTokenContext(workspace, store));
    await world.env.DB.prepare('UPDATE stores SET refresh_token_ciphertext = ?, refresh_token_iv = ?, refresh_token_key_id = ? WHERE id = ?').bind(s.ciphertext, s.iv, s.keyId, store).run();
  }
}

/** The operator sets TOKEN_ENCRYPTION_KEY (and maybe the older keys) and redeploys. */
function deployWith(key: string, older?: string): void {
  world.env.TOKEN_ENCRYPTION_KEY = key;
  world.env.TOKEN_ENCRYPTION_KEYS = older;
  world.deps.secrets = secretBoxFromEnv(world.env);
}

describe('a replaced encryption key', () => {
  it('holds deliveries without breaking the channel or killing them, says so in /healthz and the log, and the right key sends them', async () => {
    const rightKey = keyOf(41);
    deployWith(rightKey);
    await sealStores(rightKey);
    const channelId = await world.addWecom();
    const wrongKey = keyOf(42);
    deployWith(wrongKey);

    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/1'))]);
    // Six hours: 36 held rounds, more than the 30 attempts after which a failing delivery is dead.
    await world.advance(6 * 3_600_000, 3_600_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(0);
    const held = await world.deliveries();
    expect(held.length).toBeGreaterThan(0);
    for (const d of held) expect(d).toMatchObject({ state: 'failed', attempts: 0, last_error: expect.stringContaining("the relay's encryption key does not open this channel's secret") });
    const channels = (await (await world.request('/v1/channels', { as: 'owner1' })).json()) as { channels: Array<{ id: string; state: string }> };
    expect(channels.channels.find((c) => c.id === channelId)).toMatchObject({ state: 'ok' });

    const health = await world.app.request('/healthz', undefined, world.env);
    expect([health.status, await health.json()]).toEqual([503, { ok: false, keys: 'mismatch' }]);
    const rightId = await keyIdOf(fromBase64(rightKey));
    const line = logged.find((l) => l.startsWith('relay: keys:'));
    expect(line).toContain(rightId);
    expect(line).toContain(await keyIdOf(fromBase64(wrongKey)));
    expect(logged.join('\n')).not.toContain(rightKey);
    expect(logged.join('\n')).not.toContain(wrongKey);

    deployWith(rightKey);
    await world.advance(15 * 60_000);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(1);
    for (const d of await world.deliveries()) expect(d).toMatchObject({ state: 'sent', attempts: 1 });
    const healthy = await world.app.request('/healthz', undefined, world.env);
    expect([healthy.status, await healthy.json()]).toEqual([200, { ok: true }]);
  }, 30_000);

  it('opens rows sealed under an older key whatever id the operator typed for it, ids being taken from the bytes', async () => {
    const oldKey = keyOf(51);
    const ring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: oldKey });
    const sealed = await seal(ring, 'Atzr|old', refreshTokenContext('w1', 's1'));
    const typo = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyOf(52), TOKEN_ENCRYPTION_KEYS: JSON.stringify({ 'not-its-id': oldKey }) });
    expect(await open(typo, sealed, refreshTokenContext('w1', 's1'))).toBe('Atzr|old');
    const listed = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyOf(52), TOKEN_ENCRYPTION_KEYS: JSON.stringify([oldKey]) });
    expect(listed.ids).toEqual([await keyIdOf(fromBase64(keyOf(52))), sealed.keyId]);
    expect(await open(listed, sealed, refreshTokenContext('w1', 's1'))).toBe('Atzr|old');
  });

  it('reports a missing key by its variable, never a value', async () => {
    const health = await checkKeys({ DB: world.env.DB, TOKEN_ENCRYPTION_KEY: 'bm90IDMyIGJ5dGVz' });
    expect(health).toEqual({ keys: 'missing', problem: 'TOKEN_ENCRYPTION_KEY must be 32 bytes (base64 of 32 random bytes)' });
  });
});

describe('channel secrets bound to their channel', () => {
  it('will not open a channel secret copied onto another channel', async () => {
    const box = secretBoxFromEnv({ TOKEN_ENCRYPTION_KEY: keyOf(61) });
    const sealed = await box.seal('robot-key', channelSecretBinding('ch-a'));
    expect(await box.open(sealed, channelSecretBinding('ch-a'))).toBe('robot-key');
    await expect(box.open(sealed, channelSecretBinding('ch-b'))).rejects.toThrow(/did not open/);
  });

  it('upgrades the older unbound rows once at start, then refuses that form for good', async () => {
    const key = keyOf(71);
    deployWith(key);
    await sealStores(key);
    const channelId = await world.addWecom();
    // What an earlier relay wrote: the v2 form, one context for every channel.
    const ring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: key });
    const v2 = await seal(ring, '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', 'storewatch/channel-secret');
    const unbound = `v2.${v2.keyId}.${v2.iv}.${v2.ciphertext}`;
    await world.env.DB.batch([
      world.env.DB.prepare('DELETE FROM relay_state'),
      world.env.DB.prepare('UPDATE channels SET secret = ? WHERE id = ?').bind(unbound, channelId),
    ]);
    await expect(world.deps.secrets.open(unbound, channelSecretBinding(channelId))).rejects.toThrow(/not a bound sealed secret/);

    await keysAtStart(world.env, world.now);
    const upgraded = await world.env.DB.prepare('SELECT secret FROM channels WHERE id = ?').bind(channelId).first<{ secret: string }>();
    expect(upgraded?.secret).toMatch(/^v3\./);
    expect(await world.deps.secrets.open(upgraded!.secret, channelSecretBinding(channelId))).toBe('0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0');
    expect(await world.env.DB.prepare('SELECT key FROM relay_state').all()).toMatchObject({ results: [{ key: CHANNELS_BOUND }] });

    // Written back in the old form after the upgrade: held, never sent, however often the relay starts.
    await world.env.DB.prepare('UPDATE channels SET secret = ? WHERE id = ?').bind(unbound, channelId).run();
    await keysAtStart({ ...world.env, TOKEN_ENCRYPTION_KEYS: '[]' }, world.now);
    await world.fanOut([await world.recordEvent(odrEvent('s1/US/odrMfn/2'))]);
    expect(world.wechat.messagesTo('wecom')).toHaveLength(0);
    expect(await world.deliveries()).toMatchObject([{ state: 'failed', attempts: 0 }]);
  });
});
