/**
 * The ingest function of `BucketIngest`: turns S3 objects into MediaPackage VOD assets, exactly one asset per existing
 * object. This file is the batch loop only (the shape of Powertools' processPartialResponse); classify.ts reads a
 * message body once, ingest.ts does one message (objects.ts asks S3, asset-client.ts asks MediaPackage, catalog.ts
 * writes the catalog), the retry policy and the deadline come from the handler kit (src/private/runtime).
 *
 * Input: an SQS event (event source mapping with ReportBatchItemFailures). Each message body is either
 * - the EventBridge event the rule delivered: `source` `aws.s3`, `detail-type` `Object Created` or `Object Deleted`,
 *   `detail.bucket.name`, `detail.object.key`, `detail.object.etag`; or
 * - a backfill message `{"source":"cdk-mediapackage-vod.backfill","bucket":"...","key":"...","etag":"..."}`; or
 * - a MediaPackage status event (`source` `aws.mediapackage`, the catalog rule's queue): written to the catalog.
 *
 * Per object message (records of a batch one after the other, so the function's maximum concurrency bounds the rate):
 * - The key: tried as sent, then (when no such object exists) decoded (`+` as space, `%XX`): whether S3's EventBridge
 *   events encode keys is not settled by any primary source (objects.ts).
 * - Created: HeadObject first; no object now (a Created processed after its Deleted): nothing is created, the message
 *   is acknowledged and logged (`object-missing`). Otherwise CreateAsset with the deterministic id of the resolved key,
 *   tagged with the ETag S3 has now; the 422 / DescribeAsset / KEEP / REPLACE state machine is in asset-client.ts. A 422
 *   for an id that does not exist goes back to the queue until the message's last receive (MAX_RECEIVE_COUNT; a copy's
 *   carried receives count), then it is final.
 * - Deleted (only with DELETE_ASSETS_WITH_OBJECTS, else ignored): HeadObject first; an object there now (a noncurrent
 *   version's delete, a lifecycle expiry of an old version, an older Deleted after a newer Created) keeps the asset
 *   (`object-exists`); else DeleteAsset (404 counts as done). A 403 from S3 is never taken for "gone".
 * - 429, 5xx and network errors: bounded retries (exponential backoff, full jitter, MAX_ATTEMPTS calls), then the message
 *   is reported as a batch item failure (SQS delivers it again; the queue's maxReceiveCount bounds that).
 * - Permanent refusals (422 as above, 403, a key that matches no pattern, a malformed message) are logged as one JSON
 *   line `{level, outcome, bucket, key, assetId, error, message}`, sent at once to the dead-letter queue
 *   (DEAD_LETTER_QUEUE_URL: the original body, the reason in message attributes) and acknowledged. If that send fails,
 *   the message is reported as a batch item failure instead (the redrive policy still brings it to the DLQ).
 *
 * Time: every client has connection and request timeouts (clientConfig). No record, call or retry starts when less than
 * `safetyMarginMs` (15 s) of the invocation is left, and every call is aborted `abortMarginMs` (3 s) before its end, so
 * the function always answers before Lambda's timeout. Records not started for lack of time (and records whose next call
 * could not start) are sent back to INGEST_QUEUE_URL as fresh copies (SendMessageBatch, with attributes carrying their
 * deferrals and their receives so far) and acknowledged: each receive of the queue counts toward maxReceiveCount, and a
 * record that only waited for time must not reach the dead-letter queue for it. A re-enqueue was chosen over a bound on
 * batch size x call time because no bound holds against a slow service; a message is deferred at most `maxDeferrals`
 * (20) times, then returned normally. Without INGEST_QUEUE_URL, or if the send fails, they are batch item failures. A
 * record whose call was aborted is returned as a failure (its receive counts: the service is stalled), and so is a record
 * whose CreateAsset or DeleteAsset was done before its next call found no time (a copy would find the work half done;
 * such a record's further calls, its catalog writes among them, may start until `abortMarginMs`, not `safetyMarginMs`).
 * The deferral's SendMessageBatch has its own deadline (the invocation's end less a third of `abortMarginMs`, at most
 * 1 s), so a call aborted at `abortMarginMs` leaves it time.
 *
 * One embedded-metric-format line per batch: namespace `MediaPackageVod/Ingest`, dimension `IngestId` = the prefix,
 * metrics in contract.ts. Catalog (CATALOG_TABLE_NAME set): after each outcome the object's item is written (catalog.ts;
 * INGESTING carries the time taken before CreateAsset, so it never hides an event of the new asset); status events that
 * are malformed or not this ingest's are logged and dropped.
 * Known limit: an object deleted between HeadObject and CreateAsset gets an asset until its Deleted is processed.
 */
