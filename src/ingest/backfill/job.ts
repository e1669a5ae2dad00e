/**
 * The backfill job: what the custom resource (index.ts) starts and the worker (worker/index.ts) continues, carried on the
 * backfill's job queue. Pure (no SDK, no aws-cdk-lib): the construct (ingest-backfill.ts) imports the names.
 *
 * A job message is `{"v":1,"run":{bucket,patterns,queueUrl,runId},"tasks":[...]}` (tasks: walk.ts). The custom resource
 * sends one with the root folder; each worker invocation runs tasks until its time is nearly up, then sends what is left
 * (a page's continuation token is a task field) as new messages, so no invocation lists for long and the listing resumes
 * wherever the last one stopped.
 */
import type { BackfillResourceProperties } from '../contract';
import type { WalkTask } from './walk';

/** Environment variables of the backfill worker (set by the construct). */
export const BackfillWorkerEnv = {
  /** The job queue's URL: what a worker does not finish is sent there. */
  JOB_QUEUE_URL: 'BACKFILL_JOB_QUEUE_URL',
  /** The job's dead-letter queue URL: a task that failed MAX_TASK_ATTEMPTS times is parked there. */
  JOB_DEAD_LETTER_QUEUE_URL: 'BACKFILL_JOB_DEAD_LETTER_QUEUE_URL',
} as const;

/** Properties of the backfill custom resource: the contract's, plus the job queue the worker reads. */
export interface BackfillJobResourceProperties extends BackfillResourceProperties {
  /** The job queue's URL (a new job queue does not start a new listing). */
  readonly JobQueueUrl: string;
}

/** What a listing run reads and where it sends the keys. */
export interface BackfillRun {
  readonly bucket: string;
  readonly patterns: string[];
  /** The ingest queue. */
  readonly queueUrl: string;
  /** Which deployment started it (for the logs). */
  readonly runId: string;
}

export interface BackfillJobMessage {
  readonly v: 1;
  readonly run: BackfillRun;
  readonly tasks: WalkTask[];
}

/** Times a task may fail (in as many invocations) before it is parked in the job's dead-letter queue. */
export const MAX_TASK_ATTEMPTS = 3;

/** Largest job message body the worker sends (SQS takes 256 KiB; room left for the run). */
export const MAX_JOB_MESSAGE_BYTES = 200_000;

/** The task of the root folder: where every run starts. */
export const ROOT_TASK: WalkTask = { t: 'dir', p: '', d: 0 };

/** Checks a job message body; returns it, or a sentence saying what is wrong. */
export function parseJobMessage(body: string): BackfillJobMessage | string {
  let message: any;
  try {
    message = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (message?.v !== 1) { return `unknown version ${JSON.stringify(message?.v)}`; }
  const run = message.run;
  if (typeof run?.bucket !== 'string' || !run.bucket || typeof run.queueUrl !== 'string' || !run.queueUrl
    || !Array.isArray(run.patterns) || run.patterns.length === 0 || !run.patterns.every((p: unknown) => typeof p === 'string')) {
    return 'run must have bucket, queueUrl and a non-empty list of patterns';
  }
  if (!Array.isArray(message.tasks) || !message.tasks.every(isTask)) { return 'tasks must be a list of walk tasks'; }
  return message as BackfillJobMessage;
}

function isTask(task: any): boolean {
  if (typeof task?.p !== 'string') { return false; }
  if (task.a !== undefined && !Number.isInteger(task.a)) { return false; }
  switch (task.t) {
    case 'dir': return Number.isInteger(task.d) && task.d >= 0;
    case 'list': return Number.isInteger(task.d) && task.d >= 0 && typeof task.s === 'string' && typeof task.flat === 'boolean'
      && (task.k === undefined || typeof task.k === 'string');
    case 'probe': return true;
    default: return false;
  }
}

/** Job messages for these tasks, each under MAX_JOB_MESSAGE_BYTES. */
export function jobMessagesOf(run: BackfillRun, tasks: readonly WalkTask[], maxBytes = MAX_JOB_MESSAGE_BYTES): string[] {
  const bodies: string[] = [];
  const head = Buffer.byteLength(JSON.stringify({ v: 1, run, tasks: [] }));
  let chunk: WalkTask[] = [];
  let size = head;
  for (const task of tasks) {
    const taskSize = Buffer.byteLength(JSON.stringify(task)) + 1;
    if (chunk.length > 0 && size + taskSize > maxBytes) {
      bodies.push(JSON.stringify({ v: 1, run, tasks: chunk }));
      chunk = [];
      size = head;
    }
    chunk.push(task);
    size += taskSize;
  }
  if (chunk.length > 0) { bodies.push(JSON.stringify({ v: 1, run, tasks: chunk })); }
  return bodies;
}
