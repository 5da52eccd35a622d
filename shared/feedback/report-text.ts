/**
 * Turns a flat-file report's bytes into text. Amazon names the character set in the download's
 * `Content-Type` (`text/plain; charset=UTF-8` in North America, `charset=Cp1252` for European
 * flat files, Shift_JIS/cp932 seen for Japan: public threads amzn/selling-partner-api-models#2748,
 * jrl84/amazon-sp-api#144, saleweaver/python-amazon-sp-api#244). shared/ has no TextDecoder, so
 * UTF-8 and Windows-1252/Latin-1 are decoded here and anything else is left to the caller's
 * platform decoder. Whatever the set, what the detector needs - dates, ratings, order ids - is
 * ASCII, so a wrong guess can only garble a comment, never lose a feedback.
 */
import { decodeUtf8 } from '../utf8.ts';

/** Windows-1252's 0x80-0x9F (the rest of its first 256 code points are Latin-1's). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const codes = Array.from(bytes.subarray(i, i + 4096), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** The `charset` parameter of a Content-Type, lower-cased; null when absent. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

const UTF8_NAMES = new Set(['utf-8', 'utf8']);
const LATIN_NAMES = new Set(['cp1252', 'windows-1252', 'iso-8859-1', 'latin1', 'iso8859-1', 'us-ascii']);

/**
 * The document as text. `platformDecode` (the relay's TextDecoder) is asked first for a named
 * set this file does not know; without one, or when it fails: UTF-8 if the bytes are valid UTF-8,
 * else Windows-1252 (every byte maps to a character, so a row is never dropped for its bytes).
 */
export function reportText(bytes: Uint8Array, charset: string | null, platformDecode?: (bytes: Uint8Array, charset: string) => string | null): string {
  const name = charset?.toLowerCase() ?? null;
  if (name && !UTF8_NAMES.has(name) && !LATIN_NAMES.has(name) && platformDecode) {
    const text = platformDecode(bytes, name);
    if (text !== null) return text;
  }
  if (name && LATIN_NAMES.has(name)) return decodeCp1252(bytes);
  const utf8 = decodeUtf8(bytes);
  return utf8.ok ? utf8.text : decodeCp1252(bytes);
}
