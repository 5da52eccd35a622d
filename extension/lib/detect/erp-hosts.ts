/**
 * ERP pages where the all-stores panel runs: the ERPs Chinese sellers use most, and any host the
 * person adds, granted at run time as an optional host permission. Each is listed by its domain,
 * since the web apps live on subdomains that vary by tenant or data centre (public scripts that
 * drive them open e.g. `www.sellfox.com/amzup-web-main/...` for 赛狐, `erp102.tongtool.com` for
 * 通途, `<tenant>-eb.eccang.com` for 易仓; 积加 serves gerpgo.com): `https://*.domain/*` covers all.
 */

export const DEFAULT_ERP_DOMAINS = [
  'dianxiaomi.com', // 店小秘
  'sellerspace.com', // SellerSpace
  'lingxing.com', // 领星
  'mabangerp.com', // 马帮
  'gerpgo.com', // 积加
  'sellfox.com', // 赛狐
  'eccang.com', // 易仓
  'tongtool.com', // 通途
] as const;

/** `https://*.x/*` also matches `x` itself (Chrome match-pattern rules). */
export const DEFAULT_ERP_MATCHES: string[] = DEFAULT_ERP_DOMAINS.map((d) => `https://*.${d}/*`);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host the person typed - `erp.example.com`, `https://erp.example.com/orders`, `*.example.com` -
 * as an https match pattern, or null when it is not a host we should ask permission for.
 */
export function erpMatchPattern(input: string): string | null {
  let text = input.trim().toLowerCase();
  if (!text) return null;
  let wildcard = false;
  if (text.startsWith('*.')) {
    wildcard = true;
    text = text.slice(2);
  }
  let host: string;
  try {
    host = new URL(/^[a-z]+:\/\//.test(text) ? text : `https://${text}`).hostname;
  } catch {
    return null;
  }
  const labels = host.split('.');
  // A public host with a dot: not "localhost", not a bare TLD, not an IP, every label valid.
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) return null;
  // Amazon's own pages have the Seller Central panel; asking for them here would widen nothing useful.
  if (/(^|\.)amazon\.[a-z.]+$/.test(host)) return null;
  return `https://${wildcard ? '*.' : ''}${host}/*`;
}

/** The host part of a pattern for display: `https://*.example.com/*` -> `*.example.com`. */
export function patternHost(pattern: string): string {
  return pattern.replace(/^[a-z*]+:\/\//, '').replace(/\/\*$/, '');
}

/** True when a default pattern already covers the host, so no permission needs to be asked. */
export function isDefaultErpHost(pattern: string): boolean {
  const host = patternHost(pattern).replace(/^\*\./, '');
  return DEFAULT_ERP_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Whether an https address is on a pattern's host (`https://*.x/*` covers x and its subdomains). */
export function urlMatchesPattern(url: string, pattern: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || !pattern.startsWith('https://')) return false;
  const host = patternHost(pattern);
  if (!host.startsWith('*.')) return u.hostname === host;
  const base = host.slice(2);
  return u.hostname === base || u.hostname.endsWith(`.${base}`);
}
