/**
 * Making pairing codes. A plain code (`{}`: one new member, one device) lives 10 minutes, as it
 * always has; an enrolment code (naming `devices` or `memberId`) lives 24 hours, so an admin can
 * hand one code to a team that sets up its browser profiles over a day.
 */
import type { InviteResponse } from '../../shared/api/auth.ts';
import { insertInviteStatement } from '../db/invites.ts';
import { hashSecret, newInviteCode } from './tokens.ts';

export const INVITE_TTL_MS = 10 * 60_000;
export const ENROLMENT_TTL_MS = 24 * 3600_000;

export interface InviteSpec {
  workspaceId: string;
  createdBy: string;
  /** How many profiles may pair with it. */
  devices: number;
  /** The member the devices join; absent = a new member (named `name`, else by its first device). */
  memberId?: string;
  name?: string;
  /** An enrolment code (24 hours) rather than a plain pairing code (10 minutes). */
  enrolment: boolean;
}

/** A new code and the statement that stores it (as its hash); the code itself is shown once. */
export async function prepareInvite(
  db: D1Database,
  spec: InviteSpec,
  platform: { now: () => number; newId: () => string },
): Promise<{ invite: InviteResponse; statement: D1PreparedStatement }> {
  const now = platform.now();
  const code = newInviteCode();
  const expiresAt = now + (spec.enrolment ? ENROLMENT_TTL_MS : INVITE_TTL_MS);
  const statement = insertInviteStatement(
    db,
    {
      id: platform.newId(),
      workspaceId: spec.workspaceId,
      createdBy: spec.createdBy,
      codeHash: await hashSecret(code),
      expiresAt,
      devices: spec.devices,
      memberId: spec.memberId ?? platform.newId(),
      newMember: spec.memberId === undefined,
      memberName: spec.name ?? null,
    },
    now,
  );
  return { invite: { code, expiresAt }, statement };
}

export async function createInvite(db: D1Database, spec: InviteSpec, platform: { now: () => number; newId: () => string }): Promise<InviteResponse> {
  const { invite, statement } = await prepareInvite(db, spec, platform);
  await statement.run();
  return invite;
}
