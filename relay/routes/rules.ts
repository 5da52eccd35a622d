/** `GET/PUT /v1/rules` (owners write) and `GET/PUT /v1/prefs` (each member's own). */
import { Hono } from 'hono';
import { DEFAULT_PREFS, type RulesInput, withDefaults } from '../../shared/alerts/rules.ts';
import { LIMITS, ruleOverrideCount } from '../../shared/api/limits.ts';
import { MemberPrefsInput, PutRulesRequest } from '../../shared/api/rules.ts';
import { loadPrefs, loadRules, savePrefs, saveRules } from '../alerts/settings.ts';
import { requireMember, requireOwner } from './guards.ts';
import { type RelayEnv, apiError, limitError, readJson } from './kit.ts';

export function rulesRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/rules', requireMember, async (c) => c.json(await loadRules(c.env.DB, c.var.caller.workspaceId)));

  app.put('/rules', requireMember, requireOwner, async (c) => {
    const body = await readJson(c, PutRulesRequest);
    if (!body.ok) return body.response;
    if (ruleOverrideCount(body.value.rules) > LIMITS.ruleOverridesPerWorkspace) return limitError(c, 'ruleOverridesPerWorkspace');
    const { workspaceId, memberId } = c.var.caller;
    // Metric keys in thresholds are shape-checked only; an id evaluate does not know is inert.
    const rules = withDefaults(body.value.rules as RulesInput);
    const saved = await saveRules(c.env.DB, workspaceId, body.value.version, rules, memberId, c.var.deps.now());
    if (!saved) return apiError(c, 409, 'version_conflict', 'the rules changed since you read them; reload and try again');
    return c.json({ version: body.value.version + 1, rules });
  });

  app.get('/prefs', requireMember, async (c) => {
    const { memberId } = c.var.caller;
    return c.json({ prefs: (await loadPrefs(c.env.DB, [memberId])).get(memberId) ?? DEFAULT_PREFS });
  });

  app.put('/prefs', requireMember, async (c) => {
    const body = await readJson(c, MemberPrefsInput);
    if (!body.ok) return body.response;
    const { workspaceId, memberId } = c.var.caller;
    const prefs = { ...((await loadPrefs(c.env.DB, [memberId])).get(memberId) ?? DEFAULT_PREFS), ...body.value };
    await savePrefs(c.env.DB, workspaceId, memberId, prefs, c.var.deps.now());
    return c.json({ prefs });
  });

  return app;
}
