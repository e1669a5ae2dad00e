import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { VodDistributionMonitoring } from './distribution-monitoring';
import { VodIngestMonitoring } from './ingest-monitoring';
import { VodOriginMonitoring } from './origin-monitoring';
import { IVodMonitoringSegment } from './segment';
import {
  checkIngestRegion, checkOriginRegion, monitoredConfigurations, topicActions, validateDistribution,
  validateRate, validateThreshold,
} from './shared';
import { BucketIngest } from '../ingest/bucket-ingest';
import { IPackagingConfiguration } from '../packaging-configuration';
import { IPackagingGroup } from '../packaging-group';
import { checkDashboardLimits } from '../private/dashboard';
import { fail, warn } from '../private/errors';
import { groupsDiffer } from '../private/group-registry';
import { validateInteger } from '../private/validate';

export * from './segment';
export * from './origin-monitoring';
export * from './distribution-monitoring';
export * from './ingest-monitoring';

/**
 * Properties of a `VodMonitoring`.
 */
export interface VodMonitoringProps {
  /**
   * The packaging group to monitor: its configurations added in this app are monitored one by one and in aggregate.
   * It must be in this stack's Region (MediaPackage publishes its metrics there, and an alarm reads its own Region's).
   */
  readonly packagingGroup: IPackagingGroup;

  /**
   * More configurations of the group to monitor, e.g. imported ones (`PackagingConfiguration.fromPackagingConfigurationId`):
   * MediaPackage VOD publishes its metrics per configuration only (no packaging-group dimension), so the group's
   * aggregate is a sum over the configurations this construct knows. A configuration created in this app for another
   * group fails; one given twice (or also added to the group) is monitored once.
   *
   * @default - only the configurations added to the group in this app
   */
  readonly configurations?: IPackagingConfiguration[];

  /**
   * The CloudFront distribution that serves the group (`VodDistribution.distribution`, or your own). Its requests and
   * error rates go on the dashboard (metrics of us-east-1, where CloudFront publishes them), and its 5xx error rate
   * gets an alarm when this stack is in us-east-1 (a CloudWatch alarm reads the metrics of its own Region only; for a
   * group in another Region, add a `VodDistributionMonitoring` in a us-east-1 stack). A `cloudfront.Distribution` of
   * this app must have an origin on the group's egress domain; an imported one is not checked.
   *
   * @default - no CloudFront widgets or alarm
   */
  readonly distribution?: cloudfront.IDistribution;

  /**
   * The bucket ingests of the group (a `VodIngestMonitoring` each): queue, dead-letter queue, function and assets
   * widgets; dead-letter, oldest-message age and IngestError alarms of this construct's own (the ingest's own
   * `deadLetterAlarm` is not changed). Each must be in this stack's Region; one listed twice is monitored once.
   *
   * @default - none
   */
  readonly ingests?: BucketIngest[];

  /**
   * The topic the alarms notify, when they go to ALARM and when they return to OK. It must be in this stack's Region.
   *
   * @default - no actions: the alarms only change state (see them on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Create the dashboard. Without it, put the rows on your own dashboard: add every widget of `widgets()` to one
   * dashboard row.
   *
   * @default true
   */
  readonly createDashboard?: boolean;

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
   * The fewest requests of a configuration in 5 minutes for its 5xx rate to count: a period with fewer is taken as
   * healthy (rate 0), so a handful of failed requests in a quiet hour does not page anyone. A whole number, at least 1.
   *
   * @default 100
   */
  readonly originMinimumRequests?: number;

  /**
   * The origin's average response time (EgressResponseTime; the service publishes no percentiles) above which a
   * configuration alarms, per 5 minutes, for 3 consecutive periods.
   *
   * @default Duration.seconds(1)
   */
  readonly originResponseTimeThreshold?: Duration;

  /**
   * CloudFront's 5xx error rate, a fraction between 0 and 1 (CloudFront publishes percent: the alarm's threshold is
   * 100 times this), above which the distribution alarms, per 5 minutes, for 2 of the last 3 periods. Used only with
   * a `distribution` (a warning otherwise).
   *
   * @default 0.05
   */
  readonly distributionErrorRateThreshold?: number;

