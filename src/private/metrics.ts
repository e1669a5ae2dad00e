import { Duration, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The CloudWatch namespace of MediaPackage (live and VOD). */
export const NAMESPACE = 'AWS/MediaPackage';

/** The dimension of every VOD metric: the packaging configuration. */
const CONFIGURATION_DIMENSION = 'PackagingConfiguration';

/** The VOD metric names (user guide, "AWS Elemental MediaPackage VOD content metrics"). */
export enum VodMetricName {
  EGRESS_REQUEST_COUNT = 'EgressRequestCount',
  EGRESS_BYTES = 'EgressBytes',
  EGRESS_RESPONSE_TIME = 'EgressResponseTime',
}

const DEFAULTS: Record<string, { statistic: string; unit: cloudwatch.Unit }> = {
  [VodMetricName.EGRESS_REQUEST_COUNT]: { statistic: cloudwatch.Stats.SUM, unit: cloudwatch.Unit.COUNT },
  [VodMetricName.EGRESS_BYTES]: { statistic: cloudwatch.Stats.SUM, unit: cloudwatch.Unit.BYTES },
  [VodMetricName.EGRESS_RESPONSE_TIME]: { statistic: cloudwatch.Stats.AVERAGE, unit: cloudwatch.Unit.MILLISECONDS },
};

/**
 * A metric of one packaging configuration: dimension `PackagingConfiguration` = the configuration id.
 * Known names get their statistic and unit; any other name passes through with the given options.
 */
export function configurationMetric(scope: IConstruct, metricName: string, packagingConfigurationId: string,
  props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const defaults = DEFAULTS[metricName];
  return new cloudwatch.Metric({
    namespace: NAMESPACE,
    metricName,
    statistic: defaults?.statistic,
    unit: defaults?.unit,
    ...props,
    dimensionsMap: { [CONFIGURATION_DIMENSION]: packagingConfigurationId, ...props?.dimensionsMap },
  }).attachTo(scope);
}

/**
 * The same metric without a unit, for alarms: a unit on an alarm's metric filters its datapoints, and a unit other
 * than the one the service publishes with leaves the alarm without data, silently.
 */
export function unitless(metric: cloudwatch.Metric): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensionsMap: metric.dimensions as Record<string, string> | undefined,
    statistic: metric.statistic,
    period: metric.period,
    account: metric.account,
    region: metric.region,
    label: metric.label,
    color: metric.color,
  });
}

const AGGREGATES: Record<string, string> = {
  Sum: 'SUM', SampleCount: 'SUM', Average: 'AVG', Minimum: 'MIN', Maximum: 'MAX',
};

/**
 * Aggregates per-configuration metrics into one group metric (a math expression): the library's one aggregation helper
 * (the group's metric methods and VodMonitoring's group rows). Sum and SampleCount add up, Average averages the
 * configurations' averages, Minimum and Maximum take the extreme.
 */
export function aggregateMetric(scope: IConstruct, metricName: string, metrics: cloudwatch.Metric[],
  props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
  const statistic = metrics[0].statistic;
  const fn = AGGREGATES[statistic];
  if (!fn) {
    fail(scope, 'metric.statistic', 'a group metric aggregates its configurations with Sum, SampleCount, Average, Minimum '
      + 'or Maximum only; use the configurations\' metrics for other statistics', statistic);
  }
  // Ids unique per metric name, statistic, period and other dimensions (e.g. StatusCodeRange): two group metrics on one
  // graph or alarm must not share an id for different metrics (CloudWatch math ids: a lowercase letter first, then
  // letters, digits and _).
  const others = Object.entries(metrics[0].dimensions ?? {})
    .filter(([name, value]) => name !== CONFIGURATION_DIMENSION && !Token.isUnresolved(value))
    .map(([, value]) => `_${value}`).join('');
  const prefix = `${metricName}_${statistic}_${metrics[0].period.toSeconds()}${others}`.replace(/[^a-zA-Z0-9_]/g, '');
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  metrics.forEach((m, i) => { usingMetrics[`m${prefix}_${i}`] = m; });
  return new cloudwatch.MathExpression({
    expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`,
    usingMetrics,
    label: props?.label ?? `${metricName} (${fn} over ${metrics.length} configuration${metrics.length === 1 ? '' : 's'})`,
    period: props?.period ?? Duration.minutes(5),
    color: props?.color,
  });
}

/**
 * A CloudFront metric of a distribution (`IDistribution` has no metric methods): namespace AWS/CloudFront, dimensions
 * DistributionId and Region=Global, published in us-east-1 only, so the metric names that Region (a dashboard in any
 * Region shows it; an alarm must be in us-east-1). No unit (see `unitless`).
 */
export function cloudFrontMetric(distribution: cloudfront.IDistribution, metricName: string, statistic: string,
  props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    statistic,
    ...props,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    region: 'us-east-1',
  });
}
