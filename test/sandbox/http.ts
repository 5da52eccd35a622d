/**
 * Response helpers shaped like Amazon's (docs/domain/amazon-limits.md#errors-the-relay-handles:
 * `{errors:[{code,message,details?}]}`).
 */
import { randomUUID } from 'node:crypto';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function spError(status: number, code: string, message: string, details?: string): Response {
  return json(status, { errors: [{ code, message, ...(details === undefined ? {} : { details }) }] });
}

/** Every SP-API response carries a request id. */
export function withRequestId(res: Response): Response {
  res.headers.set('x-amzn-RequestId', randomUUID());
  return res;
}

export function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ISO 8601 without milliseconds, as Amazon prints times. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
