/**
 * The contract between the `BucketIngest` construct and its Lambda functions (the ingest function, and the backfill's
 * starter and worker): environment variable names, message shapes, resource properties, metric names. Pure module (no
 * aws-sdk, no aws-cdk-lib): the construct imports it at synth time, the bundled handlers at run time.
 *
 * Permissions the ingest function needs (the construct grants them, exact actions):
 * - `mediapackage-vod:CreateAsset` on `*` (the service has no resource-level permission for CreateAsset);
 * - `mediapackage-vod:TagResource` on `arn:<p>:mediapackage-vod:<r>:<a>:assets/<prefix>-*`: CreateAsset is sent with
 *   tags (the source object's ETag, see SOURCE_ETAG_TAG), and the service authorization reference lists TagResource as
 *   an action CreateAsset with tags also needs;
 * - `mediapackage-vod:DescribeAsset` on the same ARN prefix (a duplicate id: is it ours?), and
 *   `mediapackage-vod:DeleteAsset` there when ON_REUPLOAD is REPLACE or DELETE_ASSETS_WITH_OBJECTS is true;
 * - `iam:PassRole` on the source role (iam:PassedToService mediapackage-vod.amazonaws.com / mediapackage.amazonaws.com);
 * - `sqs:SendMessage` on the dead-letter queue (permanent refusals are sent there directly, see below) and on the ingest
 *   queue (records deferred for lack of time go back as fresh copies), plus what the SQS event source needs on the queue
 *   (ReceiveMessage, DeleteMessage, GetQueueAttributes, ChangeMessageVisibility);
 * - `s3:GetObject` on the key patterns' prefixes (HeadObject: does the object exist now?) and `s3:ListBucket` on the
 *   bucket (without it S3 answers a missing key with 403, not 404, and "gone" could not be told from "denied").
 *
 * The `s3:ListBucket` condition is `StringLikeIfExists` on `s3:prefix`: it refuses listings under other prefixes, but a
 * listing without a prefix passes (HeadObject's check carries no prefix, so the condition cannot require one).
 *
 * The backfill's starter and worker need `s3:ListBucket` on the bucket (with a `StringLike` `s3:prefix` condition when
 * every pattern has a literal prefix); the starter sends to the job queue, the worker to the ingest queue (backfill
 * messages) and to the job queues.
 */

/** Environment variables of the ingest function (all set by the construct). */
export const IngestEnv = {
  /** The packaging group id the assets join. */
  PACKAGING_GROUP_ID: 'PACKAGING_GROUP_ID',
  /** The ARN of the role MediaPackage assumes to read the bucket (SourceRoleArn of CreateAsset). */
  SOURCE_ROLE_ARN: 'SOURCE_ROLE_ARN',
  /** The asset id prefix (see asset-id.ts): every asset id is `<prefix>-...`. Also the metric dimension `IngestId`. */
  ASSET_ID_PREFIX: 'ASSET_ID_PREFIX',
  /** JSON array of the key patterns (EventBridge wildcard syntax): a message whose key matches none is refused. */
  KEY_PATTERNS: 'KEY_PATTERNS',
  /** What an `Object Created` for a key that already has an asset from other content (another ETag) does. */
  ON_REUPLOAD: 'ON_REUPLOAD',
  /** `true`: an `Object Deleted` event deletes the object's asset; `false` (default): it is ignored. */
  DELETE_ASSETS_WITH_OBJECTS: 'DELETE_ASSETS_WITH_OBJECTS',
  /** Calls per request in one invocation, the first included, on 429/5xx before the message goes back to the queue. */
  MAX_ATTEMPTS: 'MAX_ATTEMPTS',
  /** URL of the dead-letter queue: permanent refusals are sent there at once (then deleted from the ingest queue). */
  DEAD_LETTER_QUEUE_URL: 'DEAD_LETTER_QUEUE_URL',
  /** URL of the ingest queue itself: a record deferred for lack of time is sent back there as a fresh copy. */
  INGEST_QUEUE_URL: 'INGEST_QUEUE_URL',
  /** The ingest queue's maxReceiveCount: on the last delivery, a refusal that may be transient is final. Unset: 1. */
  MAX_RECEIVE_COUNT: 'MAX_RECEIVE_COUNT',
  /** The catalog table's name (`catalog: true`); unset: no catalog, status events are dropped. */
  CATALOG_TABLE_NAME: 'CATALOG_TABLE_NAME',
  /** A CloudFront domain name: the catalog also stores each manifest URL on that domain (same path). */
  CATALOG_PLAYBACK_DOMAIN: 'CATALOG_PLAYBACK_DOMAIN',
  /** Tests only: the DynamoDB endpoint (a local server). */
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
  /** Tests only: the S3 endpoint (a local server; path-style requests). */
  S3_ENDPOINT: 'S3_ENDPOINT',
  /** Tests only: the MediaPackage VOD endpoint (a local fake). */
  MEDIAPACKAGE_VOD_ENDPOINT: 'MEDIAPACKAGE_VOD_ENDPOINT',
} as const;

