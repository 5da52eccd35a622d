/** The relay's HTTP app: cross-cutting rules (CORS, body size, error envelope, the request's platform) and the routes. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { isAllowedOrigin } from './cors-origins.ts';
import { keyHealth } from './crypto/key-check.ts';
import { redactSecrets } from './log-redaction.ts';
import { type Platform, platformDeps } from './platform-deps.ts';
import { alertsRoutes } from './routes/alerts.ts';
import { channelsRoutes } from './routes/channels.ts';
import { type RelayEnv, errorBody } from './routes/kit.ts';
import { memberRoutes, pairRoutes } from './routes/members.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { overviewRoutes } from './routes/overview.ts';
import { refreshRoutes } from './routes/refresh.ts';
import { rulesRoutes } from './routes/rules.ts';
import { setupRoutes } from './routes/setup.ts';
import { storesRoutes } from './routes/stores.ts';
import { wechatCallbackRoutes, wechatQrRoutes } from './routes/wechat.ts';

/** Requests carry small JSON; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The app on `platform` (relay/index.ts passes the real one; tests their clock and network). */
export function createApp(platform: Platform) {
  const app = new Hono<RelayEnv>();
  // Every route reads its clock, ids, outbound fetch and secrets from here (relay/platform-deps.ts).
  app.use('*', async (c, next) => {
    c.set('deps', platformDeps(c.env, platform));
    // The first request of an instance checks the keys (read-only, once: relay/crypto/key-check.ts)
    // after answering; a bad state is logged then, before anyone asks /healthz.
    let ctx: Pick<ExecutionContext, 'waitUntil'> | null = null;
    try {
      ctx = c.executionCtx;
    } catch {
      // app.request() in tests runs without an execution context: nothing to wait on.
    }
    ctx?.waitUntil(keyHealth(c.env).catch(() => undefined));
    await next();
  });

  app.use(
    '*',
    cors({
      origin: (origin, c) => (origin && isAllowedOrigin(origin, c.env) ? origin : null),
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowHeaders: ['authorization', 'content-type', 'if-none-match'],
      exposeHeaders: ['etag', 'retry-after', 'x-request-id'],
      maxAge: 600,
    }),
  );
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorBody('payload_too_large', `bodies are limited to ${MAX_BODY_BYTES} bytes`), 413) }));

  app.onError((error, c) => {
    // The operator's log names the failure (secrets redacted, relay/log-redaction.ts); the caller
    // learns only that it was ours, and an id to quote that finds the log line.
    const ray = c.req.header('cf-ray');
    const requestId = ray && /^[A-Za-z0-9-]{1,64}$/.test(ray) ? ray : crypto.randomUUID();
    console.error(`relay: request ${requestId}: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${redactSecrets(`${error.name}: ${error.message}`)}`);
    c.header('x-request-id', requestId);
    return c.json(errorBody('internal', `something went wrong on the relay; it has been logged (request id ${requestId})`), 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

  // The operator's view: the relay answers, and its encryption keys open what it stored
  // (relay/crypto/key-check.ts). No detail beyond that: the route has no auth.
  app.get('/healthz', async (c) => {
    const health = await keyHealth(c.env);
    return health.keys === 'ok' || health.keys === 'empty' ? c.json({ ok: true }) : c.json({ ok: false, keys: health.keys }, 503);
  });

  // Each route carries its own guard (relay/routes/guards.ts), so mounting order does not matter.
  app
    .route('/v1', setupRoutes())
    .route('/v1', pairRoutes())
    .route('/v1', oauthRoutes())
    .route('/wechat', wechatCallbackRoutes())
    .route('/v1', memberRoutes())
    .route('/v1', storesRoutes())
    .route('/v1', overviewRoutes())
    .route('/v1', rulesRoutes())
    .route('/v1', channelsRoutes())
    .route('/v1', alertsRoutes())
    .route('/v1/wechat', wechatQrRoutes())
    .route('/v1', refreshRoutes());

  return app;
}
