/**
 * Which rows of a long list to render: only those in the scrolled viewport and a few either side,
 * with the height of the rest kept as spacers so the scrollbar stays true. Rows not measured yet
 * count at an estimate; once drawn, their real height replaces it.
 */

export interface WindowInput {
  count: number;
  /** A row's height when known (measured), else undefined. */
  heightOf: (index: number) => number | undefined;
  estimate: number;
  scrollTop: number;
  viewport: number;
  /** Extra pixels rendered above and below the viewport, so a fast scroll shows no gap. */
  overscan: number;
}

export interface WindowRange {
  start: number;
  /** Exclusive. */
  end: number;
  /** Spacer heights above and below the rendered rows. */
  before: number;
  after: number;
}

export function visibleWindow(input: WindowInput): WindowRange {
  const { count, heightOf, estimate, overscan } = input;
  const top = Math.max(0, input.scrollTop - overscan);
  const bottom = input.scrollTop + input.viewport + overscan;
  let y = 0;
  let start = 0;
  // Bounded by `count`: one pass over the rows' heights, no DOM.
  while (start < count) {
    const h = heightOf(start) ?? estimate;
    if (y + h > top) break;
    y += h;
    start++;
  }
  const before = y;
  let end = start;
  while (end < count && y < bottom) {
    y += heightOf(end) ?? estimate;
    end++;
  }
  let after = 0;
  for (let i = end; i < count; i++) after += heightOf(i) ?? estimate;
  return { start, end, before, after };
}
