/**
 * A gzip reader that stops at a size cap, in plain TypeScript (RFC 1952 around RFC 1951 deflate,
 * decoded the way Mark Adler's puff.c does: canonical Huffman codes read a bit at a time).
 *
 * Why not the platform's DecompressionStream: in workerd it inflates every byte written to it at
 * once and queues the output, whether or not anyone reads (no backpressure), so a gzip bomb - a
 * few hundred KB that inflate to gigabytes - fills the Worker's memory before a reader's count can
 * stop it. Here the output is counted as it is produced and decoding stops at `maxOutput`.
 * A report document is a few KB, so decoding speed does not matter.
 */

export type Gunzipped = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: boolean; reason: string };

class Stop extends Error {
  readonly tooLarge: boolean;
  constructor(tooLarge: boolean, message: string) {
    super(message);
    this.tooLarge = tooLarge;
  }
}

interface Huffman {
  /** Number of codes of each length 0..15. */
  count: Uint16Array;
  /** Symbols ordered by code. */
  symbol: Uint16Array;
}

const MAX_BITS = 15;
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const count = new Uint16Array(MAX_BITS + 1);
  for (let i = 0; i < n; i++) count[lengths[i]!]!++;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) throw new Stop(false, 'an over-subscribed Huffman code');
  }
  const offsets = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len < MAX_BITS; len++) offsets[len + 1] = offsets[len]! + count[len]!;
  const symbol = new Uint16Array(n);
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbol[offsets[lengths[i]!]!++] = i;
  return { count, symbol };
}

const FIXED = (() => {
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return { lit: huffman(lengths, 288), dist: huffman(new Uint8Array(30).fill(5), 30) };
})();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inflates one raw deflate stream from `pos`; returns the position after it. */
function inflate(input: Uint8Array, pos: number, out: { bytes: Uint8Array; length: number; max: number }): number {
  let bitBuf = 0;
  let bitCount = 0;
  const bits = (need: number): number => {
    let value = bitBuf;
    while (bitCount < need) {
      if (pos >= input.length) throw new Stop(false, 'the deflate data ends early');
      value |= input[pos++]! << bitCount;
      bitCount += 8;
    }
    bitBuf = value >>> need;
    bitCount -= need;
    return value & ((1 << need) - 1);
  };
  /** Room for `n` more bytes, or a stop when they would pass the cap. */
  const ensure = (n: number): void => {
    const need = out.length + n;
    if (need > out.max) throw new Stop(true, `past ${out.max} bytes`);
    if (need > out.bytes.length) {
      const grown = new Uint8Array(Math.min(out.max, Math.max(need, out.bytes.length * 2)));
      grown.set(out.bytes.subarray(0, out.length));
      out.bytes = grown;
    }
  };
  const decode = (h: Huffman): number => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Stop(false, 'an invalid Huffman code');
  };
  const codes = (lit: Huffman, dist: Huffman): void => {
    for (;;) {
      const symbol = decode(lit);
      if (symbol < 256) {
        ensure(1);
        out.bytes[out.length++] = symbol;
      } else if (symbol === 256) return;
      else {
        const l = symbol - 257;
        if (l >= 29) throw new Stop(false, 'an invalid length code');
        const length = LENGTH_BASE[l]! + bits(LENGTH_EXTRA[l]!);
        const d = decode(dist);
        if (d >= 30) throw new Stop(false, 'an invalid distance code');
        const distance = DIST_BASE[d]! + bits(DIST_EXTRA[d]!);
        if (distance > out.length) throw new Stop(false, 'a distance before the start');
        ensure(length);
        const bytes = out.bytes;
        const at = out.length;
        // A match may overlap itself (distance < length): it then repeats its first `distance`
        // bytes, so copy those, then double what is already copied.
        let copied = Math.min(distance, length);
        bytes.copyWithin(at, at - distance, at - distance + copied);
        while (copied < length) {
          const n = Math.min(copied, length - copied);
          bytes.copyWithin(at + copied, at, at + n);
          copied += n;
        }
        out.length += length;
      }
    }
  };
  for (let last = 0; !last; ) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = 0;
      bitCount = 0;
      if (pos + 4 > input.length) throw new Stop(false, 'the deflate data ends early');
      const len = input[pos]! | (input[pos + 1]! << 8);
      const nlen = input[pos + 2]! | (input[pos + 3]! << 8);
      pos += 4;
      if (len !== (~nlen & 0xffff)) throw new Stop(false, 'a stored block with a bad length');
      if (pos + len > input.length) throw new Stop(false, 'the deflate data ends early');
      ensure(len);
      out.bytes.set(input.subarray(pos, pos + len), out.length);
      out.length += len;
      pos += len;
    } else if (type === 1) {
      codes(FIXED.lit, FIXED.dist);
    } else if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) throw new Stop(false, 'bad dynamic block counts');
      const lengths = new Uint8Array(320);
      for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]!] = bits(3);
      const lencode = huffman(lengths, 19);
      lengths.fill(0);
      for (let i = 0; i < nlen + ndist; ) {
        const symbol = decode(lencode);
        if (symbol < 16) lengths[i++] = symbol;
        else {
          let repeat: number;
          let value = 0;
          if (symbol === 16) {
            if (i === 0) throw new Stop(false, 'a repeat with nothing before it');
            value = lengths[i - 1]!;
            repeat = 3 + bits(2);
          } else repeat = symbol === 17 ? 3 + bits(3) : 11 + bits(7);
          if (i + repeat > nlen + ndist) throw new Stop(false, 'too many code lengths');
          while (repeat--) lengths[i++] = value;
        }
      }
      if (lengths[256] === 0) throw new Stop(false, 'no end-of-block code');
      codes(huffman(lengths, nlen), huffman(lengths.subarray(nlen), ndist));
    } else throw new Stop(false, 'an invalid block type');
  }
  return pos;
}

