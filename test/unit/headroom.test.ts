import { describe, expect, it } from 'vitest';
import { compareDecimals, toDecimal } from '../../shared/decimal.ts';
import { countHeadroom, overTarget, rateHeadroom, wayBack } from '../../shared/headroom.ts';
import type { Target } from '../../shared/types.ts';

const LESS = (value: number): Target => ({ value, condition: 'LESS_THAN' });
const MORE = (value: number): Target => ({ value, condition: 'GREATER_THAN' });

/**
 * The slow, obviously right answer: try n = 0, 1, 2... with the target written as a fraction of
 * integers by hand, stopping at the first n that breaks it.
 */
function bruteForce(N: number, counted: number, [num, den]: [number, number], direction: 'lower' | 'higher'): number | null {
  // `counted` is the defects (lower is better) or the good ones (higher is better).
  const meets = (k: number) => (direction === 'lower' ? k * den < num * N : k * den > num * N);
  const next = (n: number) => (direction === 'lower' ? counted + n : counted - n);
  const limit = direction === 'lower' ? N - counted : counted;
  if (!meets(counted)) return null;
  let n = 0;
  while (n < limit && meets(next(n + 1))) n++;
  return n;
}

describe('rateHeadroom for lower-is-better rates', () => {
  it('leaves no room at 2 defective of 250 orders under a 1 % target (the acceptance figure)', () => {
    // 3 of 250 is 1.2 %: the next defective order breaks it.
    expect(rateHeadroom({ total: 250, defects: 2 }, LESS(0.01))).toBe(0);
  });

  it('treats exactly the target as missed: 5 of 500 is not below 1 %', () => {
    expect(rateHeadroom({ total: 500, defects: 1 }, LESS(0.01))).toBe(3);
    expect(rateHeadroom({ total: 501, defects: 1 }, LESS(0.01))).toBe(4);
    expect(rateHeadroom({ total: 500, defects: 5 }, LESS(0.01))).toBeNull();
  });

  it('handles the 2.5 % cancel target without floating-point drift', () => {
    // 40 orders * 2.5 % is exactly 1: not even one cancellation stays below it.
    expect(rateHeadroom({ total: 40, defects: 0 }, LESS(0.025))).toBe(0);
    expect(rateHeadroom({ total: 41, defects: 0 }, LESS(0.025))).toBe(1);
  });

  it('agrees with brute force for every window up to 400 orders under 1 %, 2.5 % and 4 %', () => {
    const targets: Array<[number, [number, number]]> = [[0.01, [1, 100]], [0.025, [1, 40]], [0.04, [1, 25]]];
    for (const [value, fraction] of targets) {
      for (let N = 1; N <= 400; N++) {
        for (let d = 0; d <= Math.min(N, 20); d++) {
          expect(rateHeadroom({ total: N, defects: d }, LESS(value)), `${d}/${N} < ${value}`).toBe(bruteForce(N, d, fraction, 'lower'));
        }
      }
    }
  });

  it('stays exact for very large windows', () => {
    // Amazon's example: 27896 late of 870669; 4 % of 870669 is 34826.76.
    expect(rateHeadroom({ total: 870669, defects: 27896 }, LESS(0.04))).toBe(6930);
    // 1 % of 2^40 is 10995116277.76: one fewer than that rounds down to 10995116277.
    expect(rateHeadroom({ total: 2 ** 40, defects: 0 }, LESS(0.01))).toBe(10995116277);
  });

  it('never promises more defects than there are orders', () => {
    expect(rateHeadroom({ total: 10, defects: 2 }, LESS(2))).toBe(8);
  });
});

describe('rateHeadroom for higher-is-better rates', () => {
  it('counts how many more shipments may lose valid tracking and still stay above 95 %', () => {
    expect(rateHeadroom({ total: 100, good: 97 }, MORE(0.95))).toBe(1);
    expect(rateHeadroom({ total: 100, good: 96 }, MORE(0.95))).toBe(0);
    expect(rateHeadroom({ total: 100, good: 95 }, MORE(0.95))).toBeNull();
  });

  it('agrees with brute force for every window up to 300 shipments above 90 % and 95 %', () => {
    const targets: Array<[number, [number, number]]> = [[0.9, [9, 10]], [0.95, [19, 20]]];
    for (const [value, fraction] of targets) {
      for (let N = 1; N <= 300; N++) {
        for (let g = Math.max(0, N - 40); g <= N; g++) {
          expect(rateHeadroom({ total: N, good: g }, MORE(value)), `${g}/${N} > ${value}`).toBe(bruteForce(N, g, fraction, 'higher'));
        }
      }
    }
  });
});

