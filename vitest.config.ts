import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { STAND_IN, amazonStandIn } from './test/relay/helpers/amazon-stand-in.ts';
import { findSystemBrowser } from './test/support/find-browser.ts';
import { sandboxOutbound } from './test/support/sandbox-outbound.ts';

const migrations = fileURLToPath(new URL('./relay/migrations', import.meta.url));

// One project per runtime: pure code in Node, the relay in real workerd with real D1 and Queues,
// the extension in happy-dom with WXT's fake browser, and end-to-end in real Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(migrations),
                // Test-only secrets and vars of the relay (production sets them with wrangler).
                SETUP_TOKEN: 'setup-token-for-tests',
                // Each test file makes workspaces of its own; the first-only default has its own test.
                ALLOW_MORE_WORKSPACES: 'true',
                TOKEN_ENCRYPTION_KEY: 'c3RvcmV3YXRjaC10ZXN0LWtleS0zMi1ieXRlcy1vayE=',
                LWA_CLIENT_ID: STAND_IN.clientId,
                LWA_CLIENT_SECRET: STAND_IN.clientSecret,
                SPAPI_APP_ID: 'amzn1.sp.solution.storewatch-test',
                OAUTH_REDIRECT_URL: STAND_IN.redirectUri,
                ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
              },
              // Every outbound request of the Worker goes to the Amazon stand-in, never the network.
              // ---- Pipeline (issue 4): requests marked x-storewatch-sandbox go to a sandbox
              // Amazon of that name instead, through npm start's host map (test/support/sandbox-outbound.ts).
              outboundService: sandboxOutbound(amazonStandIn),
            },
          })),
        ],
        test: {
          name: 'relay',
          include: ['test/relay/**/*.test.ts'],
          setupFiles: ['test/relay/setup/apply-migrations.ts'],
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'e2e',
          // Without a browser, one test that says how to get one (test/support/find-browser.ts).
          include: 'problem' in findSystemBrowser() ? ['test/e2e/support/browser-check.ts'] : ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
