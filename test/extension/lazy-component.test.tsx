import { afterEach, describe, expect, it } from 'vitest';
import { lazyComponent } from '../../extension/components/lazy-component.tsx';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import { mount, settle } from './helpers/render.tsx';

const mounted: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const Greeting = ({ name }: { name: string }) => <p class="greeting">hello {name}</p>;

describe('a component loaded on first use', () => {
  it('draws nothing until its code arrives, then the component with its props', async () => {
    const load = deferred<typeof Greeting>();
    const Lazy = lazyComponent(() => load.promise);
    const view = mount(<Lazy name="Alpha Home" />);
    mounted.push(view);
    await settle();
    expect(view.root.querySelector('.greeting')).toBeNull();
    load.resolve(Greeting);
    await settle();
    expect(view.root.querySelector('.greeting')?.textContent).toBe('hello Alpha Home');
  });

  it('loads once however many places draw it, and draws at once when preloaded', async () => {
    let loads = 0;
    const Lazy = lazyComponent(async () => {
      loads++;
      return Greeting;
    });
    await Lazy.preload();
    const first = mount(<Lazy name="a" />);
    const second = mount(<Lazy name="b" />);
    mounted.push(first, second);
    // Preloaded: the first render already has it, no extra turn needed.
    expect(first.root.textContent).toBe('hello a');
    expect(second.root.textContent).toBe('hello b');
    expect(loads).toBe(1);
  });

  it('tries again after a failed load (a chunk replaced by an extension update)', async () => {
    let attempt = 0;
    const Lazy = lazyComponent(async () => {
      attempt++;
      if (attempt === 1) throw new Error('chunk missing');
      return Greeting;
    });
    await expect(Lazy.preload()).rejects.toThrow('chunk missing');
    await expect(Lazy.preload()).resolves.toBe(Greeting);
    expect(attempt).toBe(2);
  });

  it("preloads every on-demand part of the popup: the alert feed, the detail and the grid", async () => {
    const parts = (await preloadOnDemand()) as unknown[];
    expect(parts.map((p) => (p as { name: string }).name)).toEqual(['AlertFeed', 'MarketplaceDetail', 'StoreGrid']);
  });
});
