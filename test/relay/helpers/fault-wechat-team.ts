/** The team of one run: an owner and a member, reminders off, and 1-4 WeChat channels with their fault scripts. */
import { hashSecret } from '../../../relay/auth/tokens.ts';
import { channelSecretBinding } from '../../../relay/crypto/secrets.ts';
import type { ChannelType } from '../../../shared/alerts/channel-verdicts.ts';
import { TRANSIENT_FAULTS, type WechatFault } from './fault-wechat-stand-in.ts';
import type { WechatFaultWorld } from './fault-wechat-world.ts';

/** An owner and a member, reminders off, and 1-4 channels, each with its fault script. */
export async function seedTeam(world: WechatFaultWorld, run: number): Promise<void> {
  const db = world.pipeline.env.DB;
  const memberId = `${world.workspaceId}-member`;
  const all: Array<{ type: ChannelType; memberId: string | null; secret: string }> = [
    { type: 'wecom', memberId: null, secret: `5e1f0c2a-0000-4000-8000-${String(run).padStart(12, '0')}` },
    { type: 'oa', memberId, secret: `oFault${run}Member` },
    { type: 'serverchan', memberId: world.ownerId, secret: `SCT${run}TfaultKey` },
    { type: 'pushplus', memberId, secret: `pp${run}`.padEnd(32, '0') },
  ];
  const wanted = all.filter(() => world.random() < 0.6);
  if (wanted.length === 0) wanted.push(all[0]!);
  const statements = [
    db.prepare("INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, ?, 'Owner', 'owner', 0), (?, ?, 'Member', 'member', 0)").bind(world.ownerId, world.workspaceId, memberId, world.workspaceId),
    db
      .prepare("INSERT INTO api_tokens (id, workspace_id, member_id, token_hash, device, created_at) VALUES (?, ?, ?, ?, 'test', 0)")
      .bind(`${world.ownerId}-token`, world.workspaceId, world.ownerId, await hashSecret(ownerToken(world))),
    // Reminders are a second, intended message about one alert; they have their own tests (alerts-reminders).
    db.prepare('INSERT INTO alert_rules (workspace_id, version, rules, updated_at) VALUES (?, 1, ?, 0)').bind(world.workspaceId, JSON.stringify({ reminderIntervalHours: 0 })),
  ];
  for (const [i, c] of wanted.entries()) {
    const id = `${world.workspaceId}-${c.type}`;
    statements.push(
      db
        .prepare(
          `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, state, next_send_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, '****', 'ok', 0, ?, ?)`,
        )
        .bind(id, world.workspaceId, c.memberId, c.type, `${c.type} ${i}`, await world.alertDeps.secrets.seal(c.secret, channelSecretBinding(id)), i, i),
    );
    if (c.type === 'oa') {
      statements.push(
        db
          .prepare("INSERT INTO oa_bindings (member_id, workspace_id, scene, scene_expires_at, state, channel_id, updated_at) VALUES (?, ?, ?, 0, 'bound', ?, 0)")
          .bind(memberId, world.workspaceId, `scene-${world.workspaceId}`, id),
      );
      if (world.random() < 0.2) world.wechat.tokenFaults.push(world.pick<WechatFault>(['oa_-1', 'http_502']));
    }
    world.channels.push({ id, type: c.type, secret: c.secret, memberId: c.memberId });
    world.wechat.addChannel(id, c.type, c.secret, faultScript(world, c.type));
  }
  await db.batch(statements);
}

/** The owner's API token, to call the relay's routes as the owner. */
export function ownerToken(world: WechatFaultWorld): string {
  return `sw_fault-owner-of-${world.workspaceId}`;
}

/** 0-4 transient faults for the channel's next sends; sometimes the channel goes bad for good among them. */
function faultScript(world: WechatFaultWorld, type: ChannelType): Array<WechatFault | 'pass'> {
  const script: Array<WechatFault | 'pass'> = [];
  for (let n = Math.floor(world.random() * 5); n > 0; n--) {
    // A normal send between faults now and then, so faults also hit later messages, not just the first.
    if (world.random() < 0.3) script.push('pass');
    script.push(world.pick(TRANSIENT_FAULTS[type]));
  }
  if (world.random() < 0.15) script.splice(Math.floor(world.random() * (script.length + 1)), 0, 'revoke');
  return script;
}
