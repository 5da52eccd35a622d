/**
 * How the small badge script hands over to the full panel script. Both run in this extension's
 * isolated world of the same frame (Chrome gives an extension one world per frame), so a global
 * under a private symbol is shared by them and invisible to the page.
 */
export type PanelMode = 'seller-central' | 'erp';

export interface PanelHandoff {
  mode: PanelMode;
  /** Set by the panel script once mounted, so a second click does not mount it twice. */
  panelMounted: boolean;
  /** The badge steps aside when the full panel (which has its own badge) takes over. */
  removeBadge(): void;
}

const KEY = Symbol.for('storewatch.panel-handoff');

type WithHandoff = { [KEY]?: PanelHandoff };

export function getHandoff(scope: object): PanelHandoff | undefined {
  return (scope as WithHandoff)[KEY];
}

export function setHandoff(scope: object, handoff: PanelHandoff): void {
  (scope as WithHandoff)[KEY] = handoff;
}
