import { createContext } from 'preact';

/**
 * The store this browser profile is for (null: every store). Cards read it to replace links to
 * another store's Seller Central with a note saying where to open them (lib/derive/profile-scope.ts).
 */
export const ProfileStoreContext = createContext<string | null>(null);
