/**
 * How a Worker under test reaches its sandbox Amazon (test/support/sandbox-outbound.ts): shared by
 * the Node side and the workerd side, so it imports nothing.
 */

/** Marks a request for the sandbox of the given name (one per test world). */
export const SANDBOX_HEADER = 'x-storewatch-sandbox';
/** The host a test uses for the sandbox's own control API and clock. */
export const SANDBOX_CONTROL = 'http://sandbox.test';
/** The sandbox clock at creation: a fixed instant, never the wall clock. */
export const SANDBOX_EPOCH = Date.UTC(2026, 10, 23, 3, 0, 0);
