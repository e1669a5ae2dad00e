/**
 * The backfill custom resource of `BucketIngest` (opt-in): at deploy, objects already in the bucket that match the key
 * patterns are sent to the ingest queue as backfill messages, so they become assets like new uploads do. Idempotent with
 * the event path: the ingest function treats a backfill message of an object that already has its asset as a duplicate.
 *
 * Runs behind aws-cdk-lib's `CustomResourceProvider` (like the access-logs handler): its framework calls
 * `handler(event)`, sends SUCCESS with the returned `{ PhysicalResourceId, Data }`, FAILED with a thrown error's message.
 *
 * - Create, and Update when the bucket, patterns, prefixes, queue or catalog table changed: ListObjectsV2 (paginated) under each
 *   listing prefix (prefixes that lie under another listed prefix are skipped, so no key is listed twice), keeps the keys
 *   that match a pattern (key-pattern.ts, the same matching as the event rule), and sends
 *   `{"source":"cdk-mediapackage-vod.backfill","bucket","key","etag"}` messages with SendMessageBatch (10 per call,
 *   several calls in flight). Entries that fail for a reason on SQS's side, and calls that fail with 429/5xx/network
 *   errors, are retried with exponential backoff and full jitter, a bounded number of times; entries refused as the
 *   sender's fault fail the deployment with SQS's message.
 * - Update with nothing relevant changed: nothing is sent again.
 * - Delete: does nothing. It never deletes objects, messages or assets.
 * Data: ObjectsListed, ObjectsMatched, MessagesSent. Measured against moto: see bench/ingest.ts (10,000 objects).
 */
/* eslint-disable import/no-extraneous-dependencies */
// The SDK clients are bundled into the function's asset at build time: not runtime dependencies of the library.
import { ListObjectsV2Command, ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { isRetryable } from '../../private/sdk-errors';
import { BACKFILL_MESSAGE_SOURCE, BackfillMessage, BackfillResourceProperties } from '../contract';
import { matchesAnyKeyPattern } from '../key-pattern';

/** What the handler returns to the CustomResourceProvider framework. */
export interface BackfillResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly ObjectsListed: number; readonly ObjectsMatched: number; readonly MessagesSent: number };
}

export type BackfillEvent = CloudFormationCustomResourceEvent<BackfillResourceProperties>;

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
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** MaxKeys of each ListObjectsV2 call. @default 1000 */
  readonly pageSize?: number;
  /** SendMessageBatch calls in flight. @default 8 */
  readonly sendConcurrency?: number;
  /** Calls per batch, the first included. @default 8 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default 10000 */
  readonly maxDelayMs?: number;
}

/** The listing prefixes without those under another one ('' covers all): no key is listed twice. */
export function coveringPrefixes(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  const result: string[] = [];
  for (const prefix of unique) {
    if (!result.some(kept => prefix.startsWith(kept))) { result.push(prefix); }
  }
  return result;
}

function checkProperties(props: BackfillResourceProperties): void {
  const stringList = (value: unknown) => Array.isArray(value) && value.every(v => typeof v === 'string');
  if (typeof props.BucketName !== 'string' || props.BucketName === '') { throw new Error(`BucketName must be a bucket name (got ${JSON.stringify(props.BucketName)})`); }
  if (!stringList(props.KeyPatterns) || props.KeyPatterns.length === 0) { throw new Error(`KeyPatterns must be a non-empty list of strings (got ${JSON.stringify(props.KeyPatterns)})`); }
  if (!stringList(props.Prefixes) || props.Prefixes.length === 0) { throw new Error(`Prefixes must be a non-empty list of strings (got ${JSON.stringify(props.Prefixes)})`); }
  if (typeof props.QueueUrl !== 'string' || props.QueueUrl === '') { throw new Error(`QueueUrl must be a queue URL (got ${JSON.stringify(props.QueueUrl)})`); }
}

/**
 * Whether an Update must list again: the bucket, patterns, prefixes or queue changed, or a catalog table was added or
 * changed (its items for the objects already ingested are filled from DescribeAsset when they pass again).
 */
function relevantChange(props: BackfillResourceProperties, old: BackfillResourceProperties): boolean {
  const view = (p: BackfillResourceProperties) => JSON.stringify([p.BucketName, p.KeyPatterns, p.Prefixes, p.QueueUrl, p.CatalogTable ?? null]);
  return view(props) !== view(old);
}

let defaultS3: S3Client | undefined;
let defaultSqs: SQSClient | undefined;
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 30_000 };

