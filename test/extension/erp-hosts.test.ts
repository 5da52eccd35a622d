import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_ERP_MATCHES, erpMatchPattern, isDefaultErpHost, patternHost, urlMatchesPattern } from '../../extension/lib/detect/erp-hosts.ts';
import { createOptionsModel } from '../../extension/lib/models/options-model.ts';
import { readSettings } from '../../extension/lib/platform/settings.ts';
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
    expect(DEFAULT_ERP_MATCHES).toEqual([
      'https://*.dianxiaomi.com/*',
      'https://*.sellerspace.com/*',
      'https://*.lingxing.com/*',
      'https://*.mabangerp.com/*',
      'https://*.gerpgo.com/*',
      'https://*.sellfox.com/*',
      'https://*.eccang.com/*',
      'https://*.tongtool.com/*',
    ]);
    // Where those ERPs serve their web apps: a tenant's or data centre's subdomain.
    for (const url of ['https://www.sellfox.com/amzup-web-main/dashboard.html', 'https://erp102.tongtool.com/warehouse/goodsbalance/index.htm', 'https://acme-eb.eccang.com/', 'https://erp.gerpgo.com/']) {
      expect(DEFAULT_ERP_MATCHES.some((p) => urlMatchesPattern(url, p)), url).toBe(true);
    }
    expect(isDefaultErpHost('https://www.dianxiaomi.com/*')).toBe(true);
    expect(isDefaultErpHost('https://erp.example.com/*')).toBe(false);
    expect(patternHost('https://*.example.cn/*')).toBe('*.example.cn');
  });
});

describe('ERP panel on hosts added in options', () => {
  beforeEach(() => fakeBrowser.reset());

  it('knows an address by the pattern of its host: the host itself, or it and its subdomains', () => {
    expect(urlMatchesPattern('https://erp.example.com/orders?page=2', 'https://erp.example.com/*')).toBe(true);
    expect(urlMatchesPattern('https://shop.erp.example.com/', 'https://erp.example.com/*')).toBe(false);
    expect(urlMatchesPattern('https://www.dianxiaomi.com/order', 'https://*.dianxiaomi.com/*')).toBe(true);
    expect(urlMatchesPattern('https://dianxiaomi.com/', 'https://*.dianxiaomi.com/*')).toBe(true);
    expect(urlMatchesPattern('https://notdianxiaomi.com/', 'https://*.dianxiaomi.com/*')).toBe(false);
    expect(urlMatchesPattern('https://dianxiaomi.com.evil.cn/', 'https://*.dianxiaomi.com/*')).toBe(false);
    expect(urlMatchesPattern('http://www.dianxiaomi.com/', 'https://*.dianxiaomi.com/*')).toBe(false);
    expect(urlMatchesPattern('not a url', 'https://*.dianxiaomi.com/*')).toBe(false);
  });

  it('asks for the host permission first, and keeps the host only when it is granted', async () => {
    const notify = vi.fn<(request: unknown) => Promise<unknown>>(async () => undefined);
    const request = vi.fn<(p: { origins: string[] }) => Promise<boolean>>(async (p) => p.origins[0] !== 'https://denied.example.com/*');
    const model = createOptionsModel({
      local: fakeBrowser.storage.local,
      // Not paired: the token's home stays empty.
      vault: { read: async () => null, write: async () => undefined, clear: async () => undefined },
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
