/** `GET/PUT /v1/rules` (owners write) and `GET/PUT /v1/prefs` (each member's own). */
import { Hono } from 'hono';
import { DEFAULT_PREFS, type RulesInput, withDefaults } from '../../shared/alerts/rules.ts';
import { MemberPrefsInput, PutRulesRequest } from '../../shared/api/rules.ts';
import { loadPrefs, loadRules } from '../alerts/settings.ts';
import { type AlertRouteOptions, type AlertsAppEnv, apiError, ownersOnly, readJson, resolveOptions } from './alert-routes-kit.ts';

export function rulesRoutes(options: AlertRouteOptions) {
  const { now } = resolveOptions(options);
  const app = new Hono<AlertsAppEnv>();
  app.use('*', options.auth);

  app.get('/rules', async (c) => c.json(await loadRules(c.env.DB, c.var.caller.workspaceId)));

  app.put('/rules', ownersOnly, async (c) => {
    const body = await readJson(c, PutRulesRequest);
    if (!body.ok) return body.response;
    const { workspaceId, memberId } = c.var.caller;
    // Metric keys in thresholds are shape-checked only; an id evaluate does not know is inert.
    const rules = withDefaults(body.value.rules as RulesInput);
    const next = body.value.version + 1;
    // Saved only if nobody saved since the caller read version `version` (0 = never saved).
    const saved = await c.env.DB.prepare(
      `INSERT INTO alert_rules (workspace_id, version, rules, updated_at, updated_by) SELECT ?1, ?2, ?3, ?4, ?5
       WHERE ?6 = COALESCE((SELECT version FROM alert_rules WHERE workspace_id = ?1), 0)
       ON CONFLICT(workspace_id) DO UPDATE SET version = excluded.version, rules = excluded.rules,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
      .bind(workspaceId, next, JSON.stringify(rules), now(), memberId, body.value.version)
      .run();
    if (saved.meta.changes === 0) return apiError(c, 409, 'version_conflict', 'the rules changed since you read them; reload and try again');
    return c.json({ version: next, rules });
  });

  app.get('/prefs', async (c) => {
    const { memberId } = c.var.caller;
    return c.json({ prefs: (await loadPrefs(c.env.DB, [memberId])).get(memberId) ?? DEFAULT_PREFS });
  });

  app.put('/prefs', async (c) => {
    const body = await readJson(c, MemberPrefsInput);
    if (!body.ok) return body.response;
    const { workspaceId, memberId } = c.var.caller;
    const prefs = { ...((await loadPrefs(c.env.DB, [memberId])).get(memberId) ?? DEFAULT_PREFS), ...body.value };
    await c.env.DB.prepare(
      `INSERT INTO member_prefs (member_id, workspace_id, prefs, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(member_id) DO UPDATE SET prefs = excluded.prefs, updated_at = excluded.updated_at`,
    )
      .bind(memberId, workspaceId, JSON.stringify(prefs), now())
      .run();
    return c.json({ prefs });
  });

  return app;
}
