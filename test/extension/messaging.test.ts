import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type Handlers, isRequest, listenForRequests } from '../../extension/entrypoints/background/messaging.ts';
import { INITIAL_SYNC } from '../../extension/lib/cache/cache-db.ts';

const ok = async () => ({ ok: true as const });

function handlers() {
  return {
    snapshot: vi.fn<Handlers['snapshot']>(async () => ({ stores: [], alerts: [], jobs: [], sync: INITIAL_SYNC, paired: false })),
    sync: ok,
    refresh: vi.fn<Handlers['refresh']>(ok),
    ack: ok,
    history: async () => [],
    catalog: async () => ({}),
    paired: ok,
    unpaired: vi.fn<Handlers['unpaired']>(ok),
    'erp-hosts': ok,
    'open-panel': ok,
  } satisfies Handlers;
}

/** Delivers `message` as if sent from `url` by this extension, the way Chrome's runtime would. */
async function deliver(message: unknown, url: string, id = fakeBrowser.runtime.id): Promise<unknown> {
  let response: unknown = 'no answer';
  const answered = new Promise<void>((resolve) => {
    void fakeBrowser.runtime.onMessage.trigger(message, { id, url }, (r: unknown) => {
      response = r;
      resolve();
    });
    setTimeout(resolve, 20);
  });
  await answered;
  return response;
}

describe('background messages', () => {
  beforeEach(() => fakeBrowser.reset());

  it('accepts only the requests of the protocol, with well-typed fields', () => {
    expect(isRequest({ type: 'refresh', storeId: null })).toBe(true);
    expect(isRequest({ type: 'refresh', storeId: 'st-1' })).toBe(true);
    expect(isRequest({ type: 'refresh', storeId: 7 })).toBe(false);
    expect(isRequest({ type: 'ack' })).toBe(false);
    expect(isRequest({ type: 'catalog', language: 'fr' })).toBe(false);
    expect(isRequest({ type: 'steal-token' })).toBe(false);
    expect(isRequest('snapshot')).toBe(false);
    // The badge is drawn by the background now: no page asks for it.
    expect(isRequest({ type: 'badge', mode: 'erp', evidence: null, host: 'x' })).toBe(false);
  });

  it('answers a content script\'s request for the cached snapshot', async () => {
    const h = handlers();
    listenForRequests(fakeBrowser.runtime, h, () => undefined);
    const answer = await deliver({ type: 'snapshot' }, 'https://sellercentral.amazon.com/home');
    expect(answer).toMatchObject({ paired: false, stores: [] });
  });

  it('lets only the extension\'s own pages change pairing or ERP hosts, never a web page', async () => {
    const h = handlers();
    listenForRequests(fakeBrowser.runtime, h, () => undefined);
    expect(await deliver({ type: 'unpaired' }, 'https://www.dianxiaomi.com/')).toBe('no answer');
    expect(await deliver({ type: 'erp-hosts' }, 'https://evil.example.com/')).toBe('no answer');
    expect(h.unpaired).not.toHaveBeenCalled();
    expect(await deliver({ type: 'unpaired' }, fakeBrowser.runtime.getURL('/options.html'))).toEqual({ ok: true });
    expect(h.unpaired).toHaveBeenCalledTimes(1);
  });

  it('ignores messages from other extensions', async () => {
    const h = handlers();
    listenForRequests(fakeBrowser.runtime, h, () => undefined);
    expect(await deliver({ type: 'snapshot' }, 'chrome-extension://other/x.html', 'other')).toBe('no answer');
    expect(h.snapshot).not.toHaveBeenCalled();
  });

  it('answers a failing handler with a code the page can word instead of leaving the caller hanging', async () => {
    const h = handlers();
    h.refresh.mockImplementation(async () => {
      throw new Error('boom');
    });
    const errors: unknown[] = [];
    listenForRequests(fakeBrowser.runtime, h, (e) => errors.push(e));
    expect(await deliver({ type: 'refresh', storeId: null }, fakeBrowser.runtime.getURL('/popup.html'))).toEqual({ ok: false, error: 'extension_error' });
    expect(errors).toHaveLength(1);
  });
});
