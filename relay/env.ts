/** Bindings, vars and secrets of the relay Worker (see wrangler.toml for what each is). */
export interface Env {
  DB: D1Database;
  JOBS: Queue;
  /** Alert delivery work, one message per channel to look at (relay/alerts/, issue 5). */
  DELIVERIES: Queue;
  /** Daily digests, one message per channel whose digest may be due (relay/digest/). */
  DIGESTS: Queue;
  /** chrome-extension://<id> origins CORS admits, comma separated (local dev origins always). */
  ALLOWED_ORIGINS?: string;
  /** "1" admits any chrome-extension:// origin (local runs, where the unpacked id varies). */
  ALLOW_ANY_EXTENSION_ORIGIN?: string;
  /** Local runs and tests only: outbound host map (relay/upstream-map.ts); unset in production. */
  UPSTREAM_HOST_MAP?: string;
  /** Local runs only, "1": upstream URLs on 127.0.0.1 (a stand-in's report documents) are accepted. */
  ALLOW_LOOPBACK_UPSTREAMS?: string;
  /** "1" adds `version=beta` to the consent URL, as Amazon requires for apps still in draft. */
  SPAPI_OAUTH_BETA?: string;
  OAUTH_REDIRECT_URL?: string;
  SETUP_TOKEN?: string;
  /** "true": SETUP_TOKEN may create more than the first workspace (relay/routes/setup.ts). */
  ALLOW_MORE_WORKSPACES?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  /** Older keys kept for decryption after a rotation: JSON {keyId: base64 key}. */
  TOKEN_ENCRYPTION_KEYS?: string;
  LWA_CLIENT_ID?: string;
  LWA_CLIENT_SECRET?: string;
  SPAPI_APP_ID?: string;
  /** WeChat Official Account (alerts, issue 5): see wrangler.toml. */
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  WECHAT_TOKEN?: string;
  /** Safe mode (消息加解密方式: 安全模式): the 43-character EncodingAESKey; unset = plaintext mode. */
  WECHAT_ENCODING_AES_KEY?: string;
  WECHAT_TEMPLATE_ID?: string;
  WECHAT_API_BASE?: string;
  /** Where the browser loads the QR image (default https://mp.weixin.qq.com); `npm start` points it at the sandbox. */
  WECHAT_QR_IMAGE_BASE?: string;
}
