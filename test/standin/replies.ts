/**
 * How the stand-in's hosts answer, in their own formats: SP-API's `ErrorList` (`{errors: [{code,
 * message, details}]}`, every model's error definition) with `x-amzn-RequestId` on every answer;
 * Login with Amazon's OAuth errors `{error, error_description}`; S3's XML `<Error>` documents.
 */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function spApiError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { errors: [{ code, message, details: '' }] }, headers);
}

export function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  const fields = Object.entries({ Code: code, Message: message, ...extra })
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`, { status, headers: { 'content-type': 'application/xml' } });
}
