/**
 * The settings every SDK client of the library's handlers is made with: bounded connection and request times, and no
 * SDK retries (the handler's own `retry` is the only loop, so attempts do not multiply).
 */
/** Connection and request bounds of a client. */
export interface ClientTimeouts {
  /** Milliseconds to open a connection. @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds a request may go without data from the server (a stalled call). @default 10000 */
  readonly requestTimeoutMs?: number;
}

/** The default bounds: a connection within 3 s, no call silent for more than 10 s. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The constructor settings of an SDK v3 client. */
export interface ClientConfig {
  readonly maxAttempts: number;
  readonly endpoint?: string;
  /**
   * The options of the SDK's NodeHttpHandler (@smithy/node-http-handler), which the client builds from them:
   * `connectionTimeout` and `requestTimeout` in ms.
   */
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/**
 * Settings for `new XxxClient(clientConfig(...))`: maxAttempts 1, the endpoint (tests), and the NodeHttpHandler bounds.
 * A call is also bounded by the handler's deadline: send it with `{ abortSignal: deadline.signal() }`.
 */
export function clientConfig(endpoint?: string, timeouts: ClientTimeouts = {}): ClientConfig {
  return {
    maxAttempts: 1,
    endpoint,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: timeouts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
  };
}

/**
 * One client per Lambda container: `lazy(() => new XxxClient(clientConfig()))` returns a getter that makes it at the
 * first call (not at import, so tests that inject their own never build one).
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
