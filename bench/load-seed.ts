/**
 * The workspace the overview load benchmark reads: 500 stores (an agency's workspace, issue 15),
 * each in three marketplaces, each marketplace with a history of snapshots (the overview reads only
 * the newest) written as the pipeline writes them (with their overview summary), and an owner API
 * token. Written as one SQL file for `wrangler d1 execute --local`, the way the relay's own local
 * D1 is set up, before the relay starts on it.
 */
import { createHash } from 'node:crypto';
import { keyringFromEnv, refreshTokenContext, seal } from '../relay/crypto/secrets.ts';
import { evaluate } from '../shared/evaluate.ts';
import { marketplaceSummary } from '../shared/overview-summary.ts';
import { pollPhase } from '../shared/poll-plan.ts';
import { parseSellerPerformanceReport } from '../shared/report-parser.ts';
import { resolveThresholds } from '../shared/thresholds.ts';
import { buildReport } from '../test/support/report-documents.ts';

export const SEED = { stores: 500, marketplaces: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8'], countries: ['US', 'CA', 'MX'], history: 2 } as const;

const WS = 'ws-load';
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** SQL that fills the workspace, and the owner's bearer token (only its SHA-256 is stored). */
/**
 * `encryptionKey`: the relay's TOKEN_ENCRYPTION_KEY. Each store's refresh token is sealed with it as
 * the relay seals one, because the relay checks at start that its key opens the stored tokens
 * (relay/crypto/key-check.ts) and answers /healthz 503 when it does not.
 */
export async function seedSql(now: number, encryptionKey: string): Promise<{ sql: string; token: string }> {
  const keyring = await keyringFromEnv({ TOKEN_ENCRYPTION_KEY: encryptionKey });
  const token = `sw_bench_${createHash('sha256').update(String(now)).digest('base64url')}`;
  const lines = [
    `INSERT INTO workspaces (id, name, created_at) VALUES ('${WS}', 'Load', ${now});`,
    `INSERT INTO members (id, workspace_id, name, role, created_at) VALUES ('m-owner', '${WS}', 'Owner', 'owner', ${now});`,
    `INSERT INTO api_tokens (id, workspace_id, member_id, token_hash, device, created_at) VALUES ('t-owner', '${WS}', 'm-owner', '${createHash('sha256').update(token).digest('hex')}', 'bench', ${now});`,
  ];
  for (let s = 0; s < SEED.stores; s++) {
    // Shaped like the relay's own ids (UUIDs), so the body's size is a real one's.
    const store = `5e1d0c3a-0000-4000-8000-${String(s).padStart(12, '0')}`;
    const sealed = await seal(keyring, `Atzr|bench-${s}`, refreshTokenContext(WS, store));
    lines.push(
      `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, last_checked_at, next_poll_at, poll_phase, overview_seq, created_at, updated_at) VALUES ('${store}', '${WS}', ${q(`深圳跨境贸易 Store ${s}`)}, 'na', ${q(sealed.ciphertext)}, ${q(sealed.iv)}, ${q(sealed.keyId)}, ${now}, ${now + 3_600_000}, ${pollPhase(store)}, ${s + 1}, ${now}, ${now});`,
    );
    SEED.marketplaces.forEach((marketplaceId, m) => {
      lines.push(`INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES ('${store}', '${WS}', '${marketplaceId}', '${SEED.countries[m]}');`);
      for (let h = 0; h < SEED.history; h++) {
        // Figures that move from snapshot to snapshot and from store to store, as real ones do.
        const defects = (s + h) % 7;
        const parsed = parseSellerPerformanceReport(buildReport({ marketplaceId, odrMfn: { defects, orders: 300 + s * 10 }, late: { late: h, orders: 300 + s * 10 }, violations: (s + m) % 3 === 0 ? 1 : 0 }));
        if (!parsed.ok) throw new Error(`the seed report does not parse: ${parsed.error}`);
        const snapshot = parsed.marketplaces[0]!;
        const takenAt = now - (SEED.history - h) * 3_600_000;
        const evaluation = evaluate(snapshot, resolveThresholds({}, store, marketplaceId));
        lines.push(
          `INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation, summary) VALUES ('snap-${store}-${m}-${h}', '${WS}', '${store}', '${marketplaceId}', ${takenAt}, ${takenAt}, ${q(JSON.stringify(snapshot))}, ${q(JSON.stringify(evaluation))}, ${q(JSON.stringify(marketplaceSummary(evaluation, takenAt)))});`,
        );
      }
    });
  }
  lines.push(`UPDATE workspaces SET overview_seq = ${SEED.stores} WHERE id = '${WS}';`);
  return { sql: `${lines.join('\n')}\n`, token };
}
