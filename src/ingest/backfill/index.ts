/**
 * The backfill custom resource of `BucketIngest` (opt-in): at deploy, starts the listing of the objects already in the
 * bucket that match the key patterns, and answers at once; the backfill worker (worker/index.ts) does the listing from the
 * job queue, in as many short invocations as the bucket needs, and sends each matching key to the ingest queue, so the
 * objects become assets like new uploads do. Idempotent with the event path: the ingest function treats a backfill
 * message of an object that already has its asset as a duplicate.
 *
 * Runs behind aws-cdk-lib's `CustomResourceProvider` (like the access-logs handler): its framework calls
 * `handler(event)`, sends SUCCESS with the returned `{ PhysicalResourceId, Data }`, FAILED with a thrown error's message.
 *
 * - Create, and Update when the bucket, patterns, prefixes, queue or catalog table changed: one ListObjectsV2 (MaxKeys 1)
 *   under each listing prefix, so a missing bucket or a denied listing fails the deployment with S3's message instead
 *   of failing later in the worker; then one SendMessage of the job `{"v":1,"run":{...},"tasks":[root]}` (job.ts) to
 *   the job queue. A few calls, each bounded by the client's timeouts and an abort at `deadlineMs`: it answers in
 *   seconds however large the bucket is (the custom resource's serviceTimeout bounds CloudFormation's wait).
 * - Update with nothing relevant changed: nothing is started.
 * - Delete: does nothing. It never deletes objects, messages or assets (a walk under way finishes on its own).
 * Data: `RunId` (the request that started the walk; the worker's log lines carry it), `Started` (`true`/`false`).
 */
/* eslint-disable import/no-extraneous-dependencies */
// The SDK clients are bundled into the function's asset at build time: not runtime dependencies of the library.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { backfillPolicy, CallOptions, withRetries } from './calls';
import { BackfillJobMessage, BackfillJobResourceProperties, ROOT_TASK } from './job';
import { clientConfig, Deadline } from '../../private/runtime';
import { coveringPrefixes } from '../key-pattern';

/** What the handler returns to the CustomResourceProvider framework. */
export interface BackfillResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly RunId: string; readonly Started: string };
}

export type BackfillEvent = CloudFormationCustomResourceEvent<BackfillJobResourceProperties>;

/** Knobs; the defaults are what runs in Lambda. */
export interface BackfillOptions {
  /** @default - one client per container (Region from AWS_REGION) */
  readonly s3?: S3Client;
  /** @default - one client per container */
  readonly sqs?: SQSClient;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Calls per request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** The handler's own time limit: no call starts after it, each is aborted at it. @default 60000 (the function's timeout is 2 minutes) */
  readonly deadlineMs?: number;
}

/** The listing prefixes without those under another one ('' covers all): no key is listed twice. */
export { coveringPrefixes };

function checkProperties(props: BackfillJobResourceProperties): void {
  const stringList = (value: unknown) => Array.isArray(value) && value.every(v => typeof v === 'string');
  if (typeof props.BucketName !== 'string' || props.BucketName === '') { throw new Error(`BucketName must be a bucket name (got ${JSON.stringify(props.BucketName)})`); }
  if (!stringList(props.KeyPatterns) || props.KeyPatterns.length === 0) { throw new Error(`KeyPatterns must be a non-empty list of strings (got ${JSON.stringify(props.KeyPatterns)})`); }
  if (!stringList(props.Prefixes) || props.Prefixes.length === 0) { throw new Error(`Prefixes must be a non-empty list of strings (got ${JSON.stringify(props.Prefixes)})`); }
  if (typeof props.QueueUrl !== 'string' || props.QueueUrl === '') { throw new Error(`QueueUrl must be a queue URL (got ${JSON.stringify(props.QueueUrl)})`); }
  if (typeof props.JobQueueUrl !== 'string' || props.JobQueueUrl === '') { throw new Error(`JobQueueUrl must be a queue URL (got ${JSON.stringify(props.JobQueueUrl)})`); }
}

/**
 * Whether an Update must list again: the bucket, patterns, prefixes or queue changed, or a catalog table was added or
 * changed (its items for the objects already ingested are filled from DescribeAsset when they pass again). A new job
 * queue alone does not.
 */
function relevantChange(props: BackfillJobResourceProperties, old: BackfillJobResourceProperties): boolean {
  const view = (p: BackfillJobResourceProperties) => JSON.stringify([p.BucketName, p.KeyPatterns, p.Prefixes, p.QueueUrl, p.CatalogTable ?? null]);
  return view(props) !== view(old);
}

let defaultS3: S3Client | undefined;
let defaultSqs: SQSClient | undefined;

/** Creates a handler (tests inject clients and timing). */
export function makeBackfill(options: BackfillOptions = {}): (event: BackfillEvent) => Promise<BackfillResponse> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));

  async function start(props: BackfillJobResourceProperties, runId: string): Promise<void> {
    const s3 = options.s3 ?? (defaultS3 ??= new S3Client(clientConfig()));
    const sqs = options.sqs ?? (defaultSqs ??= new SQSClient(clientConfig()));
    const calls: CallOptions = {
      policy: backfillPolicy({
        maxAttempts: options.maxAttempts ?? 4,
        baseDelayMs: options.baseDelayMs ?? 200,
        maxDelayMs: options.maxDelayMs ?? 5_000,
        sleep: options.sleep,
        random: options.random,
      }),
      deadline: Deadline.after(options.deadlineMs ?? 60_000, 0, now),
    };
    // The walk runs later, in the worker: what would fail it for good (no bucket, no permission) fails the deployment now.
    for (const prefix of coveringPrefixes(props.Prefixes)) {
      await withRetries(calls, `ListObjectsV2 of s3://${props.BucketName}/${prefix}`, abortSignal => s3.send(new ListObjectsV2Command({
        Bucket: props.BucketName,
        Prefix: prefix || undefined,
        MaxKeys: 1,
      }), { abortSignal }));
    }
    const job: BackfillJobMessage = {
      v: 1,
      run: { bucket: props.BucketName, patterns: props.KeyPatterns, queueUrl: props.QueueUrl, runId },
      tasks: [ROOT_TASK],
    };
    await withRetries(calls, 'SendMessage of the backfill job', abortSignal => sqs.send(new SendMessageCommand({
      QueueUrl: props.JobQueueUrl,
      MessageBody: JSON.stringify(job),
    }), { abortSignal }));
  }

  return async (event: BackfillEvent): Promise<BackfillResponse> => {
    const props = event.ResourceProperties;
    if (event.RequestType === 'Delete') {
      // Never deletes objects, messages or assets.
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    checkProperties(props);
    const physicalId = `backfill:${props.BucketName}`;
    if (event.RequestType === 'Update' && !relevantChange(props, event.OldResourceProperties as BackfillJobResourceProperties)) {
      log(JSON.stringify({ level: 'INFO', outcome: 'unchanged', bucket: props.BucketName }));
      return { PhysicalResourceId: physicalId, Data: { RunId: '', Started: 'false' } };
    }
    const started = now();
    await start(props, event.RequestId);
    log(JSON.stringify({ level: 'INFO', outcome: 'started', bucket: props.BucketName, runId: event.RequestId, durationMs: now() - started }));
    return { PhysicalResourceId: physicalId, Data: { RunId: event.RequestId, Started: 'true' } };
  };
}

/** The Lambda entry point (called by aws-cdk-lib's CustomResourceProvider framework). */
export const handler = makeBackfill();
