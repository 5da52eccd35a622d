/**
 * How the badge hands over to the full panel. Both run in this extension's isolated world of the
 * same frame (Chrome gives an extension one world per frame, for injected functions and files
 * alike), so a global under a private symbol is shared by them and invisible to the page.
 */
import type { BadgeView } from './badge-view.ts';

export type PanelMode = 'seller-central' | 'erp';

export interface PanelHandoff {
  mode: PanelMode;
  /** Set by the panel script once mounted, so a second click does not mount it twice. */
  panelMounted: boolean;
  /** The badge steps aside when the full panel (which has its own badge) takes over. */
  removeBadge(): void;
  /** Shows a new answer in the badge already in the page (page-badge.ts). */
  redraw(view: BadgeView): void;
}

/** The symbol's registry name: page-badge.ts receives it as an argument (it runs in the page). */
export const HANDOFF_KEY = 'storewatch.panel-handoff';

const KEY = Symbol.for(HANDOFF_KEY);

type WithHandoff = { [KEY]?: PanelHandoff };

export function getHandoff(scope: object): PanelHandoff | undefined {
  return (scope as WithHandoff)[KEY];
}
