/**
 * The handler kit: what every Lambda handler of the library shares. Pure (no SDK import), bundled into each handler.
 * - `retry` + `RetryPolicy`: bounded retries with exponential backoff and jitter, never past a `Deadline`;
 * - `Deadline`: the time an invocation may still use, and an AbortSignal that ends a call in flight there;
 * - `clientConfig`, `lazy`: SDK clients with connection and request timeouts and no SDK retries, one per container;
 * - errors: `isRetryable`, `isNotFound`, `isAborted`, `errorKind`, `describeError`, ...;
 * - ids: the MediaPackage VOD id rule.
 */
export * from './clients';
export * from './deadline';
export * from './errors';
export * from './ids';
export * from './retry';
