/**
 * Members and devices (teams that run one browser profile per store): owners see every member
 * with their devices and when each was last seen, revoke a device or remove a member, and make an
 * enrolment code that pairs many profiles as one member. A member sees and revokes their own
 * devices and makes codes for themself.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DeviceView, InviteResponse, MemberView } from '../../../shared/api/index.ts';
import { INVITE_DEVICES_MAX } from '../../../shared/api/auth.ts';
import { useT } from '../../components/i18n-context.tsx';
import { formatDateTime } from '../../lib/i18n/format.ts';
import { createResource } from '../../lib/models/resource.ts';
import type { Pairing } from '../../lib/platform/settings.ts';
import { relayFailureText } from '../../lib/i18n/failure-text.ts';
import type { RelayClient, RelayResult } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

type Notice = { ok: boolean; text: string } | null;

/** Owners read everyone; a member reads themself from `/v1/me`, shaped like one entry of the list. */
async function loadMembers(relay: RelayClient, pairing: Pairing): Promise<RelayResult<MemberView[]>> {
  if (pairing.role === 'owner') {
    const r = await relay.members();
    return r.ok ? { ok: true, value: r.value.members } : r;
  }
  const me = await relay.me();
  if (!me.ok) return me;
  return { ok: true, value: [{ id: me.value.memberId, name: me.value.name, role: me.value.role, devices: me.value.devices ?? [] }] };
}

function DeviceRow({ device, current, onRevoke }: { device: DeviceView; current: boolean; onRevoke: () => void }) {
  const t = useT();
  return (
    <li class="sw-list-row">
      <div class="sw-grow">
        <strong>{device.device}</strong> {current && <span class="sw-muted">{t('optThisProfile')}</span>}{' '}
        <small class="sw-muted sw-block">
          {device.lastSeenAt === null ? t('optNeverSeen') : t('optLastSeen', { when: formatDateTime(device.lastSeenAt, t.language) })}
        </small>
      </div>
      {!current && (
        <button type="button" class="sw-btn" onClick={onRevoke}>
          {t('optRevokeDevice')}
        </button>
      )}
    </li>
  );
}

function EnrolForm({ relay, pairing, members }: { relay: RelayClient; pairing: Pairing; members: readonly MemberView[] }) {
  const t = useT();
  const isOwner = pairing.role === 'owner';
  const [devices, setDevices] = useState('10');
  // '' = a new member (owners only); otherwise whose devices these are.
  const [forMember, setForMember] = useState(isOwner ? '' : pairing.memberId);
  const [name, setName] = useState('');
  const [code, setCode] = useState<InviteResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      class="sw-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const count = Number(devices);
        const body = forMember ? { devices: count, memberId: forMember } : { devices: count, ...(name.trim() ? { name: name.trim() } : {}) };
        const r = await relay.createInvite(body);
        if (r.ok) {
          setCode(r.value);
          setProblem(null);
        } else {
          setCode(null);
          setProblem(relayFailureText(r.failure, t));
        }
      }}
    >
      <h3>{t('optEnrolTitle')}</h3>
      <Field id="enrol-devices" label={t('optEnrolDevices')} hint={t('optEnrolDevicesHint')}>
        <input id="enrol-devices" type="number" min={1} max={INVITE_DEVICES_MAX} step={1} value={devices} onInput={(e) => setDevices(inputValue(e))} required />
      </Field>
      {isOwner && (
        <Field id="enrol-for" label={t('optEnrolFor')}>
          <select id="enrol-for" value={forMember} onChange={(e) => setForMember(inputValue(e))}>
            <option value="">{t('optEnrolNewMember')}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id === pairing.memberId ? t('optEnrolMyself', { name: m.name }) : m.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {isOwner && forMember === '' && (
        <Field id="enrol-name" label={t('optEnrolName')}>
          <input id="enrol-name" value={name} maxLength={60} onInput={(e) => setName(inputValue(e))} />
        </Field>
      )}
      <button type="submit" class="sw-btn sw-btn-primary">
        {t('optEnrolCreate')}
      </button>
      {code && (
        <p class="sw-ok-text" role="status">
          {t('optEnrolCode', { expires: formatDateTime(code.expiresAt, t.language) })} <code>{code.code}</code>
        </p>
      )}
      {problem && (
        <p class="sw-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

export function MembersSection({ relay, pairing }: { relay: RelayClient; pairing: Pairing }) {
  const t = useT();
  const members = useMemo(() => createResource(() => loadMembers(relay, pairing)), [relay, pairing.role, pairing.memberId]);
  const [notice, setNotice] = useState<Notice>(null);
  useEffect(() => {
    void members.reload();
  }, [members]);

  const act = async (r: Promise<RelayResult<unknown>>, done: string) => {
    const result = await r;
    setNotice(result.ok ? { ok: true, text: done } : { ok: false, text: relayFailureText(result.failure, t) });
    await members.reload();
  };

  return (
    <Section id="members" title={pairing.role === 'owner' ? t('optMembersSection') : t('optMyDevicesSection')}>
      <Loaded state={members.state.value}>
        {(list) => (
          <>
            <ul class="sw-list">
              {list.map((m) => (
                <li key={m.id} class="sw-member">
                  <div class="sw-row">
                    <strong class="sw-grow">
                      {m.name} <span class="sw-muted">{m.role === 'owner' ? t('roleOwner') : t('roleMember')}</span>
                    </strong>
                    {pairing.role === 'owner' && m.id !== pairing.memberId && (
                      <button
                        type="button"
                        class="sw-btn"
                        onClick={() => {
                          if (!confirm(t('optRemoveMemberConfirm', { name: m.name }))) return;
                          void act(relay.removeMember(m.id), t('optMemberRemoved', { name: m.name }));
                        }}
                      >
                        {t('optRemoveMember')}
                      </button>
                    )}
                  </div>
                  <ul class="sw-list">
                    {m.devices.map((d) => (
                      <DeviceRow
                        key={d.id}
                        device={d}
                        current={d.id === pairing.deviceId}
                        onRevoke={() => {
                          if (!confirm(t('optRevokeDeviceConfirm', { device: d.device }))) return;
                          void act(relay.revokeDevice(d.id), t('optDeviceRevoked', { device: d.device }));
                        }}
                      />
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <EnrolForm relay={relay} pairing={pairing} members={list} />
          </>
        )}
      </Loaded>
      {notice && (
        <p class={notice.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
          {notice.text}
        </p>
      )}
    </Section>
  );
}
