import { useEffect, useMemo } from 'preact/hooks';
import { useT } from '../../components/i18n-context.tsx';
import type { OptionsModel } from '../../lib/models/options-model.ts';
import { createResource } from '../../lib/models/resource.ts';
import { ALL_STORES } from '../../lib/platform/settings.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, inputValue } from './fields.tsx';

/**
 * "This browser profile is for store ...": teams that run one browser profile per store scope the
 * badge, notifications and links to it. Set by the background once a page proves the store.
 */
export function ProfileStoreField({ model, relay }: { model: OptionsModel; relay: RelayClient }) {
  const t = useT();
  const stores = useMemo(() => createResource(() => relay.stores()), [relay]);
  useEffect(() => void stores.reload(), [stores]);
  const current = model.settings.value.profileStore ?? ALL_STORES;
  return (
    <Loaded state={stores.state.value}>
      {(value) => (
        <Field id="profile-store" label={t('optProfileStore')} hint={t('optProfileStoreHint')}>
          <select id="profile-store" value={current} onChange={(e) => void model.setProfileStore(inputValue(e))}>
            <option value={ALL_STORES}>{t('optProfileStoreAll')}</option>
            {value.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {/* A store removed since it was chosen still shows as chosen, by its id. */}
            {current !== ALL_STORES && !value.stores.some((s) => s.id === current) && <option value={current}>{current}</option>}
          </select>
        </Field>
      )}
    </Loaded>
  );
}