/* eslint-disable import/no-extraneous-dependencies */
// The SDK clients are bundled into the function's asset at build time: not runtime dependencies of the library.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AssetClient } from './asset-client';
import { Catalog } from './catalog';
import { classify } from './classify';
import { configFromEnv, IngestConfig } from './config';
import { Ingest, isPermanent, Outcome, reasonOf } from './ingest';
import { ObjectStore, S3ObjectStore } from './objects';
import {
  clientConfig, Deadline, DeadlineReached, isRetryable, lazy, RetryPolicy, Send, sender, serviceMessage,
} from '../../private/runtime';
import { assetIdFor } from '../asset-id';
import { DEFERRALS_ATTRIBUTE, INGEST_METRIC_DIMENSION, INGEST_METRIC_NAMESPACE, IngestMetric, RECEIVES_ATTRIBUTE } from '../contract';

export { classify, parseMessage } from './classify';
export { configFromEnv } from './config';
export type { IngestConfig } from './config';
export type { Outcome } from './ingest';
/** 429, 5xx and transient network errors (the one classification of the library's handlers). */
export { isRetryable };

/** Knobs; the defaults are what runs in Lambda. Tests and the benchmark inject clients, sleep and random. */
export interface IngestHandlerOptions {
  /** @default - from the environment (configFromEnv) at the first invocation */
  readonly config?: IngestConfig;
  /** @default - one client per container (Region from AWS_REGION, endpoint MEDIAPACKAGE_VOD_ENDPOINT if set) */
  readonly vod?: MediaPackageVodClient;
  /** @default - one client per container */
  readonly sqs?: SQSClient;
  /** @default - one client per container (endpoint DYNAMODB_ENDPOINT if set) */
  readonly dynamodb?: DynamoDBClient;
  /** @default - one client per container */
  readonly s3?: S3Client;
  /** Where HeadObject is asked. @default - S3 through `s3` */
  readonly objects?: ObjectStore;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** First backoff cap, doubled per retry. @default 100 */
  readonly baseDelayMs?: number;
  /** Largest backoff cap. @default 5000 */
  readonly maxDelayMs?: number;
  /** No record, call or retry starts when less than this is left of the invocation. @default 15000 */
  readonly safetyMarginMs?: number;
  /** Calls in flight are aborted when less than this is left (time to answer the batch). @default 3000 */
  readonly abortMarginMs?: number;
  /** Deferrals of one message past which it is returned as a failure instead (its receives then count). @default 20 */
  readonly maxDeferrals?: number;
}

// One of each per container, made at first use (tests inject their own).
let defaultConfig: IngestConfig | undefined;
let defaultVod: MediaPackageVodClient | undefined;
let defaultDynamodb: DynamoDBClient | undefined;
let defaultS3: S3Client | undefined;
const defaultSqs = lazy(() => new SQSClient(clientConfig()));

/** The calls that change an asset (a record past one of them is not deferred). */
const ASSET_CHANGES = new Set(['CreateAsset', 'DeleteAsset']);

/** The metric each outcome counts toward. */
const METRIC_OF: Record<Outcome, string> = {
  'created': IngestMetric.ASSETS_CREATED,
  'existing': IngestMetric.ASSETS_EXISTING,
  'kept': IngestMetric.ASSETS_EXISTING,
  'replaced': IngestMetric.ASSETS_REPLACED,
  'deleted': IngestMetric.ASSETS_DELETED,
  'ignored': IngestMetric.MESSAGES_IGNORED,
  'returned': IngestMetric.MESSAGES_RETURNED,
  'dead-lettered': IngestMetric.MESSAGES_DEAD_LETTERED,
  'object-missing': IngestMetric.MESSAGES_IGNORED,
  'object-exists': IngestMetric.MESSAGES_IGNORED,
  'deferred': IngestMetric.MESSAGES_DEFERRED,
  'status-applied': IngestMetric.STATUS_EVENTS_APPLIED,
  'status-stale': IngestMetric.STATUS_EVENTS_STALE,
  'status-ignored': IngestMetric.MESSAGES_IGNORED,
  'status-dropped': IngestMetric.STATUS_EVENTS_DROPPED,
};

