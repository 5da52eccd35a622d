/** Contract of setup, pairing, `/v1/me` and tokens. Tokens appear once, in these responses only. */
import * as v from 'valibot';

const Label = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60));
const Role = v.picklist(['owner', 'member']);

/** `POST /v1/setup` (Bearer SETUP_TOKEN): a workspace and its first owner. */
export const SetupRequest = v.strictObject({ workspace: Label, owner: Label });
export type SetupRequest = v.InferOutput<typeof SetupRequest>;

export const InviteResponse = v.object({ code: v.string(), expiresAt: v.number() });
export type InviteResponse = v.InferOutput<typeof InviteResponse>;

export const SetupResponse = v.object({
  workspaceId: v.string(),
  memberId: v.string(),
  token: v.string(),
  /** An enrolment code that pairs one browser profile as this owner (the extension's options). */
  ownerInvite: v.optional(InviteResponse),
});
export type SetupResponse = v.InferOutput<typeof SetupResponse>;

/** Pairing codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_LENGTH = 8;

/** Accepts the code as people type it: any case, with spaces or dashes between groups. */
export function normalizeInviteCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/** How many browser profiles one enrolment code may pair (a team's fingerprint-browser profiles). */
export const INVITE_DEVICES_MAX = 200;

/**
 * `POST /v1/invites`: an enrolment code. `devices` profiles may pair with it, each one more device
 * (token) of the same member: `memberId` (owners name anyone of the workspace, a member only
 * themself), or a new member, named `name` (default: the first device's name). Without `devices`
 * and `memberId` it is the classic single-use pairing code of a new member.
 */
export const InviteRequest = v.pipe(
  v.strictObject({
    devices: v.optional(v.pipe(v.number(), v.integer('a whole number of devices'), v.minValue(1, 'at least 1 device'), v.maxValue(INVITE_DEVICES_MAX, `at most ${INVITE_DEVICES_MAX} devices`))),
    memberId: v.optional(v.pipe(v.string(), v.maxLength(64))),
    name: v.optional(Label),
  }),
  v.check((r) => r.name === undefined || r.memberId === undefined, 'name: only a code for a new member (without memberId) names one'),
);
export type InviteRequest = v.InferOutput<typeof InviteRequest>;

export const PairRequest = v.strictObject({
  code: v.pipe(v.string(), v.maxLength(32)),
  /** What the new token is for, e.g. "Chrome on Lin's laptop"; also the member's name. */
  device: Label,
});
export type PairRequest = v.InferOutput<typeof PairRequest>;

export const PairResponse = v.object({
  token: v.string(),
  workspaceId: v.string(),
  memberId: v.string(),
  role: Role,
  /** This token's device id: `DELETE /v1/devices/:id` with it is how a profile disconnects. */
  deviceId: v.optional(v.string()),
});
export type PairResponse = v.InferOutput<typeof PairResponse>;

/** One API token of a member, as owners and the member see it (never the token itself). */
export const DeviceView = v.object({
  id: v.string(),
  /** The label given when pairing, e.g. "AdsPower 12". */
  device: v.string(),
  createdAt: v.number(),
  /** The last request made with it (updated at most every few minutes); null = never used since. */
  lastSeenAt: v.nullable(v.number()),
});
export type DeviceView = v.InferOutput<typeof DeviceView>;

export const MeResponse = v.object({
  workspaceId: v.string(),
  workspaceName: v.string(),
  memberId: v.string(),
  name: v.string(),
  role: Role,
  /** The caller's live devices, this one included. */
  devices: v.optional(v.array(DeviceView)),
  /** The device (token) making this request. */
  deviceId: v.optional(v.string()),
});
export type MeResponse = v.InferOutput<typeof MeResponse>;

/** `GET /v1/members` (owners): every live member with their live devices. */
export const MemberView = v.object({ id: v.string(), name: v.string(), role: Role, devices: v.array(DeviceView) });
export type MemberView = v.InferOutput<typeof MemberView>;

export const MembersResponse = v.object({ members: v.array(MemberView) });
export type MembersResponse = v.InferOutput<typeof MembersResponse>;
