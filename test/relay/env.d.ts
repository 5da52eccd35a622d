import type { D1Migration } from 'cloudflare:test';
import type { Env as RelayEnv } from '../../relay/env.ts';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../../relay/index.ts');
    }
    interface Env extends RelayEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
