import { afterEach, describe, expect, it, vi } from 'vitest';
import { MembersSection } from '../../extension/entrypoints/options/members-section.tsx';
import type { Pairing } from '../../extension/lib/platform/settings.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { type Route, fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle, texts } from './helpers/render.tsx';

const OWNER: Pairing = { relayUrl: 'https://relay.example.com', workspaceId: 'w1', workspaceName: 'Acme', memberId: 'm-owner', memberName: 'Lin', role: 'owner', pairedAt: NOW, deviceId: 'd-owner' };
const MEMBER: Pairing = { ...OWNER, memberId: 'm-wang', memberName: '小王', role: 'member', deviceId: 'd-wang-1' };

const device = (id: string, name: string, lastSeenAt: number | null) => ({ id, device: name, createdAt: NOW - 86_400_000, lastSeenAt });

function members() {
  return [
    { id: 'm-owner', name: 'Lin', role: 'owner', devices: [device('d-owner', 'Chrome on Lin laptop', NOW)] },
    { id: 'm-wang', name: '小王', role: 'member', devices: [device('d-wang-1', 'AdsPower 01', NOW - 3_600_000), device('d-wang-2', 'AdsPower 02', null)] },
  ];
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.unstubAllGlobals();
});

async function show(pairing: Pairing, routes: Record<string, Route>) {
  vi.stubGlobal('confirm', () => true);
  const relay = fakeRelay(routes);
  const client = createRelayClient({ baseUrl: pairing.relayUrl, token: 'tok', fetch: relay.fetch });
  const view = mount(<MembersSection relay={client} pairing={pairing} />);
  unmount = view.unmount;
  await settle();
  return { relay, root: view.root };
}

/** Sets a field by its visible label, as a person types into it. */
function fill(root: HTMLElement, label: string, value: string): void {
  const forId = [...root.querySelectorAll('label')].find((l) => l.textContent === label)?.getAttribute('for');
  const input = forId ? root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${forId}`) : null;
  if (!input) throw new Error(`no field labelled "${label}"`);
  input.value = value;
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

describe('options: members and devices, for an owner', () => {
  it('lists every member with their devices and when each was last seen, marking this profile', async () => {
    const { root } = await show(OWNER, { 'GET /v1/members': () => json({ members: members() }) });
    expect(root.querySelector('h2')?.textContent).toBe('Members and devices');
    const rows = texts(root, '.sw-list-row');
    expect(rows[0]).toMatch(/^Chrome on Lin laptop \(this browser profile\) last seen /);
    expect(rows[1]).toMatch(/^AdsPower 01 last seen .*Revoke$/);
    expect(rows[2]).toBe('AdsPower 02 not used yetRevoke');
    // No revoke button on this profile's own row (Disconnect does that), no removing oneself.
    expect(root.querySelectorAll('.sw-list-row button')).toHaveLength(2);
    expect([...root.querySelectorAll('button')].filter((b) => b.textContent === 'Remove member')).toHaveLength(1);
  });

  it('revokes one device and reloads the list', async () => {
    let list = members();
    const { root, relay } = await show(OWNER, {
      'GET /v1/members': () => json({ members: list }),
      'DELETE /v1/devices/d-wang-2': () => {
        list = list.map((m) => ({ ...m, devices: m.devices.filter((d) => d.id !== 'd-wang-2') }));
        return new Response(null, { status: 204 });
      },
    });
    const row = [...root.querySelectorAll('.sw-list-row')].find((r) => r.textContent?.includes('AdsPower 02'))!;
    buttonNamed(row, 'Revoke').click();
    await settle();
    expect(relay.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/v1/devices/d-wang-2']);
    expect(texts(root, '.sw-list-row strong')).toEqual(['Chrome on Lin laptop', 'AdsPower 01']);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('AdsPower 02 is revoked.');
  });

  it('removes a member', async () => {
    const { root, relay } = await show(OWNER, {
      'GET /v1/members': () => json({ members: members() }),
      'DELETE /v1/members/m-wang': () => new Response(null, { status: 204 }),
    });
    buttonNamed(root, 'Remove member').click();
    await settle();
    expect(relay.calls.some((c) => c.method === 'DELETE' && c.path === '/v1/members/m-wang')).toBe(true);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('小王 is removed.');
  });

  it('creates an enrolment code for many profiles of a new member and shows it', async () => {
    const { root, relay } = await show(OWNER, {
      'GET /v1/members': () => json({ members: members() }),
      'POST /v1/invites': () => json({ code: 'K7M2Q9XH', expiresAt: NOW + 86_400_000 }, 201),
    });
    fill(root, 'Profiles', '30');
    fill(root, 'Name of the new member', '运营 小李');
    await settle();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(relay.calls.find((c) => c.path === '/v1/invites')?.body).toEqual({ devices: 30, name: '运营 小李' });
    expect(root.querySelector('form [role="status"] code')?.textContent).toBe('K7M2Q9XH');
  });

  it("makes a code for the owner's own further profiles", async () => {
    const { root, relay } = await show(OWNER, {
      'GET /v1/members': () => json({ members: members() }),
      'POST /v1/invites': () => json({ code: 'OWNER234', expiresAt: NOW + 86_400_000 }, 201),
    });
    fill(root, 'For', 'm-owner');
    fill(root, 'Profiles', '3');
    await settle();
    expect(root.textContent).not.toContain('Name of the new member');
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(relay.calls.find((c) => c.path === '/v1/invites')?.body).toEqual({ devices: 3, memberId: 'm-owner' });
  });
});

describe('options: devices, for a member', () => {
  it('shows only their own devices, read from /v1/me, and makes codes for themself', async () => {
    const me = { workspaceId: 'w1', workspaceName: 'Acme', memberId: 'm-wang', name: '小王', role: 'member', devices: members()[1]!.devices, deviceId: 'd-wang-1' };
    const { root, relay } = await show(MEMBER, {
      'GET /v1/me': () => json(me),
      'POST /v1/invites': () => json({ code: 'SELF2345', expiresAt: NOW + 86_400_000 }, 201),
    });
    expect(relay.calls.some((c) => c.path === '/v1/members')).toBe(false);
    expect(root.querySelector('h2')?.textContent).toBe('My devices');
    expect(texts(root, '.sw-list-row strong')).toEqual(['AdsPower 01', 'AdsPower 02']);
    expect(root.textContent).not.toContain('Remove member');
    expect(root.textContent).not.toContain('A new member');
    fill(root, 'Profiles', '2');
    await settle();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(relay.calls.find((c) => c.path === '/v1/invites')?.body).toEqual({ devices: 2, memberId: 'm-wang' });
  });

  it("words the relay's refusal in the person's language, not the relay's text", async () => {
    const { root } = await show(OWNER, {
      'GET /v1/members': () => json({ members: members() }),
      'POST /v1/invites': () => json({ error: { code: 'invalid', message: 'devices: at most 200 devices' } }, 400),
    });
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(root.querySelector('form [role="alert"]')?.textContent).toBe('Something entered is not valid. Check it and try again');
  });
});
