/** Contract of setup, pairing, `/v1/me` and tokens. Tokens appear once, in these responses only. */
import * as v from 'valibot';

const Label = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60));
const Role = v.picklist(['owner', 'member']);

/** `POST /v1/setup` (Bearer SETUP_TOKEN): a workspace and its first owner. */
export const SetupRequest = v.strictObject({ workspace: Label, owner: Label });
export type SetupRequest = v.InferOutput<typeof SetupRequest>;

export const SetupResponse = v.object({ workspaceId: v.string(), memberId: v.string(), token: v.string() });
export type SetupResponse = v.InferOutput<typeof SetupResponse>;

/** Pairing codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_LENGTH = 8;

/** Accepts the code as people type it: any case, with spaces or dashes between groups. */
export function normalizeInviteCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export const InviteResponse = v.object({ code: v.string(), expiresAt: v.number() });
export type InviteResponse = v.InferOutput<typeof InviteResponse>;

export const PairRequest = v.strictObject({
  code: v.pipe(v.string(), v.maxLength(32)),
  /** What the new token is for, e.g. "Chrome on Lin's laptop"; also the member's name. */
  device: Label,
});
export type PairRequest = v.InferOutput<typeof PairRequest>;

export const PairResponse = v.object({ token: v.string(), workspaceId: v.string(), memberId: v.string(), role: Role });
export type PairResponse = v.InferOutput<typeof PairResponse>;

export const MeResponse = v.object({
  workspaceId: v.string(),
  workspaceName: v.string(),
  memberId: v.string(),
  name: v.string(),
  role: Role,
});
export type MeResponse = v.InferOutput<typeof MeResponse>;
