/**
 * Reading a report document from its pre-signed URL without trusting it: the URL must be one of
 * Amazon's document hosts, the download is counted while it arrives, and the inflation is counted
 * as it produces bytes (shared/gunzip.ts), so a huge or highly compressed document - a gzip bomb,
 * kilobytes that inflate to gigabytes - is abandoned at its cap instead of filling the Worker's
 * 128 MB of memory.
 */
import { gunzip } from '../../shared/gunzip.ts';

/**
 * Report documents live in Amazon's S3 buckets named `tortuga-prod-<region>`: the URLs seen from
 * getReportDocument are `https://tortuga-prod-na.s3-external-1.amazonaws.com/...`,
 * `https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/...`, `https://tortuga-prod-fe.s3-us-west-2...`
 * and `https://tortuga-prod-na.s3.amazonaws.com/...` (Amazon's Reports API guide examples and
 * public SP-API clients' tests; docs/domain/reports.md).
 */
const DOCUMENT_HOST = /^tortuga-prod-[a-z0-9-]+\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;

/**
 * A seller performance report is a few kilobytes per marketplace (Amazon's example document is
 * 2 KB; real ones seen are under 100 KB). These caps leave a thousand-fold margin, stay far below
 * a Worker's memory, and stopping a bomb at 4 MB costs a few milliseconds of CPU.
 */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024;
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Why the relay will not fetch `url`, or null when it may. `allowLoopback` is for local runs only,
 * where a stand-in Amazon may link its documents on 127.0.0.1.
 */
export function documentUrlProblem(url: string, allowLoopback: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the report document URL is not a URL';
  }
  if (allowLoopback && isLoopback(parsed.hostname) && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return null;
  if (parsed.protocol !== 'https:') return 'the report document URL is not https';
  if (parsed.username || parsed.password || parsed.port) return 'the report document URL carries credentials or a port';
  if (!DOCUMENT_HOST.test(parsed.hostname)) return `the report document URL is not on Amazon's document hosts (${parsed.hostname})`;
  return null;
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** `tooLarge`: past a cap, so asking again will not help; otherwise a broken download worth retrying. */
export type DocumentRead = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: boolean; reason: string };

/** Reads a stream to the end, or stops (cancelling it, and so the download) past `max` bytes. */
async function readCapped(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The document's bytes, inflated when `gzip`, within both caps; otherwise a reason that names the
 * cap passed, or that the gzip is broken.
 */
export async function readDocument(file: Response, gzip: boolean, caps = { download: MAX_DOWNLOAD_BYTES, inflated: MAX_INFLATED_BYTES }): Promise<DocumentRead> {
  const tooBig = `the report document is larger than ${megabytes(caps.download)} to download`;
  const declared = Number(file.headers.get('content-length') ?? '0');
  if (declared > caps.download) {
    await file.body?.cancel().catch(() => undefined);
    return { ok: false, tooLarge: true, reason: `${tooBig} (${megabytes(declared)} announced)` };
  }
  const bytes = file.body ? await readCapped(file.body, caps.download) : new Uint8Array(0);
  if (!bytes) return { ok: false, tooLarge: true, reason: tooBig };
  if (!gzip) return { ok: true, bytes };
  const inflated = gunzip(bytes, caps.inflated);
  if (inflated.ok) return inflated;
  return {
    ok: false,
    tooLarge: inflated.tooLarge,
    reason: inflated.tooLarge ? `the report document inflates past ${megabytes(caps.inflated)}; reading stopped there` : `the report document is not valid gzip (${inflated.reason})`,
  };
}
