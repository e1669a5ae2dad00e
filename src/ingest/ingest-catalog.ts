import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CATALOG_SOURCE_KEY_INDEX, CatalogAttribute, IngestEnv } from './contract';
import { playbackDomainOf } from '../playback-url/domain';
import { CHECKOV_REASONS, skipCheckov } from '../private/checkov';
import { DescriptionLimit, fitDescription } from '../private/validate';
import { VodAssetEvent, vodEventPattern } from '../private/vod-events';

/** What the catalog takes from its ingest. */
export interface IngestCatalogProps {
  /** The ingest function: it consumes the status queue and writes the table. */
  readonly ingestFunction: lambda.Function;
  /** The function's role (granted the table's writes). */
  readonly role: iam.IRole;
  /** The status queue's settings: the ingest queue's (encryption, dead-letter queue, visibility, retention). */
  readonly queueProps: sqs.QueueProps;
  /** Messages per invocation of the status queue's event source. */
  readonly batchSize: number;
  /** The status queue's event source's maximum concurrency. */
  readonly maxConcurrency: number;
  /** The events of the ingest's own assets (`resources` prefix). */
  readonly ownAssetEvents: events.EventPattern;
  /** The rule's dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** @default - the table is encrypted with an AWS managed key */
  readonly encryptionKey?: kms.IKey;
  /** @default - no playback URLs in the catalog */
  readonly distribution?: cloudfront.IDistribution;
}

/**
 * The catalog of a BucketIngest (`catalog: true`): the table, a queue of MediaPackage's status events of the ingest's
 * assets (same dead-letter queue), the rule that fills it, and the ingest function as its consumer with UpdateItem on
 * the table.
 *
 * Its items (attribute names in contract.ts, `CatalogAttribute`) hold the source object, the ingest status, a `playback`
 * entry per PLAYABLE configuration, and the asset's `playbackPathPattern` (`/out/v1/<asset hash>/*`, the signed-cookie
 * policy's resource path that covers the asset in every configuration, written with each `playback` entry and removed
 * when `playback` is emptied): see handler/catalog.ts for the writes.
 *
 * Not a node of the construct tree: its resources are the ingest's children with the ids they have always had
 * (`Catalog`, `StatusQueue`, `CatalogRule`), so moving the code here changed no logical id.
 */
export class IngestCatalog {
  /** The table: one item per source object. */
  public readonly table: dynamodb.Table;
  /** The queue of the status events, consumed by the ingest function. */
  public readonly queue: sqs.Queue;
  /** The rule that queues the status events of the ingest's assets. */
  public readonly rule: events.Rule;

  constructor(ingest: Construct, props: IngestCatalogProps) {
    this.table = new dynamodb.Table(ingest, 'Catalog', {
      partitionKey: { name: CatalogAttribute.ASSET_ID, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
    });
    if (!props.encryptionKey) {
      skipCheckov(this.table, 'CKV_AWS_119', 'Encrypted at rest with the AWS managed key of DynamoDB (the default). Pass '
        + 'encryptionKey for a customer managed KMS key.');
    }
    // A title is looked up by its object's key too (items written from an event alone have no key until the function's).
    this.table.addGlobalSecondaryIndex({
      indexName: CATALOG_SOURCE_KEY_INDEX,
      partitionKey: { name: CatalogAttribute.SOURCE_KEY, type: dynamodb.AttributeType.STRING },
    });
    this.queue = new sqs.Queue(ingest, 'StatusQueue', props.queueProps);
    if (!props.encryptionKey) { skipCheckov(this.queue, 'CKV_AWS_27', CHECKOV_REASONS.sqsManagedSse); }
    this.rule = new events.Rule(ingest, 'CatalogRule', {
      description: fitDescription(`MediaPackage VOD status events of the assets of ${ingest.node.path}: its catalog`, DescriptionLimit.EVENTS_RULE),
      eventPattern: vodEventPattern(
        [VodAssetEvent.INGEST_START, VodAssetEvent.INGEST_COMPLETE, VodAssetEvent.INGEST_ERROR, VodAssetEvent.PLAYABLE],
        props.ownAssetEvents),
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: props.deadLetterQueue })],
    });
    props.ingestFunction.addEventSource(new SqsEventSource(this.queue, {
      batchSize: props.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: props.maxConcurrency,
    }));
    props.ingestFunction.addEnvironment(IngestEnv.CATALOG_TABLE_NAME, this.table.tableName);
    if (props.distribution) {
      props.ingestFunction.addEnvironment(IngestEnv.CATALOG_PLAYBACK_DOMAIN, playbackDomainOf(props.distribution));
    }
    // Every catalog write is an UpdateItem on this one table.
    props.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [this.table.tableArn] }));
    props.encryptionKey?.grantEncryptDecrypt(props.role);
  }

  /**
   * Grants reading the catalog (GetItem, BatchGetItem, Query, Scan and DescribeTable on the table and its `sourceKey`
   * index; the key's Decrypt when the catalog is encrypted with `encryptionKey`).
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    // The table and its one index by name (not `index/*`): exactly what the catalog has.
    const tableArn = this.table.tableArn;
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DescribeTable'],
      resourceArns: [tableArn, `${tableArn}/index/${CATALOG_SOURCE_KEY_INDEX}`],
    });
    this.table.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }
}
