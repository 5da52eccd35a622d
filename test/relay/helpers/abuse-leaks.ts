/**
 * The leak watch: every console line the relay writes while a file runs, and the scan of those
 * lines and of every response body for the secrets the suite handed the relay.
 */
import { vi } from 'vitest';
import type { Seen } from './abuse-world.ts';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Records every console line from now on; `console.info` still prints (the suite's tallies). */
export function captureConsole(): string[] {
  const lines: string[] = [];
  for (const method of METHODS) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      if (method === 'info') original(...args);
    });
  }
  return lines;
}

export interface Leak {
  secret: string;
  where: string;
}

/** A credential the relay hands out: it may appear in the 2xx answers of the route that issues it, nowhere else. */
export interface Issued {
  value: string;
  /** `METHOD /path` of the issuing route. */
  issuedBy: string;
  /**
   * `METHOD /path` (query aside) of routes whose answers, a redirect included, carry it on by
   * design: an OAuth state goes from the relay's start page to Amazon and into the confirmation form.
   */
  carriedBy?: readonly string[];
}

/** Where any secret appears in a response body or a log line (issued credentials aside where issued). */
export function findLeaks(secrets: Record<string, string>, seen: readonly Seen[], logs: readonly string[], issued: Record<string, Issued> = {}): Leak[] {
  const leaks: Leak[] = [];
  seen.forEach((s, i) => {
    const where = `response #${i} ${s.method} ${s.path} ${s.status}`;
    for (const [name, secret] of Object.entries(secrets)) if (s.text.includes(secret)) leaks.push({ secret: name, where });
    for (const [name, { value, issuedBy, carriedBy = [] }] of Object.entries(issued)) {
      const issuing = s.status >= 200 && s.status < 300 && `${s.method} ${s.path}` === issuedBy;
      const carrying = s.status >= 200 && s.status < 400 && carriedBy.includes(`${s.method} ${s.path.split('?')[0]}`);
      if (s.text.includes(value) && !issuing && !carrying) leaks.push({ secret: name, where });
    }
  });
  const all = { ...secrets, ...Object.fromEntries(Object.entries(issued).map(([k, v]) => [k, v.value])) };
  logs.forEach((line, i) => {
    for (const [name, secret] of Object.entries(all)) if (line.includes(secret)) leaks.push({ secret: name, where: `log line #${i}` });
  });
  return leaks;
}
