/**
 * Bounded retries with exponential backoff and a deadline: the one retry loop of the library's handlers.
 */
import { Deadline } from './deadline';
import { errorKind, isRetryable, serviceMessage } from './errors';

/** How a handler retries. */
export interface RetryPolicy {
  /** Calls in all, the first included (at least 1). */
  readonly maxAttempts: number;
  /** Cap of the first backoff, doubled per retry. */
  readonly baseDelayMs: number;
  /** Largest backoff cap. */
  readonly maxDelayMs: number;
  /**
   * `full`: a delay drawn from [0, cap) (spreads many callers best); `equal`: half the cap fixed, half drawn (never
   * retries at once).
   */
  readonly jitter: 'full' | 'equal';
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** Why retrying stopped. */
export type GiveUpReason = 'attempts' | 'deadline';

/** Retries ran out, or the next one would end past the deadline: the last error is kept. */
export class RetriesExhausted extends Error {
  constructor(readonly operation: string, readonly lastError: unknown, readonly attempts: number, readonly reason: GiveUpReason) {
    super(`${operation}: gave up after ${attempts} attempt(s)${reason === 'deadline' ? ' (deadline)' : ''}: `
      + `${errorKind(lastError)}: ${serviceMessage(lastError)}`);
    this.name = 'RetriesExhausted';
  }
}

/** A call was not started because the deadline had passed: nothing was sent (the work can be deferred whole). */
export class DeadlineReached extends Error {
  constructor(readonly operation: string) {
    super(`${operation}: not started, the invocation's deadline has passed`);
    this.name = 'DeadlineReached';
  }
}

/** What one retry loop is told besides the policy. */
export interface RetryOptions {
  /** No call starts past this (DeadlineReached), no retry sleeps past it. @default Deadline.none() */
  readonly deadline?: Deadline;
  /** Calls in flight are aborted here (`sender` only). @default the deadline */
  readonly abortAt?: Deadline;
  /** Which errors are retried. @default isRetryable (429, 5xx, network, timeouts) */
  readonly retryWhen?: (error: unknown) => boolean;
  /** Called before each backoff (counting retries, logging). */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The backoff before retry number `attempt` (1 = the first retry). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const random = policy.random ?? Math.random;
  return policy.jitter === 'full' ? Math.floor(random() * cap) : Math.round(cap / 2 + random() * (cap / 2));
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Calls `send` until it succeeds, throws an error `retryWhen` refuses (thrown as it is), or retries run out
 * (RetriesExhausted): after `maxAttempts` calls, or when the backoff would end past the deadline. No call is started
 * once the deadline has passed (DeadlineReached when it is the first; RetriesExhausted after a failed one, also when
 * a backoff's sleep overran the deadline).
 */
export async function retry<T>(operation: string, send: () => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
  const deadline = options.deadline ?? Deadline.none();
  const retryWhen = options.retryWhen ?? isRetryable;
  const sleep = policy.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    if (deadline.isShort()) {
      throw attempt === 1 ? new DeadlineReached(operation) : new RetriesExhausted(operation, lastError, attempt - 1, 'deadline');
    }
    try {
      return await send();
    } catch (error) {
      if (!retryWhen(error)) { throw error; }
      if (attempt >= Math.max(1, policy.maxAttempts)) { throw new RetriesExhausted(operation, error, attempt, 'attempts'); }
      const delay = backoffMs(policy, attempt);
      if (deadline.isShort(delay)) { throw new RetriesExhausted(operation, error, attempt, 'deadline'); }
      options.onRetry?.(error, attempt, delay);
      lastError = error;
      await sleep(delay);
    }
  }
}

/**
 * Sends one request with a retry policy: `call` gets the AbortSignal of the deadline (pass it to
 * `client.send(command, { abortSignal })`), a fresh one per attempt.
 */
export type Send = <T>(operation: string, call: (abortSignal?: AbortSignal) => Promise<T>) => Promise<T>;

/** A Send with this policy and these options (deadline, retried errors, onRetry). */
export function sender(policy: RetryPolicy, options: RetryOptions = {}): Send {
  const abortAt = options.abortAt ?? options.deadline ?? Deadline.none();
  return (operation, call) => retry(operation, () => call(abortAt.signal()), policy, options);
}
