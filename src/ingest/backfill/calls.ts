/**
 * The backfill functions' SDK calls: bounded retries (exponential backoff, full jitter) that never start past a
 * deadline, each call aborted at it, and SendMessageBatch with its partial failures.
 */
/* eslint-disable import/no-extraneous-dependencies */
import { SendMessageBatchCommand, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import { isRetryable } from '../../private/runtime';


export interface CallOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  /** Calls per request, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No call starts after this time (ms since the epoch), and each is aborted at it. */
  readonly deadline: number;
}

/** Thrown when the deadline stops a call (not the service's fault: the work is handed on). */
export class OutOfTime extends Error {
  constructor(what: string) {
    super(`${what}: no time left in this invocation`);
    this.name = 'OutOfTime';
  }
}

/** Sleeps before retry `attempt + 1` (exponential backoff, full jitter); throws OutOfTime if it would end past the deadline. */
async function backoff(options: CallOptions, attempt: number, what: string): Promise<void> {
  const delay = Math.floor(options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1)));
  if (options.now() + delay >= options.deadline) { throw new OutOfTime(what); }
  await options.sleep(delay);
}

/** Runs `call` (given an abort signal that fires at the deadline) with bounded retries on retryable errors. */
export async function withRetries<T>(options: CallOptions, what: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const left = options.deadline - options.now();
    if (left <= 0) { throw new OutOfTime(what); }
    const controller = new AbortController();
    // setTimeout takes at most 2^31-1 ms (a longer delay fires at once): no timer for an unbounded deadline.
    const timer = left < 2 ** 31 - 1 ? setTimeout(() => controller.abort(), left) : undefined;
    try {
      return await call(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) { throw new OutOfTime(what); }
      if (!isRetryable(error) || attempt >= options.maxAttempts) {
        throw new Error(`${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${(error as Error).name}: ${(error as Error).message}`);
      }
      await backoff(options, attempt, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sends up to 10 entries; retries the entries SQS failed on its side; throws on sender faults or when attempts run out. */
export async function sendBatch(options: CallOptions, sqs: SQSClient, queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
  let pending = entries;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const output = await withRetries(options, 'SendMessageBatch',
      abortSignal => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }), { abortSignal }));
    const failed = output.Failed ?? [];
    if (failed.length === 0) { return; }
    const senderFault = failed.find(f => f.SenderFault);
    if (senderFault) {
      throw new Error(`SendMessageBatch refused a message: ${senderFault.Code}: ${senderFault.Message}`);
    }
    if (attempt >= options.maxAttempts) {
      throw new Error(`SendMessageBatch: ${failed.length} message(s) still failing after ${attempt} attempts: ${failed[0].Code}: ${failed[0].Message}`);
    }
    const failedIds = new Set(failed.map(f => f.Id));
    pending = pending.filter(entry => failedIds.has(entry.Id));
    await backoff(options, attempt, 'SendMessageBatch');
  }
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
