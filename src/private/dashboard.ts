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
const widgetMetrics = new WeakMap<cloudwatch.IWidget, cloudwatch.IMetric[]>();

/** The number of entries `metric` adds to a widget's `metrics` array: itself, and a math expression's inputs. */
export function metricEntries(metric: cloudwatch.IMetric): number {
  if (metric instanceof cloudwatch.MathExpression) {
    return 1 + Object.values(metric.usingMetrics).reduce((n, m) => n + metricEntries(m), 0);
  }
  return 1;
}

/** A graph widget of the library's dashboards (6 high, one period), whose metrics `checkDashboardLimits` counts. */
export function graph(title: string, left: cloudwatch.IMetric[], props: {
  width: number;
  period: cloudwatch.GraphWidgetProps['period'];
  right?: cloudwatch.IMetric[];
}): cloudwatch.GraphWidget {
  const widget = new cloudwatch.GraphWidget({ title, left, right: props.right, width: props.width, height: 6, period: props.period });
  widgetMetrics.set(widget, [...left, ...props.right ?? []]);
  return widget;
}

/** Fails when the widgets would exceed a CloudWatch dashboard quota. */
export function checkDashboardLimits(scope: IConstruct, widgets: cloudwatch.IWidget[]): void {
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
