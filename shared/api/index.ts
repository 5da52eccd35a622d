/** The relay API contract, checked by the relay on input and by the extension on output. */
export * from './errors.ts';
export * from './auth.ts';
export * from './stores.ts';
export * from './overview.ts';
export * from './jobs.ts';
export * from './alerts.ts';
export * from './channels.ts';
export * from './rules.ts';
export * from './limits.ts';
export * from './health.ts';
