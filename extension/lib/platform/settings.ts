/**
 * What the extension keeps in `browser.storage.local`, one key per concern. Content scripts can
 * read this area and hear its changes, so the relay token is not here: it lives in the extension's
 * own IndexedDB (token-vault.ts), read only by the background and the options page.
 */
import type { LanguageSetting } from '../i18n/i18n.ts';

/** The part of `browser.storage.local` we use; tests hand in fakeBrowser's. */
export interface StorageArea {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const KEYS = {
  settings: 'settings',
  pairing: 'pairing',
  picks: 'panelPicks',
  /** What became of the enrolment code this build was made with (background/auto-enrol.ts). */
  enrolment: 'enrolment',
  /** Bumped by the background after every cache write; surfaces listen to storage.onChanged. */
  cacheVersion: 'cacheVersion',
} as const;

export interface Settings {
  language: LanguageSetting;
  /** Desktop notifications for new alerts (opt-out). */
  notifications: boolean;
  /** Extra ERP hosts as match patterns, each granted as an optional host permission. */
  erpHosts: string[];
  /**
   * The store this browser profile is for (teams run one fingerprint-browser profile per store):
   * a store id, `'all'` when the person chose every store, null until a page proves a store (the
   * background then sets it once) or the person chooses.
   */
  profileStore: string | null;
  /** True while `profileStore` is the background's own guess, not the person's choice. */
  profileStoreAuto: boolean;
}

export const ALL_STORES = 'all';

export const DEFAULT_SETTINGS: Settings = { language: 'auto', notifications: true, erpHosts: [], profileStore: null, profileStoreAuto: false };

/** The store a store-scoped profile is for, or null when it concerns every store. */
export function scopedStoreId(settings: Pick<Settings, 'profileStore'>): string | null {
  return settings.profileStore && settings.profileStore !== ALL_STORES ? settings.profileStore : null;
}

/** Who we are at which relay (no secret in here: the token has its own key). */
export interface Pairing {
  relayUrl: string;
  workspaceId: string;
  workspaceName: string | null;
  memberId: string;
  memberName: string | null;
  role: 'owner' | 'member';
  pairedAt: number;
  /** This profile's device (token) id at the relay; Disconnect revokes it. Absent on older pairings. */
  deviceId?: string | null;
}

/**
 * The preconfigured enrolment code was tried once in this profile: it paired, or the relay refused
 * it (used up, expired) and options says so. A wiped profile has no record and enrols again.
 */
export interface EnrolmentRecord {
  code: string;
  outcome: 'paired' | 'refused';
  /** Why the relay refused it: a failure code (lib/i18n/failure-text.ts), worded where it is shown. */
  reason: string | null;
  at: number;
}

export async function readEnrolment(area: StorageArea): Promise<EnrolmentRecord | null> {
  const raw = (await area.get(KEYS.enrolment))[KEYS.enrolment];
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Partial<EnrolmentRecord>;
  if (typeof r.code !== 'string' || (r.outcome !== 'paired' && r.outcome !== 'refused')) return null;
  return { code: r.code, outcome: r.outcome, reason: typeof r.reason === 'string' ? r.reason : null, at: typeof r.at === 'number' ? r.at : 0 };
}

export async function saveEnrolment(area: StorageArea, record: EnrolmentRecord): Promise<void> {
  await area.set({ [KEYS.enrolment]: record });
}

/** The person's choice for a Seller Central host when detection was unsure. */
export interface PanelPick {
  marketplaceId: string | null;
  storeId: string | null;
}

export async function readSettings(area: StorageArea): Promise<Settings> {
  const raw = (await area.get(KEYS.settings))[KEYS.settings];
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Settings>;
  return {
    language: s.language === 'zh-CN' || s.language === 'en' ? s.language : 'auto',
    notifications: typeof s.notifications === 'boolean' ? s.notifications : DEFAULT_SETTINGS.notifications,
    erpHosts: Array.isArray(s.erpHosts) ? s.erpHosts.filter((h): h is string => typeof h === 'string') : [],
    profileStore: typeof s.profileStore === 'string' && s.profileStore ? s.profileStore : null,
    profileStoreAuto: s.profileStoreAuto === true,
  };
}

export async function updateSettings(area: StorageArea, patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await readSettings(area)), ...patch };
  await area.set({ [KEYS.settings]: next });
  return next;
}

export async function readPairing(area: StorageArea): Promise<Pairing | null> {
  const raw = (await area.get(KEYS.pairing))[KEYS.pairing];
  return raw && typeof raw === 'object' && typeof (raw as Pairing).relayUrl === 'string' ? (raw as Pairing) : null;
}

/** The pairing alone; the token goes through credentials.ts. */
export async function savePairing(area: StorageArea, pairing: Pairing): Promise<void> {
  await area.set({ [KEYS.pairing]: pairing });
}

export async function readPicks(area: StorageArea): Promise<Record<string, PanelPick>> {
  const raw = (await area.get(KEYS.picks))[KEYS.picks];
  return raw && typeof raw === 'object' ? (raw as Record<string, PanelPick>) : {};
}

export async function savePick(area: StorageArea, host: string, pick: PanelPick): Promise<void> {
  await area.set({ [KEYS.picks]: { ...(await readPicks(area)), [host]: pick } });
}

export async function bumpCacheVersion(area: StorageArea, now: number): Promise<void> {
  await area.set({ [KEYS.cacheVersion]: now });
}

/**
 * The relay address as typed - `storewatch.example.workers.dev`, with or without https://, a
 * trailing slash or `/v1` - as the base the client appends `/v1/...` to. Plain http only for this
 * machine (the local relay of `npm start`); a token must not cross the network in clear text.
 */
export function normalizeRelayUrl(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return null;
  if (url.username || url.password) return null;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}
