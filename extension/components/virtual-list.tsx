import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { visibleWindow } from '../lib/derive/virtual-window.ts';

export interface VirtualListProps<R> {
  rows: readonly R[];
  rowKey: (row: R) => string;
  renderRow: (row: R) => ComponentChildren;
  /** A row's height before it is measured (px). */
  estimate: number;
  /** When it changes (a new search), the list goes back to its top. */
  resetKey?: string;
  class?: string;
}

/** Where there is no layout (a test's DOM, a hidden popup), the popup's own height stands in. */
const FALLBACK_VIEWPORT = 600;
const OVERSCAN = 400;

/**
 * A scrolling list that renders only the rows in view (and a screen's worth around them), so 500
 * stores cost the popup what a dozen do. Rows are measured once drawn; an opened card may grow.
 */
export function VirtualList<R>({ rows, rowKey, renderRow, estimate, resetKey = '', class: className = '' }: VirtualListProps<R>) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [, remeasured] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  // After every render: the real heights of the rows drawn, and the viewport's own.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (el.clientHeight !== viewport) setViewport(el.clientHeight);
    let changed = false;
    for (const child of el.children) {
      const key = (child as HTMLElement).dataset.rowKey;
      const h = (child as HTMLElement).offsetHeight;
      if (key !== undefined && h > 0 && heights.current.get(key) !== h) {
        heights.current.set(key, h);
        changed = true;
      }
    }
    if (changed) remeasured((n) => n + 1);
  });

  const range = visibleWindow({
    count: rows.length,
    heightOf: (i) => heights.current.get(rowKey(rows[i]!)),
    estimate,
    scrollTop,
    viewport: viewport || FALLBACK_VIEWPORT,
    overscan: OVERSCAN,
  });
  return (
    <div ref={scroller} class={`sw-vlist ${className}`.trim()} onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}>
      {range.before > 0 && <div class="sw-vspace" style={{ height: `${range.before}px` }} aria-hidden="true" />}
      {rows.slice(range.start, range.end).map((row) => {
        const key = rowKey(row);
        return (
          <div key={key} class="sw-vrow" data-row-key={key}>
            {renderRow(row)}
          </div>
        );
      })}
      {range.after > 0 && <div class="sw-vspace" style={{ height: `${range.after}px` }} aria-hidden="true" />}
    </div>
  );
}
