/**
 * The relay's HTTP app: cross-cutting rules (CORS, body size, error envelope) and the sub-apps.
 *
 * Order matters: several alert sub-apps guard themselves with `use('*', auth)`, which Hono applies
 * to every path under their mount point. The public routes (setup, pair, OAuth callback, WeChat
 * callback) and our own routes are mounted first, so they answer before those guards run.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { defaultAlertDeps } from './alerts/deps.ts';
import { requireMember } from './auth/middleware.ts';
import { isAllowedOrigin } from './cors-origins.ts';
import { redactSecrets } from './log-redaction.ts';
import { upstreamFetch } from './upstream-map.ts';
import { alertsRoutes } from './routes/alerts.ts';
import { channelsRoutes } from './routes/channels.ts';
import { type RelayEnv, type RouteDeps, errorBody } from './routes/kit.ts';
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

export const defaultRouteDeps: RouteDeps = {
  now: () => Date.now(),
  // The outbound fetch: the platform's own in production; in local runs UPSTREAM_HOST_MAP routes it
  // to the simulators (relay/upstream-map.ts).
  fetch: (env) => upstreamFetch(env.UPSTREAM_HOST_MAP),
};

export function createApp(deps: RouteDeps = defaultRouteDeps) {
  const app = new Hono<RelayEnv>();

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

  app.get('/healthz', (c) => c.json({ ok: true }));

  const alertOptions = {
    auth: requireMember,
    now: deps.now,
    deps: (env: RelayEnv['Bindings']) => defaultAlertDeps(env, { fetch: deps.fetch(env) }),
  };

  app
    .route('/v1', setupRoutes(deps))
    .route('/v1', pairRoutes(deps))
    .route('/v1', oauthRoutes(deps))
    .route('/wechat', wechatCallbackRoutes(alertOptions))
    .route('/v1', memberRoutes(deps))
    .route('/v1', storesRoutes(deps))
    .route('/v1', overviewRoutes(deps))
    .route('/v1', rulesRoutes(alertOptions))
    .route('/v1', channelsRoutes(alertOptions))
    .route('/v1', alertsRoutes(alertOptions))
    .route('/v1/wechat', wechatQrRoutes(alertOptions))
    // ---- Pipeline routes (issue 4, relay/routes/refresh.ts): POST /v1/stores/:id/refresh,
    // POST /v1/refresh, GET /v1/jobs/:id. Mounted last: the sub-app guards '*' with auth itself.
    .route('/v1', refreshRoutes({ auth: requireMember, now: deps.now }));

  return app;
}
