import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChannelView, WechatBindingResponse, WechatQrResponse } from '../../../shared/api/index.ts';
import { useT } from '../../components/i18n-context.tsx';
import { formatDateTime } from '../../lib/i18n/format.ts';
import type { MessageKey } from '../../lib/i18n/i18n.ts';
import { createResource, isUnavailable } from '../../lib/models/resource.ts';
import { relayFailureText } from '../../lib/i18n/failure-text.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

const TYPE_KEYS: Record<ChannelView['type'], MessageKey> = { wecom: 'channelWecom', oa: 'channelOa', serverchan: 'channelServerchan', pushplus: 'channelPushplus' };
type NewType = 'wecom' | 'serverchan' | 'pushplus';

function ChannelRow({ channel, relay, onChanged }: { channel: ChannelView; relay: RelayClient; onChanged: () => void }) {
  const t = useT();
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <li class="sw-list-row">
      <div class="sw-grow">
        <strong>{channel.name}</strong> <span class="sw-muted">{t(TYPE_KEYS[channel.type])}</span> <code>{channel.secretHint}</code>
        {/* The channel's own refusal (brokenReason) is the service's English, kept in the relay. */}
        {channel.state === 'broken' && <p class="sw-problem">{t('optChannelBroken')}</p>}
        {verdict && (
          <p class={verdict.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
            {verdict.text}
          </p>
        )}
      </div>
      <button
        type="button"
        class="sw-btn"
        onClick={async () => {
          const r = await relay.testChannel(channel.id);
          if (!r.ok) setVerdict({ ok: false, text: t('optTestFailed', { reason: relayFailureText(r.failure, t) }) });
          else {
            const v = r.value.verdict;
            // The channel's own answer (WeCom's errmsg is English) stays in the relay's delivery log.
            setVerdict(v.outcome === 'sent' ? { ok: true, text: t('optTestSent') } : { ok: false, text: t('optTestRefused') });
            onChanged();
          }
        }}
      >
        {t('optTest')}
      </button>
      <button
        type="button"
        class="sw-btn"
        onClick={async () => {
          if (!confirm(`${t('optRemove')}: ${channel.name}?`)) return;
          await relay.removeChannel(channel.id);
          onChanged();
        }}
      >
        {t('optRemove')}
      </button>
    </li>
  );
}

/**
 * Binding the person's WeChat to the Official Account: a short-lived QR code from the relay; once
 * scanned, the WeChat that scanned it receives nothing until the person confirms it here.
 */
function WechatBinding({ relay, onChanged }: { relay: RelayClient; onChanged: () => void }) {
  const t = useT();
  const [qr, setQr] = useState<WechatQrResponse | null>(null);
  const [binding, setBinding] = useState<WechatBindingResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const look = async () => {
    const r = await relay.wechatBinding();
    if (r.ok) setBinding(r.value);
  };
  useEffect(() => void look(), [relay]);
  return (
    <div class="sw-qr">
      {binding?.state === 'scanned' && (
        <div role="status">
          <p>{t('optWechatScanned', { hint: binding.hint ?? '', time: formatDateTime(binding.scannedAt ?? 0, t.language) })}</p>
          <button
            type="button"
            class="sw-btn sw-btn-primary"
            onClick={async () => {
              const r = await relay.confirmWechatBinding();
              if (r.ok) {
                setBinding(r.value);
                setQr(null);
                setProblem(null);
                onChanged();
              } else setProblem(relayFailureText(r.failure, t));
            }}
          >
            {t('optWechatConfirm')}
          </button>
        </div>
      )}
      {binding?.state === 'bound' && <p class="sw-ok-text">{t('optWechatBound', { hint: binding.hint ?? '' })}</p>}
      <button
        type="button"
        class="sw-btn"
        onClick={async () => {
          const r = await relay.wechatQr();
          if (r.ok) {
            setQr(r.value);
            setProblem(null);
          } else setProblem(isUnavailable(r.failure) ? t('optNotAvailable') : relayFailureText(r.failure, t));
        }}
      >
        {t('optBindWechat')}
      </button>
      {problem && <p class="sw-muted">{problem}</p>}
      {qr && (
        <figure>
          <img src={qr.imageUrl} width={160} height={160} alt={t('optBindWechat')} referrerpolicy="no-referrer" />
          <figcaption>{t('optScanQr', { time: formatDateTime(qr.expiresAt, t.language) })}</figcaption>
          <button type="button" class="sw-btn" onClick={() => void look()}>
            {t('optWechatScannedCheck')}
          </button>
        </figure>
      )}
    </div>
  );
}

/** Channels with their send-test buttons, adding one, and the WeChat QR binding (issue 5 routes). */
export function ChannelsSection({ relay, isOwner }: { relay: RelayClient; isOwner: boolean }) {
  const t = useT();
  const channels = useMemo(() => createResource(() => relay.channels()), [relay]);
  const [picked, setType] = useState<NewType>('wecom');
  // A team's WeCom robot is the owners' to add; members add their own push services (the role
  // may arrive from GET /v1/me after the first render).
  const type: NewType = !isOwner && picked === 'wecom' ? 'serverchan' : picked;
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => void channels.reload(), [channels]);
  const reload = () => void channels.reload();
  return (
    <Section id="channels" title={t('optChannelsSection')}>
      <Loaded state={channels.state.value}>
        {(value) => (
          <>
            {value.channels.length ? (
              <ul class="sw-list">
                {value.channels.map((c) => (
                  <ChannelRow key={c.id} channel={c} relay={relay} onChanged={reload} />
                ))}
              </ul>
            ) : (
              <p class="sw-muted">{t('optNoChannels')}</p>
            )}
            <form
              class="sw-form"
              onSubmit={async (e) => {
                e.preventDefault();
                const r = await relay.createChannel({ type, name: name.trim(), secret: secret.trim() });
                setProblem(r.ok ? null : relayFailureText(r.failure, t));
                if (r.ok) {
                  setName('');
                  setSecret('');
                  reload();
                }
              }}
            >
              <Field id="channel-type" label={t('optChannelType')}>
                <select id="channel-type" value={type} onChange={(e) => setType(inputValue(e) as NewType)}>
                  <option value="wecom" disabled={!isOwner}>
                    {t('channelWecom')}
                  </option>
                  <option value="serverchan">{t('channelServerchan')}</option>
                  <option value="pushplus">{t('channelPushplus')}</option>
                </select>
              </Field>
              <Field id="channel-name" label={t('optChannelName')}>
                <input id="channel-name" value={name} maxLength={40} onInput={(e) => setName(inputValue(e))} required />
              </Field>
              <Field id="channel-secret" label={t('optChannelSecret')}>
                <input id="channel-secret" type="password" autoComplete="off" value={secret} onInput={(e) => setSecret(inputValue(e))} required />
              </Field>
              {!isOwner && <p class="sw-owners-only">{t('optWecomOwnersOnly')}</p>}
              <button type="submit" class="sw-btn sw-btn-primary">
                {t('optAddChannel')}
              </button>
              {problem && <p class="sw-problem">{problem}</p>}
            </form>
            <WechatBinding relay={relay} onChanged={reload} />
          </>
        )}
      </Loaded>
    </Section>
  );
}
