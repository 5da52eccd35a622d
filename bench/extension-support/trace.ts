/**
 * A Chromium trace of one tab through the DevTools protocol, and its main thread's top-level
 * tasks. Each task carries its wall time (`dur`) and its thread time (`tdur`): on a shared machine
 * the thread time is the one a busy neighbour does not stretch.
 */
import type { CDPSession } from 'playwright-core';

/** The JSON trace event format (the fields used here). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: Record<string, unknown>;
}

export const threadKey = (e: { pid: number; tid: number }) => `${e.pid}:${e.tid}`;

export async function trace(cdp: CDPSession, categories: string[], during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  // The protocol types trace events loosely (string maps); they are the JSON trace event format.
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories } });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
  }
  return events;
}

/** The thread's top-level tasks in time order, each with the events nested inside it. */
export function topLevelTasks(events: readonly TraceEvent[], thread: string): { task: TraceEvent; inside: TraceEvent[] }[] {
  const complete = events.filter((e) => threadKey(e) === thread && e.ph === 'X').sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: { task: TraceEvent; inside: TraceEvent[] }[] = [];
  let end = -1;
  // Events nest by time: a top-level task is one that starts after the previous one ended.
  for (const e of complete) {
    if (e.ts >= end) {
      tasks.push({ task: e, inside: [] });
      end = e.ts + (e.dur ?? 0);
    } else tasks.at(-1)!.inside.push(e);
  }
  return tasks;
}
