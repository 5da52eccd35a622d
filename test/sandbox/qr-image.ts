/**
 * `GET mp.weixin.qq.com/cgi-bin/showqrcode?ticket=` stand-in: an SVG that looks like a QR code
 * (three finder squares, modules drawn from the ticket) and names its scene. It is not scannable;
 * in the sandbox a "scan" is a control call (README).
 */
import { createRandom } from './prng.ts';

const SIZE = 21;
const CELL = 8;
const QUIET = 2;

function isFinder(x: number, y: number): boolean | undefined {
  for (const [ox, oy] of [[0, 0], [SIZE - 7, 0], [0, SIZE - 7]] as const) {
    const dx = x - ox;
    const dy = y - oy;
    if (dx < -1 || dy < -1 || dx > 7 || dy > 7) continue;
    if (dx === -1 || dy === -1 || dx === 7 || dy === 7) return false;
    const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
    return ring !== 2;
  }
  return undefined;
}

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function qrSvg(ticket: string, caption: string): string {
  // FNV-1a of the ticket seeds the modules: the same ticket always draws the same picture.
  let seed = 0x811c9dc5;
  for (let i = 0; i < ticket.length; i++) seed = Math.imul(seed ^ ticket.charCodeAt(i), 0x01000193);
  const random = createRandom(seed);
  const cells: string[] = [];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const on = isFinder(x, y) ?? random.next() < 0.5;
      if (on) cells.push(`<rect x="${(x + QUIET) * CELL}" y="${(y + QUIET) * CELL}" width="${CELL}" height="${CELL}"/>`);
    }
  }
  const side = (SIZE + 2 * QUIET) * CELL;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side + 18}" viewBox="0 0 ${side} ${side + 18}">
<rect width="100%" height="100%" fill="#fff"/><g fill="#000">${cells.join('')}</g>
<text x="${side / 2}" y="${side + 12}" font-size="10" text-anchor="middle" font-family="monospace">${escapeXml(caption)}</text></svg>`;
}
