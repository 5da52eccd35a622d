/** Bindings, vars and secrets of the relay Worker (see wrangler.toml for what each is). */
export interface Env {
  DB: D1Database;
  JOBS: Queue;
  ALLOWED_ORIGINS?: string;
  OAUTH_REDIRECT_URL?: string;
  SETUP_TOKEN?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  LWA_CLIENT_ID?: string;
  LWA_CLIENT_SECRET?: string;
  SPAPI_APP_ID?: string;
}
