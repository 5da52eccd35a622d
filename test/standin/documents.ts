/**
 * The report documents' storage host, S3-like: getReportDocument hands out a pre-signed URL on the
 * region's `tortuga-prod-<region>` bucket (the hosts Amazon's Reports API guide examples use), with
 * the query of an S3 SigV4 pre-signed GET (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
 * `X-Amz-Expires=300`, `X-Amz-SignedHeaders`, `X-Amz-Signature`). The model says the URL "expires
 * after 5 minutes"; S3 then answers 403 `AccessDenied` "Request has expired", and 403
 * `SignatureDoesNotMatch` when the query was altered. The signature is an HMAC of the key and date
 * under a secret of this stand-in - shaped like S3's, checked like S3's, not S3's algorithm.
 */
import { createHmac } from 'node:crypto';
import type { Region } from './marketplaces.ts';
import { s3Error } from './replies.ts';

export const URL_LIFETIME_SECONDS = 300;

export const DOCUMENT_HOSTS: Readonly<Record<Region, string>> = {
  na: 'tortuga-prod-na.s3-external-1.amazonaws.com',
  eu: 'tortuga-prod-eu.s3-eu-west-1.amazonaws.com',
  fe: 'tortuga-prod-fe.s3-us-west-2.amazonaws.com',
};

const BUCKET_REGION: Readonly<Record<Region, string>> = { na: 'us-east-1', eu: 'eu-west-1', fe: 'us-west-2' };

export interface StoredDocument {
  body: Uint8Array;
  contentType: string;
}

/** `20261206T162000Z`, SigV4's basic ISO 8601 form. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function fromAmzDate(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : null;
}

export interface DocumentStore {
  put(region: Region, key: string, document: StoredDocument, now: number): string;
  /** Answers a GET on the storage host at `now`. */
  serve(host: string, url: URL, now: number): Response;
  /** Whether `host` is this store's. */
  owns(host: string): boolean;
}

export function documentStore(secret: string): DocumentStore {
  const objects = new Map<string, StoredDocument>();
  const sign = (host: string, path: string, date: string) => createHmac('sha256', secret).update(`${host}\n${path}\n${date}`).digest('hex');
  return {
    owns: (host) => host.endsWith('.amazonaws.com'),
    put(region, key, document, now) {
      const host = DOCUMENT_HOSTS[region];
      const path = `/NinetyDays/${key}`;
      objects.set(`${host}${path}`, document);
      const date = amzDate(now);
      const query = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `AKIASTANDIN000000000/${date.slice(0, 8)}/${BUCKET_REGION[region]}/s3/aws4_request`,
        'X-Amz-Date': date,
        'X-Amz-Expires': String(URL_LIFETIME_SECONDS),
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': sign(host, path, date),
      });
      return `https://${host}${path}?${query}`;
    },
    serve(host, url, now) {
      const date = url.searchParams.get('X-Amz-Date') ?? '';
      const signedAt = fromAmzDate(date);
      const signature = url.searchParams.get('X-Amz-Signature');
      if (signedAt === null || signature !== sign(host, url.pathname, date)) {
        return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
      }
      if (now > signedAt + URL_LIFETIME_SECONDS * 1000) {
        return s3Error(403, 'AccessDenied', 'Request has expired', {
          'X-Amz-Expires': String(URL_LIFETIME_SECONDS),
          Expires: new Date(signedAt + URL_LIFETIME_SECONDS * 1000).toISOString(),
          ServerTime: new Date(now).toISOString(),
        });
      }
      const object = objects.get(`${host}${url.pathname}`);
      if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      return new Response(new Uint8Array(object.body), { status: 200, headers: { 'content-type': object.contentType, 'content-length': String(object.body.byteLength) } });
    },
  };
}
