import { constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from '../../shared/gunzip.ts';
import { createRandom } from '../sandbox/prng.ts';

const MB = 1024 * 1024;

describe('gunzip with a size cap', () => {
  it('reads what Node\'s zlib writes, at every level and strategy, text and binary', () => {
    const random = createRandom(7);
    const samples = [
      new Uint8Array(0),
      new TextEncoder().encode('{"accountStatuses":[{"marketplaceId":"ATVPDKIKX0DER","status":"NORMAL"}]}'),
      new TextEncoder().encode('店铺哨兵 '.repeat(5000)),
      Uint8Array.from({ length: 200_000 }, () => Math.floor(random.next() * 256)),
      Uint8Array.from({ length: 100_000 }, (_, i) => (i % 97 < 50 ? 32 : Math.floor(random.next() * 4))),
    ];
    for (const sample of samples) {
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]) {
          const read = gunzip(new Uint8Array(gzipSync(sample, { level, strategy })), 4 * MB);
          expect(read.ok, `level ${level} strategy ${strategy} size ${sample.length}`).toBe(true);
          expect(read.ok && Buffer.from(read.bytes).equals(Buffer.from(sample))).toBe(true);
        }
      }
    }
  });

  it('reads concatenated members as one file', () => {
    const joined = Buffer.concat([gzipSync('abc'), gzipSync('def')]);
    expect(gunzip(new Uint8Array(joined), MB)).toEqual({ ok: true, bytes: new TextEncoder().encode('abcdef') });
  });

  it('stops a bomb as soon as its output passes the cap, saying it is too large', () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(40 * MB, 0x20), { level: 9 }));
    expect(bomb.length).toBeLessThan(100_000);
    expect(gunzip(bomb, 8 * MB)).toEqual({ ok: false, tooLarge: true, reason: `past ${8 * MB} bytes` });
    expect(gunzip(bomb, 40 * MB).ok).toBe(true);
  });

  it('refuses cut-off, corrupted and non-gzip data without throwing', () => {
    const good = new Uint8Array(gzipSync('{"a":1}'.repeat(100)));
    expect(gunzip(good.subarray(0, good.length - 6), MB)).toMatchObject({ ok: false, tooLarge: false });
    expect(gunzip(good.subarray(0, 15), MB)).toMatchObject({ ok: false, tooLarge: false });
    const flipped = good.slice();
    flipped[good.length - 9] = flipped[good.length - 9]! ^ 0xff;
    expect(gunzip(flipped, MB)).toMatchObject({ ok: false, tooLarge: false });
    expect(gunzip(new TextEncoder().encode('{"not":"gzip"}'), MB)).toEqual({ ok: false, tooLarge: false, reason: 'not gzip' });
    // Damaged anywhere: an answer every time (the checksum catches what decodes), never a throw.
    const random = createRandom(11);
    const answers = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const noise = good.slice();
      for (let k = 0; k < 3; k++) noise[10 + Math.floor(random.next() * (noise.length - 10))] = Math.floor(random.next() * 256);
      const read = gunzip(noise, MB);
      answers.add(read.ok ? 'ok' : 'refused');
    }
    expect(answers).toEqual(new Set(['refused']));
  });
});
