/**
 * The ingest function of `BucketIngest`: turns S3 objects into MediaPackage VOD assets, exactly one asset per object.
 *
 * Input: an SQS event (event source mapping with ReportBatchItemFailures). Each message body is either
 * - the EventBridge event the rule delivered: `source` `aws.s3`, `detail-type` `Object Created` or `Object Deleted`,
 *   `detail.bucket.name`, `detail.object.key`, `detail.object.etag`. The key is used as it is: in S3's EventBridge events
 *   keys are NOT URL-encoded (unlike the `Records[].s3.object.key` of S3 event notifications); or
 * - a backfill message `{"source":"cdk-mediapackage-vod.backfill","bucket":"...","key":"...","etag":"..."}`.
 *
 * Per message (records of a batch one after the other, so the function's maximum concurrency bounds the request rate):
 * - Created: CreateAsset with the deterministic id (asset-id.ts), the group, SourceArn `arn:<partition>:s3:::<bucket>/<key>`,
 *   the source role, ResourceId = the id, and a tag holding the object's ETag. A 422 is followed by DescribeAsset:
 *   - the asset exists with the same source and group ("ours"): a duplicate delivery (or backfill of an ingested
 *     object) when the ETag tag is the event's (or either is unknown): success, nothing done;
 *   - ours but from another ETag: a re-upload. ON_REUPLOAD=KEEP (default) keeps the asset (the new content is not
 *     ingested); REPLACE deletes it and creates it again (NEW playback URLs; while the service finishes the delete the id
 *     is still taken, so the create is retried like a throttle);
 *   - exists from another source: permanent refusal (another principal used this ingest's id);
 *   - does not exist (404): the 422 was a refusal (bad source, unknown group, quota of 10,000 assets). Because a delete
 *     that is still settling gives the same answer, the create is tried again up to MAX_ATTEMPTS before it is final.
 * - Deleted: DeleteAsset only when DELETE_ASSETS_WITH_OBJECTS is true (404 counts as done), else ignored.
 * - 429, 5xx and network errors: bounded retries in the invocation (exponential backoff, full jitter, MAX_ATTEMPTS calls,
 *   never past the invocation's remaining time), then the message is reported as a batch item failure: it goes back to
 *   the queue and SQS delivers it again after the visibility timeout (the queue's maxReceiveCount then moves it to the
 *   dead-letter queue, so nothing is retried forever).
 * - Permanent refusals (422 as above, 403, a key that matches no pattern, a malformed message) are logged as one JSON
 *   line `{level, outcome, bucket, key, assetId, error, message}`, sent at once to the dead-letter queue
 *   (DEAD_LETTER_QUEUE_URL: the original body, the reason in message attributes) and acknowledged. If that send fails,
 *   the message is reported as a batch item failure instead (the redrive policy still brings it to the DLQ).
 * - One embedded-metric-format line per batch: namespace `MediaPackageVod/Ingest`, dimension `IngestId` = the prefix,
 *   metrics in contract.ts (AssetsCreated, AssetsExisting, AssetsReplaced, AssetsDeleted, MessagesIgnored, Retries,
 *   MessagesReturned, MessagesDeadLettered).
 * - Catalog (CATALOG_TABLE_NAME set): after each of the above, the object's catalog item is written (catalog.ts); the
 *   same function also consumes MediaPackage's status events (messages with `source` `aws.mediapackage`, from the
 *   catalog rule's queue) and writes them to the item. A status event that is malformed or not this ingest's is logged as
 *   one JSON line and dropped (acknowledged: no retry can make it usable); DynamoDB throttling and server errors are
 *   retried as above, then returned to the queue.
 * Known limit: events of one key are not ordered; a Deleted processed after a later Created of the same key deletes
 * the asset of an object that exists again (only with DELETE_ASSETS_WITH_OBJECTS).
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
  clientConfig, Deadline, DeadlineReached, isRetryable, lazy, RetryPolicy, sender, serviceMessage,
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
const defaultSqs = lazy(() => new SQSClient(clientConfig()));
const defaultS3 = lazy(() => new S3Client(clientConfig()));

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
    const send = sender(policy, { deadline, abortAt, onRetry: () => count(IngestMetric.RETRIES) });
    const sqs = () => options.sqs ?? defaultSqs();
    const vod = options.vod ?? (defaultVod ??= new MediaPackageVodClient(clientConfig(config.endpoint)));
    const dynamodb = () => options.dynamodb ?? (defaultDynamodb ??= new DynamoDBClient(clientConfig(config.dynamodbEndpoint)));
    const catalog = config.catalogTableName
      ? new Catalog(dynamodb(), config.catalogTableName, config.catalogPlaybackDomain, send, now)
      : undefined;
    const assets = new AssetClient(vod, config, send, policy, deadline, () => count(IngestMetric.RETRIES));
    const objects = options.objects ?? new S3ObjectStore(options.s3 ?? defaultS3(), send);
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
        // No deadline for this last call but the abort: it is what the margin is kept for.
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
        }), { abortSignal: abortAt.signal() });
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
        if (error instanceof DeadlineReached) { deferred.push(record); continue; } // a call not started: nothing is half done
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
