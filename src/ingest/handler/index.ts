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
import {
  CreateAssetCommand,
  DeleteAssetCommand,
  DescribeAssetCommand,
  DescribeAssetCommandOutput,
  MediaPackageVodClient,
} from '@aws-sdk/client-mediapackage-vod';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
/* eslint-enable import/no-extraneous-dependencies */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Catalog, CREATED_RANK, DELETED_RANK, isIngestStatusEvent, parseStatusEvent, STATUS_EVENTS, UnusableEvent } from './catalog';
import { errorKind, errorName, httpStatusOf, isRetryable, serviceMessage } from '../../private/sdk-errors';
import { ASSET_ID_PREFIX_PATTERN, assetIdFor } from '../asset-id';
import {
  BACKFILL_MESSAGE_SOURCE,
  CatalogStatus,
  INGEST_METRIC_DIMENSION,
  INGEST_METRIC_NAMESPACE,
  IngestEnv,
  IngestMetric,
  OnReuploadValue,
  SOURCE_ETAG_TAG,
} from '../contract';
import { matchesAnyKeyPattern } from '../key-pattern';

/** The function's configuration (from the environment in Lambda). */
export interface IngestConfig {
  readonly packagingGroupId: string;
  readonly sourceRoleArn: string;
  readonly assetIdPrefix: string;
  readonly keyPatterns: string[];
  readonly onReupload: 'KEEP' | 'REPLACE';
  readonly deleteAssetsWithObjects: boolean;
  readonly maxAttempts: number;
  readonly deadLetterQueueUrl?: string;
  readonly endpoint?: string;
  /** The catalog table (catalog: true). */
  readonly catalogTableName?: string;
  /** The CloudFront domain of the catalog's playback URLs. */
  readonly catalogPlaybackDomain?: string;
  readonly dynamodbEndpoint?: string;
}

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
  /** Stop retrying when less than this is left of the invocation. @default 15000 */
  readonly safetyMarginMs?: number;
}

/** What happened to one message. */
export type Outcome = 'created' | 'existing' | 'kept' | 'replaced' | 'deleted' | 'ignored' | 'returned' | 'dead-lettered'
  | 'status-applied' | 'status-stale' | 'status-ignored' | 'status-dropped';

const DEFAULT_MAX_ATTEMPTS = 6;

