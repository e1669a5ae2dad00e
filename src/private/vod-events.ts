import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { fail } from './errors';

/**
 * EventBridge rules for MediaPackage VOD asset events (service-rules.md "Events": the user guide's
 * "cloudwatch-events-example", confirmed against a captured real event). Every such event has source
 * `aws.mediapackage`, detail-type `MediaPackage Input Notification`, `detail.event` one of the values below, and the
 * asset ARN in `resources` (VodAssetPlayable: also the configuration ARN, and `detail.packaging_configuration_id`).
 */
export const VOD_EVENT_SOURCE = 'aws.mediapackage';
export const VOD_EVENT_DETAIL_TYPE = 'MediaPackage Input Notification';

/** The values of `detail.event`. */
export const VodAssetEvent = {
  INGEST_START: 'IngestStart',
  INGEST_COMPLETE: 'IngestComplete',
  INGEST_ERROR: 'IngestError',
  PLAYABLE: 'VodAssetPlayable',
} as const;

/** What selects the events of one resource (or set of resources) beyond source, detail-type and `detail.event`. */
export interface VodEventScope {
  /** Elements of the `resources` pattern (an ARN, or a `Match.prefix` of one). */
  readonly resources?: string[];
  /** More fields of the `detail` pattern. */
  readonly detail?: Record<string, unknown>;
}

/**
 * A rule for one kind of VOD asset event, built like aws-cdk's `onEvent` helpers (codecommit, ecr): the user's
 * options (target, description, rule name, extra pattern) and this scope's pattern, merged by `addEventPattern`.
 */
export function vodEventRule(
  scope: Construct, id: string, options: events.OnEventOptions | undefined, event: string, match: VodEventScope,
): events.Rule {
  checkOwnPattern(scope, options?.eventPattern, event, match);
  const rule = new events.Rule(scope, id, options);
  rule.addEventPattern(vodEventPattern([event], match));
  rule.addTarget(options?.target);
  return rule;
}

/** The pattern of VOD asset events whose `detail.event` is one of `eventNames`, in this scope. */
export function vodEventPattern(eventNames: string[], match: VodEventScope): events.EventPattern {
  return {
    source: [VOD_EVENT_SOURCE],
    detailType: [VOD_EVENT_DETAIL_TYPE],
    ...(match.resources ? { resources: match.resources } : {}),
    detail: { event: eventNames, ...match.detail },
  };
}

/**
 * An `eventPattern` option is merged into the helper's pattern (aws-cdk-lib unions the lists), so a value of its own for
 * a field the helper sets (`source`, `detailType`, `detail.event`, and the scope's `resources` and `detail` fields, e.g.
 * the asset's ARN or the configuration's id) would widen the rule to other events, silently: each fails unless it only
 * repeats the helper's values. Fields the helper does not set narrow the rule and are kept.
 */
function checkOwnPattern(scope: Construct, pattern: events.EventPattern | undefined, event: string, match: VodEventScope): void {
  if (!pattern) { return; }
  const own: [string, unknown, unknown[]][] = [
    ['source', pattern.source, [VOD_EVENT_SOURCE]],
    ['detailType', pattern.detailType, [VOD_EVENT_DETAIL_TYPE]],
    ['detail.event', pattern.detail?.event, [event]],
  ];
  if (match.resources) { own.push(['resources', pattern.resources, match.resources]); }
  for (const [key, value] of Object.entries(match.detail ?? {})) {
    own.push([`detail.${key}`, pattern.detail?.[key], Array.isArray(value) ? value : [value]]);
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const [field, given, mine] of own) {
    if (given === undefined) { continue; }
    if (Array.isArray(given) && given.every(v => mine.some(m => same(v, m)))) { continue; }
    fail(scope, `options.eventPattern.${field}`, `is set by the helper (${JSON.stringify(Stack.of(scope).resolve(mine))}); another value would be merged `
      + 'into it and widen the rule to other events: leave it out, or use a plain events.Rule for other events', given);
  }
}