/** Creates a handler (tests and the benchmark inject clients and timing). */
export function makeHandler(options: IngestHandlerOptions = {}): (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  const log = options.log ?? ((line: string) => console.log(line));

  return async (event, context) => {
    let config: IngestConfig;
    try {
      config = options.config ?? (defaultConfig ??= configFromEnv());
    } catch (error) {
      log(JSON.stringify({ level: 'ERROR', outcome: 'misconfigured', message: serviceMessage(error) }));
      throw error;
    }
    const now = options.now ?? (() => new Date());
    const counts: Record<string, number> = {};
    const count = (metric: string, n = 1) => { counts[metric] = (counts[metric] ?? 0) + n; };
    const getRemaining = context?.getRemainingTimeInMillis?.bind(context);
    const deadline = Deadline.of(getRemaining, options.safetyMarginMs ?? 15_000);
    const abortAt = Deadline.of(getRemaining, options.abortMarginMs ?? 3_000);
    const policy: RetryPolicy = {
      maxAttempts: config.maxAttempts,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 5_000,
      jitter: 'full',
      sleep: options.sleep,
      random: options.random,
    };
    // The deferral's send has its own deadline, past the abort: a call aborted there must not take the send with it.
    const deferAt = Deadline.of(getRemaining, Math.min(1_000, (options.abortMarginMs ?? 3_000) / 3));
    const onRetry = () => count(IngestMetric.RETRIES);
    const starting = sender(policy, { deadline, abortAt, onRetry });
    const finishing = sender(policy, { deadline: abortAt, abortAt, onRetry });
    // Whether a call that changes an asset finished for the record in hand. Past that, the record's further calls (the
    // catalog's writes, a second DeleteAsset, the CreateAsset of a REPLACE) may start until the abort margin, and a
    // record is not deferred (its copy would find the work half done): if even that time runs out, it is returned.
    let changedAsset = false;
    const send: Send = (operation, call) => (changedAsset ? finishing : starting)(operation, async abortSignal => {
      const result = await call(abortSignal);
      if (ASSET_CHANGES.has(operation)) { changedAsset = true; }
      return result;
    });
    const sqs = () => options.sqs ?? defaultSqs();
    const vod = options.vod ?? (defaultVod ??= new MediaPackageVodClient(clientConfig(config.endpoint)));
    const dynamodb = () => options.dynamodb ?? (defaultDynamodb ??= new DynamoDBClient(clientConfig(config.dynamodbEndpoint)));
    const catalog = config.catalogTableName
      ? new Catalog(dynamodb(), config.catalogTableName, config.catalogPlaybackDomain, send, now)
      : undefined;
    const assets = new AssetClient(vod, config, send, policy, deadline, () => count(IngestMetric.RETRIES));
    const s3 = () => options.s3 ?? (defaultS3 ??= new S3Client({ ...clientConfig(config.s3Endpoint), forcePathStyle: !!config.s3Endpoint }));
    const objects = options.objects ?? new S3ObjectStore(s3(), send);
    const ingest = new Ingest(config, assets, objects, catalog, now, log);

    async function deadLetter(record: SQSRecord, error: string, message: string): Promise<boolean> {
      if (!config.deadLetterQueueUrl) { return false; }
      try {
        await send('SendMessage', abortSignal => sqs().send(new SendMessageCommand({
          QueueUrl: config.deadLetterQueueUrl,
          MessageBody: record.body,
          MessageAttributes: {
            error: { DataType: 'String', StringValue: error.slice(0, 256) },
            message: { DataType: 'String', StringValue: (message || '-').slice(0, 1024) },
            sourceMessageId: { DataType: 'String', StringValue: record.messageId },
          },
        }), { abortSignal }));
        return true;
      } catch (sendError) {
        log(JSON.stringify({
          level: 'ERROR', outcome: 'dead-letter-send-failed', messageId: record.messageId, error: reasonOf(sendError), message: serviceMessage(sendError),
        }));
        return false;
      }
    }

    /**
     * Records not started for lack of time go back to the ingest queue as fresh copies carrying their history (the
     * original is acknowledged), so waiting for time never costs a receive; without the queue URL, or past
     * maxDeferrals, or when the send fails, they are reported as failures (their receive counts).
     */
    async function defer(records: SQSRecord[]): Promise<SQSRecord[]> {
      const maxDeferrals = options.maxDeferrals ?? 20;
      const copies = records.filter(r => deferralsOf(r) < maxDeferrals);
      if (!config.ingestQueueUrl || copies.length === 0) { return records; }
      try {
        // No deadline for this last call but its own, after the abort of calls in flight: it is what the margin is kept for.
        const output = await sqs().send(new SendMessageBatchCommand({
          QueueUrl: config.ingestQueueUrl,
          Entries: copies.map((r, i) => ({
            Id: String(i),
            MessageBody: r.body,
            MessageAttributes: {
              [DEFERRALS_ATTRIBUTE]: { DataType: 'Number', StringValue: String(deferralsOf(r) + 1) },
              [RECEIVES_ATTRIBUTE]: { DataType: 'Number', StringValue: String(receivesOf(r) - 1) },
            },
          })),
        }), { abortSignal: deferAt.signal() });
        const failed = new Set((output.Failed ?? []).map(f => Number(f.Id)));
        return records.filter(r => !copies.includes(r) || failed.has(copies.indexOf(r)));
      } catch (error) {
        log(JSON.stringify({ level: 'WARN', outcome: 'defer-failed', error: reasonOf(error), message: serviceMessage(error) }));
        return records;
      }
    }

    const failures: { itemIdentifier: string }[] = [];
    const deferred: SQSRecord[] = [];
    const done = new Map<string, Outcome>(); // duplicates within one batch are handled once
    for (const record of event.Records) {
      if (deadline.isShort()) { deferred.push(record); continue; } // no record starts past the deadline
      changedAsset = false;
      const classified = classify(record.body);
      const message = classified.type === 'object' ? classified.message : undefined;
      let assetId: string | undefined;
      let key = message?.key;
      let outcome: Outcome;
      try {
        if (classified.type === 'malformed') { throw classified.refusal; }
        if (classified.type === 'status') {
          const result = await ingest.status(classified.event);
          outcome = result.outcome;
          assetId = result.assetId;
          log(JSON.stringify({ level: outcome === 'status-dropped' ? 'ERROR' : 'INFO', outcome, assetId, detail: result.detail }));
        } else {
          const m = classified.message;
          const dedupeKey = JSON.stringify([m.kind, m.bucket, m.key, m.etag]);
          const earlier = done.get(dedupeKey);
          assetId = assetIdFor(config.assetIdPrefix, m.bucket, m.key); // the key as sent, until the object is resolved
          if (earlier === undefined) {
            const result = await ingest.object(m, receivesOf(record) >= (config.maxReceiveCount ?? 1));
            ({ outcome, assetId, key } = result);
          } else {
            outcome = earlier === 'created' || earlier === 'replaced' ? 'existing' : earlier;
          }
          done.set(dedupeKey, outcome);
          log(JSON.stringify({ level: 'INFO', outcome, bucket: m.bucket, key, assetId }));
        }
      } catch (error) {
        // A call not started, and none of the record's calls changed an asset: nothing is half done, the record waits.
        if (error instanceof DeadlineReached && !changedAsset) { deferred.push(record); continue; }
        const line = { bucket: message?.bucket, key, assetId, error: reasonOf(error), message: serviceMessage(error) };
        if (isPermanent(error)) {
          if (await deadLetter(record, line.error, line.message)) {
            outcome = 'dead-lettered';
            log(JSON.stringify({ level: 'ERROR', outcome, ...line }));
          } else {
            outcome = 'returned';
            log(JSON.stringify({ level: 'ERROR', outcome, ...line, note: 'permanent refusal; returned to the queue, whose redrive policy moves it to the dead-letter queue' }));
          }
        } else {
          outcome = 'returned';
          log(JSON.stringify({ level: 'WARN', outcome, ...line }));
        }
        if (outcome === 'returned') { failures.push({ itemIdentifier: record.messageId }); }
      }
      count(METRIC_OF[outcome]);
      if (outcome === 'replaced') { count(IngestMetric.ASSETS_CREATED); }
    }
    if (deferred.length > 0) {
      const notDeferred = await defer(deferred);
      for (const record of deferred) {
        const returned = notDeferred.includes(record);
        if (returned) { failures.push({ itemIdentifier: record.messageId }); }
        count(METRIC_OF[returned ? 'returned' : 'deferred']);
        log(JSON.stringify({ level: 'WARN', outcome: returned ? 'returned' : 'deferred', messageId: record.messageId, note: 'not started: too little time left' }));
      }
    }
    log(metricsLine(config.assetIdPrefix, counts));
    return { batchItemFailures: failures };
  };
}

