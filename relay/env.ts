/** Bindings, vars and secrets of the relay Worker (see wrangler.toml for what each is). */
export interface Env {
  DB: D1Database;
  JOBS: Queue;
  /** Alert delivery work, one message per channel to look at (relay/alerts/, issue 5). */
  DELIVERIES: Queue;
  ALLOWED_ORIGINS?: string;
  OAUTH_REDIRECT_URL?: string;
  SETUP_TOKEN?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  LWA_CLIENT_ID?: string;
  LWA_CLIENT_SECRET?: string;
  SPAPI_APP_ID?: string;
  /** WeChat Official Account (alerts, issue 5): see wrangler.toml. */
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  WECHAT_TOKEN?: string;
  WECHAT_TEMPLATE_ID?: string;
  WECHAT_API_BASE?: string;
}