  /**
   * The age of the oldest message in an ingest queue above which the ingest alarms (ingest stuck), maximum per
   * 5 minutes, for 3 consecutive periods. A whole number of seconds.
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

  /**
   * Encrypt the log groups of the ingests' IngestError events (`VodIngestMonitoring.ingestErrorLogGroup`) with this KMS
   * key. A key of this app gets the key policy statement CloudWatch Logs needs; the policy of an imported key must allow
   * `logs.<region>.amazonaws.com`.
   *
   * @default - CloudWatch Logs encrypts the events with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A CloudWatch dashboard and the alarms an on-call engineer needs for a MediaPackage VOD packaging group, its
 * CloudFront distribution and its bucket ingests, in segments: `origin` (a `VodOriginMonitoring`), `distributionMonitoring`
 * (a `VodDistributionMonitoring`) and one `VodIngestMonitoring` per ingest (`ingestSegments`). Each segment's `widgets()` are rows for any
 * dashboard; each can also be created on its own (e.g. the distribution's in a us-east-1 stack).
 *
 * Every alarm treats missing data as not breaching: each metric here is published only while there is traffic, a
 * message or an event, so no data means nothing to alarm on. Alarm ids come from what they watch (a configuration's
 * id, an ingest's asset id prefix), so adding, removing or reordering configurations and ingests leaves the others'
 * alarms as they are. Only this construct's own alarms get actions.
 */
export class VodMonitoring extends Construct implements IVodMonitoringSegment {
  /**
   * The dashboard.
   *
   * @default - undefined with `createDashboard: false`
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** The origin segment: the configurations' alarms and rows. */
  public readonly origin: VodOriginMonitoring;

  /**
   * The CloudFront segment.
   *
   * @default - undefined without a distribution
   */
  public readonly distributionMonitoring?: VodDistributionMonitoring;

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

  /**
   * One segment per ingest, in the order of `ingests` (each once), with its alarms (`deadLetterAlarm`,
   * `oldestMessageAgeAlarm`, `ingestErrorAlarm`) and its IngestError rule.
   */
  public readonly ingestSegments: VodIngestMonitoring[];

  private readonly group: IPackagingGroup;