function numberAttribute(record: SQSRecord, name: string): number {
  const value = Number(record.messageAttributes?.[name]?.stringValue ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

/** How many times the message was deferred (its copies carry it). */
function deferralsOf(record: SQSRecord): number {
  return numberAttribute(record, DEFERRALS_ATTRIBUTE);
}

/** Receives of the message that were not deferrals: this one's plus those its copy carries. */
function receivesOf(record: SQSRecord): number {
  const here = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  return (Number.isInteger(here) && here > 0 ? here : 1) + numberAttribute(record, RECEIVES_ATTRIBUTE);
}

/** The embedded-metric-format line of one batch: every metric of IngestMetric, 0 when nothing happened. */
export function metricsLine(ingestId: string, counts: Record<string, number>): string {
  const names = Object.values(IngestMetric);
  const values: Record<string, number> = {};
  for (const name of names) { values[name] = counts[name] ?? 0; }
  return JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: INGEST_METRIC_NAMESPACE,
        Dimensions: [[INGEST_METRIC_DIMENSION]],
        Metrics: names.map(name => ({ Name: name, Unit: 'Count' })),
      }],
    },
    [INGEST_METRIC_DIMENSION]: ingestId,
    ...values,
  });
}

/** The Lambda entry point (SQS event source with ReportBatchItemFailures). */
export const handler = makeHandler();
