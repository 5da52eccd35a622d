/** The pure domain both the relay and the extension use. */
export * from './types.ts';
export * from './marketplaces.ts';
export * from './metrics.ts';
export * from './report-parser.ts';
export * from './headroom.ts';
export * from './thresholds.ts';
export * from './evaluate.ts';
export * from './diff.ts';
