import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BucketIngest } from '../ingest/bucket-ingest';
import { INGEST_METRIC_DIMENSION, INGEST_METRIC_NAMESPACE, IngestMetric } from '../ingest/contract';
import { IPackagingConfiguration, PackagingConfiguration, StatusCodeRange } from '../packaging-configuration';
import { IPackagingGroup } from '../packaging-group';
import { vodArn } from '../private/arns';
import { aggregate, checkDashboardLimits, cloudFrontMetric, widgetMetrics } from '../private/dashboard';
import { describeValue, fail, warn } from '../private/errors';
import { groupInternals } from '../private/group-registry';
import { VodAssetEvent, vodEventPattern } from '../private/vod-events';

/** The period of every alarm and of the dashboard's graphs. */
const PERIOD = Duration.minutes(5);

/**
 * Properties of a `VodMonitoring`.
 */
export interface VodMonitoringProps {
  /**
   * The packaging group to monitor: its configurations added in this app are monitored one by one and in aggregate.
   */
  readonly packagingGroup: IPackagingGroup;

  /**
   * More configurations of the group to monitor, e.g. imported ones (`PackagingConfiguration.fromPackagingConfigurationId`):
   * MediaPackage VOD publishes its metrics per configuration only (no packaging-group dimension), so the group's
   * aggregate is a sum over the configurations this construct knows. A configuration created in this app for another
   * group fails.
   *
   * @default - only the configurations added to the group in this app
   */
  readonly configurations?: IPackagingConfiguration[];

  /**
   * The CloudFront distribution that serves the group (`VodDistribution.distribution`, or your own). Its requests and
   * error rates go on the dashboard (metrics of us-east-1, where CloudFront publishes them), and its 5xx error rate
   * gets an alarm when this stack is in us-east-1 (a CloudWatch alarm reads the metrics of its own Region only).
   * A `cloudfront.Distribution` of this app must have an origin on the group's egress domain; an imported one is not
   * checked.
   *
   * @default - no CloudFront widgets or alarm
   */
  readonly distribution?: cloudfront.IDistribution;

  /**
   * The bucket ingests of the group: queue, dead-letter queue, function and assets-created widgets; oldest-message
   * age and IngestError alarms; their own `deadLetterAlarm` gets the topic's actions.
   *
   * @default - none
   */
  readonly ingests?: BucketIngest[];

  /**
   * The topic the alarms notify, when they go to ALARM and when they return to OK.
   *
   * @default - no actions: the alarms only change state (see them on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The dashboard's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The origin's 5xx rate, a fraction between 0 and 1 (0.05 = 5 %), above which a configuration alarms: 5xx responses
   * ÷ all responses of the configuration per 5 minutes, for 2 of the last 3 periods.
   *
   * @default 0.05
   */
  readonly originErrorRateThreshold?: number;

  /**
   * The origin's average response time (EgressResponseTime; the service publishes no percentiles) above which a
   * configuration alarms, per 5 minutes, for 3 consecutive periods.
   *
   * @default Duration.seconds(1)
   */
  readonly originResponseTimeThreshold?: Duration;

  /**
   * CloudFront's 5xx error rate, a fraction between 0 and 1 (CloudFront publishes percent: the alarm's threshold is
   * 100 times this), above which the distribution alarms, per 5 minutes, for 2 of the last 3 periods.
   *
   * @default 0.05
   */
  readonly distributionErrorRateThreshold?: number;

  /**
   * The age of the oldest message in an ingest queue above which the ingest alarms (ingest stuck), maximum per
   * 5 minutes, for 3 consecutive periods.
   *
   * @default Duration.hours(1)
   */
  readonly ingestOldestMessageAgeThreshold?: Duration;

  /**
   * The number of MediaPackage `IngestError` events of one ingest's assets per 5 minutes at or above which it alarms.
   *
   * @default 1
   */
  readonly ingestErrorEventsThreshold?: number;
}

