/**
 * A seeded PRNG (mulberry32) for the identifiers the simulated WeChat side makes up - openids,
 * QR tickets, message ids - so a run with the same seed and clock hands out the same ones.
 * Tests never depend on Math.random.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** `length` characters drawn from `alphabet`. */
  text(length: number, alphabet?: string): string;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    text(length, alphabet = ALNUM) {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}
