/**
 * One thing the options page reads from the relay (stores, channels, rules...) as a signal:
 * loading, ready, failed with the reason, or "not available" when this relay does not have the
 * route (404) or the feature is not set up (503 not_configured) - an older relay, say.
 */
import { signal } from '@preact/signals';
import { failureCode } from '../i18n/failure-text.ts';
import type { RelayFailure, RelayResult } from '../relay/relay-client.ts';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'unavailable' }
  | { status: 'error'; message: string };

export function isUnavailable(failure: RelayFailure): boolean {
  return failure.kind === 'http' && (failure.status === 404 || failure.code === 'not_configured');
}

export function createResource<T>(load: () => Promise<RelayResult<T>>) {
  const state = signal<ResourceState<T>>({ status: 'loading' });
  return {
    state,
    async reload(): Promise<void> {
      if (state.value.status !== 'ready') state.value = { status: 'loading' };
      const r = await load();
      state.value = r.ok ? { status: 'ready', value: r.value } : isUnavailable(r.failure) ? { status: 'unavailable' } : { status: 'error', message: failureCode(r.failure) };
    },
  };
}

export type Resource<T> = ReturnType<typeof createResource<T>>;
