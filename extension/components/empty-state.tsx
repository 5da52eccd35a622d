import type { ComponentChildren } from 'preact';

/** A state with nothing to list, telling the person what to do next. */
export function EmptyState({ title, body, children }: { title: string; body: string; children?: ComponentChildren }) {
  return (
    <div class="sw-empty">
      <h2>{title}</h2>
      <p>{body}</p>
      {children}
    </div>
  );
}
