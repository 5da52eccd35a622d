/** Who is calling: the member behind a live API token, as the route guards hand it on. */
export interface Caller {
  workspaceId: string;
  memberId: string;
  role: 'owner' | 'member';
  /** The API token (device) the request came with. */
  deviceId?: string;
}