/** Values of ON_REUPLOAD. */
export const OnReuploadValue = {
  /** Keep the existing asset (default): its playback URLs stay; the new content is NOT ingested. */
  KEEP: 'KEEP',
  /** Delete the asset and create it again from the new content: playback URLs change. */
  REPLACE: 'REPLACE',
} as const;

/** Message attribute of a deferred copy: how many times the message was deferred (a number). */
export const DEFERRALS_ATTRIBUTE = 'cdk-mediapackage-vod.deferrals';
/** Message attribute of a deferred copy: receives of the message before its copies that were not deferrals (a number). */
export const RECEIVES_ATTRIBUTE = 'cdk-mediapackage-vod.receives';

/** `source` of the messages the backfill sends to the ingest queue. */
export const BACKFILL_MESSAGE_SOURCE = 'cdk-mediapackage-vod.backfill';

/**
 * A backfill message (the body of an SQS message the backfill worker sends to the ingest queue):
 * `{"source":"cdk-mediapackage-vod.backfill","bucket":"...","key":"...","etag":"..."}`; `etag` is optional.
 * The other messages on the queue are the EventBridge events of the rule (S3 `Object Created` / `Object Deleted`).
 */
export interface BackfillMessage {
  readonly source: string;
  readonly bucket: string;
  readonly key: string;
  readonly etag?: string;
}

/** The tag key on each created asset that holds the source object's ETag (tells a duplicate delivery from a re-upload). */
export const SOURCE_ETAG_TAG = 'cdk-mediapackage-vod:source-etag';

/** ResourceProperties of the backfill custom resource (besides ServiceToken). */
export interface BackfillResourceProperties {
  /** The bucket to list. */
  readonly BucketName: string;
  /** The key patterns (EventBridge wildcard syntax). */
  readonly KeyPatterns: string[];
  /** Literal key prefixes to list (the part of each pattern before its first `*`; `''` lists the whole bucket). */
  readonly Prefixes: string[];
  /** The ingest queue's URL. */
  readonly QueueUrl: string;
  /** The catalog table's name (`catalog: true`): a new or other table lists the bucket again (Update). */
  readonly CatalogTable?: string;
}

/** The custom resource type the construct should use for the backfill. */
export const BACKFILL_RESOURCE_TYPE = 'Custom::MediaPackageVodIngestBackfill';

/** CloudWatch embedded metric format namespace of the ingest function's metrics (one EMF line per batch). */
export const INGEST_METRIC_NAMESPACE = 'MediaPackageVod/Ingest';
/** The one dimension of every ingest metric: the ingest's asset id prefix. */
export const INGEST_METRIC_DIMENSION = 'IngestId';
/** The ingest metrics (all Count, one value per batch, so Sum over a period is what happened in it). */
export const IngestMetric = {
  /** Assets created (a replacement counts here too). */
  ASSETS_CREATED: 'AssetsCreated',
  /** Messages whose asset already existed and was ours (duplicate deliveries, backfill of ingested objects, KEEP). */
  ASSETS_EXISTING: 'AssetsExisting',
  /** Assets deleted and created again from new content (ON_REUPLOAD=REPLACE). */
  ASSETS_REPLACED: 'AssetsReplaced',
  /** Assets deleted with their objects (DELETE_ASSETS_WITH_OBJECTS). */
  ASSETS_DELETED: 'AssetsDeleted',
  /** Messages ignored (Object Deleted without opt-in, key matching no pattern is NOT here: that is dead-lettered). */
  MESSAGES_IGNORED: 'MessagesIgnored',
  /** Retried calls (429, 5xx, network) within the invocation. */
  RETRIES: 'Retries',
  /**
   * Messages given back to the queue (retries ran out, a call was aborted at the deadline, a record's asset call was done
   * before time ran short, or the last deferral was used): SQS delivers them again.
   */
  MESSAGES_RETURNED: 'MessagesReturned',
  /** Messages not started for lack of time, sent back to the ingest queue as fresh copies (they lose no receive). */
  MESSAGES_DEFERRED: 'MessagesDeferred',
  /** Messages sent to the dead-letter queue (permanent refusals, malformed messages). */
  MESSAGES_DEAD_LETTERED: 'MessagesDeadLettered',
  /** Catalog: MediaPackage status events written to the catalog. */
  STATUS_EVENTS_APPLIED: 'StatusEventsApplied',
  /** Catalog: status events older than what the catalog holds (out of order or repeated): nothing written. */
  STATUS_EVENTS_STALE: 'StatusEventsStale',
  /** Catalog: status events that are malformed or not this ingest's: logged and dropped. */
  STATUS_EVENTS_DROPPED: 'StatusEventsDropped',
} as const;

