import { ArnFormat, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { IVodMonitoringSegment } from './segment';
import { alarmDescription, checkIngestRegion, describeDuration, notify, PERIOD, topicActions, validateThreshold } from './shared';
import { BucketIngest } from '../ingest/bucket-ingest';
import { graph } from '../private/dashboard';
import { fail } from '../private/errors';
import { logGroupEncryption } from '../private/log-encryption';
import { stackSingleton } from '../private/singleton';
import { DescriptionLimit, fitDescription, validateInteger } from '../private/validate';

/** The log groups of IngestError events: one prefix, so one resource policy per stack lets EventBridge write them all. */
const EVENTS_LOG_GROUP_PREFIX = '/aws/events/cdk-mediapackage-vod/';

/**
 * Properties of a `VodIngestMonitoring`.
 */
export interface VodIngestMonitoringProps {
  /** The bucket ingest to monitor. It must be in this stack's Region and account (its metrics are published there). */
  readonly ingest: BucketIngest;

  /**
   * The topic the alarms notify, when they go to ALARM and when they return to OK. It must be in this stack's Region.
   *
   * @default - no actions: the alarms only change state
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The age of the oldest message in the ingest queue (with a catalog, or in its status queue) above which the ingest
   * alarms (ingest stuck), maximum per 5 minutes, for 3 consecutive periods. A whole number of seconds.
   *
   * @default Duration.hours(1)
   */
  readonly oldestMessageAgeThreshold?: Duration;

  /**
   * The number of MediaPackage `IngestError` events of the ingest's assets per 5 minutes at or above which it alarms.
   *
   * @default 1
   */
  readonly ingestErrorEventsThreshold?: number;

  /**
   * Encrypt the log group of the IngestError events (`ingestErrorLogGroup`) with this KMS key. A key of this app gets
   * the key policy statement CloudWatch Logs needs; the policy of an imported key must allow
   * `logs.<region>.amazonaws.com`.
   *
   * @default - CloudWatch Logs encrypts the events with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The segment of one bucket ingest: its own alarms (dead-letter queue not empty, oldest message too old, IngestError
 * events) and a dashboard row (queue, dead-letter queue, function, assets). The ingest itself is not changed: its own
 * `deadLetterAlarm` keeps no actions, this segment has its own dead-letter alarm that notifies the topic, so two
 * monitorings of one ingest, or a monitoring in another stack, never touch it.
 *
 * IngestError events are counted by a rule with a target: the events go to a log group of this segment (one month;
 * each event names the cause), and the rule's `TriggeredRules` metric, which EventBridge publishes for rules with a
 * target, is the alarm's. CloudWatch Logs holds at most 10 resource policies per Region and account: this library adds
 * one per stack that has IngestError rules (for every log group under `/aws/events/cdk-mediapackage-vod/`).
 */
export class VodIngestMonitoring extends Construct implements IVodMonitoringSegment {
  /** The ingest monitored. */
  public readonly ingest: BucketIngest;

  /** The ingest's dead-letter queue holds a message (this segment's own alarm; the ingest's `deadLetterAlarm` is left as it is). */
  public readonly deadLetterAlarm: cloudwatch.IAlarm;

  /** The ingest queue's oldest message (or, with a catalog, its status queue's) is older than the threshold. */
  public readonly oldestMessageAgeAlarm: cloudwatch.IAlarm;

  /** MediaPackage sent IngestError events for the ingest's assets. */
  public readonly ingestErrorAlarm: cloudwatch.IAlarm;

  /** The EventBridge rule of the ingest's IngestError events (its target: `ingestErrorLogGroup`). */
  public readonly ingestErrorRule: events.IRule;

  /** The log group that receives the IngestError events (retained one month; each names the cause). */
  public readonly ingestErrorLogGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: VodIngestMonitoringProps) {
    super(scope, id);
    const ingest = props.ingest;
    if (!(ingest instanceof BucketIngest)) {
      fail(this, 'ingest', 'must be a BucketIngest of this library', (ingest as IConstruct | undefined)?.node?.path ?? ingest);
    }
    this.ingest = ingest;
    checkIngestRegion(this, 'ingest', ingest);
    const oldestAge = validateThreshold(this, 'oldestMessageAgeThreshold', props.oldestMessageAgeThreshold, Duration.hours(1), 'seconds');
    validateInteger(this, 'ingestErrorEventsThreshold', props.ingestErrorEventsThreshold, 1);
    const errorEvents = props.ingestErrorEventsThreshold ?? 1;
    const actions = topicActions(this, props.alarmTopic);

    this.deadLetterAlarm = notify(new cloudwatch.Alarm(this, 'DeadLetter', {
      alarmDescription: alarmDescription(`Bucket ingest ${ingest.node.path}: objects that could not become MediaPackage VOD `
        + 'assets are waiting in the dead-letter queue (the ingest function logs why)'),
      metric: ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }), actions);

    // With a catalog, its status events wait in a second queue: the alarm watches the older of the two.
    const oldestObject = ingest.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM });
    const oldest = ingest.statusQueue
      ? new cloudwatch.MathExpression({
        expression: 'MAX([objects, status])',
        usingMetrics: {
          objects: oldestObject,
          status: ingest.statusQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        },
        label: 'Age of the oldest message (objects and catalog status events)',
        period: PERIOD,
      })
      : oldestObject;
    this.oldestMessageAgeAlarm = notify(new cloudwatch.Alarm(this, 'OldestMessageAge', {
      alarmDescription: alarmDescription(`Bucket ingest ${ingest.node.path}: the oldest object waiting to become an asset${ingest.statusQueue
        ? ' (or status event waiting for the catalog)' : ''} is older than ${describeDuration(oldestAge)} (ingest stuck or throttled)`),
      metric: oldest,
      threshold: oldestAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }), actions);

    // MediaPackage's IngestError events of this ingest's assets, to a log group: a rule with a target, so EventBridge
    // publishes its TriggeredRules metric (a rule without a target is not sure to publish any).
    const logGroup = new logs.LogGroup(this, 'IngestErrorLog', {
      logGroupName: `${EVENTS_LOG_GROUP_PREFIX}${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: props.logEncryptionKey,
    });
    logGroupEncryption(logGroup, props.logEncryptionKey, 'MediaPackage IngestError events (asset ids and causes, no '
      + 'content), encrypted by CloudWatch Logs with its own key (the default). Pass logEncryptionKey for a customer '
      + 'managed KMS key.');
    this.ingestErrorLogGroup = logGroup;
    const rule = new events.Rule(this, 'IngestErrors', {
      description: fitDescription(`MediaPackage VOD IngestError events of the assets of ${ingest.node.path} (to a log group; counted `
        + 'by TriggeredRules)', DescriptionLimit.EVENTS_RULE),
      eventPattern: ingest._ingestErrorPattern(),
      targets: [{ bind: () => ({ arn: logGroupTargetArn(logGroup) }) }],
    });
    rule.node.addDependency(eventsToLogsPolicy(this));
    this.ingestErrorRule = rule;
    this.ingestErrorAlarm = notify(new cloudwatch.Alarm(this, 'IngestErrorEvents', {
      alarmDescription: alarmDescription(`Bucket ingest ${ingest.node.path}: MediaPackage could not ingest an asset (IngestError `
        + `event; its message names the cause: see the log group ${EVENTS_LOG_GROUP_PREFIX}...)`),
      metric: triggeredRules(rule),
      threshold: errorEvents,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }), actions);
  }

  /** The three alarms. */
  public alarms(): cloudwatch.IAlarm[] {
    return [this.deadLetterAlarm, this.oldestMessageAgeAlarm, this.ingestErrorAlarm];
  }

  /** One row: queue (depth and oldest age), dead-letter queue, function errors and throttles, assets and events. */
  public widgets(): cloudwatch.IWidget[] {
    const ingest = this.ingest;
    const name = ingest.node.path;
    const max = (label: string) => ({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label });
    return [
      graph(`${name}: queue`, [
        ingest.queue.metricApproximateNumberOfMessagesVisible(max('Messages')),
        ...(ingest.statusQueue ? [ingest.statusQueue.metricApproximateNumberOfMessagesVisible(max('Catalog status events'))] : []),
      ], { width: 6, period: PERIOD, right: [ingest.queue.metricApproximateAgeOfOldestMessage(max('Age of oldest message (s)'))] }),
      graph(`${name}: dead-letter queue`, [ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible(max('Messages'))],
        { width: 6, period: PERIOD }),
      graph(`${name}: function`, [
        ingest.function.metricErrors({ period: PERIOD, label: 'Errors' }),
        ingest.function.metricThrottles({ period: PERIOD, label: 'Throttles' }),
      ], { width: 6, period: PERIOD }),
      graph(`${name}: assets`, [
        ingest.metricAssetsCreated({ period: PERIOD, label: 'AssetsCreated' }),
        triggeredRules(this.ingestErrorRule, 'IngestError events'),
        ...(ingest.catalogTable ? [
          ingest.metricStatusEventsApplied({ period: PERIOD, label: 'StatusEventsApplied' }),
          ingest.metricStatusEventsDropped({ period: PERIOD, label: 'StatusEventsDropped' }),
        ] : []),
      ], { width: 6, period: PERIOD }),
    ];
  }
}

/**
 * AWS/Events TriggeredRules of the rule (RuleName: the default bus), Sum. Published for a rule with a target. Label
 * only on the dashboard (an alarm's metric with a label renders as a query).
 */
function triggeredRules(rule: events.IRule, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'TriggeredRules',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label,
  });
}

/** A log group as an EventBridge target: its ARN without the `:*` suffix (as aws-cdk's CloudWatchLogGroup target). */
function logGroupTargetArn(logGroup: logs.ILogGroup): string {
  return Stack.of(logGroup).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroup.logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * One CloudWatch Logs resource policy per stack that lets EventBridge write the IngestError log groups (by their
 * prefix, in this account and Region; a rule can target a log group of its own account only, so no condition is added,
 * which would risk EventBridge's writes being refused if it does not send that key). aws-cdk's CloudWatchLogGroup target would add a custom resource and a policy per rule
 * (CloudWatch Logs allows 10 policies per Region).
 */
function eventsToLogsPolicy(scope: IConstruct): logs.ResourcePolicy {
  return stackSingleton(scope, 'MediaPackageVodEventsToLogsPolicy', (stack, id) => new logs.ResourcePolicy(stack, id, {
    policyStatements: [new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [stack.formatArn({
        service: 'logs', resource: 'log-group', resourceName: `${EVENTS_LOG_GROUP_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    })],
  }));
}
