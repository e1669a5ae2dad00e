import { IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { IVodMonitoringSegment } from './segment';
import { alarmDescription, notify, percent, PERIOD, topicActions, validateDistribution, validateRate } from './shared';
import { IPackagingGroup } from '../packaging-group';
import { graph } from '../private/dashboard';
import { fail, validationProblem, warn } from '../private/errors';
import { cloudFrontMetric } from '../private/metrics';

/** The one Region where CloudFront publishes its metrics. */
const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/**
 * Properties of a `VodDistributionMonitoring`.
 */
export interface VodDistributionMonitoringProps {
  /**
   * The CloudFront distribution that serves the group (`VodDistribution.distribution`, or your own). From a stack of
   * another Region, import it (`cloudfront.Distribution.fromDistributionAttributes`) or turn cross-Region references on
   * in both stacks.
   */
  readonly distribution: cloudfront.IDistribution;

  /**
   * The packaging group the distribution serves: a `cloudfront.Distribution` of this app must have an origin on its
   * egress domain (an imported distribution is not checked).
   *
   * @default - not checked
   */
  readonly packagingGroup?: IPackagingGroup;

  /**
   * The topic the alarm notifies, when it goes to ALARM and when it returns to OK. It must be in this stack's Region.
   *
   * @default - no actions: the alarm only changes state
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * CloudFront's 5xx error rate, a fraction between 0 and 1 (CloudFront publishes percent: the alarm's threshold is
   * 100 times this), above which the distribution alarms, per 5 minutes, for 2 of the last 3 periods.
   *
   * @default 0.05
   */
  readonly errorRateThreshold?: number;
}

/**
 * The CloudFront segment of a packaging group's monitoring: the distribution's requests and 4xx/5xx error rates as a
 * dashboard row (`widgets()`; a dashboard in any Region shows them), and a 5xx error-rate alarm.
 *
 * CloudFront publishes its metrics in us-east-1 only, and an alarm reads the metrics of its own Region: the alarm
 * exists when this stack is in us-east-1. Elsewhere (or in a stack without a Region) there is no alarm and a warning
 * (`cdk-mediapackage-vod:DistributionAlarmRegion`) says to create a `VodDistributionMonitoring` in a us-east-1 stack,
 * while the origin and ingest alarms stay in the group's Region (`VodMonitoring` there).
 */
export class VodDistributionMonitoring extends Construct implements IVodMonitoringSegment {
  /** The distribution monitored. */
  public readonly distribution: cloudfront.IDistribution;

  /**
   * CloudFront's 5xx error-rate alarm.
   *
   * @default - undefined when this stack is not in us-east-1
   */
  public readonly errorRateAlarm?: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: VodDistributionMonitoringProps) {
    super(scope, id);
    if (!props.distribution) {
      fail(this, 'distribution', 'the distribution to monitor is required', props.distribution);
    }
    this.distribution = props.distribution;
    const threshold = validateRate(this, 'errorRateThreshold', props.errorRateThreshold, 0.05);
    if (props.packagingGroup) {
      validateDistribution(this, 'distribution', props.distribution, props.packagingGroup);
    }
    const region = Stack.of(this).region;
    if (region !== CLOUDFRONT_METRICS_REGION) {
      warn(this, 'DistributionAlarmRegion', 'distribution', 'CloudFront publishes its metrics in us-east-1 and an alarm reads its '
        + `own Region's metrics only: this stack is in ${Token.isUnresolved(region) ? 'no known Region (no env)' : region}, so the `
        + 'distribution is on the dashboard but has no alarm. For the alarm, create a VodDistributionMonitoring in a stack whose '
        + 'env Region is us-east-1 (import the distribution there with cloudfront.Distribution.fromDistributionAttributes, or '
        + 'turn cross-Region references on in both stacks); keep the group\'s monitoring in the group\'s Region.');
      return;
    }
    this.errorRateAlarm = notify(new cloudwatch.Alarm(this, 'ErrorRate', {
      alarmDescription: alarmDescription(`CloudFront distribution ${props.distribution.node.path}: 5xx error rate above ${percent(threshold)}`),
      metric: cloudFrontMetric(props.distribution, '5xxErrorRate', cloudwatch.Stats.AVERAGE, { period: PERIOD }),
      threshold: percentOf(this, threshold),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }), topicActions(this, props.alarmTopic));
  }

  /** The error-rate alarm, when there is one. */
  public alarms(): cloudwatch.IAlarm[] {
    return this.errorRateAlarm ? [this.errorRateAlarm] : [];
  }

  /** One row: requests, and the 4xx and 5xx error rates (%). */
  public widgets(): cloudwatch.IWidget[] {
    const labelled = (name: string, statistic: string) => cloudFrontMetric(this.distribution, name, statistic, { period: PERIOD, label: name });
    return [
      graph('CloudFront: requests', [labelled('Requests', cloudwatch.Stats.SUM)], { width: 12, period: PERIOD }),
      graph('CloudFront: error rates (%)', [labelled('4xxErrorRate', cloudwatch.Stats.AVERAGE), labelled('5xxErrorRate', cloudwatch.Stats.AVERAGE)],
        { width: 12, period: PERIOD }),
    ];
  }
}

/**
 * A fraction as CloudFront's percent. A Token is multiplied when resolved, so it must resolve to a number at synth (a
 * `Lazy`): a value known only at deploy time (a `CfnParameter`) cannot be, and fails at synth with its path and value.
 */
function percentOf(scope: IConstruct, fraction: number): number {
  if (!Token.isUnresolved(fraction)) { return Math.round(fraction * 10000) / 100; }
  scope.node.addValidation({
    validate: () => {
      const resolved = Stack.of(scope).resolve(fraction);
      return typeof resolved === 'number' ? [] : [validationProblem('errorRateThreshold', 'must be known at synth: CloudFront '
        + 'publishes percent, so the alarm\'s threshold is 100 times it, computed at synth (a deploy-time value such as a '
        + 'CfnParameter cannot be multiplied)', resolved)];
    },
  });
  const percentage: IResolvable = {
    creationStack: [],
    resolve: (context: IResolveContext) => context.resolve(fraction) * 100,
    toString: () => 'CloudFrontErrorRatePercent',
  };
  return Token.asNumber(percentage);
}
