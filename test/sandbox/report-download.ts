/**
 * The simulated S3 side: pre-signed report document URLs that expire after 5 minutes
 * (reports_2021-06-30.json `ReportDocument.url`) and serve gzipped JSON as text/plain
 * (docs/domain/reports.md: "served with Content-Type: text/plain although it is JSON").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { DocumentRecord, SandboxState } from './state.ts';

export const URL_TTL_S = 300;

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function sign(state: SandboxState, path: string, date: string, expires: string): string {
  return createHmac('sha256', state.signingKey).update(`${path}\n${date}\n${expires}`).digest('hex');
}

export function presignedUrl(state: SandboxState, doc: DocumentRecord, signedAt: number): string {
  const date = amzDate(signedAt);
  const expires = String(URL_TTL_S);
  const q = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Date': date,
    'X-Amz-Expires': expires,
    'X-Amz-Signature': sign(state, doc.path, date, expires),
  });
  return `https://tortuga-prod-${doc.region}.s3-external-1.amazonaws.com${doc.path}?${q.toString()}`;
}

function s3Error(code: string, message: string): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SANDBOX</RequestId></Error>`;
  return new Response(body, { status: 403, headers: { 'content-type': 'application/xml' } });
}

/** A gzip bomb's default: a document of a few hundred KB that inflates to 400 MB. */
export const GZIP_BOMB_BYTES = 400 * 1024 * 1024;

/**
 * The report JSON followed by `inflatesTo` bytes of spaces (still valid JSON), gzipped as it is
 * read: nothing this large is ever held in memory or committed, and a reader that stops early
 * stops the compression with it.
 */
export function gzipBomb(json: string, inflatesTo: number): ReadableStream<Uint8Array> {
  const CHUNK = 1024 * 1024;
  const spaces = new Uint8Array(CHUNK).fill(0x20);
  let left = Math.max(0, inflatesTo - json.length);
  let head: Uint8Array | null = new TextEncoder().encode(json);
  const plain = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (head) {
          controller.enqueue(head);
          head = null;
        } else if (left > 0) {
          const n = Math.min(CHUNK, left);
          left -= n;
          controller.enqueue(n === CHUNK ? spaces : spaces.subarray(0, n));
        } else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  // CompressionStream types its input as BufferSource, which these chunks are.
  return plain.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

export function isDocumentPath(path: string): boolean {
  return /^\/[0-9a-f]{32}\/amzn1\.tortuga\./.test(path);
}

/** GET <document path>?X-Amz-...: checks the signature, then the expiry, then serves the bytes. */
export function serveDocument(state: SandboxState, url: URL): Response {
  const id = state.documentPaths.get(url.pathname);
  const doc = id ? state.documents.get(id) : undefined;
  if (!doc) return s3Error('AccessDenied', 'Access Denied');
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const expires = url.searchParams.get('X-Amz-Expires') ?? '';
  const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '', 'utf8');
  const wanted = Buffer.from(sign(state, doc.path, date, expires), 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined || state.now() > signedAt + Number(expires) * 1000) {
    return s3Error('AccessDenied', 'Request has expired');
  }
  // `gzip-bomb` fault: the next download is a small gzip body that inflates to hundreds of MB.
  const bomb = state.faults.take(doc.sellerId, 'gzip-bomb');
  if (bomb) return new Response(gzipBomb(doc.json, bomb.inflatesTo ?? GZIP_BOMB_BYTES), { status: 200, headers: { 'content-type': 'text/plain' } });
  let text = doc.json;
  // `malformed` fault: the next download is cut in half, so JSON.parse fails.
  if (state.faults.take(doc.sellerId, 'malformed')) text = text.slice(0, Math.floor(text.length / 2));
  return new Response(gzipSync(Buffer.from(text, 'utf8')), { status: 200, headers: { 'content-type': 'text/plain' } });
}
