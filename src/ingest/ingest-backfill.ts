import * as path from 'path';
import { CustomResource, Duration, Size, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';
import { BackfillWorkerEnv, MAX_TASK_ATTEMPTS } from './backfill/job';
import { BACKFILL_RESOURCE_TYPE } from './contract';
import { listingPrefixesOf } from './key-pattern';
import { bundledFunction } from '../private/bundled-function';
import { CHECKOV_REASONS, skipCheckov } from '../private/checkov';
import { bundledResource, instanceProvider } from '../private/providers';
import { DescriptionLimit, fitDescription } from '../private/validate';

/** The worker's timeout: each invocation walks for at most this long (less its margin), then hands the rest on. */
const WORKER_TIMEOUT = Duration.minutes(2);

/** The custom resource's function: two checks and one SendMessage, each bounded (its handler stops at 60 s). */
const STARTER_TIMEOUT = Duration.minutes(2);

/** What the backfill of one `BucketIngest` reads and feeds. */
export interface IngestBackfillProps {
  /** The ingest that owns the backfill: the starter's provider and log group keep their ids under it. */
  readonly owner: Construct;
  readonly bucket: s3.IBucket;
  readonly keyPatterns: string[];
  /** The ingest queue: where the keys found go. */
  readonly queue: sqs.IQueue;
  /** The key of the ingest's queues, if they are KMS-encrypted: the job queues use it too. */
  readonly encryptionKey?: kms.IKey;
  /** The key of the ingest's log groups (`logEncryptionKey`): the worker's and the starter's use it too. */
  readonly logEncryptionKey?: kms.IKey;
  /** The catalog table, if any: a new one starts the walk again (its items are filled as the objects pass). */
  readonly catalogTable?: dynamodb.ITable;
  /** What must exist before the walk starts (the rule, so no new object falls between; the function, with a catalog). */
  readonly after: IDependable[];
}

/**
 * The backfill of a `BucketIngest` (`ingestExisting`), internal: a custom resource that starts a walk of the bucket
 * and answers at once, and a worker that walks it from a job queue, in short invocations that hand on what is left.
 *
 * Why a self-continuing queue and not a Step Functions distributed map: the walk's shape is found while listing (each
 * folder's listing says what to list next), every step is one ListObjectsV2 call, and the ingest already runs on SQS
 * with a dead-letter queue and an alarm; a job message carries the tasks left (continuation tokens included), so the
 * same pattern serves both, with no state machine and nothing billed between deployments.
 *
 * Resources: the starter (a `CustomResourceProvider` function per ingest, its log group `BackfillLogGroup` and the
 * custom resource `Backfill`, ids kept from before the split), the job queue and its dead-letter queue (a task that
 * failed 3 times is parked there; a message received 3 times goes there), the worker function (an SQS event source,
 * batch size 1) with its log group, and an alarm when the job's dead-letter queue holds a message.
 */
export class IngestBackfill extends Construct {
  /** The custom resource that starts a walk (at Create, and at an Update that changes what it reads or feeds). */
  public readonly resource: CustomResource;
  /** The job queue: walk tasks, each message a batch of them. */
  public readonly jobQueue: sqs.Queue;
  /** Tasks that failed MAX_TASK_ATTEMPTS times, and job messages received 3 times without success. */
  public readonly jobDeadLetterQueue: sqs.Queue;
  /** The worker function. */
  public readonly worker: lambda.Function;
  /** Fires when the job's dead-letter queue holds a message: part of the bucket was not walked (the worker logs why). */
  public readonly jobDeadLetterAlarm: cloudwatch.Alarm;

  /** The custom resource is this construct's default child, so its logical id is the one `Backfill` had before. */
  constructor(scope: Construct, id: string, props: IngestBackfillProps) {
    super(scope, id);
    const prefixes = Token.isUnresolved(props.keyPatterns) || props.keyPatterns.some(p => Token.isUnresolved(p))
      ? [''] : listingPrefixesOf(props.keyPatterns);
    const encryption = props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED };

    this.jobDeadLetterQueue = new sqs.Queue(this, 'JobDeadLetterQueue', {
      ...encryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.jobQueue = new sqs.Queue(this, 'JobQueue', {
      ...encryption,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.jobDeadLetterQueue, maxReceiveCount: MAX_TASK_ATTEMPTS },
    });
    if (!props.encryptionKey) {
      skipCheckov(this.jobDeadLetterQueue, 'CKV_AWS_27', CHECKOV_REASONS.sqsManagedSse);
      skipCheckov(this.jobQueue, 'CKV_AWS_27', CHECKOV_REASONS.sqsManagedSse);
    }

    // The worker: lists the bucket, sends keys to the ingest queue and tasks to the job queues.
    const { function: worker, role } = bundledFunction(this, {
      ids: { logGroup: 'WorkerLogGroup', role: 'WorkerRole', function: 'Worker' },
      entry: path.join('ingest', 'backfill', 'worker'),
      description: fitDescription(`Backfill of ${props.owner.node.path}: finds the objects of ${props.bucket.node.path} that match its `
        + 'key patterns', DescriptionLimit.LAMBDA_FUNCTION),
      roleDescription: fitDescription(`Walks ${props.bucket.node.path} for the backfill of ${props.owner.node.path}`, DescriptionLimit.IAM_ROLE),
      timeout: WORKER_TIMEOUT,
      logEncryptionKey: props.logEncryptionKey,
      environment: {
        [BackfillWorkerEnv.JOB_QUEUE_URL]: this.jobQueue.queueUrl,
        [BackfillWorkerEnv.JOB_DEAD_LETTER_QUEUE_URL]: this.jobDeadLetterQueue.queueUrl,
      },
      queue: this.jobQueue,
      batchSize: 1,
      maxConcurrency: 5,
      concurrencyReason: 'Its concurrency is bounded by the SQS event source\'s maximum concurrency (5), '
        + 'which leaves the excess in the job queue; reserved concurrency would also take capacity from the account\'s other '
        + 'functions.',
      deadLetterReason: 'Invoked by an SQS event source (synchronously), where a function dead-letter '
        + 'queue never receives anything: the job queue\'s redrive policy sends failed messages to the job dead-letter queue, '
        + 'which has its alarm.',
    });
    this.worker = worker;
    role.addToPrincipalPolicy(new iam.PolicyStatement(listStatement(props.bucket, prefixes)));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [props.queue.queueArn, this.jobQueue.queueArn, this.jobDeadLetterQueue.queueArn],
    }));
    // Sending to a KMS-encrypted queue needs the key (SQS developer guide, "Key management").
    props.encryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');

    // The starter: checks the bucket can be listed and sends the first job message; answers in seconds.
    const starterStatements = [
      new iam.PolicyStatement(listStatement(props.bucket, prefixes)),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.jobQueue.queueArn] }),
      ...(props.encryptionKey
        ? [new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.encryptionKey.keyArn] })]
        : []),
    ].map(statement => statement.toStatementJson());
    const provider = instanceProvider(props.owner, 'MediaPackageVodIngestBackfill', 'BackfillLogGroup', {
      entry: path.join('ingest', 'backfill'),
      description: fitDescription(`Starts the backfill of ${props.owner.node.path}: a walk of ${props.bucket.node.path}`,
        DescriptionLimit.LAMBDA_FUNCTION),
      timeout: STARTER_TIMEOUT,
      memorySize: Size.mebibytes(256),
      policyStatements: starterStatements,
      logRetention: logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    this.resource = bundledResource(this, 'Default', provider, {
      resourceType: BACKFILL_RESOURCE_TYPE,
      properties: {
        BucketName: props.bucket.bucketName,
        KeyPatterns: props.keyPatterns,
        Prefixes: prefixes,
        QueueUrl: props.queue.queueUrl,
        JobQueueUrl: this.jobQueue.queueUrl,
        // Turning the catalog on walks the bucket again, so the objects already ingested get their items.
        ...(props.catalogTable ? { CatalogTable: props.catalogTable.tableName } : {}),
      },
    });
    // The walk starts once new objects are already routed to the queue (none falls between) and the worker may run.
    this.resource.node.addDependency(...props.after, this.worker);

    this.jobDeadLetterAlarm = new cloudwatch.Alarm(this, 'JobDeadLetterAlarm', {
      alarmDescription: fitDescription(`Part of ${props.bucket.node.path} was not walked by the backfill of ${props.owner.node.path}: `
        + 'tasks are waiting in its job dead-letter queue (the worker logs why; send them back to the job queue to retry)',
      DescriptionLimit.CLOUDWATCH_ALARM),
      metric: this.jobDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/**
 * ListBucket on the bucket, for listings whose Prefix starts with one of the patterns' literal prefixes (every listing
 * of the walk does: walk.ts); no condition when a pattern starts with a wildcard.
 */
function listStatement(bucket: s3.IBucket, prefixes: string[]): iam.PolicyStatementProps {
  return {
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    ...(prefixes.includes('') ? {} : { conditions: { StringLike: { 's3:prefix': prefixes.map(p => `${p}*`) } } }),
  };
}
