/**
 * What the Lambda handlers need to know about an AWS SDK error: whether to retry it, whether it means "not found", and
 * how to describe it. Pure (no SDK import), bundled into each handler by esbuild.
 */

/** Error names that are worth retrying even without an HTTP status (throttling, network, timeouts). */
const RETRYABLE_ERROR_NAMES = new Set([
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerErrorException',
  'ThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'RequestThrottled', // SQS
  'ProvisionedThroughputExceededException', // DynamoDB (HTTP 400)
  'RequestLimitExceeded', // DynamoDB (HTTP 400)
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

/** The HTTP status of an SDK error, if any. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** The error's name ('Error' when it has none). */
export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

/** The service's message of an SDK error (`message`, or the `Message` member of the error shape). */
export function serviceMessage(error: unknown): string {
  const e = error as { message?: string; Message?: string };
  return e?.message || e?.Message || String(error);
}

/**
 * Throttling (429), server errors (5xx), errors the SDK marks retryable, and transient network errors are retried;
 * nothing else is.
 */
export function isRetryable(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && (status === 429 || status >= 500)) { return true; }
  if ((error as { $retryable?: unknown })?.$retryable) { return true; }
  if (RETRYABLE_ERROR_NAMES.has(errorName(error))) { return true; }
  const errorCode = (error as { code?: string })?.code;
  if (errorCode !== undefined && RETRYABLE_NETWORK_CODES.has(errorCode)) { return true; }
  // The SDK wraps a thrown value that is not an Error of its own realm (e.g. a socket error seen through a VM context)
  // as `AWS SDK error wrapper for Error: connect ECONNREFUSED ...`, without `code`: the code survives only in the text.
  // `socket hang up` (a connection cut before the answer) is ECONNRESET in Node; wrapped, it reads `TimeoutError: ...`.
  const text = serviceMessage(error);
  const wrapped = /^AWS SDK error wrapper for (\w+)/.exec(text);
  if (wrapped !== null && RETRYABLE_ERROR_NAMES.has(wrapped[1])) { return true; }
  const code = /^AWS SDK error wrapper for .*\b(E[A-Z_]+)\b/.exec(text);
  return code !== null && RETRYABLE_NETWORK_CODES.has(code[1]);
}

/** The kind of an SDK error: its name and HTTP status, e.g. `TooManyRequestsException (HTTP 429)`. */
export function errorKind(error: unknown): string {
  const status = httpStatusOf(error);
  return `${errorName(error)}${status !== undefined ? ` (HTTP ${status})` : ''}`;
}

/** Describes an SDK error for a failure reason: name, HTTP status and the service's message. */
export function describeError(error: unknown): string {
  return `${errorKind(error)}: ${serviceMessage(error)}`;
}

/** A 404 (`NotFoundException`, S3's `NotFound` / `NoSuchKey`): the resource does not exist. */
export function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return httpStatusOf(error) === 404 || name === 'NotFoundException' || name === 'NotFound' || name === 'NoSuchKey';
}

/** The call was aborted (by an AbortSignal: the handler's deadline). */
export function isAborted(error: unknown): boolean {
  return errorName(error) === 'AbortError';
}
