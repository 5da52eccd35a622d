import { describe, expect, it } from 'vitest';
import { keyIdOf, keyringFromEnv, open, refreshTokenContext, seal, secretBoxFromEnv } from '../../relay/crypto/secrets.ts';
import { fromBase64, toBase64 } from '../../relay/crypto/encoding.ts';

const keyA = toBase64(new Uint8Array(32).fill(1));
const keyB = toBase64(new Uint8Array(32).fill(2));

describe('secrets at rest', () => {
  it('round-trips and never stores the plain text', async () => {
    const ring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyA });
    const sealed = await seal(ring, 'Atzr|secret', refreshTokenContext('w1', 's1'));
    expect(sealed.keyId).toBe(await keyIdOf(fromBase64(keyA)));
    expect(sealed.ciphertext).not.toContain('secret');
    expect(await open(ring, sealed, refreshTokenContext('w1', 's1'))).toBe('Atzr|secret');
  });

  it('refuses a ciphertext moved to another workspace or store', async () => {
    const ring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyA });
    const sealed = await seal(ring, 'Atzr|secret', refreshTokenContext('w1', 's1'));
    await expect(open(ring, sealed, refreshTokenContext('w2', 's1'))).rejects.toThrow(Error);
    await expect(open(ring, sealed, refreshTokenContext('w1', 's2'))).rejects.toThrow(Error);
  });

  it('opens old ciphertexts after a rotation through TOKEN_ENCRYPTION_KEYS and seals with the new key', async () => {
    const old = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyA });
    const sealed = await seal(old, 'Atzr|secret', 'ctx');
    const oldId = await keyIdOf(fromBase64(keyA));
    const rotated = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyB, TOKEN_ENCRYPTION_KEYS: JSON.stringify({ [oldId]: keyA }) });
    expect(await open(rotated, sealed, 'ctx')).toBe('Atzr|secret');
    expect((await seal(rotated, 'x', 'ctx')).keyId).toBe(await keyIdOf(fromBase64(keyB)));
    const forgotten = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: keyB });
    await expect(open(forgotten, sealed, 'ctx')).rejects.toThrow(/no configured encryption key has id/);
  });

  it('refuses a key that is not 32 bytes', async () => {
    await expect(keyringFromEnv({ TOKEN_ENCRYPTION_KEY: toBase64(new Uint8Array(16)) })).rejects.toThrow(/32 bytes/);
    await expect(keyringFromEnv({})).rejects.toThrow(/not set/);
  });

  it('reads channel secrets sealed by the first alerts box (v1) only through the one-time upgrade, then seals them bound (v3)', async () => {
    const key = await crypto.subtle.importKey('raw', fromBase64(keyA), 'AES-GCM', false, ['encrypt']);
    const iv = new Uint8Array(12).fill(9);
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode('robot-key'));
    const v1 = `v1.${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
    const box = secretBoxFromEnv({ TOKEN_ENCRYPTION_KEY: keyA });
    expect(await box.openUnbound(v1)).toBe('robot-key');
    await expect(box.open(v1, 'channel/c1')).rejects.toThrow(/not a bound sealed secret/);
    const v3 = await box.seal('robot-key', 'channel/c1');
    expect(v3).toMatch(/^v3\.[0-9a-f]{8}\./);
    expect(await box.open(v3, 'channel/c1')).toBe('robot-key');
  });
});
