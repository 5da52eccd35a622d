/**
 * Exact decimal fractions for comparing rates with targets. Amazon writes rates and targets as
 * JSON decimals (0.01, 0.025, 0.95); doubles cannot hold most of them, so 2/250 against 1 % or
 * 0.0075 against 75 % of 1 % would be judged by rounding noise. `String(number)` gives the
 * shortest decimal that reads back as the same double - the decimal the report was written in -
 * and from that we build an integer fraction and compare with BigInt.
 */

/** numerator / denominator, denominator a positive power of ten. */
export interface Decimal {
  numerator: bigint;
  denominator: bigint;
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/** The decimal a finite number was written as; null for NaN and the infinities. */
export function toDecimal(value: number): Decimal | null {
  if (!Number.isFinite(value)) return null;
  const match = DECIMAL_TEXT.exec(String(value));
  if (!match) return null;
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { numerator: sign === '-' ? -digits : digits, denominator: 10n ** BigInt(scale) };
}

/** Negative, zero or positive as a is below, equal to or above b. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}
