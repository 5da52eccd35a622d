/**
 * A component whose code is loaded on first use: the popup's first paint carries only what the
 * first screen draws, and parts below it (the alert feed) or behind a tap (the grid) arrive in a
 * chunk of their own. `preload()` starts the load early (after the first paint), so by the time a
 * person scrolls or taps, the code is there; until then the component draws nothing.
 */
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface LazyComponent<P> {
  (props: P): JSX.Element | null;
  preload(): Promise<ComponentType<P>>;
}

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // A failed load (an extension update replaced the chunk) may be tried again.
        loading = null;
        throw error;
      },
    ));
  const Lazy = (props: P) => {
    const [, setReady] = useState(loaded !== null);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setReady(true),
        () => undefined,
      );
      return () => {
        live = false;
      };
    }, []);
    const Component = loaded;
    return Component ? <Component {...props} /> : null;
  };
  return Object.assign(Lazy, { preload });
}
