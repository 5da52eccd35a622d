/**
 * Reading a report document without trusting it (relay/amazon/report-document.ts): Amazon's
 * document hosts only, and caps counted while downloading and while inflating.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DOWNLOAD_BYTES, MAX_INFLATED_BYTES, documentUrlProblem, readDocument } from '../../relay/amazon/report-document.ts';

/** `total` bytes of spaces in 1 MiB chunks, made as they are read; `pulled` says how far a reader got. */
function spaces(total: number) {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  const progress = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (progress.pulled >= total) return controller.close();
        const n = Math.min(chunk.length, total - progress.pulled);
        progress.pulled += n;
        controller.enqueue(chunk.slice(0, n));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, progress };
}

// The platform's CompressionStream types its input as BufferSource, which a Uint8Array stream is.
const gzipped = (stream: ReadableStream<Uint8Array>) => new Response(stream.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>));
const MB = 1024 * 1024;

describe('report document URLs', () => {
  it('accepts https on the tortuga-prod S3 buckets seen in getReportDocument answers', () => {
    for (const url of [
      'https://tortuga-prod-na.s3-external-1.amazonaws.com/abc/amzn1.tortuga.4.na.x?X-Amz-Signature=1',
      'https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/%2FNinetyDays/amzn1.tortuga.3.y',
      'https://tortuga-prod-fe.s3-us-west-2.amazonaws.com/z',
      'https://tortuga-prod-na.s3.amazonaws.com/%2FNinetyDays/amzn1.tortuga.3.w',
    ]) {
      expect(documentUrlProblem(url, false), url).toBeNull();
    }
  });

  it('refuses plain http, other hosts, look-alike hosts, credentials, ports and loopback outside local runs', () => {
    expect(documentUrlProblem('http://tortuga-prod-na.s3-external-1.amazonaws.com/a', false)).toContain('not https');
    expect(documentUrlProblem('https://evil.example.com/a', false)).toContain("not on Amazon's document hosts");
    expect(documentUrlProblem('https://tortuga-prod-na.s3.amazonaws.com.evil.example/a', false)).toContain("not on Amazon's document hosts");
    expect(documentUrlProblem('https://my-bucket.s3.amazonaws.com/a', false)).toContain("not on Amazon's document hosts");
    expect(documentUrlProblem('https://169.254.169.254/latest/meta-data', false)).toContain("not on Amazon's document hosts");
    expect(documentUrlProblem('https://user:pw@tortuga-prod-na.s3.amazonaws.com/a', false)).toContain('credentials');
    expect(documentUrlProblem('https://tortuga-prod-na.s3.amazonaws.com:8443/a', false)).toContain('port');
    expect(documentUrlProblem('http://127.0.0.1:9002/doc', false)).toContain('not https');
    expect(documentUrlProblem('not a url', false)).toContain('not a URL');
  });

  it('lets a local run follow its stand-in to 127.0.0.1, and nowhere else new', () => {
    expect(documentUrlProblem('http://127.0.0.1:9002/doc', true)).toBeNull();
    expect(documentUrlProblem('http://localhost:9002/doc', true)).toBeNull();
    expect(documentUrlProblem('http://example.com/doc', true)).toContain('not https');
  });
});

describe('reading a report document within its caps', () => {
  it('inflates a gzipped document', async () => {
    const text = '{"accountStatuses":[]}';
    const read = await readDocument(gzipped(new Response(text).body!), true);
    expect(read.ok && new TextDecoder().decode(read.bytes)).toBe(text);
  });

  it('stops a gzip bomb of 400 MB at the inflation cap, with a reason naming the cap', async () => {
    const bomb = new Uint8Array(await gzipped(spaces(400 * MB).stream).arrayBuffer());
    expect(bomb.length).toBeLessThan(MAX_DOWNLOAD_BYTES);
    const read = await readDocument(new Response(bomb), true);
    expect(read).toEqual({ ok: false, tooLarge: true, reason: `the report document inflates past ${MAX_INFLATED_BYTES / MB} MB; reading stopped there` });
  });

  it('tells a cut-off gzip body (worth retrying) from one past a cap', async () => {
    const whole = new Uint8Array(await gzipped(new Response('{"accountStatuses":[]}'.repeat(50)).body!).arrayBuffer());
    expect(await readDocument(new Response(whole.subarray(0, whole.length - 10)), true)).toMatchObject({ ok: false, tooLarge: false });
  });

  it('stops a download that runs past its cap while it arrives, compressed or not', async () => {
    const caps = { download: 2 * MB, inflated: 64 * MB };
    const plain = spaces(10 * MB);
    expect(await readDocument(new Response(plain.stream), false, caps)).toEqual({ ok: false, tooLarge: true, reason: 'the report document is larger than 2 MB to download' });
    expect(plain.progress.pulled).toBeLessThan(4 * MB);
    // Random bytes barely compress: the compressed stream itself passes the download cap.
    const noise = new Uint8Array(3 * MB);
    for (let i = 0; i < noise.length; i += 65_536) crypto.getRandomValues(noise.subarray(i, i + 65_536));
    expect(await readDocument(gzipped(new Response(noise).body!), true, caps)).toEqual({ ok: false, tooLarge: true, reason: 'the report document is larger than 2 MB to download' });
  });

  it('refuses a document whose announced length is past the cap without reading it', async () => {
    const body = spaces(10 * MB);
    const res = new Response(body.stream, { headers: { 'content-length': String(10 * MB) } });
    expect(await readDocument(res, false, { download: 2 * MB, inflated: 4 * MB })).toEqual({ ok: false, tooLarge: true, reason: 'the report document is larger than 2 MB to download (10 MB announced)' });
    expect(body.progress.pulled).toBeLessThanOrEqual(MB);
  });
});
