import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A part of the monitoring of a packaging group (its origin, its CloudFront distribution, one bucket ingest): alarms,
 * and dashboard rows to put on `VodMonitoring`'s dashboard or on your own.
 */
export interface IVodMonitoringSegment {
  /**
   * The segment's dashboard rows, in order: each row's widths add up to 24 (a dashboard's width), so adding every
   * widget of `widgets()` to one dashboard row lays them out row by row.
   */
  widgets(): cloudwatch.IWidget[];

  /** The segment's alarms (those that notify, for an alarm status widget). */
  alarms(): cloudwatch.IAlarm[];
}
