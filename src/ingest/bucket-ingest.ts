import * as path from 'path';
import {
  Duration,
  Fn,
  Names,
  Stack,
  Token,
  Tokenization,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { INGEST_METRIC_DIMENSION, INGEST_METRIC_NAMESPACE, IngestEnv, IngestMetric } from './contract';
import { IngestBackfill } from './ingest-backfill';
import { IngestCatalog } from './ingest-catalog';
import { listingPrefixesOf, s3EventDetailOf } from './key-pattern';
import { turnOnEventBridge } from './s3-eventbridge';
import {
  registerIngest,
  validateAssetIdPrefix,
  validateCatalog,
  validateCompanions,
  validateEnvironment,
  validateKeyPatterns,
  warnOnImportedKey,
  warnOnPatternSize,
} from './validate';
import { AssetSource } from '../asset';
import type { IPackagingGroup } from '../packaging-group';
import { vodArn } from '../private/arns';
import { bundledFunction } from '../private/bundled-function';
import { CHECKOV_REASONS, skipCheckov } from '../private/checkov';
import { fail } from '../private/errors';
import { MEDIAPACKAGE_SERVICE } from '../private/roles';
import { DescriptionLimit, fitDescription, validateInteger, wholeSeconds } from '../private/validate';
import { VodAssetEvent, vodEventPattern, vodEventRule } from '../private/vod-events';

/**
 * The values of iam:PassedToService CreateAsset may present for the source role: the service authorization reference
 * lists `mediapackage-vod.amazonaws.com`, while the role's trust principal is `mediapackage.amazonaws.com`
 * (service-rules.md): allow both.
 */
const PASSED_TO_SERVICES = ['mediapackage-vod.amazonaws.com', MEDIAPACKAGE_SERVICE];

/** Limits of the SQS event source's maximum concurrency (Lambda developer guide, "Configuring maximum concurrency"). */
const MIN_MAX_CONCURRENCY = 2;
const MAX_MAX_CONCURRENCY = 1000;
const DEFAULT_MAX_CONCURRENCY = 5;

/** SQS's longest delivery delay (DelaySeconds: 0 to 900). */
const MAX_DELIVERY_DELAY_SECONDS = 900;

/** Messages per invocation: a batch of 10 is SQS's largest without a batching window (no added latency). */
const BATCH_SIZE = 10;

/** The ingest function's timeout; the queue's visibility timeout is six times it (Lambda's advice for SQS sources). */
const FUNCTION_TIMEOUT = Duration.minutes(1);

/** Receives of one message before SQS moves it to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

/** Calls per request within one invocation (the first included) on throttling and server errors. */
const MAX_ATTEMPTS = 4;

/** Longest readable part of a generated asset id prefix (an 8-character hash follows it). */
const GENERATED_PREFIX_MAX_LENGTH = 32;

/**
 * What a new upload of a key that already has an asset (from other content) does.
 */
export enum OnReupload {
  /**
   * Keep the existing asset: its playback URLs stay, and the new content is not ingested (delete the asset yourself to
   * ingest it again).
   */
  KEEP = 'KEEP',

  /**
   * Delete the asset and create it again from the new content: MediaPackage ingests it again and the asset's playback
   * URLs change. Grants the function `mediapackage-vod:DeleteAsset` on this ingest's assets.
   */
  REPLACE = 'REPLACE',
}

/**
 * Options of a bucket ingest (the properties of `BucketIngest` without the packaging group), as taken by
 * `IPackagingGroup.addBucketIngest`.
 */
export interface BucketIngestOptions {
  /**
   * The bucket whose objects become assets. It must be in the packaging group's Region and the stack's Region and
   * account (S3 sends its events to the default event bus of the bucket's account and Region).
   *
   * A bucket created in this app gets EventBridge notifications turned on. For an imported bucket, its owner must turn
   * them on (S3 console: Properties, Amazon EventBridge, On; or `PutBucketNotificationConfiguration` with an
   * `EventBridgeConfiguration`): without them no event arrives, and only the backfill (`ingestExisting`) finds objects.
   */
  readonly bucket: s3.IBucket;

  /**
   * The keys to ingest, in EventBridge wildcard syntax: `*` matches any run of characters, `/` included; `\*` is a
   * literal asterisk and `\\` a backslash; consecutive `**` are not allowed. Each pattern must end in `.smil` (an MP4
   * stream set) or `.m3u8` (an HLS *parent* playlist), e.g. `films/*.smil`, or for keys `movies/{title}/index.m3u8`
   * the pattern with a `*` in place of `{title}`.
   *
   * A `.m3u8` pattern with a wildcard in its file name (`*.m3u8`, `movies/*.m3u8`) also matches the HLS child
   * playlists next to each parent, and each would become an asset: name the parent's file and put the wildcard in the
   * folder only (keys `movies/{title}/index.m3u8`: a `*` for `{title}`).
   * Matching is case-sensitive.
   */
  readonly keyPatterns: string[];

  /**
   * The role MediaPackage assumes to read the bucket (the CreateAsset SourceRoleArn). A given role is used as it is; if
   * it is a mutable role of this app, it is also granted the read (the same as `AssetSource.grantRead`).
   *
   * @default - the role shared by the assets of this stack that read this bucket (see `AssetSource.fromBucket`)
   */
  readonly sourceRole?: iam.IRole;

  /**
   * The prefix of the ids of the assets this ingest creates: 1 to 64 letters, digits and underscores (no hyphen). An
   * asset id is `<prefix>-<readable part of the key>-<hash of bucket and key>`, so the same object always gets the same
   * id, and the function's DescribeAsset/DeleteAsset permissions and the status events are scoped to `<prefix>-*`.
   *
   * Give a fixed prefix if this construct may move in the construct tree: assets created under another prefix are not
   * recognized as this ingest's (a backfill would create them again under the new prefix).
   *
   * @default - generated from the construct path (stable while the path stays the same, unique in the app)
   */
  readonly assetIdPrefix?: string;

  /**
   * Ingest the objects already in the bucket that match the key patterns, found by a walk of the bucket that each
   * deployment starts and that runs in the background.
   *
   * A custom resource starts the walk and answers at once; a worker function walks the bucket folder by folder from a
   * job queue, in short invocations, and sends each matching key to the ingest queue. A `*` followed by `/` stands for one
   * folder name (`movies/{title}/index.m3u8` written as a pattern reads one key per title folder, not its segments; a key
   * two folders deeper is not found); from a file name with a wildcard on (`films/*.smil`) every key under it is read and
   * matched as the rule matches. Idempotent with the events: an object found both ways becomes one asset. Runs again
   * when the patterns, bucket, queue or catalog table change (so turning `catalog` on fills the items of the objects
   * already ingested).
   *
   * @default false
   */
  readonly ingestExisting?: boolean;

  /**
   * Delete an object's asset when the object is deleted (an S3 `Object Deleted` event for a matching key). Grants the
   * function `mediapackage-vod:DeleteAsset` on this ingest's assets.
   *
   * @default false - deleting an object leaves its asset (MediaPackage has already ingested the content)
   */
  readonly deleteAssetsWithObjects?: boolean;

  /**
   * What a new upload of a key that already has an asset from other content (another ETag) does. A repeated delivery
   * of the same upload is always recognized and never creates a second asset.
   *
   * @default OnReupload.KEEP
   */
  readonly onReupload?: OnReupload;

  /**
   * How many ingest functions may run at once (the SQS event source's maximum concurrency, 2 to 1000). Each handles
   * up to 10 objects per invocation, so this bounds the request rate to MediaPackage VOD, whose per-API rates are not
   * published: raise it for faster backfills if the service does not throttle. With a catalog (the `catalog` property
   * set to true), the status event source adds up to 2 invocations of the same function, which write only to the
   * catalog table.
   *
   * @default 5
   */
  readonly maxConcurrency?: number;

  /**
   * Delay the ingest of each new object by this long (the queue's delivery delay, at most 15 minutes): for encoders
   * that write the parent playlist or SMIL file before the renditions it references.
   *
   * @default - no delay
   */
  readonly deliveryDelay?: Duration;

  /**
   * Encrypt the ingest queue and the dead-letter queue (and the catalog's queue and table) with this KMS key.
   *
   * EventBridge must be allowed to use the key to send to the queues. A key created in this app gets that statement in
   * its key policy. A key this app does not create (`kms.Key.fromKeyArn`, an imported alias) cannot be changed here: a
   * synth warning (`cdk-mediapackage-vod:ImportedEncryptionKey`) prints the statement to add to its key policy
   * (`events.amazonaws.com`, `kms:GenerateDataKey` and `kms:Decrypt`, on the ingest's rules' ARNs); without it every
   * event is dropped.
   *
   * @default - SQS-managed server-side encryption (SSE-SQS) for the queues; the AWS managed key of DynamoDB for the catalog
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Encrypt the log groups this ingest creates (the ingest function's and, with `ingestExisting`, the backfill's) with
   * this KMS key. A key of this app gets the key policy statement CloudWatch Logs needs; the policy of an imported key
   * must allow `logs.<region>.amazonaws.com` (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS
   * KMS").
   *
   * @default - CloudWatch Logs encrypts the logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Keep a catalog of this ingest's titles: a DynamoDB table (`catalogTable`: on-demand, point-in-time recovery,
   * encrypted) with one item per source object, keyed by asset id, with an index on the source key. The ingest function
   * writes the object when it creates its asset (`ingestStatus` INGESTING), and a rule on MediaPackage's events of this
   * ingest's assets brings the ingest status (COMPLETE, or FAILED with the service's message) and, per packaging
   * configuration, the PLAYABLE state and manifest URLs (`playback.<configuration id>`). Writes are idempotent and keep
   * the newest state whatever the order events arrive in. Read it with `grantReadCatalog`. Objects ingested before the
   * catalog existed get their items when they pass again (with `ingestExisting`, at the deployment that turns the
   * catalog on): from what DescribeAsset says of their asset.
   *
   * The table is retained when the stack is deleted (it holds the catalog), like any aws-cdk table by default.
   *
   * @default false
   */
  readonly catalog?: boolean;

  /**
   * A CloudFront distribution whose origin is the packaging group: the catalog also stores each manifest URL on its
   * domain (`playbackUrls`, same path). Needs the `catalog` property set to true. Checked when it is a `VodDistribution`'s distribution
   * (same packaging group) or a `cloudfront.Distribution` of this app (an origin on the group's egress domain); an
   * imported distribution is taken as it is.
   *
   * @default - the catalog stores the group's egress URLs only
   */
  readonly catalogDistribution?: cloudfront.IDistribution;
}

/**
 * Properties of `BucketIngest`.
 */
export interface BucketIngestProps extends BucketIngestOptions {
  /**
   * The packaging group the assets join. It must be in the stack's Region (the function calls MediaPackage VOD there).
   */
  readonly packagingGroup: IPackagingGroup;
}

/**
 * Catalog-scale ingest: every object created in a bucket whose key matches the key patterns becomes an asset of the
 * packaging group, without a deployment and without a CloudFormation resource per asset.
 *
 * S3 (EventBridge notifications) → an EventBridge rule (`Object Created`, and `Object Deleted` when
 * `deleteAssetsWithObjects`; this bucket; the key patterns) → an SQS queue (encrypted, SSL only, a dead-letter queue
 * after 5 receives) → one Lambda function (an SQS event source with partial batch responses and a maximum
 * concurrency) → MediaPackage VOD CreateAsset, with the bucket's source role.
 *
 * The asset id is derived from the bucket and key, so a repeated delivery finds its own asset and succeeds instead of
 * creating a duplicate. Throttling and server errors are retried with backoff, then returned to the queue; permanent
 * refusals (an invalid source, the quota of 10,000 assets per group, a denied call) go to the dead-letter queue with
 * the service's message logged. `deadLetterAlarm` fires when the dead-letter queue is not empty.
 *
 * The resources are the same for any number of objects: the catalog grows without a deployment.
 */
export class BucketIngest extends Construct {
  /** The packaging group the assets join. */
  public readonly packagingGroup: IPackagingGroup;

  /** The bucket whose objects are ingested. */
  public readonly bucket: s3.IBucket;

  /** The prefix of the ids of the assets this ingest creates (`<prefix>-...`). */
  public readonly assetIdPrefix: string;

  /** The role MediaPackage assumes to read the bucket. */
  public readonly sourceRole: iam.IRole;

  /** The queue of S3 events (and backfill messages) the function consumes. */
  public readonly queue: sqs.Queue;

  /** Messages that could not be ingested: permanent refusals, and messages received 5 times without success. */
  public readonly deadLetterQueue: sqs.Queue;

  /** The ingest function (Node.js 22, the SDK client bundled). */
  public readonly function: lambda.Function;

  /** The EventBridge rule that sends the bucket's matching S3 events to the queue. */
  public readonly rule: events.Rule;

  /** An alarm that fires when the dead-letter queue holds a message (ApproximateNumberOfMessagesVisible > 0). */
  public readonly deadLetterAlarm: cloudwatch.Alarm;

  /**
   * The catalog: one item per source object (with the `catalog` property set to true).
   *
   * Item attributes: `assetId` (partition key), `sourceBucket`, `sourceKey` (index `sourceKey`), `sourceEtag`,
   * `assetCreatedAt`, `ingestStatus` (INGESTING, COMPLETE, FAILED, DELETED), `ingestMessage`, `ingestStatusAt`,
   * `statusOrder`, `playback` (a map: configuration id → `state` PLAYABLE, `playableAt`, `manifestUrls`, and
   * `playbackUrls` when the catalog has a distribution), `playbackPathPattern` (`/out/v1/<asset hash>/*`, the path a
   * signed-cookie policy names to cover the asset in every configuration; with the first PLAYABLE entry), `updatedAt`.
   */
  public readonly catalogTable?: dynamodb.ITable;

  /** The rule that queues MediaPackage's status events of this ingest's assets for the catalog (with the `catalog` property set to true). */
  public readonly catalogRule?: events.Rule;

  /** The queue of the catalog's status events, consumed by the ingest function (with the `catalog` property set to true). */
  public readonly statusQueue?: sqs.Queue;

  /** The `catalog` property as given (for the error of `grantReadCatalog` without a catalog). */
  private readonly catalogProp?: boolean;

  /** The catalog's resources and grants (`catalog: true`). */
  private readonly catalog?: IngestCatalog;

  constructor(scope: Construct, id: string, props: BucketIngestProps) {
    super(scope, id);
    this.packagingGroup = props.packagingGroup;
    this.bucket = props.bucket;
    const stack = Stack.of(this);

    validateKeyPatterns(this, props.keyPatterns);
    validateEnvironment(this, props.packagingGroup, props.bucket, stack);
    validateInteger(this, 'maxConcurrency', props.maxConcurrency, MIN_MAX_CONCURRENCY, MAX_MAX_CONCURRENCY);
    const deliveryDelaySeconds = wholeSeconds(this, 'deliveryDelay', props.deliveryDelay, { min: 0, max: MAX_DELIVERY_DELAY_SECONDS });
    this.assetIdPrefix = props.assetIdPrefix ?? generatedPrefix(this);
    validateAssetIdPrefix(this, props.assetIdPrefix);

    validateCatalog(this, props, stack);
    validateCompanions(this, props, stack);
    registerIngest(this, props);
    const onReupload = props.onReupload ?? OnReupload.KEEP;
    const deleteAssetsWithObjects = props.deleteAssetsWithObjects ?? false;

    // The source role: the bucket's shared role (as assets without a role use), or the given one.
    if (props.sourceRole) {
      this.sourceRole = props.sourceRole;
      AssetSource.grantRead(props.bucket, props.sourceRole);
    } else {
      this.sourceRole = AssetSource._sharedSourceRole(this, props.bucket);
    }

    // Queues: encrypted, SSL only, a dead-letter queue after a bounded number of receives.
    const encryption = props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...encryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14), // SQS's longest: time to look at and redrive what failed
    });
    // The function's queues (the ingest queue, the catalog's status queue).
    const queueProps: sqs.QueueProps = {
      ...encryption,
      enforceSSL: true,
      // At least six times the function timeout (Lambda developer guide, SQS event sources): a batch that is still being
      // retried is not delivered to a second invocation.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    };
    this.queue = new sqs.Queue(this, 'Queue', {
      ...queueProps,
      deliveryDelay: deliveryDelaySeconds !== undefined ? Duration.seconds(deliveryDelaySeconds) : undefined,
    });
    if (!props.encryptionKey) {
      skipCheckov(this.deadLetterQueue, 'CKV_AWS_27', CHECKOV_REASONS.sqsManagedSse);
      skipCheckov(this.queue, 'CKV_AWS_27', CHECKOV_REASONS.sqsManagedSse);
    }

    // S3 → EventBridge → the queue.
    turnOnEventBridge(this, props.bucket);
    const detailTypes = deleteAssetsWithObjects ? ['Object Created', 'Object Deleted'] : ['Object Created'];
    this.rule = new events.Rule(this, 'Rule', {
      description: fitDescription(`Objects of ${props.bucket.node.path} that match ${describePatterns(props.keyPatterns)}: MediaPackage VOD ingest`,
        DescriptionLimit.EVENTS_RULE),
      eventPattern: {
        source: ['aws.s3'],
        detailType: detailTypes,
        detail: s3EventDetailOf(props.bucket.bucketName, isListToken(props.keyPatterns) ? [] : props.keyPatterns),
      },
      // The whole event is the message; events EventBridge cannot deliver (after its retries) go to the dead-letter queue.
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });
    warnOnPatternSize(this, props.keyPatterns);
    if (isListToken(props.keyPatterns)) {
      // A CloudFormation list (a CommaDelimitedList parameter): one wildcard object per element cannot be built from
      // an encoded list, so the pattern is written as a JSON string joined at deploy time (elements must not hold '"').
      (this.rule.node.defaultChild as events.CfnRule).eventPattern = Fn.join('', [
        `{"source":["aws.s3"],"detail-type":${JSON.stringify(detailTypes)},"detail":{"bucket":{"name":["`,
        props.bucket.bucketName, '"]},"object":{"key":[{"wildcard":"', Fn.join('"},{"wildcard":"', props.keyPatterns), '"}]}}}',
      ]);
    }

    // The function.
    const { function: ingestFunction, role } = bundledFunction(this, {
      ids: { logGroup: 'LogGroup', role: 'ServiceRole', function: 'Function' },
      entry: path.join('ingest', 'handler'),
      description: fitDescription(`MediaPackage VOD ingest: objects of ${props.bucket.node.path} become assets of ${props.packagingGroup.node.path}`,
        DescriptionLimit.LAMBDA_FUNCTION),
      roleDescription: fitDescription(`Runs the MediaPackage VOD ingest of ${this.node.path}`, DescriptionLimit.IAM_ROLE),
      timeout: FUNCTION_TIMEOUT,
      logEncryptionKey: props.logEncryptionKey,
      environment: {
        [IngestEnv.PACKAGING_GROUP_ID]: props.packagingGroup.packagingGroupId,
        [IngestEnv.SOURCE_ROLE_ARN]: this.sourceRole.roleArn,
        [IngestEnv.ASSET_ID_PREFIX]: this.assetIdPrefix,
        [IngestEnv.KEY_PATTERNS]: isListToken(props.keyPatterns)
          ? Fn.join('', ['["', Fn.join('","', props.keyPatterns), '"]']) : stack.toJsonString(props.keyPatterns),
        [IngestEnv.ON_REUPLOAD]: onReupload,
        [IngestEnv.DELETE_ASSETS_WITH_OBJECTS]: String(deleteAssetsWithObjects),
        [IngestEnv.MAX_ATTEMPTS]: String(MAX_ATTEMPTS),
        [IngestEnv.DEAD_LETTER_QUEUE_URL]: this.deadLetterQueue.queueUrl,
        [IngestEnv.INGEST_QUEUE_URL]: this.queue.queueUrl,
        [IngestEnv.MAX_RECEIVE_COUNT]: String(MAX_RECEIVE_COUNT),
      },
      queue: this.queue,
      batchSize: BATCH_SIZE,
      maxConcurrency: props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      concurrencyReason: 'Its concurrency is bounded by the SQS event source\'s maximum concurrency '
        + '(maxConcurrency), which leaves the excess in the queue; reserved concurrency would also take capacity from the '
        + 'account\'s other functions.',
      deadLetterReason: 'Invoked by an SQS event source (synchronously), where a function dead-letter '
        + 'queue never receives anything: the ingest queue\'s redrive policy sends failed messages to the ingest\'s own '
        + 'dead-letter queue, watched by deadLetterAlarm.',
    });
    this.function = ingestFunction;
    this.grantIngest(role, onReupload === OnReupload.REPLACE || deleteAssetsWithObjects, props.keyPatterns);

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: fitDescription(`Objects of ${props.bucket.node.path} that could not become MediaPackage VOD assets are waiting `
        + 'in the dead-letter queue (the ingest function logs why)', DescriptionLimit.CLOUDWATCH_ALARM),
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.catalogProp = props.catalog;
    if (props.catalog) {
      this.catalog = new IngestCatalog(this, {
        ingestFunction: this.function,
        role,
        queueProps,
        batchSize: BATCH_SIZE,
        maxConcurrency: MIN_MAX_CONCURRENCY, // status events are small writes: two at a time keep up with any ingest
        ownAssetEvents: this.ownAssetEvents(),
        deadLetterQueue: this.deadLetterQueue,
        encryptionKey: props.encryptionKey,
        distribution: props.catalogDistribution,
      });
      this.catalogTable = this.catalog.table;
      this.catalogRule = this.catalog.rule;
      this.statusQueue = this.catalog.queue;
    }
    warnOnImportedKey(this, props.encryptionKey, this.catalogRule ? [this.rule, this.catalogRule] : [this.rule]);

    if (props.ingestExisting) {
      new IngestBackfill(this, 'Backfill', {
        owner: this,
        bucket: props.bucket,
        keyPatterns: props.keyPatterns,
        queue: this.queue,
        encryptionKey: props.encryptionKey,
        logEncryptionKey: props.logEncryptionKey,
        catalogTable: this.catalogTable,
        // With a catalog, the function must write it first (its environment names the table).
        after: this.catalogTable ? [this.rule, this.function] : [this.rule],
      });
    }
  }

  /**
   * Grants reading the catalog (GetItem, BatchGetItem, Query, Scan and DescribeTable on the table and its `sourceKey`
   * index; the key's Decrypt when the catalog is encrypted with `encryptionKey`): for the platform's API.
   */
  public grantReadCatalog(grantee: iam.IGrantable): iam.Grant {
    if (!this.catalog) {
      fail(this, 'catalog', 'this ingest has no catalog to read: create it with the `catalog` property set to true', this.catalogProp);
    }
    return this.catalog.grantRead(grantee);
  }

  /**
   * An EventBridge rule for the IngestStart events of this ingest's assets (asset ids `<assetIdPrefix>-...`).
   */
  public onIngestStart(id: string, options?: events.OnEventOptions): events.Rule {
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_START, this.ownAssetEvents());
  }

  /**
   * An EventBridge rule for the IngestComplete events of this ingest's assets.
   */
  public onIngestComplete(id: string, options?: events.OnEventOptions): events.Rule {
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_COMPLETE, this.ownAssetEvents());
  }

  /**
   * An EventBridge rule for the IngestError events of this ingest's assets: MediaPackage could not ingest an object.
   */
  public onIngestError(id: string, options?: events.OnEventOptions): events.Rule {
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_ERROR, this.ownAssetEvents());
  }

  /**
   * An EventBridge rule for the VodAssetPlayable events of this ingest's assets (one per asset and packaging
   * configuration).
   */
  public onPlayable(id: string, options?: events.OnEventOptions): events.Rule {
    return vodEventRule(this, id, options, VodAssetEvent.PLAYABLE, this.ownAssetEvents());
  }

  /**
   * The events of this ingest's assets: an asset ARN in `resources` that starts with `.../assets/<prefix>-`. The prefix
   * has no hyphen, so another ingest's assets never match (asset-id.ts).
   */
  private ownAssetEvents() {
    return { resources: events.Match.prefix(vodArn(this, 'assets', `${this.assetIdPrefix}-`)) };
  }

  /** Exactly what the function calls, on exactly this ingest's resources. */
  private grantIngest(role: iam.IRole, mayDelete: boolean, keyPatterns: string[]): void {
    const ownAssets = vodArn(this, 'assets', `${this.assetIdPrefix}-*`);
    // CreateAsset has no resource-level permission (service authorization reference: resource `*`; its only condition
    // keys are aws:RequestTag and aws:TagKeys, which cannot name the group or the id), so it cannot be scoped further.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['mediapackage-vod:CreateAsset'], resources: ['*'] }));
    // DescribeAsset (a duplicate id: is it this object's asset?), TagResource (CreateAsset sends the source ETag as a
    // tag) and, when opted in, DeleteAsset: on this ingest's assets only (the id prefix).
    const onAssets = ['mediapackage-vod:DescribeAsset', 'mediapackage-vod:TagResource'];
    if (mayDelete) { onAssets.push('mediapackage-vod:DeleteAsset'); }
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: onAssets, resources: [ownAssets] }));
    // CreateAsset passes the source role to MediaPackage: that role only, to MediaPackage only.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.sourceRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': PASSED_TO_SERVICES } },
    }));
    // Permanent refusals go straight to the dead-letter queue, records deferred for lack of time back to the queue (the
    // event source grants the consumption of the queue).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn, this.queue.queueArn] }));
    // A KMS-encrypted queue: sending needs the key (SQS developer guide, "Key management").
    this.deadLetterQueue.encryptionMasterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    // HeadObject before CreateAsset and DeleteAsset (is the object there now?): s3:GetObject authorizes it, on the key
    // patterns' prefixes only. s3:ListBucket makes S3 answer a missing key with 404 instead of 403 (HeadObject, S3 API
    // reference), so "gone" is never guessed from "denied". The condition refuses listings under other prefixes; it is
    // IfExists because HeadObject's check carries no s3:prefix, so a listing without a prefix passes it too.
    const prefixes = Token.isUnresolved(keyPatterns) || keyPatterns.some(p => Token.isUnresolved(p)) ? [''] : listingPrefixesOf(keyPatterns);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: prefixes.map(prefix => this.bucket.arnForObjects(`${prefix}*`)),
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: prefixes.includes('') ? undefined : { StringLikeIfExists: { 's3:prefix': prefixes.map(prefix => `${prefix}*`) } },
    }));
  }

  /**
   * A metric of this ingest's function: namespace `MediaPackageVod/Ingest`, dimension `IngestId` = the asset id prefix,
   * published in the embedded metric format once per batch (a count per batch), so Sum over a period is what happened
   * in it. Sum over 5 minutes by default. No unit is set: a unit filters datapoints, and a mismatch would be silent.
   *
   * @param metricName AssetsCreated, AssetsExisting, AssetsReplaced, AssetsDeleted, MessagesIgnored, Retries,
   * MessagesReturned, MessagesDeferred, MessagesDeadLettered, StatusEventsApplied, StatusEventsStale or StatusEventsDropped
   * @param props metric options
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: INGEST_METRIC_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { [INGEST_METRIC_DIMENSION]: this.assetIdPrefix, ...props?.dimensionsMap },
    }).attachTo(this);
  }

  /** Assets created (a replacement counts too). Sum over 5 minutes by default. */
  public metricAssetsCreated(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.ASSETS_CREATED, props);
  }

  /** Messages sent to the dead-letter queue (permanent refusals, malformed messages). Sum over 5 minutes by default. */
  public metricMessagesDeadLettered(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.MESSAGES_DEAD_LETTERED, props);
  }

  /**
   * Messages given back to the queue (retries ran out, a call was aborted at the deadline, or the last deferral was
   * used): SQS delivers them again and the receive counts. Sum over 5 minutes by default.
   */
  public metricMessagesReturned(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.MESSAGES_RETURNED, props);
  }

  /**
   * Messages not started for lack of time, sent back to the ingest queue as fresh copies (no receive used). Sum over
   * 5 minutes by default.
   */
  public metricMessagesDeferred(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.MESSAGES_DEFERRED, props);
  }

  /** Catalog: MediaPackage status events written to the catalog. Sum over 5 minutes by default. */
  public metricStatusEventsApplied(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.STATUS_EVENTS_APPLIED, props);
  }

  /** Catalog: status events that were malformed or not this ingest's, logged and dropped. Sum over 5 minutes by default. */
  public metricStatusEventsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(IngestMetric.STATUS_EVENTS_DROPPED, props);
  }

  /**
   * The event pattern of MediaPackage's IngestError events of this ingest's assets (the one `onIngestError` uses), for
   * rules created elsewhere (VodMonitoring).
   *
   * @internal
   */
  public _ingestErrorPattern(): events.EventPattern {
    return vodEventPattern([VodAssetEvent.INGEST_ERROR], this.ownAssetEvents());
  }
}

/** A stable prefix from the construct path: letters, digits and '_' with a hash of the path (unique in the app). */
function generatedPrefix(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, { maxLength: GENERATED_PREFIX_MAX_LENGTH + 8, separator: '_', allowedSpecialCharacters: '_' });
}

/** True for an encoded CloudFormation list (`CfnParameter.valueAsList`, `Fn.split`): one element, a list token. */
function isListToken(patterns: string[]): boolean {
  return Array.isArray(patterns) && Tokenization.reverseList(patterns) !== undefined;
}

function describePatterns(patterns: string[]): string {
  if (isListToken(patterns) || patterns.some(p => Token.isUnresolved(p))) { return 'the key patterns'; }
  const text = patterns.join(', ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
