/** 2025-03-14 09:30 UTC: every test's "now"; nothing reads the wall clock. */
export const NOW = Date.UTC(2025, 2, 14, 9, 30);

export function clock(start = NOW) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
