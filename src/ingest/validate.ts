import { Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { ASSET_ID_PREFIX_PATTERN, MAX_ASSET_ID_PREFIX_LENGTH } from './asset-id';
import type { BucketIngestProps } from './bucket-ingest';
import { DEFAULT_EVENT_PATTERN_QUOTA, keyPatternProblem, matchesChildPlaylists, s3EventDetailOf } from './key-pattern';
import type { IPackagingGroup } from '../packaging-group';
import { fail, warn } from '../private/errors';
import { checkVodDistributionOfGroup } from '../private/group-registry';

/*
 * The checks of BucketIngest's properties (errors through the project's error helper; warnings acknowledgeable).
 */

/** Key patterns: required, EventBridge wildcard syntax, .smil/.m3u8; a warning for patterns that match child playlists. */
export function validateKeyPatterns(scope: IConstruct, patterns: string[] | undefined): void {
  if (patterns !== undefined && Token.isUnresolved(patterns)) { return; }
  if (patterns === undefined || patterns.length === 0) {
    fail(scope, 'keyPatterns', 'give at least one key pattern (EventBridge wildcard syntax, ending in .smil or .m3u8)', patterns);
  }
  const seen = new Map<string, number>();
  patterns.forEach((pattern, index) => {
    if (Token.isUnresolved(pattern)) { return; }
    const propertyPath = `keyPatterns[${index}]`;
    const problem = keyPatternProblem(pattern);
    if (problem) { fail(scope, propertyPath, problem, pattern); }
    if (seen.has(pattern)) { fail(scope, propertyPath, `duplicate of keyPatterns[${seen.get(pattern)}]`, pattern); }
    seen.set(pattern, index);
    if (matchesChildPlaylists(pattern)) {
      warn(scope, 'KeyPatternMatchesChildPlaylists', propertyPath, `'${pattern}' has a wildcard in its file name: it also `
        + 'matches the HLS child (rendition) playlists next to each parent playlist, and each would become an asset (or '
        + 'fail). Name the parent\'s file, e.g. \'movies/*/index.m3u8\'.');
    }
  });
}

/** The bucket, the group and the function (the stack) must share a Region; S3 events stay in the bucket's account. */
export function validateEnvironment(scope: IConstruct, group: IPackagingGroup, bucket: s3.IBucket, stack: Stack): void {
  const known = (v: string) => !Token.isUnresolved(v);
  const groupRegion = group.env.region;
  const bucketRegion = bucket.env.region;
  if (known(groupRegion) && known(bucketRegion) && groupRegion !== bucketRegion) {
    fail(scope, 'bucket', `must be in the packaging group's Region (${groupRegion}): MediaPackage VOD ingests only from `
      + 'buckets in its own Region', bucketRegion);
  }
  if (known(bucketRegion) && known(stack.region) && bucketRegion !== stack.region) {
    fail(scope, 'bucket', `must be in the stack's Region (${stack.region}): S3 sends its events to EventBridge in the `
      + 'bucket\'s Region', bucketRegion);
  }
  if (known(groupRegion) && known(stack.region) && groupRegion !== stack.region) {
    fail(scope, 'packagingGroup', `must be in the stack's Region (${stack.region}): the ingest function calls MediaPackage VOD there`,
      groupRegion);
  }
  if (known(bucket.env.account) && known(stack.account) && bucket.env.account !== stack.account) {
    fail(scope, 'bucket', `must be in the stack's account (${stack.account}): S3 sends its events to the bucket owner's `
      + 'event bus', bucket.env.account);
  }
}

/**
 * The catalog reads the group's events on this stack's event bus: the group must be in the stack's account (the Region
 * is checked with the ingest). A distribution needs the catalog, and must serve this group.
 */
export function validateCatalog(scope: IConstruct, props: BucketIngestProps, stack: Stack): void {
  if (props.catalogDistribution && !props.catalog) {
    fail(scope, 'catalogDistribution', 'is for the catalog\'s playback URLs: set catalog: true too (or leave it out)',
      props.catalogDistribution.node.path);
  }
  if (!props.catalog) { return; }
  const groupAccount = props.packagingGroup.env.account;
  if (!Token.isUnresolved(groupAccount) && !Token.isUnresolved(stack.account) && groupAccount !== stack.account) {
    fail(scope, 'catalog', 'needs the packaging group\'s events, which MediaPackage sends to the event bus of the group\'s account '
      + `(${groupAccount}), not of this stack's (${stack.account}): put the ingest in the group's account`, true);
  }
  if (props.catalogDistribution) {
    checkVodDistributionOfGroup(scope, props.packagingGroup, props.catalogDistribution, {
      propertyPath: 'catalogDistribution', whose: 'the ingest\'s group', consequence: 'its URLs do not serve this ingest\'s assets',
    });
  }
}

/** A given prefix: letters, digits, underscores (no hyphen, so `<prefix>-*` names this ingest's assets only). */
export function validateAssetIdPrefix(scope: IConstruct, prefix: string | undefined): void {
  if (prefix === undefined) { return; }
  if (Token.isUnresolved(prefix)) {
    fail(scope, 'assetIdPrefix', 'must be known at synth: it scopes the function\'s permissions and the asset ids', prefix);
  }
  if (!ASSET_ID_PREFIX_PATTERN.test(prefix)) {
    fail(scope, 'assetIdPrefix', `must be 1 to ${MAX_ASSET_ID_PREFIX_LENGTH} letters, digits and underscores (no hyphen: `
      + 'the first hyphen of an asset id ends the prefix, so that no other ingest\'s prefix falls under <prefix>-*)', prefix);
  }
}

/** Default quota on an event pattern's size: a warning (the quota can be raised to 4096). */
export function warnOnPatternSize(scope: IConstruct, patterns: string[]): void {
  if (Token.isUnresolved(patterns) || patterns.some(p => Token.isUnresolved(p))) { return; }
  // The rendered pattern, with the longest bucket name (63) standing in for the name.
  const size = JSON.stringify({
    'source': ['aws.s3'],
    'detail-type': ['Object Created', 'Object Deleted'],
    'detail': s3EventDetailOf('x'.repeat(63), patterns),
  }).length;
  if (size > DEFAULT_EVENT_PATTERN_QUOTA) {
    warn(scope, 'EventPatternSize', 'keyPatterns', `the rule's event pattern takes up to ${size} characters, more than `
      + `EventBridge's default quota (${DEFAULT_EVENT_PATTERN_QUOTA}; adjustable to 4096): fewer or shorter patterns, or a quota increase`);
  }
}

/**
 * The key-policy statement that lets EventBridge send the ingest's events to queues encrypted with `key`, scoped to
 * `rules` (their ARNs as far as known at synth: a rule's name is generated by CloudFormation at deploy).
 */
export function eventBridgeKeyStatement(scope: IConstruct, rules: events.IRule[]): Record<string, unknown> {
  const stack = Stack.of(scope);
  const known = (value: string, placeholder: string) => Token.isUnresolved(value) ? placeholder : value;
  // The partition of a known Region (stack.partition is a Token unless a feature flag is set).
  const partition = Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition;
  const prefix = `arn:${partition ?? known(stack.partition, '<partition>')}:events:${known(stack.region, '<region>')}:`
    + `${known(stack.account, '<account>')}:rule/`;
  return {
    Sid: 'AllowEventBridgeToSendToTheIngestQueues',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: {
      ArnEquals: {
        'aws:SourceArn': rules.map(rule => prefix + known(rule.ruleName, `<name of ${rule.node.path}>`)),
      },
    },
  };
}

/**
 * An encryption key this app does not create (`kms.Key.fromKeyArn`, an imported alias): aws-cdk-lib cannot add to its
 * key policy, so EventBridge would not be allowed to use it and every S3 and status event sent to the encrypted queues
 * would be dropped, silently. A warning (acknowledgeable) with the statement to add to the key policy.
 */
export function warnOnImportedKey(scope: IConstruct, key: kms.IKey | undefined, rules: events.IRule[]): void {
  if (!key || Resource.isOwnedResource(key)) { return; }
  const statement = eventBridgeKeyStatement(scope, rules);
  warn(scope, 'ImportedEncryptionKey', 'encryptionKey', `${key.node.path} is not created in this app, so its key policy `
    + 'cannot be changed here: EventBridge may not use it to send to the encrypted queues, and every event would be dropped. '
    + `Add this statement to the key policy (the rules' ARNs are ${rules.map(r => r.node.path).join(' and ')}.ruleArn, e.g. as `
    + `stack outputs): ${JSON.stringify(statement)}`);
}
