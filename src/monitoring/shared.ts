import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { IPackagingConfiguration } from '../packaging-configuration';
import { IPackagingGroup } from '../packaging-group';
import { fail, validationProblem } from '../private/errors';
import { configurationGroupOf, distributionMissesGroup, groupInternals, groupsDiffer } from '../private/group-registry';
import { DescriptionLimit, fitDescription, wholeSeconds } from '../private/validate';

/** The period of every alarm and of the dashboards' graphs. */
export const PERIOD = Duration.minutes(5);

/** A fraction in (0, 1), or the default (skips Tokens). */
export function validateRate(scope: IConstruct, propertyPath: string, value: number | undefined, defaultValue: number): number {
  if (value === undefined) { return defaultValue; }
  if (!Token.isUnresolved(value) && !(value > 0 && value < 1)) {
    fail(scope, propertyPath, 'must be a fraction between 0 and 1, exclusive (0.05 = 5 %)', value);
  }
  return value;
}

/**
 * A duration longer than 0, or the default. `unit` is what the alarm's threshold is in: a duration that is not a whole
 * number of seconds cannot be a threshold in seconds, and a duration known only at deploy time (a Token) converts to
 * no other unit than its own, so it must be given in the threshold's unit.
 */
export function validateThreshold(scope: IConstruct, propertyPath: string, value: Duration | undefined, defaultValue: Duration,
  unit: 'seconds' | 'milliseconds'): Duration {
  if (value === undefined) { return defaultValue; }
  if (value.isUnresolved()) {
    const needed = unit === 'seconds' ? 'seconds' : 'millis';
    if (value.unitLabel() !== needed) {
      fail(scope, propertyPath, `is known only at deploy time, and the alarm's threshold is in ${unit}: a deploy-time duration `
        + `cannot be converted, so give it as Duration.${needed}(...)`, `Duration.${value.unitLabel()}(<token>)`);
    }
    return value;
  }
  if (value.toMilliseconds({ integral: false }) <= 0) {
    fail(scope, propertyPath, 'must be longer than 0', value.toHumanString());
  }
  if (unit === 'seconds') {
    wholeSeconds(scope, propertyPath, value, { min: 1 });
  }
  return value;
}

/**
 * Fails when `region` is known and differs from the stack's known Region: an alarm reads the metrics of its own Region
 * only (and notifies topics of its own Region only).
 */
export function checkRegion(scope: IConstruct, propertyPath: string, region: string, value: unknown, why: string): void {
  const stackRegion = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
    fail(scope, propertyPath, `is in ${region}, this stack in ${stackRegion}: ${why}`, value);
  }
}

/** The topic's actions (ALARM and OK), after checking that the topic is in this stack's Region. */
export function topicActions(scope: IConstruct, topic: sns.ITopic | undefined): cloudwatch.IAlarmAction[] {
  if (!topic) { return []; }
  checkRegion(scope, 'alarmTopic', topic.env.region, topic.node.path, 'a CloudWatch alarm notifies SNS topics of its own Region '
    + 'only: give a topic of this Region');
  return [new cloudwatchActions.SnsAction(topic)];
}

/** Adds the actions on ALARM and on OK to an alarm this library created. */
export function notify<T extends cloudwatch.Alarm | cloudwatch.CompositeAlarm>(alarm: T, actions: cloudwatch.IAlarmAction[]): T {
  if (actions.length > 0) {
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
  }
  return alarm;
}

/** An alarm's description within CloudWatch's limit (1024 characters): a long construct path is cut in the middle. */
export function alarmDescription(text: string): string {
  return fitDescription(text, DescriptionLimit.CLOUDWATCH_ALARM);
}

export function describeDuration(duration: Duration): string {
  return duration.isUnresolved() ? 'the threshold' : duration.toHumanString();
}

export function percent(fraction: number): string {
  return Token.isUnresolved(fraction) ? 'the threshold' : `${Math.round(fraction * 10000) / 100} %`;
}

/** The group's Region must be this stack's: MediaPackage publishes the configurations' metrics there. */
export function checkOriginRegion(scope: IConstruct, propertyPath: string, group: IPackagingGroup): void {
  checkRegion(scope, propertyPath, group.env.region, group.node.path, 'MediaPackage publishes the configurations\' metrics in the '
    + 'group\'s Region and an alarm reads its own Region\'s metrics only: put this monitoring in a stack of the group\'s Region '
    + '(CloudFront\'s alarm goes in a us-east-1 stack: VodDistributionMonitoring)');
}

/**
 * A `cloudfront.Distribution` of this app must have an origin on the group's egress domain, and a VodDistribution must
 * front the group (group-registry's rule; imported distributions and groups without a known egress domain are not
 * checked). Checked at synth: behaviors added after this construct count.
 */
export function validateDistribution(scope: IConstruct, propertyPath: string, distribution: cloudfront.IDistribution,
  group: IPackagingGroup): void {
  scope.node.addValidation({
    validate: () => {
      const problem = distributionMissesGroup(distribution, group);
      return problem
        ? [validationProblem(propertyPath, `does not serve the packaging group ${group.node.path}: ${problem}`, distribution.node.path)]
        : [];
    },
  });
}

/** An ingest's queues and function publish their metrics in its Region: its alarms must be there. */
export function checkIngestRegion(scope: IConstruct, propertyPath: string, ingest: IConstruct): void {
  checkRegion(scope, propertyPath, Stack.of(ingest).region, ingest.node.path, 'its queues and function publish their metrics there '
    + 'and an alarm reads its own Region\'s metrics only: monitor it from a stack of its Region');
}

export interface Monitored {
  readonly configuration: IPackagingConfiguration;
  /** What identifies it: its id, or (generated at deploy time) its construct's unique id. */
  readonly key: string;
}

/** The configurations added to the group in this app, then the given ones not already among them (by id). */
export function monitoredConfigurations(scope: IConstruct, group: IPackagingGroup, extra: IPackagingConfiguration[]): Monitored[] {
  const registered = (groupInternals(group)?.configurations ?? []).map(r => r.construct as IPackagingConfiguration);
  extra.forEach((c, i) => {
    const own = configurationGroupOf(c);
    if (groupsDiffer(own, group)) {
      fail(scope, `configurations[${i}]`, `belongs to another packaging group (${own!.node.path}), not ${group.node.path}`, c.node.path);
    }
    checkRegion(scope, `configurations[${i}]`, c.env.region, c.node.path, 'MediaPackage publishes its metrics in its Region and an alarm '
      + 'reads its own Region\'s metrics only');
  });
  const monitored = new Map<string, Monitored>();
  for (const configuration of [...registered, ...extra]) {
    const key = configurationKey(configuration);
    if (!monitored.has(key)) { monitored.set(key, { configuration, key }); }
  }
  if (monitored.size === 0) {
    fail(scope, 'configurations', 'MediaPackage VOD publishes metrics per packaging configuration only: add a configuration to '
      + 'the group in this app, or give the group\'s configurations (e.g. imported ones)', []);
  }
  return [...monitored.values()];
}

/**
 * A configuration's identity: the value of its metrics' PackagingConfiguration dimension when known at synth (its id;
 * an import of the same id is the same configuration), else its construct path (an id generated at deploy time).
 */
function configurationKey(c: IPackagingConfiguration): string {
  const id = c.metricEgressBytes().dimensions?.PackagingConfiguration;
  return typeof id === 'string' && !Token.isUnresolved(id) ? id : Names.nodeUniqueId(c.node);
}
