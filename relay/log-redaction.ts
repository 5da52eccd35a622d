/**
 * Defence in depth for log lines: whatever an error message carries, the secrets the relay handles
 * never reach the log in clear (docs/operations.md#keys: nothing secret in logs).
 */

const PATTERNS: readonly RegExp[] = [
  // LWA refresh (Atzr|) and access (Atza|) tokens.
  /Atz[ar]\|[^\s"'&,;)]+/g,
  // The relay's own API tokens (relay/auth/tokens.ts).
  /sw_[A-Za-z0-9_-]{16,}/g,
  // The LWA client secret, OAuth codes and anything else passed as a form or query value named
  // like a secret (but not e.g. WeChat's `errcode=`, which the log needs).
  /((?<![A-Za-z])(?:client_secret|refresh_token|access_token|code|secret|token|key|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^\s&"']+/gi,
  // Whole query strings of absolute URLs: a pre-signed report document link or a robot's webhook
  // carries its credential there, under names this list cannot foresee.
  /(https?:\/\/[^\s?#"'<>]+\?)[^\s"'<>]+/g,
  // ServerChan puts the SendKey in the path.
  /((?:sctapi\.ftqq\.com|\.push\.ft07\.com\/send)\/)[A-Za-z0-9_-]+/g,
];

/** The text with every secret-looking value replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, (_m: string, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`);
  return out;
}
