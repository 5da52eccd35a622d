/**
 * A strict UTF-8 decoder. shared/ compiles against ES2022 only (shared/tsconfig.json), where
 * TextDecoder does not exist; the report parser takes the downloaded bytes as they come.
 * Strict because a report is plain ASCII JSON in practice: a malformed sequence means a damaged
 * download (or a gzip body nobody inflated), and saying where beats decoding it into U+FFFD.
 */
export type Utf8Result = { ok: true; text: string } | { ok: false; offset: number };

/** Code points are turned into text in chunks to stay far below any argument-count limit. */
const CHUNK = 4096;

export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  const parts: string[] = [];
  let codePoints: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    let cp: number;
    let trailing: number;
    let min: number;
    if (lead < 0x80) [cp, trailing, min] = [lead, 0, 0];
    else if (lead >= 0xc2 && lead <= 0xdf) [cp, trailing, min] = [lead & 0x1f, 1, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [cp, trailing, min] = [lead & 0x0f, 2, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [cp, trailing, min] = [lead & 0x07, 3, 0x10000];
    else return { ok: false, offset: i };
    for (let k = 1; k <= trailing; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return { ok: false, offset: i };
      cp = (cp << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and anything past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { ok: false, offset: i };
    codePoints.push(cp);
    if (codePoints.length === CHUNK) {
      parts.push(String.fromCodePoint(...codePoints));
      codePoints = [];
    }
    i += trailing + 1;
  }
  parts.push(String.fromCodePoint(...codePoints));
  return { ok: true, text: parts.join('') };
}
