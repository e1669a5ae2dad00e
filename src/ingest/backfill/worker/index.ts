/**
 * The backfill worker of `BucketIngest` (`ingestExisting`): consumes the backfill's job queue (batch size 1), walks the
 * bucket folder by folder (walk.ts) and sends each matching key to the ingest queue as a backfill message
 * `{"source":"cdk-mediapackage-vod.backfill","bucket","key","etag"}`, which the ingest function turns into an asset (the
 * same asset id as an S3 event of that object: asset-id.ts, from bucket and key).
 *
 * Why a queue that carries its own continuation (and not a Step Functions distributed map): the work is a tree walk
 * whose shape is only known while listing, each step is one ListObjectsV2 call, and the ingest already runs on SQS with
 * a dead-letter queue and an alarm; a job message holds the tasks left (a listing's continuation token is a task field),
 * so one pattern serves both, needs no state machine, and costs nothing between deployments.
 *
 * Per message `{"v":1,"run":{...},"tasks":[...]}` (job.ts):
 * - tasks run depth first, `concurrency` calls in flight; a folder plans its calls without one; a listing page or a
 *   probe is one ListObjectsV2 (Prefix, Delimiter, MaxKeys, ContinuationToken), whose next page is a new task;
 * - no task starts after the invocation's time minus `marginMs`; every call is aborted at that deadline (its task is
 *   handed on, not counted as failed); throttling, 5xx and network errors are retried in the invocation a bounded
 *   number of times (backoff with full jitter, never past the deadline);
 * - matched keys are sent with SendMessageBatch (10 per call) as they are found; then the tasks left, and the tasks that
 *   failed (their attempt count raised), are sent back to the job queue as new messages; a task that failed
 *   MAX_TASK_ATTEMPTS times is parked in the job's dead-letter queue with its error (the construct alarms on it), so
 *   the rest of the walk goes on. When the stack of tasks grows past `spillAt`, its oldest half is sent to the job queue
 *   at once: memory stays flat and other invocations share the walk;
 * - only when a send fails does the invocation report the message as failed: SQS delivers it again (the queue's
 *   maxReceiveCount then moves it to the dead-letter queue), and its tasks run again;
 * - a malformed message is logged as one JSON line and dropped (no retry can make it usable);
 * - one JSON line per message: `{level, outcome, runId, bucket, calls, keysRead, matched, tasksLeft, tasksFailed,
 *   tasksParked, durationMs}` (outcome `walked` when it finished its tasks, `handed-on` when it sent some back).
 * Each key is found by exactly one call of one walk (walk.ts), so a fault-free run sends every matching key once; a
 * message delivered again sends its keys again, which the ingest takes as duplicates (one asset per object).
 */
/* eslint-disable import/no-extraneous-dependencies */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { clientConfig, Deadline } from '../../../private/runtime';
import { BACKFILL_MESSAGE_SOURCE, BackfillMessage } from '../../contract';
import { backfillPolicy, CallOptions, OutOfTime, sendAll, withRetries } from '../calls';
import { BackfillJobMessage, BackfillWorkerEnv, jobMessagesOf, MAX_TASK_ATTEMPTS, parseJobMessage } from '../job';
import { CompiledPatterns, compilePatterns, ListedObject, requestOf, resultOf, tasksOfFolder, WalkTask } from '../walk';

/** Knobs; the defaults are what runs in Lambda. */
export interface WorkerOptions {
  readonly s3?: S3Client;
  readonly sqs?: SQSClient;
  /** @default process.env.BACKFILL_JOB_QUEUE_URL */
  readonly jobQueueUrl?: string;
  /** @default process.env.BACKFILL_JOB_DEAD_LETTER_QUEUE_URL */
  readonly deadLetterQueueUrl?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /** MaxKeys of a listing page. @default 1000 */
  readonly pageSize?: number;
  /** ListObjectsV2 calls in flight. @default 16 */
  readonly concurrency?: number;
  /** SendMessageBatch calls in flight. @default 4 */
  readonly sendConcurrency?: number;
  /** Calls per request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** @default 100 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** No task starts when less than this is left of the invocation; calls are aborted at half of it. @default 20000 */
  readonly marginMs?: number;
  /** Tasks kept in memory before the oldest half is sent to the job queue. @default 4000 */
  readonly spillAt?: number;
}