/** Creates a handler (tests inject clients, timing and a small page size). */
export function makeBackfill(options: BackfillOptions = {}): (event: BackfillEvent) => Promise<BackfillResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => console.log(line));
  const pageSize = options.pageSize ?? 1000;
  const sendConcurrency = Math.max(1, options.sendConcurrency ?? 8);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;

  const backoff = (attempt: number) => Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));

  async function withRetries<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) {
          throw new Error(`${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${(error as Error).name}: ${(error as Error).message}`);
        }
        await sleep(backoff(attempt));
      }
    }
  }

  /** Sends up to 10 entries; retries the entries SQS failed on its side; throws on sender faults or when attempts run out. */
  async function sendBatch(sqs: SQSClient, queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const output = await withRetries('SendMessageBatch', () => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending })));
      const failed = output.Failed ?? [];
      if (failed.length === 0) { return; }
      const senderFault = failed.find(f => f.SenderFault);
      if (senderFault) {
        throw new Error(`SendMessageBatch refused a message: ${senderFault.Code}: ${senderFault.Message}`);
      }
      if (attempt >= maxAttempts) {
        throw new Error(`SendMessageBatch: ${failed.length} message(s) still failing after ${attempt} attempts: ${failed[0].Code}: ${failed[0].Message}`);
      }
      const failedIds = new Set(failed.map(f => f.Id));
      pending = pending.filter(entry => failedIds.has(entry.Id));
      await sleep(backoff(attempt));
    }
  }

  async function backfill(props: BackfillResourceProperties): Promise<NonNullable<BackfillResponse['Data']>> {
    const s3 = options.s3 ?? (defaultS3 ??= new S3Client({ requestHandler: REQUEST_HANDLER }));
    const sqs = options.sqs ?? (defaultSqs ??= new SQSClient({ requestHandler: REQUEST_HANDLER }));
    let listed = 0;
    let matched = 0;
    let sent = 0;
    let batch: SendMessageBatchRequestEntry[] = [];
    const inFlight = new Set<Promise<void>>();
    let sendError: unknown;

    const flush = async () => {
      if (batch.length === 0) { return; }
      const entries = batch;
      batch = [];
      while (inFlight.size >= sendConcurrency) { await Promise.race(inFlight); }
      if (sendError) { throw sendError; }
      const promise: Promise<void> = sendBatch(sqs, props.QueueUrl, entries)
        .then(() => { sent += entries.length; }, error => { sendError ??= error; })
        .finally(() => inFlight.delete(promise));
      inFlight.add(promise);
    };

    for (const prefix of coveringPrefixes(props.Prefixes)) {
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await withRetries(`ListObjectsV2 of s3://${props.BucketName}/${prefix}`, () => s3.send(new ListObjectsV2Command({
          Bucket: props.BucketName,
          Prefix: prefix || undefined,
          ContinuationToken: token,
          MaxKeys: pageSize,
        })));
        for (const object of page.Contents ?? []) {
          listed++;
          if (!object.Key || !matchesAnyKeyPattern(props.KeyPatterns, object.Key)) { continue; }
          matched++;
          const message: BackfillMessage = {
            source: BACKFILL_MESSAGE_SOURCE,
            bucket: props.BucketName,
            key: object.Key,
            ...(object.ETag ? { etag: object.ETag.replace(/^"|"$/g, '') } : {}),
          };
          batch.push({ Id: String(batch.length), MessageBody: JSON.stringify(message) });
          if (batch.length === 10) { await flush(); }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
    await flush();
    await Promise.all(inFlight);
    if (sendError) { throw sendError; }
    return { ObjectsListed: listed, ObjectsMatched: matched, MessagesSent: sent };
  }

  return async (event: BackfillEvent): Promise<BackfillResponse> => {
    const props = event.ResourceProperties;
    if (event.RequestType === 'Delete') {
      // Never deletes objects, messages or assets.
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    checkProperties(props);
    const physicalId = `backfill:${props.BucketName}`;
    if (event.RequestType === 'Update' && !relevantChange(props, event.OldResourceProperties as BackfillResourceProperties)) {
      log(JSON.stringify({ level: 'INFO', outcome: 'unchanged', bucket: props.BucketName }));
      return { PhysicalResourceId: physicalId, Data: { ObjectsListed: 0, ObjectsMatched: 0, MessagesSent: 0 } };
    }
    const started = Date.now();
    const data = await backfill(props);
    log(JSON.stringify({ level: 'INFO', outcome: 'backfilled', bucket: props.BucketName, ...data, durationMs: Date.now() - started }));
    return { PhysicalResourceId: physicalId, Data: data };
  };
}

/** The Lambda entry point (called by aws-cdk-lib's CustomResourceProvider framework). */
export const handler = makeBackfill();
