import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CUSTOM_ERP_SCRIPT_ID, syncErpScripts } from '../../extension/entrypoints/background/erp-scripts.ts';
import { DEFAULT_ERP_MATCHES, erpMatchPattern, isDefaultErpHost, patternHost } from '../../extension/lib/detect/erp-hosts.ts';
import { createOptionsModel } from '../../extension/lib/models/options-model.ts';
import { readSettings, updateSettings } from '../../extension/lib/platform/settings.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';

describe('ERP host patterns', () => {
  it('turns what a person types into an https match pattern', () => {
    expect(erpMatchPattern('erp.example.com')).toBe('https://erp.example.com/*');
    expect(erpMatchPattern('  https://ERP.Example.com/orders?x=1 ')).toBe('https://erp.example.com/*');
    expect(erpMatchPattern('*.example.cn')).toBe('https://*.example.cn/*');
  });

  it('refuses what is not a public host worth a permission prompt', () => {
    for (const input of ['', 'localhost', 'com', '192.168.1.10', 'exa mple.com', 'sellercentral.amazon.de', '-bad-.com']) {
      expect(erpMatchPattern(input), input).toBeNull();
    }
  });

  it('runs on the built-in ERPs and their subdomains without asking', () => {
    expect(DEFAULT_ERP_MATCHES).toEqual(['https://*.dianxiaomi.com/*', 'https://*.sellerspace.com/*', 'https://*.lingxing.com/*', 'https://*.mabangerp.com/*']);
    expect(isDefaultErpHost('https://www.dianxiaomi.com/*')).toBe(true);
    expect(isDefaultErpHost('https://erp.example.com/*')).toBe(false);
    expect(patternHost('https://*.example.cn/*')).toBe('*.example.cn');
  });
});

function fakeScripting() {
  let registered: { id: string; matches?: string[]; js?: string[] }[] = [];
  return {
    get registered() {
      return registered;
    },
    getRegisteredContentScripts: async (filter?: { ids?: string[] }) => registered.filter((s) => !filter?.ids || filter.ids.includes(s.id)),
    registerContentScripts: async (scripts: { id: string; matches?: string[]; js?: string[] }[]) => {
      registered = [...registered, ...scripts];
    },
    unregisterContentScripts: async (filter?: { ids?: string[] }) => {
      registered = registered.filter((s) => filter?.ids && !filter.ids.includes(s.id));
    },
  };
}

describe('ERP panel on hosts added in options', () => {
  beforeEach(() => fakeBrowser.reset());

  it('registers the ERP content script for the hosts whose permission was granted, and only those', async () => {
    await updateSettings(fakeBrowser.storage.local, { erpHosts: ['https://erp.example.com/*', 'https://revoked.example.com/*'] });
    const scripting = fakeScripting();
    const permissions = { contains: async (p: { origins?: string[] }) => p.origins?.[0] === 'https://erp.example.com/*' };
    // The fakes implement the parts of chrome.scripting the module calls.
    await syncErpScripts({ local: fakeBrowser.storage.local, permissions, scripting: scripting as never });
    expect(scripting.registered).toEqual([
      { id: CUSTOM_ERP_SCRIPT_ID, matches: ['https://erp.example.com/*'], js: ['content-scripts/erp.js'], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
  });

  it('replaces the registration when the list changes, and removes it when it empties', async () => {
    const scripting = fakeScripting();
    const permissions = { contains: async () => true };
    const platform = { local: fakeBrowser.storage.local, permissions, scripting: scripting as never };
    await updateSettings(fakeBrowser.storage.local, { erpHosts: ['https://a.example.com/*'] });
    await syncErpScripts(platform);
    await updateSettings(fakeBrowser.storage.local, { erpHosts: ['https://b.example.com/*'] });
    await syncErpScripts(platform);
    expect(scripting.registered.map((s) => s.matches)).toEqual([['https://b.example.com/*']]);
    await updateSettings(fakeBrowser.storage.local, { erpHosts: [] });
    await syncErpScripts(platform);
    expect(scripting.registered).toEqual([]);
  });

  it('asks for the host permission first, and keeps the host only when it is granted', async () => {
    const notify = vi.fn<(request: unknown) => Promise<unknown>>(async () => undefined);
    const request = vi.fn<(p: { origins: string[] }) => Promise<boolean>>(async (p) => p.origins[0] !== 'https://denied.example.com/*');
    const model = createOptionsModel({
      local: fakeBrowser.storage.local,
      relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: async () => new Response(null, { status: 404 }) }),
      notify,
      permissions: { request, remove: async () => true },
      now: () => 0,
      device: 'test',
    });
    await model.load();
    expect(await model.addErpHost('not a host')).toBe(false);
    expect(model.erpProblem.value?.key).toBe('optErpInvalid');
    expect(request).not.toHaveBeenCalled();
    expect(await model.addErpHost('denied.example.com')).toBe(false);
    expect(model.erpProblem.value?.key).toBe('optErpDenied');
    expect(await model.addErpHost('https://erp.example.com/list')).toBe(true);
    expect((await readSettings(fakeBrowser.storage.local)).erpHosts).toEqual(['https://erp.example.com/*']);
    expect(notify).toHaveBeenLastCalledWith({ type: 'erp-hosts' });
    await model.removeErpHost('https://erp.example.com/*');
    expect((await readSettings(fakeBrowser.storage.local)).erpHosts).toEqual([]);
  });
});
