/**
 * The backfill functions' SDK calls, on the handler kit (src/private/runtime): bounded retries with backoff that never
 * start a call or sleep past a deadline, each call aborted at it, and SendMessageBatch with its partial failures.
 */
/* eslint-disable import/no-extraneous-dependencies */
import { BatchResultErrorEntry, SendMessageBatchCommand, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import { Deadline, DeadlineReached, describeError, isRetryable, retry, RetriesExhausted, RetryPolicy } from '../../private/runtime';

/** How the backfill's calls retry, and until when. */
export interface CallOptions {
  /** Attempts per request (the first included) and their backoff. */
  readonly policy: RetryPolicy;
  /** No call starts and no backoff sleeps past it; a call in flight is aborted at it. */
  readonly deadline: Deadline;
}

/** The backfill's retry policy: exponential backoff with full jitter (many workers' calls spread best). */
export function backfillPolicy(settings: Omit<RetryPolicy, 'jitter'>): RetryPolicy {
  return { ...settings, maxAttempts: Math.max(1, settings.maxAttempts), jitter: 'full' };
}

/** Thrown when the deadline stops a call (not the service's fault: the work is handed on). */
export class OutOfTime extends Error {
  constructor(what: string) {
    super(`${what}: no time left in this invocation`);
    this.name = 'OutOfTime';
  }
}

/**
 * Runs `call` (given an abort signal that fires at the deadline) with the kit's `retry`: throttling, 5xx and network
 * errors (and what `retryWhen` adds) are retried up to the policy's attempts. The deadline's outcomes (no call started,
 * no time for the next backoff, a call aborted) throw OutOfTime; attempts running out throw the kit's RetriesExhausted;
 * another error is thrown as `<what> failed: <error>`.
 */
export async function withRetries<T>(
  options: CallOptions, what: string, call: (abortSignal?: AbortSignal) => Promise<T>, retryWhen: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  let signal: AbortSignal | undefined;
  try {
    return await retry(what, () => call(signal = options.deadline.signal()), options.policy, {
      deadline: options.deadline,
      // A call aborted at the deadline is not retried: there is no time left for it.
      retryWhen: error => !signal?.aborted && retryWhen(error),
    });
  } catch (error) {
    if (error instanceof DeadlineReached || (error instanceof RetriesExhausted && error.reason === 'deadline') || signal?.aborted) {
      throw new OutOfTime(what);
    }
    if (error instanceof RetriesExhausted) { throw error; }
    throw new Error(`${what} failed: ${describeError(error)}`);
  }
}

/** Entries SQS failed on its side (not the sender's fault): sent again with the next attempt. */
class EntriesFailed extends Error {
  constructor(failed: readonly BatchResultErrorEntry[]) {
    super(`${failed.length} message(s) not sent: ${failed[0].Code}: ${failed[0].Message}`);
    this.name = 'EntriesFailed';
  }
}

/**
 * Sends up to 10 entries, in one retry loop (the policy's attempts in all): an SDK error retries the pending entries,
 * entries SQS failed on its side are sent again alone; a sender fault fails at once, and so do entries still failing
 * after the last attempt. Entries sent are never sent again by this call.
 */
export async function sendBatch(options: CallOptions, sqs: SQSClient, queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
  let pending = entries;
  await withRetries(options, 'SendMessageBatch', async abortSignal => {
    const output = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }), { abortSignal });
    const failed = output.Failed ?? [];
    if (failed.length === 0) { return; }
    const senderFault = failed.find(f => f.SenderFault);
    if (senderFault) {
      throw Object.assign(new Error(`refused a message: ${senderFault.Code}: ${senderFault.Message}`), { name: 'SenderFault' });
    }
    const failedIds = new Set(failed.map(f => f.Id));
    pending = pending.filter(entry => failedIds.has(entry.Id));
    throw new EntriesFailed(failed);
  }, error => error instanceof EntriesFailed || isRetryable(error));
}

/** Sends message bodies in batches of 10, `concurrency` batches at a time. */
export async function sendAll(options: CallOptions, sqs: SQSClient, queueUrl: string, bodies: readonly string[], concurrency: number): Promise<void> {
  const batches: SendMessageBatchRequestEntry[][] = [];
  for (let i = 0; i < bodies.length; i += 10) {
    batches.push(bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })));
  }
  let next = 0;
  const runner = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      await sendBatch(options, sqs, queueUrl, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, runner));
}
