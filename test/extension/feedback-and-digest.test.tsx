import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import type { ChannelView } from '../../shared/api/index.ts';
import { MarketplaceDetail } from '../../extension/components/marketplace-detail.tsx';
import { ChannelsSection } from '../../extension/entrypoints/options/channels-section.tsx';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW, US, market } from './helpers/overview-fixtures.ts';
import { mount, settle, texts } from './helpers/render.tsx';

// The popup loads these after its first paint (main.tsx); the tests start with them loaded.
beforeAll(() => preloadOnDemand());

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

describe('negative feedback in the marketplace detail', () => {
  it('shows the count inside the ODR window as one line, in both languages', () => {
    const view = mount(<MarketplaceDetail market={market(US, 'US', 'warn', { negativeFeedback: { count: 2, windowDays: 60 } })} history={null} now={NOW} />);
    unmount = view.unmount;
    expect(texts(view.root, '.sw-facts > div')).toContain('Negative feedback, last 60 days2');
    view.unmount();
    const zh = mount(<MarketplaceDetail market={market(US, 'US', 'warn', { negativeFeedback: { count: 0, windowDays: 60 } })} history={null} now={NOW} />, 'zh-CN');
    unmount = zh.unmount;
    expect(texts(zh.root, '.sw-facts > div')).toContain('近 60 天差评0');
  });

  it('shows no line until the feedback report has been read', () => {
    const view = mount(<MarketplaceDetail market={market(US, 'US', 'ok', { negativeFeedback: null })} history={null} now={NOW} />);
    unmount = view.unmount;
    expect(view.root.textContent).not.toContain('Negative feedback');
  });
});

describe('digest switch in options', () => {
  const channel: ChannelView = {
    id: 'c1',
    type: 'wecom',
    name: 'Ops group',
    scope: 'team',
    memberId: null,
    secretHint: '693a…5aaa',
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    state: 'ok',
    brokenReason: null,
    brokenAt: null,
    createdAt: NOW,
    digest: { enabled: true, hour: 9, timeZone: 'Asia/Shanghai' },
  };

  it('shows the channel digest and switches it off or moves its hour with PATCH /v1/channels/:id', async () => {
    let current = channel;
    const relay = fakeRelay({
      'GET /v1/channels': () => json({ channels: [current] }),
      'PATCH /v1/channels/c1': (r) => {
        const digest = (r.body as { digest: Partial<ChannelView['digest']> }).digest;
        current = { ...current, digest: { ...current.digest!, ...digest } };
        return json(current);
      },
    });
    const view = mount(<ChannelsSection relay={createRelayClient({ baseUrl: 'https://relay.test', token: 't', fetch: relay.fetch })} isOwner />);
    unmount = view.unmount;
    await settle();
    const box = view.root.querySelector<HTMLInputElement>('#digest-c1')!;
    expect(box.checked).toBe(true);
    const hour = view.root.querySelector<HTMLSelectElement>('select[aria-label="Digest hour"]')!;
    expect(hour.value).toBe('9');
    hour.value = '8';
    hour.dispatchEvent(new Event('change'));
    await settle();
    box.checked = false;
    box.dispatchEvent(new Event('change'));
    await settle();
    expect(relay.calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ digest: { hour: 8 } }, { digest: { enabled: false } }]);
    expect(view.root.querySelector<HTMLInputElement>('#digest-c1')!.checked).toBe(false);
  });

  it('shows a member the team robot digest without letting them change it', async () => {
    const relay = fakeRelay({ 'GET /v1/channels': () => json({ channels: [channel] }) });
    const view = mount(<ChannelsSection relay={createRelayClient({ baseUrl: 'https://relay.test', token: 't', fetch: relay.fetch })} isOwner={false} />);
    unmount = view.unmount;
    await settle();
    expect(view.root.querySelector<HTMLInputElement>('#digest-c1')!.disabled).toBe(true);
    expect(view.root.querySelector<HTMLSelectElement>('select[aria-label="Digest hour"]')!.disabled).toBe(true);
  });
});