/** Reads and checks the configuration; throws on a bad one (the whole batch then fails and is retried). */
export function configFromEnv(env: Record<string, string | undefined> = process.env): IngestConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) { throw new Error(`Environment variable ${name} is not set`); }
    return value;
  };
  const prefix = required(IngestEnv.ASSET_ID_PREFIX);
  if (!ASSET_ID_PREFIX_PATTERN.test(prefix)) { throw new Error(`${IngestEnv.ASSET_ID_PREFIX} is not a valid asset id prefix: ${prefix}`); }
  let keyPatterns: unknown;
  try {
    keyPatterns = JSON.parse(required(IngestEnv.KEY_PATTERNS));
  } catch (error) {
    throw new Error(`${IngestEnv.KEY_PATTERNS} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(keyPatterns) || keyPatterns.length === 0 || !keyPatterns.every(p => typeof p === 'string')) {
    throw new Error(`${IngestEnv.KEY_PATTERNS} must be a non-empty JSON array of strings`);
  }
  const onReupload = env[IngestEnv.ON_REUPLOAD] ?? OnReuploadValue.KEEP;
  if (onReupload !== OnReuploadValue.KEEP && onReupload !== OnReuploadValue.REPLACE) {
    throw new Error(`${IngestEnv.ON_REUPLOAD} must be KEEP or REPLACE (got ${onReupload})`);
  }
  const maxAttempts = Number(env[IngestEnv.MAX_ATTEMPTS] ?? DEFAULT_MAX_ATTEMPTS);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new Error(`${IngestEnv.MAX_ATTEMPTS} must be an integer from 1 to 20 (got ${env[IngestEnv.MAX_ATTEMPTS]})`);
  }
  return {
    packagingGroupId: required(IngestEnv.PACKAGING_GROUP_ID),
    sourceRoleArn: required(IngestEnv.SOURCE_ROLE_ARN),
    assetIdPrefix: prefix,
    keyPatterns: keyPatterns as string[],
    onReupload,
    deleteAssetsWithObjects: env[IngestEnv.DELETE_ASSETS_WITH_OBJECTS] === 'true',
    maxAttempts,
    deadLetterQueueUrl: env[IngestEnv.DEAD_LETTER_QUEUE_URL] || undefined,
    endpoint: env[IngestEnv.MEDIAPACKAGE_VOD_ENDPOINT] || undefined,
    catalogTableName: env[IngestEnv.CATALOG_TABLE_NAME] || undefined,
    catalogPlaybackDomain: env[IngestEnv.CATALOG_PLAYBACK_DOMAIN] || undefined,
    dynamodbEndpoint: env[IngestEnv.DYNAMODB_ENDPOINT] || undefined,
  };
}

/** A parsed message. */
interface IngestMessage {
  readonly kind: 'created' | 'deleted';
  readonly bucket: string;
  readonly key: string;
  readonly etag?: string;
}

/** A refusal that no retry can change: the message goes to the dead-letter queue. */
class PermanentError extends Error {
  constructor(readonly error: string, message: string) {
    super(message);
  }
}

/** Retries ran out (or time ran short): the message goes back to the queue. */
class ReturnToQueue extends Error {
  constructor(readonly error: string, message: string) {
    super(message);
  }
}

/** 429, 5xx and transient network errors (the one classification of the library's handlers). */
export { isRetryable };

/** Parses one SQS message body; throws PermanentError for anything that is not an ingest message. */
export function parseMessage(body: string): IngestMessage {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PermanentError('MalformedMessage', 'the message body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw new PermanentError('MalformedMessage', 'the message body is not a JSON object');
  }
  const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  if (parsed.source === 'aws.s3') {
    const kind = parsed['detail-type'] === 'Object Created' ? 'created' : parsed['detail-type'] === 'Object Deleted' ? 'deleted' : undefined;
    if (!kind) {
      throw new PermanentError('MalformedMessage', `unexpected detail-type ${JSON.stringify(parsed['detail-type'])} (expected Object Created or Object Deleted)`);
    }
    const bucket = parsed.detail?.bucket?.name;
    const key = parsed.detail?.object?.key;
    if (!nonEmpty(bucket) || !nonEmpty(key)) {
      throw new PermanentError('MalformedMessage', 'the S3 event has no detail.bucket.name or detail.object.key');
    }
    const etag = parsed.detail?.object?.etag;
    return { kind, bucket, key, etag: nonEmpty(etag) ? normalizeEtag(etag) : undefined };
  }
  if (parsed.source === BACKFILL_MESSAGE_SOURCE) {
    if (!nonEmpty(parsed.bucket) || !nonEmpty(parsed.key)) {
      throw new PermanentError('MalformedMessage', 'the backfill message has no bucket or key');
    }
    return { kind: 'created', bucket: parsed.bucket, key: parsed.key, etag: nonEmpty(parsed.etag) ? normalizeEtag(parsed.etag) : undefined };
  }
  throw new PermanentError('MalformedMessage', `unexpected source ${JSON.stringify(parsed.source)} (expected aws.s3 or ${BACKFILL_MESSAGE_SOURCE})`);
}

/** A refusal no retry changes: ours (PermanentError), or a service's answer that is neither throttling nor a server error. */
function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentError) { return true; }
  return !(error instanceof ReturnToQueue) && !isRetryable(error) && httpStatusOf(error) !== undefined;
}

/** The MediaPackage event a message holds (the catalog rule's messages), or undefined for any other message. */
function mediaPackageEventOf(body: string): object | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && parsed.source === 'aws.mediapackage' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** ListObjectsV2 quotes ETags, EventBridge events do not: compare them without quotes. */
function normalizeEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

let defaultVod: MediaPackageVodClient | undefined;
let defaultSqs: SQSClient | undefined;
let defaultDynamodb: DynamoDBClient | undefined;
let defaultConfig: IngestConfig | undefined;

const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 10_000 };

/** Creates a handler (tests and the benchmark inject clients and timing). */
export function makeHandler(options: IngestHandlerOptions = {}): (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => console.log(line));
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const safetyMarginMs = options.safetyMarginMs ?? 15_000;

  return async (event, context) => {
    let config: IngestConfig;
    try {
      config = options.config ?? (defaultConfig ??= configFromEnv());
    } catch (error) {
      log(JSON.stringify({ level: 'ERROR', outcome: 'misconfigured', message: serviceMessage(error) }));
      throw error;
    }
    // The SDK's own retries are off (maxAttempts 1): the policy below is the only one, so attempts do not multiply.
    const vod = options.vod
      ?? (defaultVod ??= new MediaPackageVodClient({ maxAttempts: 1, endpoint: config.endpoint, requestHandler: REQUEST_HANDLER }));
    const sqs = () => options.sqs ?? (defaultSqs ??= new SQSClient({ requestHandler: REQUEST_HANDLER }));
    const remaining = () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    const now = options.now ?? (() => new Date());
    const counts: Record<string, number> = {};
    const count = (metric: string, n = 1) => { counts[metric] = (counts[metric] ?? 0) + n; };

    /** Calls `send` with bounded retries of 429/5xx/network errors; other errors are thrown as they are. */
    async function withRetries<T>(operation: string, send: () => Promise<T>, retryWhen: (error: unknown) => boolean = isRetryable): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send();
        } catch (error) {
          if (!retryWhen(error)) { throw error; }
          const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          const delay = Math.floor(random() * cap); // full jitter
          if (attempt >= config.maxAttempts || remaining() - delay < safetyMarginMs) {
            throw new ReturnToQueue(errorKind(error), `${operation}: gave up after ${attempt} attempt(s): ${serviceMessage(error)}`);
          }
          count(IngestMetric.RETRIES);
          await sleep(delay);
        }
      }
    }

    /** DescribeAsset answers of this invocation (an existing asset), for the catalog. */
    const described = new Map<string, DescribeAssetCommandOutput>();
    const catalog = config.catalogTableName
      ? new Catalog(
        options.dynamodb
          ?? (defaultDynamodb ??= new DynamoDBClient({ maxAttempts: 1, endpoint: config.dynamodbEndpoint, requestHandler: REQUEST_HANDLER })),
        config.catalogTableName, config.catalogPlaybackDomain, (operation, send) => withRetries(operation, send), now)
      : undefined;

    /** The catalog's record of what the ingest did (idempotent: a redelivery writes the same again). */
    async function recordInCatalog(message: IngestMessage, assetId: string, outcome: Outcome): Promise<void> {
      if (!catalog) { return; }
      if (outcome === 'created' || outcome === 'replaced') {
        await catalog.recordSource(assetId, message.bucket, message.key, message.etag, outcome);
        await catalog.applyStatus(assetId, CatalogStatus.INGESTING, undefined, now().toISOString(), CREATED_RANK);
      } else if (outcome === 'existing' || outcome === 'kept') {
        await catalog.recordSource(assetId, message.bucket, message.key, message.etag, 'existing');
        // An asset that was there before the catalog (a backfill after `catalog: true` was turned on) has had its events
        // already: what DescribeAsset says fills what the item lacks.
        const endpoints = described.get(assetId)?.EgressEndpoints ?? [];
        const playable = endpoints
          .filter(e => e.Status === 'PLAYABLE' && e.PackagingConfigurationId && e.Url)
          .map(e => ({ configurationId: e.PackagingConfigurationId!, url: e.Url! }));
        await catalog.seedPlayable(assetId, playable, now().toISOString());
      } else if (outcome === 'deleted') {
        await catalog.applyStatus(assetId, CatalogStatus.DELETED, 'the source object was deleted', now().toISOString(), DELETED_RANK, true);
      }
    }

    /** A MediaPackage status event: written to the catalog, or dropped (logged) when unusable. */
    async function status(statusEvent: unknown): Promise<{ outcome: Outcome; assetId?: string; detail?: string }> {
      let parsed;
      try {
        if (!catalog) { throw new UnusableEvent('dropped', 'this ingest has no catalog (CATALOG_TABLE_NAME is not set)'); }
        parsed = parseStatusEvent(statusEvent, config.assetIdPrefix);
      } catch (error) {
        if (!(error instanceof UnusableEvent)) { throw error; }
        return { outcome: error.outcome === 'ignored' ? 'status-ignored' : 'status-dropped', detail: error.message };
      }
      const written = isIngestStatusEvent(parsed.event)
        ? await catalog.applyStatus(parsed.assetId, STATUS_EVENTS[parsed.event].status, parsed.message, parsed.time, STATUS_EVENTS[parsed.event].rank)
        : await catalog.applyPlayable(parsed.assetId, parsed.configurationId!, parsed.manifestUrls!, parsed.time);
      return { outcome: written === 'applied' ? 'status-applied' : 'status-stale', assetId: parsed.assetId, detail: parsed.event };
    }

    async function describe(assetId: string): Promise<DescribeAssetCommandOutput | undefined> {
      try {
        return await withRetries('DescribeAsset', () => vod.send(new DescribeAssetCommand({ Id: assetId })));
      } catch (error) {
        if (errorName(error) === 'NotFoundException' || httpStatusOf(error) === 404) { return undefined; }
        throw error;
      }
    }

    async function deleteAsset(assetId: string): Promise<void> {
      try {
        await withRetries('DeleteAsset', () => vod.send(new DeleteAssetCommand({ Id: assetId })));
      } catch (error) {
        if (errorName(error) === 'NotFoundException' || httpStatusOf(error) === 404) { return; }
        throw error;
      }
    }

    async function create(message: IngestMessage, assetId: string): Promise<Outcome> {
      const sourceArn = `arn:${partitionOf(config.sourceRoleArn)}:s3:::${message.bucket}/${message.key}`;
      const input = {
        Id: assetId,
        PackagingGroupId: config.packagingGroupId,
        SourceArn: sourceArn,
        SourceRoleArn: config.sourceRoleArn,
        ResourceId: assetId,
        Tags: message.etag ? { [SOURCE_ETAG_TAG]: message.etag } : undefined,
      };
      let replacing = false;
      for (let attempt = 1; ; attempt++) {
        try {
          await withRetries('CreateAsset', () => vod.send(new CreateAssetCommand(input)));
          return replacing ? 'replaced' : 'created';
        } catch (error) {
          if (httpStatusOf(error) !== 422 && errorName(error) !== 'UnprocessableEntityException') { throw error; }
          const existing = await describe(assetId);
          if (!existing) {
            // A 422 for an id that does not exist: a refusal (bad source, unknown group, quota), or a delete that is
            // still settling. Try again a bounded number of times before calling it final.
            if (attempt < config.maxAttempts && remaining() > safetyMarginMs) {
              count(IngestMetric.RETRIES);
              await sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
              continue;
            }
            if (replacing) {
              throw new ReturnToQueue(errorKind(error), `CreateAsset after DeleteAsset: the id is still taken: ${serviceMessage(error)}`);
            }
            throw new PermanentError(errorKind(error), serviceMessage(error));
          }
          if (existing.SourceArn !== sourceArn || existing.PackagingGroupId !== config.packagingGroupId) {
            throw new PermanentError('AssetIdTaken',
              `asset ${assetId} exists with source ${existing.SourceArn} in group ${existing.PackagingGroupId}, not this object in ${config.packagingGroupId}`);
          }
          described.set(assetId, existing);
          const existingEtag = existing.Tags?.[SOURCE_ETAG_TAG];
          if (!message.etag || !existingEtag || existingEtag === message.etag) {
            return replacing ? 'replaced' : 'existing';
          }
          if (config.onReupload === OnReuploadValue.KEEP) {
            return 'kept';
          }
          // REPLACE: delete, then create again (the loop); the service may hold the id for a while after the delete.
          replacing = true;
          await deleteAsset(assetId);
          if (attempt >= config.maxAttempts) {
            throw new ReturnToQueue('ReplacePending', `asset ${assetId} deleted for replacement; created on a later delivery`);
          }
        }
      }
    }

    async function ingest(message: IngestMessage, assetId: string): Promise<Outcome> {
      if (!matchesAnyKeyPattern(config.keyPatterns, message.key)) {
        throw new PermanentError('KeyNotMatched', `the key matches none of the key patterns ${JSON.stringify(config.keyPatterns)}`);
      }
      if (message.kind === 'deleted') {
        if (!config.deleteAssetsWithObjects) { return 'ignored'; }
        await deleteAsset(assetId);
        return 'deleted';
      }
      try {
        return await create(message, assetId);
      } catch (error) {
        if (catalog && isPermanent(error)) { await recordRefusal(message, assetId, error); }
        throw error;
      }
    }

    /**
     * A refused CreateAsset (a bad source, the group's asset quota, another source's asset under this id, a denied call):
     * the catalog shows the object as FAILED with the reason (a later successful create makes it INGESTING again).
     * Best effort: the message goes to the dead-letter queue either way.
     */
    async function recordRefusal(message: IngestMessage, assetId: string, error: unknown): Promise<void> {
      const reason = `CreateAsset refused: ${error instanceof PermanentError ? error.error : errorKind(error)}: ${serviceMessage(error)}`;
      try {
        await catalog!.recordSource(assetId, message.bucket, message.key, message.etag, 'existing');
        await catalog!.applyStatus(assetId, CatalogStatus.FAILED, reason, now().toISOString(), STATUS_EVENTS.IngestError.rank);
      } catch (writeError) {
        log(JSON.stringify({ level: 'WARN', outcome: 'catalog-write-failed', assetId, error: errorKind(writeError), message: serviceMessage(writeError) }));
      }
    }

    async function deadLetter(record: SQSRecord, error: string, message: string): Promise<boolean> {
      if (!config.deadLetterQueueUrl) { return false; }
      try {
        await withRetries('SendMessage', () => sqs().send(new SendMessageCommand({
          QueueUrl: config.deadLetterQueueUrl,
          MessageBody: record.body,
          MessageAttributes: {
            error: { DataType: 'String', StringValue: error.slice(0, 256) },
            message: { DataType: 'String', StringValue: (message || '-').slice(0, 1024) },
            sourceMessageId: { DataType: 'String', StringValue: record.messageId },
          },
        })));
        return true;
      } catch (sendError) {
        log(JSON.stringify({ level: 'ERROR', outcome: 'dead-letter-send-failed', messageId: record.messageId, error: errorKind(sendError), message: serviceMessage(sendError) }));
        return false;
      }
    }

    const failures: { itemIdentifier: string }[] = [];
    const done = new Map<string, Outcome>(); // duplicates within one batch are handled once
    for (const record of event.Records) {
      let message: IngestMessage | undefined;
      let assetId: string | undefined;
      let outcome: Outcome;
      try {
        const statusEvent = mediaPackageEventOf(record.body);
        if (statusEvent !== undefined) {
          const result = await status(statusEvent);
          outcome = result.outcome;
          assetId = result.assetId;
          log(JSON.stringify({ level: outcome === 'status-dropped' ? 'ERROR' : 'INFO', outcome, assetId, detail: result.detail }));
        } else {
          message = parseMessage(record.body);
          assetId = assetIdFor(config.assetIdPrefix, message.bucket, message.key);
          const dedupeKey = JSON.stringify([message.kind, message.bucket, message.key, message.etag]);
          const earlier = done.get(dedupeKey);
          if (earlier !== undefined) {
            outcome = earlier === 'created' || earlier === 'replaced' ? 'existing' : earlier;
          } else {
            outcome = await ingest(message, assetId);
            await recordInCatalog(message, assetId, outcome);
          }
          done.set(dedupeKey, outcome);
          log(JSON.stringify({ level: 'INFO', outcome, bucket: message.bucket, key: message.key, assetId }));
        }
      } catch (error) {
        const line = { bucket: message?.bucket, key: message?.key, assetId, error: '', message: serviceMessage(error) };
        if (isPermanent(error)) {
          line.error = error instanceof PermanentError ? error.error : errorKind(error);
          if (await deadLetter(record, line.error, line.message)) {
            outcome = 'dead-lettered';
            log(JSON.stringify({ level: 'ERROR', outcome, ...line }));
          } else {
            outcome = 'returned';
            log(JSON.stringify({ level: 'ERROR', outcome, ...line, note: 'permanent refusal; returned to the queue, whose redrive policy moves it to the dead-letter queue' }));
          }
        } else {
          outcome = 'returned';
          line.error = error instanceof ReturnToQueue ? error.error : errorKind(error);
          log(JSON.stringify({ level: 'WARN', outcome, ...line }));
        }
        if (outcome === 'returned') { failures.push({ itemIdentifier: record.messageId }); }
      }
      count(({
        'created': IngestMetric.ASSETS_CREATED,
        'existing': IngestMetric.ASSETS_EXISTING,
        'kept': IngestMetric.ASSETS_EXISTING,
        'replaced': IngestMetric.ASSETS_REPLACED,
        'deleted': IngestMetric.ASSETS_DELETED,
        'ignored': IngestMetric.MESSAGES_IGNORED,
        'returned': IngestMetric.MESSAGES_RETURNED,
        'dead-lettered': IngestMetric.MESSAGES_DEAD_LETTERED,
        'status-applied': IngestMetric.STATUS_EVENTS_APPLIED,
        'status-stale': IngestMetric.STATUS_EVENTS_STALE,
        'status-ignored': IngestMetric.MESSAGES_IGNORED,
        'status-dropped': IngestMetric.STATUS_EVENTS_DROPPED,
      } as Record<Outcome, string>)[outcome]);
      if (outcome === 'replaced') { count(IngestMetric.ASSETS_CREATED); }
    }
    log(metricsLine(config.assetIdPrefix, counts));
    return { batchItemFailures: failures };
  };
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
