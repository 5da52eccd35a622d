/**
 * Tabs and `scripting.executeScript` for the background's tests, with happy-dom as the one page.
 * An injected function is rebuilt from its source text before it runs, as Chrome does: one that
 * reaches for anything of its own module (an import, a constant) fails here as it would in a tab.
 */
type Listener<A extends unknown[]> = (...args: A) => void;

export interface FakeTab {
  id: number;
  url?: string;
  status?: string;
}

export interface Injection {
  tabId: number;
  name: string;
  args: unknown[];
  result: unknown;
}

export function fakeTabs(initial: FakeTab[] = []) {
  let open = [...initial];
  const updated: Listener<[number, { status?: string; url?: string }, FakeTab]>[] = [];
  const removed: Listener<[number]>[] = [];
  const injections: Injection[] = [];
  /** Pages that refuse scripts (an error page, a tab that navigated away). */
  const refusing = new Set<number>();

  const tabs = {
    create: async (props: { url?: string }) => ({ id: 999, ...props }),
    query: async () => open.map((t) => ({ ...t })),
    onUpdated: { addListener: (l: (typeof updated)[number]) => void updated.push(l) },
    onRemoved: { addListener: (l: (typeof removed)[number]) => void removed.push(l) },
  };

  const scripting = {
    async executeScript(injection: { target: { tabId: number }; func?: (...args: never[]) => unknown; args?: unknown[]; files?: string[] }) {
      const { tabId } = injection.target;
      if (refusing.has(tabId)) throw new Error(`Cannot access contents of tab ${tabId}`);
      if (!injection.func) {
        injections.push({ tabId, name: `file:${injection.files?.join(',')}`, args: [], result: undefined });
        return [{ frameId: 0, documentId: 'doc', result: undefined }];
      }
      // oxlint-disable-next-line no-new-func -- the point: run the function from its text alone, as Chrome does
      const rebuilt = new Function(`return (${injection.func.toString()})`)() as (...args: unknown[]) => unknown;
      const args = structuredClone(injection.args ?? []);
      const result = structuredClone(await rebuilt(...args));
      injections.push({ tabId, name: injection.func.name, args, result });
      return [{ frameId: 0, documentId: 'doc', result }];
    },
  };

  return {
    tabs,
    scripting,
    injections,
    refusing,
    /** Chrome's event for a tab (its address is visible on hosts the extension may run on). */
    async update(tab: FakeTab, change: { status?: string; url?: string }) {
      open = [...open.filter((t) => t.id !== tab.id), tab];
      for (const l of updated) l(tab.id, change, { ...tab });
      await settle();
    },
    async remove(tabId: number) {
      open = open.filter((t) => t.id !== tabId);
      for (const l of removed) l(tabId);
      await settle();
    },
    drawn: (tabId: number) => injections.filter((i) => i.tabId === tabId && i.name === 'drawBadge'),
  };
}

/** Lets the background's chain of awaits run out (bounded: a handful of turns is plenty). */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