describe('rateHeadroom when it cannot say', () => {
  it('is null for an empty window, missing counts or counts that contradict each other', () => {
    expect(rateHeadroom({ total: 0, defects: 0 }, LESS(0.01))).toBeNull();
    expect(rateHeadroom({ defects: 0 }, LESS(0.01))).toBeNull();
    expect(rateHeadroom({ total: 100 }, LESS(0.01))).toBeNull();
    expect(rateHeadroom({ total: 100, defects: 0 }, MORE(0.95))).toBeNull();
    // Amazon's own example: 896462 shipments with valid tracking out of 878443.
    expect(rateHeadroom({ total: 878443, good: 896462 }, MORE(0.95))).toBeNull();
    expect(rateHeadroom({ total: 10, defects: 11 }, LESS(0.5))).toBeNull();
    expect(rateHeadroom({ total: 10.5, defects: 0 }, LESS(0.5))).toBeNull();
  });

  it('is 0 for an EQUALS rate target that is met and null once it is not', () => {
    expect(rateHeadroom({ total: 10, defects: 0 }, { value: 0, condition: 'EQUALS' })).toBe(0);
    expect(rateHeadroom({ total: 10, defects: 1 }, { value: 0, condition: 'EQUALS' })).toBeNull();
  });
});

describe('countHeadroom for policy counts', () => {
  it('gives a clean count 0 (the next violation breaks EQUALS 0) and a violated one none', () => {
    expect(countHeadroom(0, { value: 0, condition: 'EQUALS' })).toBe(0);
    expect(countHeadroom(2, { value: 0, condition: 'EQUALS' })).toBeNull();
    expect(countHeadroom(null, { value: 0, condition: 'EQUALS' })).toBeNull();
  });

  it('counts what is left below a LESS_THAN target, should Amazon ever send one', () => {
    expect(countHeadroom(1, LESS(3))).toBe(1);
    expect(countHeadroom(3, LESS(3))).toBeNull();
    expect(countHeadroom(0, LESS(2.5))).toBe(2);
  });
});

describe('exact decimals', () => {
  it('reads a number as the decimal it was written as', () => {
    expect(toDecimal(0.01)).toEqual({ numerator: 1n, denominator: 100n });
    expect(toDecimal(0.03203973037)).toEqual({ numerator: 3203973037n, denominator: 100000000000n });
    expect(toDecimal(1e-7)).toEqual({ numerator: 1n, denominator: 10000000n });
    expect(toDecimal(1e21)).toEqual({ numerator: 10n ** 21n, denominator: 1n });
    expect(toDecimal(-0.5)).toEqual({ numerator: -5n, denominator: 10n });
    expect(toDecimal(Number.NaN)).toBeNull();
    expect(toDecimal(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('compares 2/250 with 1 % and 0.1 + 0.2 with 0.3 the way a person would', () => {
    const rate = toDecimal(Number((2 / 250).toFixed(4)))!;
    expect(compareDecimals(rate, toDecimal(0.008)!)).toBe(0);
    expect(compareDecimals(rate, toDecimal(0.01)!)).toBe(-1);
    expect(compareDecimals(toDecimal(0.3)!, toDecimal(0.30000000000000004)!)).toBe(-1);
    expect(compareDecimals(toDecimal(0.0075)!, { numerator: 75n, denominator: 10000n })).toBe(0);
  });
});

describe('overTarget and wayBack: how far a broken rate is over, and the way back', () => {
  const ODR = LESS(0.01);
  const VTR = MORE(0.95);

  it('counts the defects past the most a lower-is-better window can hold', () => {
    // 252 orders under 1 %: at most 2 defective (3 is 1.19 %).
    expect(overTarget({ total: 252, defects: 3 }, ODR)).toBe(1);
    expect(overTarget({ total: 100, defects: 1 }, ODR)).toBe(1);
    expect(overTarget({ total: 252, defects: 2 }, ODR)).toBeNull();
  });

  it('counts the good ones missing from a higher-is-better window', () => {
    // 600 shipments over 95 %: 571 needed; 570 is exactly 95 %, one short.
    expect(overTarget({ total: 600, good: 570 }, VTR)).toBe(1);
    expect(overTarget({ total: 600, good: 571 }, VTR)).toBeNull();
  });

  it('finds the fewest defect-free orders that bring the rate back under target, exactly', () => {
    // 3 of 252: 3 / (252 + x) < 1 % needs 252 + x > 300, so x = 49.
    expect(wayBack({ total: 252, defects: 3 }, ODR)).toBe(49);
    // Exactly at the boundary: 1 of 100 is 1 %, one more order makes 1 of 101 < 1 %.
    expect(wayBack({ total: 100, defects: 1 }, ODR)).toBe(1);
    expect(wayBack({ total: 252, defects: 2 }, ODR)).toBe(0);
  });

  it('finds the fewest good shipments that bring a higher-is-better rate back over target', () => {
    // 570 of 600 = 95 %: (570 + x) / (600 + x) > 95 % needs 0.05x > 0, so x = 1.
    expect(wayBack({ total: 600, good: 570 }, VTR)).toBe(1);
    // 540 of 600 = 90 %: 0.05x > 30, so x = 601.
    expect(wayBack({ total: 600, good: 540 }, VTR)).toBe(601);
  });

  it('has no way back where none exists or the counts cannot say', () => {
    expect(wayBack({ total: 10, defects: 1 }, { value: 0, condition: 'LESS_THAN' })).toBeNull();
    expect(wayBack({ total: 10, good: 9 }, { value: 1, condition: 'GREATER_THAN' })).toBeNull();
    expect(wayBack({ total: 0, defects: 0 }, ODR)).toBeNull();
    expect(wayBack({ defects: 3 }, ODR)).toBeNull();
    expect(overTarget({ total: 10, defects: 11 }, ODR)).toBeNull();
  });
});