  constructor(scope: Construct, id: string, props: VodMonitoringProps) {
    super(scope, id);
    const group = props.packagingGroup;
    if (!group) {
      fail(this, 'packagingGroup', 'the packaging group to monitor is required', group);
    }
    this.group = group;
    // Every property is checked here, under its own name, before the segments check theirs.
    validateRate(this, 'originErrorRateThreshold', props.originErrorRateThreshold, 0);
    validateRate(this, 'distributionErrorRateThreshold', props.distributionErrorRateThreshold, 0);
    validateInteger(this, 'originMinimumRequests', props.originMinimumRequests, 1);
    validateThreshold(this, 'originResponseTimeThreshold', props.originResponseTimeThreshold, Duration.seconds(1), 'milliseconds');
    validateThreshold(this, 'ingestOldestMessageAgeThreshold', props.ingestOldestMessageAgeThreshold, Duration.hours(1), 'seconds');
    validateInteger(this, 'ingestErrorEventsThreshold', props.ingestErrorEventsThreshold, 1);
    topicActions(this, props.alarmTopic);
    checkOriginRegion(this, 'packagingGroup', group);
    monitoredConfigurations(this, group, props.configurations ?? []);
    const ingests = this.uniqueIngests(props.ingests ?? []);
    if (props.distribution) {
      validateDistribution(this, 'distribution', props.distribution, group);
    } else if (props.distributionErrorRateThreshold !== undefined) {
      warn(this, 'UnusedDistributionErrorRateThreshold', 'distributionErrorRateThreshold', 'is for the CloudFront alarm, and there '
        + 'is no distribution: give the distribution, or leave the threshold out');
    }

    this.origin = new VodOriginMonitoring(this, 'Origin', {
      packagingGroup: group,
      configurations: props.configurations,
      alarmTopic: props.alarmTopic,
      errorRateThreshold: props.originErrorRateThreshold,
      minimumRequests: props.originMinimumRequests,
      responseTimeThreshold: props.originResponseTimeThreshold,
    });
    this.configurations = this.origin.configurations;
    this.originErrorRateAlarm = this.origin.errorRateAlarm;
    this.configurationErrorRateAlarms = this.origin.configurationErrorRateAlarms;
    this.originResponseTimeAlarm = this.origin.responseTimeAlarm;
    this.configurationResponseTimeAlarms = this.origin.configurationResponseTimeAlarms;

    if (props.distribution) {
      this.distributionMonitoring = new VodDistributionMonitoring(this, 'Distribution', {
        distribution: props.distribution,
        alarmTopic: props.alarmTopic,
        errorRateThreshold: props.distributionErrorRateThreshold,
      });
      this.distributionErrorRateAlarm = this.distributionMonitoring.errorRateAlarm;
    }

    // Ids from the ingest's identity (its asset id prefix, unique per group), not its position in the list.
    this.ingestSegments = ingests.map(ingest => new VodIngestMonitoring(this, `Ingest-${ingest.assetIdPrefix}`, {
      ingest,
      alarmTopic: props.alarmTopic,
      oldestMessageAgeThreshold: props.ingestOldestMessageAgeThreshold,
      ingestErrorEventsThreshold: props.ingestErrorEventsThreshold,
      logEncryptionKey: props.logEncryptionKey,
    }));

    if (props.createDashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        defaultInterval: Duration.hours(3),
      });
      const widgets = this.widgets();
      checkDashboardLimits(this, widgets);
      this.dashboard.addWidgets(...widgets);
    } else if (props.dashboardName !== undefined) {
      warn(this, 'UnusedDashboardName', 'dashboardName', 'is for the dashboard, and createDashboard is false: leave it out');
    }
  }

  /** Every alarm that notifies: the origin's composites, CloudFront's, and each ingest's three. */
  public alarms(): cloudwatch.IAlarm[] {
    return this.segments().flatMap(s => s.alarms());
  }

  /**
   * The dashboard's rows: a title, an alarm status row, then the origin's, CloudFront's and each ingest's rows (each
   * row 24 wide: adding every widget of `widgets()` to one dashboard row lays them out row by row).
   */
  public widgets(): cloudwatch.IWidget[] {
    const parts = ['Origin (per packaging configuration and in aggregate)'];
    if (this.distributionMonitoring) { parts.push('CloudFront'); }
    if (this.ingestSegments.length > 0) { parts.push('bucket ingests'); }
    return [
      new cloudwatch.TextWidget({
        markdown: `# MediaPackage VOD: ${this.group.node.path}\n${parts.join(', ')}. Periods of 5 minutes.`,
        width: 24,
        height: 2,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms(), width: 24, height: 3 }),
      ...this.segments().flatMap(s => s.widgets()),
    ];
  }

  private segments(): IVodMonitoringSegment[] {
    return [this.origin, ...this.distributionMonitoring ? [this.distributionMonitoring] : [], ...this.ingestSegments];
  }

  /**
   * The ingests, each once; of this group and this Region. (Two ingests of one group with one asset id prefix cannot
   * exist: BucketIngest rejects the second, so the segment ids, which come from the prefix, are unique.)
   */
  private uniqueIngests(ingests: BucketIngest[]): BucketIngest[] {
    const unique: BucketIngest[] = [];
    ingests.forEach((ingest, i) => {
      if (unique.includes(ingest)) { return; }
      if (groupsDiffer(ingest.packagingGroup, this.group)) {
        fail(this, `ingests[${i}]`, `ingests into another packaging group (${ingest.packagingGroup.node.path}), not `
          + `${this.group.node.path}`, ingest.node.path);
      }
      checkIngestRegion(this, `ingests[${i}]`, ingest);
      unique.push(ingest);
    });
    return unique;
  }
}