let defaultS3: S3Client | undefined;
let defaultSqs: SQSClient | undefined;

/** Counts of one message's work (logged, and read by the benchmark). */
export interface WalkStats {
  calls: number;
  keysRead: number;
  matched: number;
  tasksLeft: number;
  tasksFailed: number;
  tasksParked: number;
}

export function makeWorker(options: WorkerOptions = {}): (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const pageSize = options.pageSize ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const sendConcurrency = Math.max(1, options.sendConcurrency ?? 4);
  const marginMs = options.marginMs ?? 20_000;
  const spillAt = Math.max(2, options.spillAt ?? 4000);

  async function walk(message: BackfillJobMessage, remaining: () => number): Promise<WalkStats & { durationMs: number }> {
    const s3 = options.s3 ?? (defaultS3 ??= new S3Client(clientConfig()));
    const sqs = options.sqs ?? (defaultSqs ??= new SQSClient(clientConfig()));
    const jobQueueUrl = options.jobQueueUrl ?? process.env[BackfillWorkerEnv.JOB_QUEUE_URL];
    const deadLetterQueueUrl = options.deadLetterQueueUrl ?? process.env[BackfillWorkerEnv.JOB_DEAD_LETTER_QUEUE_URL];
    if (!jobQueueUrl || !deadLetterQueueUrl) {
      throw new Error(`${BackfillWorkerEnv.JOB_QUEUE_URL} and ${BackfillWorkerEnv.JOB_DEAD_LETTER_QUEUE_URL} must be set`);
    }
    const started = now();
    const budget = remaining();
    const startBy = started + budget - marginMs;
    const policy = backfillPolicy({
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 5_000,
      sleep: options.sleep,
      random: options.random,
    });
    // Listing calls stop at half the margin; sends (of keys and of the tasks left) may use the rest of it.
    const callOptions: CallOptions = { policy, deadline: Deadline.after(budget, marginMs / 2, now) };
    const sendOptions: CallOptions = { policy, deadline: Deadline.after(budget, Math.min(1_000, marginMs / 4), now) };
    const { run } = message;
    const compiled: CompiledPatterns = compilePatterns(run.patterns);
    const stats: WalkStats = { calls: 0, keysRead: 0, matched: 0, tasksLeft: 0, tasksFailed: 0, tasksParked: 0 };
    const stack: WalkTask[] = [...message.tasks].reverse();
    const retry: WalkTask[] = [];
    const parked: { task: WalkTask; error: string }[] = [];
    let outbox: string[] = [];
    const sends = new Set<Promise<void>>();
    let fatal: unknown;

    const send = (bodies: string[], queueUrl: string) => {
      const promise: Promise<void> = sendAll(sendOptions, sqs, queueUrl, bodies, sendConcurrency)
        .catch(error => { fatal ??= error; })
        .finally(() => sends.delete(promise));
      sends.add(promise);
      return promise;
    };
    // One batch of 10 per send, at most sendConcurrency in flight: the walk waits for the queue (little is left to send
    // when the time is up).
    const flushKeys = async (all: boolean) => {
      while (outbox.length >= (all ? 1 : 10)) {
        while (sends.size >= sendConcurrency) { await Promise.race(sends); }
        const bodies = outbox.slice(0, 10);
        outbox = outbox.slice(10);
        void send(bodies, run.queueUrl);
      }
    };
    const emit = (objects: readonly ListedObject[]) => {
      for (const object of objects) {
        const body: BackfillMessage = {
          source: BACKFILL_MESSAGE_SOURCE,
          bucket: run.bucket,
          key: object.key,
          ...(object.etag ? { etag: object.etag } : {}),
        };
        outbox.push(JSON.stringify(body));
        stats.matched++;
      }
    };

    const runTask = async (task: WalkTask) => {
      if (task.t === 'dir') {
        stack.push(...tasksOfFolder(compiled, task.p, task.d).reverse());
        return;
      }
      const request = requestOf(task, pageSize);
      try {
        const page = await withRetries(callOptions, `ListObjectsV2 of s3://${run.bucket}/${request.Prefix}`,
          abortSignal => s3.send(new ListObjectsV2Command({ Bucket: run.bucket, ...request }), { abortSignal }));
        stats.calls++;
        const objects = (page.Contents ?? []).filter(o => o.Key !== undefined)
          .map(o => ({ key: o.Key!, ...(o.ETag ? { etag: o.ETag.replace(/^"|"$/g, '') } : {}) }));
        const folders = (page.CommonPrefixes ?? []).map(c => c.Prefix).filter((p): p is string => p !== undefined);
        stats.keysRead += objects.length + folders.length;
        const result = resultOf(compiled, task, { objects, folders, nextToken: page.IsTruncated ? page.NextContinuationToken : undefined });
        stack.push(...[...result.tasks].reverse());
        emit(result.matched);
      } catch (error) {
        if (error instanceof OutOfTime) { stack.push(task); return; }
        const attempts = (task.a ?? 0) + 1;
        stats.tasksFailed++;
        log(JSON.stringify({ level: 'WARN', outcome: 'task-failed', runId: run.runId, bucket: run.bucket, task, attempts, error: (error as Error).message }));
        if (attempts >= MAX_TASK_ATTEMPTS) {
          parked.push({ task: { ...task, a: attempts }, error: (error as Error).message });
        } else {
          retry.push({ ...task, a: attempts });
        }
      }
    };

    // Runners take tasks from the stack; a runner with nothing to do waits for the others' tasks.
    let active = 0;
    let wake: (() => void) | undefined;
    let woken = new Promise<void>(resolve => { wake = resolve; });
    const notify = () => { wake?.(); woken = new Promise<void>(resolve => { wake = resolve; }); };
    const runner = async () => {
      while (fatal === undefined && now() < startBy) {
        const task = stack.pop();
        if (!task) {
          if (active === 0) { return; }
          await woken;
          continue;
        }
        active++;
        try {
          await runTask(task);
          await flushKeys(false);
          if (stack.length > spillAt) {
            const oldest = stack.splice(0, stack.length - Math.floor(spillAt / 2));
            await send(jobMessagesOf(run, oldest), jobQueueUrl);
          }
        } finally {
          active--;
          notify();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, runner));
    await flushKeys(true);
    await Promise.all(sends);
    if (fatal === undefined) {
      const left = [...stack.reverse(), ...retry];
      stats.tasksLeft = left.length;
      stats.tasksParked = parked.length;
      if (left.length > 0) { void send(jobMessagesOf(run, left), jobQueueUrl); }
      for (const { task, error } of parked) {
        const body = JSON.stringify({ v: 1, run, tasks: [task], error });
        const promise: Promise<void> = withRetries(sendOptions, 'SendMessage',
          abortSignal => sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: body }), { abortSignal }))
          .then(() => undefined, e => { fatal ??= e; })
          .finally(() => sends.delete(promise));
        sends.add(promise);
      }
      await Promise.all(sends);
    }
    if (fatal !== undefined) { throw fatal; }
    return { ...stats, durationMs: now() - started };
  }

  return async (event, context) => {
    const remaining = () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records ?? []) {
      const message = parseJobMessage(record.body);
      if (typeof message === 'string') {
        log(JSON.stringify({ level: 'ERROR', outcome: 'malformed-job', messageId: record.messageId, error: message, body: record.body.slice(0, 500) }));
        continue;
      }
      try {
        const result = await walk(message, remaining);
        log(JSON.stringify({
          level: 'INFO',
          outcome: result.tasksLeft > 0 ? 'handed-on' : 'walked',
          runId: message.run.runId,
          bucket: message.run.bucket,
          ...result,
        }));
      } catch (error) {
        log(JSON.stringify({ level: 'ERROR', outcome: 'returned', runId: message.run.runId, messageId: record.messageId, error: (error as Error).message }));
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

/** The Lambda entry point (SQS event source on the job queue, batch size 1, ReportBatchItemFailures). */
export const handler = makeWorker();
