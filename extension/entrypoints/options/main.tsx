import { effect } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/i18n-context.tsx';
import { createOptionsModel } from '../../lib/models/options-model.ts';
import { liveTranslator } from '../../lib/platform/live-translator.ts';
import { preconfigured } from '../../lib/platform/preconfigured.ts';
import { ask } from '../../lib/platform/protocol.ts';
import { indexedDbVault } from '../../lib/platform/token-vault.ts';
import { fetchCatalog } from '../../lib/platform/translator.ts';
import { createRelayClient } from '../../lib/relay/relay-client.ts';
import { OptionsApp } from './options-app.tsx';

async function main(root: HTMLElement) {
  const local = browser.storage.local;
  const i18n = await liveTranslator(browser.i18n, local, browser.storage.onChanged, (language) => fetchCatalog(fetch, browser.runtime.getURL, language));
  const model = createOptionsModel({
    local,
    vault: indexedDbVault(),
    relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: (input, init) => fetch(input, init) }),
    notify: (request) => browser.runtime.sendMessage(request),
    permissions: browser.permissions,
    now: () => Date.now(),
    device: `Storewatch · ${navigator.platform || 'browser'}`,
    presetRelayUrl: preconfigured()?.relayUrl ?? null,
  });
  effect(() => {
    document.documentElement.lang = i18n.t.value.language;
    document.title = i18n.t.value('optionsTitle');
  });
  const App = () => (
    <I18nContext.Provider value={i18n.t.value}>
      <OptionsApp
        model={model}
        language={i18n.setting.value}
        onLanguage={(v) => void i18n.choose(v)}
        openTab={(url) => void browser.tabs.create({ url })}
        onStoresChanged={() => void ask(browser.runtime, { type: 'sync' })}
      />
    </I18nContext.Provider>
  );
  render(<App />, root);
  await model.load();
}

const root = document.getElementById('app');
if (root) void main(root);
