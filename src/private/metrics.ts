import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The CloudWatch namespace of MediaPackage (live and VOD). */
export const NAMESPACE = 'AWS/MediaPackage';

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
    dimensionsMap: { PackagingConfiguration: packagingConfigurationId, ...props?.dimensionsMap },
  }).attachTo(scope);
}

const AGGREGATES: Record<string, string> = {
  Sum: 'SUM', SampleCount: 'SUM', Average: 'AVG', Minimum: 'MIN', Maximum: 'MAX',
};

/**
 * Aggregates per-configuration metrics into one group metric (a math expression).
 */
export function aggregateMetric(scope: IConstruct, metricName: string, metrics: cloudwatch.Metric[],
  props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
  const statistic = metrics[0].statistic;
  const fn = AGGREGATES[statistic];
  if (!fn) {
    fail(scope, 'metric.statistic', 'a group metric aggregates its configurations with Sum, SampleCount, Average, Minimum '
      + 'or Maximum only; use the configurations\' metrics for other statistics', statistic);
  }
  // Ids unique per metric name, statistic and period: two group metrics on one graph or alarm must not share an id for
  // different metrics (CloudWatch math ids: a lowercase letter first, then letters, digits and _).
  const prefix = `${metricName}_${statistic}_${metrics[0].period.toSeconds()}`.replace(/[^a-zA-Z0-9_]/g, '');
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
