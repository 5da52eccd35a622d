import { applyD1Migrations, env } from 'cloudflare:test';

// Every relay test file starts from the schema wrangler would deploy (relay/migrations/).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