/** Skips one gzip member's header (RFC 1952 section 2.3); returns where its deflate data starts. */
function skipHeader(input: Uint8Array, pos: number): number {
  if (input[pos] !== 0x1f || input[pos + 1] !== 0x8b || input[pos + 2] !== 8) throw new Stop(false, 'not gzip');
  const flags = input[pos + 3]!;
  let at = pos + 10;
  if (flags & 4) at += 2 + (input[at]! | (input[at + 1]! << 8));
  for (const flag of [8, 16]) {
    if (flags & flag) {
      while (at < input.length && input[at] !== 0) at++;
      at++;
    }
  }
  if (flags & 2) at += 2;
  if (at > input.length) throw new Stop(false, 'the gzip header ends early');
  return at;
}

/** The gzip data inflated, or why not: `tooLarge` when it would pass `maxOutput` bytes. */
export function gunzip(input: Uint8Array, maxOutput: number): Gunzipped {
  const out = { bytes: new Uint8Array(Math.min(maxOutput, Math.max(1024, input.length * 4))), length: 0, max: maxOutput };
  try {
    let pos = 0;
    // Concatenated members are one file (RFC 1952 section 2.2).
    do {
      const start = out.length;
      pos = inflate(input, skipHeader(input, pos), out);
      if (pos + 8 > input.length) throw new Stop(false, 'the gzip trailer is missing');
      const crc = (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24)) >>> 0;
      const size = (input[pos + 4]! | (input[pos + 5]! << 8) | (input[pos + 6]! << 16) | (input[pos + 7]! << 24)) >>> 0;
      if (crc !== crc32(out.bytes, start, out.length)) throw new Stop(false, 'the gzip checksum does not match');
      if (size !== (out.length - start) >>> 0) throw new Stop(false, 'the gzip length does not match');
      pos += 8;
    } while (pos < input.length && input[pos] === 0x1f);
    return { ok: true, bytes: out.bytes.subarray(0, out.length) };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, tooLarge: error.tooLarge, reason: error.message };
    throw error;
  }
}
