/**
 * Where the relay token lives: a small IndexedDB database of the extension's own origin. The
 * background and the options page (both chrome-extension://<id>) open it; a content script cannot,
 * because its IndexedDB is the page's, while `storage.local` is open to content scripts and every
 * write to it is broadcast to them through `storage.onChanged`.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export interface TokenVault {
  read(): Promise<string | null>;
  write(token: string): Promise<void>;
  clear(): Promise<void>;
}

interface VaultSchema extends DBSchema {
  secrets: { key: 'relayToken'; value: string };
}

export const TOKEN_VAULT_DB_NAME = 'storewatch-secrets';

/** A vault over IndexedDB; the database opens on first use and stays open. */
export function indexedDbVault(name = TOKEN_VAULT_DB_NAME): TokenVault {
  let db: Promise<IDBPDatabase<VaultSchema>> | null = null;
  const open = () =>
    (db ??= openDB<VaultSchema>(name, 1, {
      upgrade(database) {
        database.createObjectStore('secrets');
      },
      // A newer version elsewhere (an updated service worker) must be able to upgrade.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
        db = null;
      },
    }));
  return {
    async read() {
      const token = await (await open()).get('secrets', 'relayToken');
      return typeof token === 'string' && token ? token : null;
    },
    async write(token) {
      await (await open()).put('secrets', token, 'relayToken');
    },
    async clear() {
      await (await open()).delete('secrets', 'relayToken');
    },
  };
}