/**
 * The catalog (`BucketIngest` with `catalog: true`): a DynamoDB table with one item per source object, keyed by the
 * asset id. Attribute names (all strings unless said otherwise):
 */
export const CatalogAttribute = {
  /** Partition key: the asset id (`<prefix>-<readable key>-<hash>`). */
  ASSET_ID: 'assetId',
  /** The source object's bucket (written by the ingest function). */
  SOURCE_BUCKET: 'sourceBucket',
  /** The source object's key (written by the ingest function; the `sourceKey` index's partition key). */
  SOURCE_KEY: 'sourceKey',
  /** The ETag of the content the asset was created from. */
  SOURCE_ETAG: 'sourceEtag',
  /** When the ingest function created the current asset (ISO 8601, seconds). */
  ASSET_CREATED_AT: 'assetCreatedAt',
  /** INGESTING, COMPLETE, FAILED or DELETED (see CatalogStatus). */
  INGEST_STATUS: 'ingestStatus',
  /** The service's message of the status event (IngestError: why the ingest failed). */
  INGEST_MESSAGE: 'ingestMessage',
  /** When the status was reached (the event's time, ISO 8601). */
  INGEST_STATUS_AT: 'ingestStatusAt',
  /**
   * Orders status writes: `<time, seconds>#<rank>`; a write applies only over a smaller value, so repeated and
   * out-of-order events change nothing (rank: INGESTING 0, IngestStart 1, IngestComplete 2, IngestError 3, DELETED 9).
   */
  STATUS_ORDER: 'statusOrder',
  /**
   * Map: packaging configuration id → `{ state: 'PLAYABLE', playableAt, manifestUrls: [...], playbackUrls?: [...] }`
   * (playbackUrls: the manifest URLs on the CloudFront domain, when the catalog has a distribution).
   */
  PLAYBACK: 'playback',
  /**
   * The path pattern that covers the asset in every configuration, `/out/v1/<asset hash>/*` (the `Resource` of a
   * signed-cookie policy, after `https://<distribution domain>`), as `IAsset.playbackPathPattern` gives it at deploy
   * time: derived from the egress URL when a configuration becomes PLAYABLE (same conditional write as its `playback`
   * entry), removed when `playback` is emptied (REPLACE, a newer asset, DELETED).
   */
  PLAYBACK_PATH_PATTERN: 'playbackPathPattern',
  /** The last write's time (ISO 8601). */
  UPDATED_AT: 'updatedAt',
} as const;

/** The values of the catalog's `ingestStatus`. */
export const CatalogStatus = {
  /** The asset was created; MediaPackage is ingesting (or about to). */
  INGESTING: 'INGESTING',
  /** IngestComplete: the source was ingested; each configuration becomes playable in turn (`playback`). */
  COMPLETE: 'COMPLETE',
  /** IngestError: MediaPackage could not ingest the source (`ingestMessage` says why). */
  FAILED: 'FAILED',
  /** The object was deleted and its asset with it (`deleteAssetsWithObjects`). */
  DELETED: 'DELETED',
} as const;

/** The name of the catalog's global secondary index on `sourceKey`. */
export const CATALOG_SOURCE_KEY_INDEX = 'sourceKey';
