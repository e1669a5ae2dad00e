import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * CloudWatch dashboard quotas (CloudWatch service quotas, "Dashboards"): widgets per dashboard, metrics per graph
 * widget, metrics per dashboard. A math expression's inputs count as metrics of the widget (they are rendered as
 * hidden entries of its `metrics` array).
 */
export const MAX_WIDGETS_PER_DASHBOARD = 500;
export const MAX_METRICS_PER_WIDGET = 500;
export const MAX_METRICS_PER_DASHBOARD = 2500;

/** The metrics each graph widget was built with (GraphWidget does not expose them). */
export const widgetMetrics = new WeakMap<cloudwatch.IWidget, cloudwatch.IMetric[]>();

/** The number of entries `metric` adds to a widget's `metrics` array: itself, and a math expression's inputs. */
export function metricEntries(metric: cloudwatch.IMetric): number {
  if (metric instanceof cloudwatch.MathExpression) {
    return 1 + Object.values(metric.usingMetrics).reduce((n, m) => n + metricEntries(m), 0);
  }
  return 1;
}

/** Fails when the dashboard's rows would exceed a CloudWatch dashboard quota. */
export function checkDashboardLimits(scope: IConstruct, rows: cloudwatch.IWidget[][]): void {
  const widgets = rows.flat();
  if (widgets.length > MAX_WIDGETS_PER_DASHBOARD) {
    fail(scope, 'dashboard', `a CloudWatch dashboard holds at most ${MAX_WIDGETS_PER_DASHBOARD} widgets`, widgets.length);
  }
  let total = 0;
  for (const widget of widgets) {
    const count = (widgetMetrics.get(widget) ?? []).reduce((n, m) => n + metricEntries(m), 0);
    if (count > MAX_METRICS_PER_WIDGET) {
      fail(scope, 'dashboard', `a CloudWatch graph widget holds at most ${MAX_METRICS_PER_WIDGET} metrics`, count);
    }
    total += count;
  }
  if (total > MAX_METRICS_PER_DASHBOARD) {
    fail(scope, 'dashboard', `a CloudWatch dashboard holds at most ${MAX_METRICS_PER_DASHBOARD} metrics`, total);
  }
}

/** A math expression `FN([inputs])` over `metrics`, with ids `<id>_<n>` (lowercase first: CloudWatch's id rule). */
export function aggregate(id: string, fn: string, label: string, metrics: cloudwatch.IMetric[], period: Duration): cloudwatch.IMetric {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  metrics.forEach((m, i) => { usingMetrics[`${id}_${i}`] = m; });
  return new cloudwatch.MathExpression({ expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, label, period });
}

/**
 * A CloudFront metric of a distribution: namespace AWS/CloudFront, dimensions DistributionId and Region=Global,
 * published in us-east-1 only (so the metric names that Region; a dashboard in any Region shows it). Unlabelled for
 * alarms (a label makes an alarm render its metric as a query).
 */
export function cloudFrontMetric(distribution: cloudfront.IDistribution, metricName: string, statistic: string, unit: cloudwatch.Unit,
  period: Duration, labelled = true): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    statistic,
    unit: unit === cloudwatch.Unit.NONE ? undefined : unit,
    period,
    region: 'us-east-1',
    label: labelled ? metricName : undefined,
  });
}
