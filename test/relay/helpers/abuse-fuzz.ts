/**
 * Hostile bodies, derived from a body a route accepts by a seeded PRNG (the same seed gives the
 * same cases on every run). Each mutation is one the contract refuses whatever the draw: a field
 * of another JSON type, a required field gone, more than the 64 KiB the relay reads, nesting
 * thousands deep, bytes that are not UTF-8, text that is not JSON, prototype-pollution keys.
 */

/** mulberry32: a tiny PRNG with a 32-bit state, plenty for picking cases. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FuzzCategory = 'wrong-type' | 'missing-field' | 'huge' | 'deeply-nested' | 'invalid-utf8' | 'not-json' | 'prototype-keys';

export interface FuzzCase {
  category: FuzzCategory;
  what: string;
  raw: string | Uint8Array;
  /** Send as a stream without content-length (the body limit must count, not trust a header). */
  streamed?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A value of a JSON type other than `than`'s. */
function otherType(rand: () => number, than: unknown): Json {
  const candidates: Json[] = [null, true, 12345, -0.5, 'a string', [], ['x'], {}, { nested: 'object' }, 1e308];
  return pick(
    rand,
    candidates.filter((c) => typeOf(c) !== typeOf(than)),
  );
}

/** The JSON text with `{` opened `depth` times around a value, or `[` when `arrays`. */
function nested(depth: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

const INVALID_UTF8: ReadonlyArray<[string, number[]]> = [
  ['a lone continuation byte', [0x80]],
  ['an 0xff byte', [0xff]],
  ['a truncated two-byte sequence', [0xc3, 0x28]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
];

const NOT_JSON = ['', ' ', '{', '}', '[1,2', "{'name':'x'}", '{"a":1,}', 'name=x&region=na', '<xml><a>1</a></xml>', 'NaN', 'undefined', '\u0000', 'null', '[]', '0', '"text"', 'true'];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * `count` cases of each category for a body the route accepts. `required` are the fields it cannot
 * do without (no missing-field cases when there are none).
 */
export function fuzzCases(valid: Record<string, Json>, required: readonly string[], rand: () => number, count: number): FuzzCase[] {
  const fields = Object.keys(valid);
  const json = (value: unknown) => JSON.stringify(value);
  const out: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const field = pick(rand, fields);
    const wrong = otherType(rand, valid[field]);
    out.push({ category: 'wrong-type', what: `${field} as ${typeOf(wrong)}`, raw: json({ ...valid, [field]: wrong }) });
    // The whole body of another type, too.
    if (i === 0) out.push({ category: 'wrong-type', what: 'the body an array', raw: json([valid]) });

    if (required.length > 0) {
      const gone = pick(rand, required);
      const rest = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== gone));
      out.push({ category: 'missing-field', what: `without ${gone}`, raw: json(rest) });
    }

    const size = 64 * 1024 + 1 + Math.floor(rand() * 64 * 1024);
    const hugeJson = json({ ...valid, [field]: 'x'.repeat(size) });
    out.push({ category: 'huge', what: `${field} of ${size} characters`, raw: hugeJson, streamed: rand() < 0.5 });

    const depth = 1000 + Math.floor(rand() * 9000);
    const arrays = rand() < 0.5;
    out.push({ category: 'deeply-nested', what: `${field} nested ${depth} deep in ${arrays ? 'arrays' : 'objects'}`, raw: json(valid).replace(`"${field}":${json(valid[field])}`, `"${field}":${nested(depth, arrays)}`) });

    out.push(invalidUtf8Case(valid, rand));

    const garbage = i % 2 === 0 ? pick(rand, NOT_JSON) : randomText(rand);
    out.push({ category: 'not-json', what: `the text ${JSON.stringify(garbage.slice(0, 20))}`, raw: garbage });

    out.push(prototypeCase(valid, rand));
  }
  return out;
}

function randomText(rand: () => number): string {
  const length = 1 + Math.floor(rand() * 200);
  return Array.from({ length }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('');
}

/**
 * The accepted body's bytes with a bad sequence inside one of its strings (a value, or a key when
 * the body has no string value), so only the bytes can be the reason to refuse it.
 */
function invalidUtf8Case(valid: Record<string, Json>, rand: () => number): FuzzCase {
  const text = JSON.stringify(valid);
  const strings = [...text.matchAll(/"((?:[^"\\]|\\.)+)"/g)];
  const values = strings.filter((m) => text[m.index + m[0].length] !== ':');
  const target = pick(rand, values.length > 0 ? values : strings);
  const [name, bytes] = pick(rand, INVALID_UTF8);
  const at = target.index + 1 + Math.floor(rand() * target[1]!.length);
  const encoder = new TextEncoder();
  const raw = new Uint8Array([...encoder.encode(text.slice(0, at)), ...bytes, ...encoder.encode(text.slice(at))]);
  return { category: 'invalid-utf8', what: `${name} inside ${target[0]}`, raw };
}

/** The accepted body with a pollution key beside its fields, or inside its first nested object. */
function prototypeCase(valid: Record<string, Json>, rand: () => number): FuzzCase {
  const key = pick(rand, PROTO_KEYS);
  const payload = pick(rand, ['{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '"polluted"', '{"toString":"x","isAdmin":true}']);
  const text = JSON.stringify(valid);
  const nestedField = Object.keys(valid).find((k) => typeOf(valid[k]) === 'object' && Object.keys(valid[k] as object).length > 0);
  if (nestedField && rand() < 0.5) {
    const inner = JSON.stringify(valid[nestedField]);
    const raw = text.replace(inner, `{"${key}":${payload},${inner.slice(1)}`);
    return { category: 'prototype-keys', what: `${key} inside ${nestedField}`, raw };
  }
  return { category: 'prototype-keys', what: `${key} beside the fields`, raw: `{"${key}":${payload},${text.slice(1)}` };
}
