import type { ComponentChildren } from 'preact';
import type { Problem } from '../../lib/models/options-model.ts';
import type { ResourceState } from '../../lib/models/resource.ts';
import { useT } from '../../components/i18n-context.tsx';
import { failureText } from '../../lib/i18n/failure-text.ts';

/** A form field with its visible label (the label is the accessible name too). */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="sw-field">
      <label for={id}>{label}</label>
      {children}
      {hint && <small class="sw-muted">{hint}</small>}
    </div>
  );
}

export function ProblemText({ problem }: { problem: Problem }) {
  const t = useT();
  if (!problem) return null;
  return (
    <p class="sw-problem" role="alert">
      {t(problem.key, { reason: problem.reason ? failureText(problem.reason, t) : '' })}
    </p>
  );
}

/** Loading, failed, or "not available on this relay" for a section; the content once ready. */
export function Loaded<T>({ state, children }: { state: ResourceState<T>; children: (value: T) => ComponentChildren }) {
  const t = useT();
  switch (state.status) {
    case 'loading':
      return <p class="sw-muted">{t('panelLoading')}</p>;
    case 'unavailable':
      return <p class="sw-muted">{t('optNotAvailable')}</p>;
    case 'error':
      return (
        <p class="sw-problem" role="alert">
          {t('optLoadFailed', { reason: failureText(state.message, t) })}
        </p>
      );
    case 'ready':
      return <>{children(state.value)}</>;
  }
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="sw-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export const inputValue = (e: Event) => (e.currentTarget as HTMLInputElement).value;