/**
 * The alarms of one bucket ingest.
 */
export interface VodIngestAlarms {
  /** The ingest. */
  readonly ingest: BucketIngest;
  /** The ingest's own dead-letter alarm (`BucketIngest.deadLetterAlarm`), with the topic's actions added. */
  readonly deadLetterAlarm: cloudwatch.IAlarm;
  /** The ingest queue's oldest message (or, with a catalog, its status queue's) is older than the threshold. */
  readonly oldestMessageAgeAlarm: cloudwatch.IAlarm;
  /** MediaPackage sent IngestError events for the ingest's assets. */
  readonly ingestErrorAlarm: cloudwatch.IAlarm;
  /** The EventBridge rule (no target) whose MatchedEvents metric counts the IngestError events. */
  readonly ingestErrorRule: events.IRule;
}

/**
 * A CloudWatch dashboard and the alarms an on-call engineer needs for a MediaPackage VOD packaging group, its
 * CloudFront distribution and its bucket ingests.
 *
 * Every alarm treats missing data as not breaching: each metric here is published only while there is traffic, a
 * message or an event, so no data means nothing to alarm on.
 */
export class VodMonitoring extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  /** The configurations monitored (those added to the group in this app, then `configurations`). */
  public readonly configurations: IPackagingConfiguration[];

  /** ALARM when any configuration's 5xx rate alarm is in ALARM (one alarm per configuration: `configurationErrorRateAlarms`). */
  public readonly originErrorRateAlarm: cloudwatch.IAlarm;

  /** One 5xx-rate alarm per configuration, in the order of `configurations` (no actions: the composite notifies). */
  public readonly configurationErrorRateAlarms: cloudwatch.IAlarm[];

  /** ALARM when any configuration's response time alarm is in ALARM. */
  public readonly originResponseTimeAlarm: cloudwatch.IAlarm;

  /** One response-time alarm per configuration, in the order of `configurations` (no actions: the composite notifies). */
  public readonly configurationResponseTimeAlarms: cloudwatch.IAlarm[];

  /**
   * CloudFront's 5xx error rate alarm.
   *
   * @default - undefined without a distribution, or when this stack is not in us-east-1
   */
  public readonly distributionErrorRateAlarm?: cloudwatch.IAlarm;

  /** The alarms of each ingest, in the order of `ingests`. */
  public readonly ingestAlarms: VodIngestAlarms[];

  private readonly actions: cloudwatch.IAlarmAction[];

  constructor(scope: Construct, id: string, props: VodMonitoringProps) {
    super(scope, id);
    const group = props.packagingGroup;
    if (!group) {
      fail(this, 'packagingGroup', 'the packaging group to monitor is required', group);
    }
    const originErrorRate = validateRate(this, 'originErrorRateThreshold', props.originErrorRateThreshold, 0.05);
    const distributionErrorRate = validateRate(this, 'distributionErrorRateThreshold', props.distributionErrorRateThreshold, 0.05);
    const responseTime = validatePositiveDuration(this, 'originResponseTimeThreshold', props.originResponseTimeThreshold, Duration.seconds(1));
    const oldestAge = validatePositiveDuration(this, 'ingestOldestMessageAgeThreshold', props.ingestOldestMessageAgeThreshold,
      Duration.hours(1));
    const errorEvents = props.ingestErrorEventsThreshold ?? 1;
    if (!Token.isUnresolved(errorEvents) && (!Number.isInteger(errorEvents) || errorEvents < 1)) {
      fail(this, 'ingestErrorEventsThreshold', 'must be a whole number of events, at least 1', errorEvents);
    }

    this.configurations = monitoredConfigurations(this, group, props.configurations ?? []);
    if (this.configurations.length === 0) {
      fail(this, 'configurations', 'MediaPackage VOD publishes metrics per packaging configuration only: add a configuration to '
        + 'the group in this app, or give the group\'s configurations (e.g. imported ones)', []);
    }
    (props.ingests ?? []).forEach((ingest, i) => {
      if (!sameGroup(ingest.packagingGroup, group)) {
        fail(this, `ingests[${i}]`, `ingests into another packaging group (${ingest.packagingGroup.node.path}), not `
          + `${group.node.path}`, ingest.node.path);
      }
    });
    if (props.distribution) {
      validateDistribution(this, props.distribution, group);
    }

    this.actions = props.alarmTopic ? [new cloudwatchActions.SnsAction(props.alarmTopic)] : [];

    // Origin alarms. An alarm's math expression takes at most 10 metrics, so a group-wide rate over 10 configurations
    // (20 metrics) cannot be one alarm: each configuration has its own, and a composite alarm notifies.
    this.configurationErrorRateAlarms = this.configurations.map((c, i) => new cloudwatch.Alarm(this, `OriginErrorRate${i}`, {
      alarmDescription: `MediaPackage VOD configuration ${c.node.path}: more than ${percent(originErrorRate)} of the requests got a 5xx`,
      metric: errorRate(c),
      threshold: originErrorRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    this.originErrorRateAlarm = this.composite('OriginErrorRate', this.configurationErrorRateAlarms,
      `MediaPackage VOD group ${group.node.path}: a packaging configuration answers more than ${percent(originErrorRate)} of `
      + 'requests with 5xx');

    this.configurationResponseTimeAlarms = this.configurations.map((c, i) => new cloudwatch.Alarm(this, `OriginResponseTime${i}`, {
      alarmDescription: `MediaPackage VOD configuration ${c.node.path}: average response time above ${describeDuration(responseTime)}`,
      metric: c.metricEgressResponseTime({ period: PERIOD, statistic: cloudwatch.Stats.AVERAGE }),
      threshold: responseTime.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    this.originResponseTimeAlarm = this.composite('OriginResponseTime', this.configurationResponseTimeAlarms,
      `MediaPackage VOD group ${group.node.path}: a packaging configuration's average response time is above `
      + `${describeDuration(responseTime)}`);

    // CloudFront: metrics in us-east-1 only.
    if (props.distribution) {
      const region = Stack.of(this).region;
      if (region === 'us-east-1') {
        this.distributionErrorRateAlarm = this.notify(new cloudwatch.Alarm(this, 'DistributionErrorRate', {
          alarmDescription: `CloudFront distribution ${props.distribution.node.path}: 5xx error rate above ${percent(distributionErrorRate)}`,
          metric: cloudFrontMetric(props.distribution, '5xxErrorRate', cloudwatch.Stats.AVERAGE, cloudwatch.Unit.PERCENT, PERIOD, false),
          threshold: distributionErrorRate * 100,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      } else {
        warn(this, 'DistributionAlarmRegion', 'distribution', 'CloudFront publishes its metrics in us-east-1 and an alarm reads its '
          + `own Region's metrics only: this stack is in ${Token.isUnresolved(region) ? 'an unknown Region' : region}, so the `
          + 'distribution is on the dashboard but has no alarm. Create a VodMonitoring (or an alarm) in a us-east-1 stack for it.');
      }
    }

    this.ingestAlarms = (props.ingests ?? []).map((ingest, i) => this.ingestAlarmsOf(ingest, i, oldestAge, errorEvents));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    const rows = this.dashboardRows(group, props.distribution);
    checkDashboardLimits(this, rows);
    rows.forEach(row => this.dashboard.addWidgets(...row));
  }

  private composite(id: string, alarms: cloudwatch.IAlarm[], description: string): cloudwatch.IAlarm {
    return this.notify(new cloudwatch.CompositeAlarm(this, id, {
      alarmDescription: description,
      alarmRule: cloudwatch.AlarmRule.anyOf(...alarms.map(a => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
    }));
  }

  private notify<T extends cloudwatch.Alarm | cloudwatch.CompositeAlarm>(alarm: T): T {
    if (this.actions.length > 0) {
      alarm.addAlarmAction(...this.actions);
      alarm.addOkAction(...this.actions);
    }
    return alarm;
  }

  private ingestAlarmsOf(ingest: BucketIngest, index: number, oldestAge: Duration, errorEvents: number): VodIngestAlarms {
    // The ingest already has a dead-letter alarm (> 0 messages): reuse it, with the topic's actions.
    this.notify(ingest.deadLetterAlarm);
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
    const oldestMessageAgeAlarm = this.notify(new cloudwatch.Alarm(this, `IngestOldestMessageAge${index}`, {
      alarmDescription: `Bucket ingest ${ingest.node.path}: the oldest object waiting to become an asset${ingest.statusQueue
        ? ' (or status event waiting for the catalog)' : ''} is older than ${describeDuration(oldestAge)} (ingest stuck or throttled)`,
      metric: oldest,
      threshold: oldestAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    // MediaPackage's IngestError events of this ingest's assets (asset ids `<prefix>-...`). A rule without a target
    // still publishes AWS/Events MatchedEvents per RuleName (TriggeredRules needs a target).
    const ingestErrorRule = new events.Rule(this, `IngestErrors${index}`, {
      description: `MediaPackage VOD IngestError events of the assets of ${ingest.node.path} (counted by its MatchedEvents metric)`,
      eventPattern: vodEventPattern([VodAssetEvent.INGEST_ERROR],
        { resources: events.Match.prefix(vodArn(ingest, 'assets', `${ingest.assetIdPrefix}-`)) }),
    });
    const ingestErrorAlarm = this.notify(new cloudwatch.Alarm(this, `IngestErrorEvents${index}`, {
      alarmDescription: `Bucket ingest ${ingest.node.path}: MediaPackage could not ingest an asset (IngestError event; its message `
        + 'names the cause)',
      metric: ingestErrorMetric(ingestErrorRule),
      threshold: errorEvents,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    return { ingest, deadLetterAlarm: ingest.deadLetterAlarm, oldestMessageAgeAlarm, ingestErrorAlarm, ingestErrorRule };
  }

  private dashboardRows(group: IPackagingGroup, distribution: cloudfront.IDistribution | undefined): cloudwatch.IWidget[][] {
    const rows: cloudwatch.IWidget[][] = [];
    rows.push([new cloudwatch.TextWidget({
      markdown: `# MediaPackage VOD: ${group.node.path}\nOrigin (per packaging configuration and in aggregate)`
        + `${distribution ? ', CloudFront' : ''}${this.ingestAlarms.length > 0 ? ', bucket ingests' : ''}. Periods of 5 minutes.`,
      width: 24,
      height: 2,
    })]);
    const alarms: cloudwatch.IAlarm[] = [this.originErrorRateAlarm, this.originResponseTimeAlarm];
    if (this.distributionErrorRateAlarm) { alarms.push(this.distributionErrorRateAlarm); }
    this.ingestAlarms.forEach(a => alarms.push(a.deadLetterAlarm, a.oldestMessageAgeAlarm, a.ingestErrorAlarm));
    rows.push([new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 3 })]);

    // The group: sums over its configurations (no packaging-group dimension).
    const ranges = [StatusCodeRange.SUCCESS_2XX, StatusCodeRange.REDIRECTION_3XX, StatusCodeRange.CLIENT_ERROR_4XX,
      StatusCodeRange.SERVER_ERROR_5XX];
    rows.push([
      graph('Group: egress requests by status code range', ranges.map(r => aggregate(`group_${r}`, 'SUM', `${r} (all configurations)`,
        this.configurations.map(c => c.metricEgressRequestCountByStatusCodeRange(r, { period: PERIOD })), PERIOD))),
      graph('Group: egress bytes', [aggregate('group_bytes', 'SUM', 'EgressBytes (all configurations)',
        this.configurations.map(c => c.metricEgressBytes({ period: PERIOD })), PERIOD)]),
      graph('Group: response time (ms)', [
        aggregate('group_rt_avg', 'AVG', 'Average of the configurations\' averages',
          this.configurations.map(c => c.metricEgressResponseTime({ period: PERIOD, statistic: cloudwatch.Stats.AVERAGE })), PERIOD),
        aggregate('group_rt_max', 'MAX', 'Maximum', this.configurations.map(c => c.metricEgressResponseTime({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM })), PERIOD),
      ]),
    ]);

    for (const c of this.configurations) {
      const name = c.node.path;
      rows.push([
        graph(`${name}: egress requests by status code range`, ranges.map(r => c.metricEgressRequestCountByStatusCodeRange(r, { period: PERIOD, label: r }))),
        graph(`${name}: egress bytes`, [c.metricEgressBytes({ period: PERIOD, label: 'EgressBytes' })]),
        graph(`${name}: response time (ms)`, [
          c.metricEgressResponseTime({ period: PERIOD, statistic: cloudwatch.Stats.AVERAGE, label: 'Average' }),
          c.metricEgressResponseTime({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Maximum' }),
        ]),
      ]);
    }

    if (distribution) {
      rows.push([
        graph('CloudFront: requests', [cloudFrontMetric(distribution, 'Requests', cloudwatch.Stats.SUM, cloudwatch.Unit.NONE, PERIOD)], 12),
        graph('CloudFront: error rates (%)', [
          cloudFrontMetric(distribution, '4xxErrorRate', cloudwatch.Stats.AVERAGE, cloudwatch.Unit.PERCENT, PERIOD),
          cloudFrontMetric(distribution, '5xxErrorRate', cloudwatch.Stats.AVERAGE, cloudwatch.Unit.PERCENT, PERIOD),
        ], 12),
      ]);
    }

    for (const { ingest } of this.ingestAlarms) {
      const name = ingest.node.path;
      rows.push([
        graph(`${name}: queue`, [
          ingest.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Messages' }),
          ...(ingest.statusQueue ? [ingest.statusQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Catalog status events',
          })] : []),
        ], 6, [ingest.queue.metricApproximateAgeOfOldestMessage({
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
          label: 'Age of oldest message (s)',
        })]),
        graph(`${name}: dead-letter queue`, [ingest.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Messages' })], 6),
        graph(`${name}: function`, [
          ingest.function.metricErrors({ period: PERIOD, label: 'Errors' }),
          ingest.function.metricThrottles({ period: PERIOD, label: 'Throttles' }),
        ], 6),
        graph(`${name}: assets`, [
          ingestMetric(ingest, IngestMetric.ASSETS_CREATED),
          ingestErrorMetric(this.ingestAlarms.find(a => a.ingest === ingest)!.ingestErrorRule, 'IngestError events'),
          ...(ingest.catalogTable ? [
            ingestMetric(ingest, IngestMetric.STATUS_EVENTS_APPLIED),
            ingestMetric(ingest, IngestMetric.STATUS_EVENTS_DROPPED),
          ] : []),
        ], 6),
      ]);
    }
    return rows;
  }
}

/** The configurations added to the group in this app, then the given ones not already among them. */
function monitoredConfigurations(scope: Construct, group: IPackagingGroup, extra: IPackagingConfiguration[]): IPackagingConfiguration[] {
  const registered = (groupInternals(group)?.configurations ?? []).map(r => r.construct as IPackagingConfiguration);
  extra.forEach((c, i) => {
    if (c instanceof PackagingConfiguration && !sameGroup(c.packagingGroup, group)) {
      fail(scope, `configurations[${i}]`, `belongs to another packaging group (${c.packagingGroup.node.path}), not ${group.node.path}`,
        c.node.path);
    }
  });
  return [...registered, ...extra.filter(c => !registered.includes(c))];
}

/** The same group: the same construct, or the same id (e.g. imported twice). */
function sameGroup(a: IPackagingGroup, b: IPackagingGroup): boolean {
  if (a === b) { return true; }
  const stack = Stack.of(b);
  return JSON.stringify(stack.resolve(a.packagingGroupId)) === JSON.stringify(stack.resolve(b.packagingGroupId));
}

/**
 * A `cloudfront.Distribution` of this app must have an origin on the group's egress domain. Distributions whose
 * origins are not known here (imported) and groups without a known egress domain are not checked.
 */
function validateDistribution(scope: Construct, distribution: cloudfront.IDistribution, group: IPackagingGroup): void {
  const cfn = distribution.node.defaultChild;
  if (!(cfn instanceof cloudfront.CfnDistribution)) { return; }
  let egressDomain: string;
  try {
    egressDomain = group.egressDomain;
  } catch {
    return;
  }
  const stack = Stack.of(cfn);
  const config = stack.resolve(cfn.distributionConfig);
  const origins: { domainName?: unknown }[] = Array.isArray(config?.origins) ? config.origins : [];
  const wanted = JSON.stringify(stack.resolve(egressDomain));
  if (!origins.some(o => JSON.stringify(o.domainName) === wanted)) {
    fail(scope, 'distribution', `does not serve the packaging group ${group.node.path}: none of its origins is the group's egress `
      + `domain ${describeValue(egressDomain)}`, distribution.node.path);
  }
}

function validateRate(scope: Construct, propertyPath: string, value: number | undefined, defaultValue: number): number {
  if (value === undefined) { return defaultValue; }
  if (!Token.isUnresolved(value) && !(value > 0 && value < 1)) {
    fail(scope, propertyPath, 'must be a fraction between 0 and 1, exclusive (0.05 = 5 %)', value);
  }
  return value;
}

function validatePositiveDuration(scope: Construct, propertyPath: string, value: Duration | undefined, defaultValue: Duration): Duration {
  if (value === undefined) { return defaultValue; }
  if (!value.isUnresolved() && value.toMilliseconds() <= 0) {
    fail(scope, propertyPath, 'must be longer than 0', value.toHumanString());
  }
  return value;
}

function describeDuration(duration: Duration): string {
  return duration.isUnresolved() ? 'the threshold' : duration.toHumanString();
}

function percent(fraction: number): string {
  return Token.isUnresolved(fraction) ? 'the threshold' : `${Math.round(fraction * 10000) / 100} %`;
}

/** 5xx ÷ all requests of one configuration; a period without 5xx counts 0, a period without requests has no value. */
function errorRate(c: IPackagingConfiguration): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: 'FILL(errors, 0) / requests',
    usingMetrics: {
      errors: c.metricEgressRequestCountByStatusCodeRange(StatusCodeRange.SERVER_ERROR_5XX, { period: PERIOD }),
      requests: c.metricEgressRequestCount({ period: PERIOD }),
    },
    label: '5xx rate',
    period: PERIOD,
  });
}

function ingestMetric(ingest: BucketIngest, metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: INGEST_METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { [INGEST_METRIC_DIMENSION]: ingest.assetIdPrefix },
    statistic: cloudwatch.Stats.SUM,
    unit: cloudwatch.Unit.COUNT,
    period: PERIOD,
    label: metricName,
  });
}

/** AWS/Events MatchedEvents of the rule (label only on the dashboard: an alarm's metric with a label renders as a query). */
function ingestErrorMetric(rule: events.IRule, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'MatchedEvents',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label,
  });
}

function graph(title: string, left: cloudwatch.IMetric[], width = 8, right?: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  const widget = new cloudwatch.GraphWidget({ title, left, right, width, height: 6, period: PERIOD });
  widgetMetrics.set(widget, [...left, ...right ?? []]);
  return widget;
}
