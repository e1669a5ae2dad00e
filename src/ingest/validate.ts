import { Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { ASSET_ID_PREFIX_PATTERN, MAX_ASSET_ID_PREFIX_LENGTH } from './asset-id';
import type { BucketIngestProps } from './bucket-ingest';
import { DEFAULT_EVENT_PATTERN_QUOTA, keyPatternProblems, keyPatternsOverlap, matchesChildPlaylists, s3EventDetailOf } from './key-pattern';
import type { IPackagingGroup } from '../packaging-group';
import { fail, warn } from '../private/errors';
import { checkVodDistributionOfGroup, distributionMissesGroup } from '../private/group-registry';

/*
 * The checks of BucketIngest's properties (errors through the project's error helper; warnings acknowledgeable).
 */

/** Key patterns: required, EventBridge wildcard syntax, .smil/.m3u8; a warning for patterns that match child playlists. */
export function validateKeyPatterns(scope: IConstruct, patterns: string[] | undefined): void {
  if (patterns !== undefined && Token.isUnresolved(patterns)) { return; }
  if (patterns !== undefined && !Array.isArray(patterns)) {
    fail(scope, 'keyPatterns', 'must be a list of key patterns (e.g. [\'movies/*/index.m3u8\']), not a single value', patterns);
  }
  const problem = keyPatternProblems(patterns, pattern => Token.isUnresolved(pattern))[0];
  if (problem) {
    fail(scope, problem.index < 0 ? 'keyPatterns' : `keyPatterns[${problem.index}]`, problem.message, problem.index < 0 ? patterns : problem.pattern);
  }
  (patterns ?? []).forEach((pattern, index) => {
    if (Token.isUnresolved(pattern)) { return; }
    const propertyPath = `keyPatterns[${index}]`;
    if (matchesChildPlaylists(pattern)) {
      warn(scope, 'KeyPatternMatchesChildPlaylists', propertyPath, `'${pattern}' has a wildcard in its file name: it also `
        + 'matches the HLS child (rendition) playlists next to each parent playlist, and each would become an asset (or '
        + 'fail). Name the parent\'s file, e.g. \'movies/*/index.m3u8\'.');
    }
  });
}

/**
 * The bucket, the group and the function (the stack) must share a Region; S3 events stay in the bucket's account. The
 * odd one out is blamed: a group in another Region than the stack (and the bucket) is the group's fault, not the bucket's.
 */
export function validateEnvironment(scope: IConstruct, group: IPackagingGroup, bucket: s3.IBucket, stack: Stack): void {
  const known = (v: string) => !Token.isUnresolved(v);
  const groupRegion = group.env.region;
  const bucketRegion = bucket.env.region;
  if (known(groupRegion) && known(stack.region) && groupRegion !== stack.region) {
    fail(scope, 'packagingGroup', `must be in the stack's Region (${stack.region}): the ingest function calls MediaPackage VOD there`,
      groupRegion);
  }
  if (known(bucketRegion) && known(stack.region) && bucketRegion !== stack.region) {
    fail(scope, 'bucket', `must be in the stack's Region (${stack.region}): S3 sends its events to EventBridge in the `
      + 'bucket\'s Region', bucketRegion);
  }
  if (known(groupRegion) && known(bucketRegion) && groupRegion !== bucketRegion) {
    fail(scope, 'bucket', `must be in the packaging group's Region (${groupRegion}): MediaPackage VOD ingests only from `
      + 'buckets in its own Region', bucketRegion);
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
    fail(scope, 'catalogDistribution', 'is for the catalog\'s playback URLs: set the `catalog` property to true too (or leave it out)',
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
    const missed = distributionMissesGroup(props.catalogDistribution, props.packagingGroup);
    if (missed) {
      fail(scope, 'catalogDistribution', `does not serve the ingest's group ${props.packagingGroup.node.path}: ${missed}`,
        props.catalogDistribution.node.path);
    }
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

/** True when both values are known at synth and differ. */
function knownAndDifferent(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}

/**
 * Where the ingest's other inputs live: the group in the stack's account (the function calls CreateAsset in its own
 * account; `catalog: true` is checked by validateCatalog first), the queues' key in the stack's Region (SQS uses a key
 * of its own Region only), and a warning for a source role of another account (MediaPackage assumes it from the
 * group's account: its trust policy and the bucket's policy must allow that, which this app cannot check).
 */
export function validateCompanions(scope: IConstruct, props: BucketIngestProps, stack: Stack): void {
  const groupAccount = props.packagingGroup.env.account;
  if (!props.catalog && knownAndDifferent(groupAccount, stack.account)) {
    fail(scope, 'packagingGroup', `must be in the stack's account (${stack.account}): the ingest function calls CreateAsset `
      + 'in its own account, where a group of another account does not exist', groupAccount);
  }
  const key = props.encryptionKey;
  if (key && knownAndDifferent(key.env.region, stack.region)) {
    fail(scope, 'encryptionKey', `must be in the stack's Region (${stack.region}): SQS encrypts a queue only with a KMS key of `
      + 'its own Region', key.env.region);
  }
  const role = props.sourceRole;
  if (role && knownAndDifferent(role.env.account, stack.account)) {
    warn(scope, 'SourceRoleOfAnotherAccount', 'sourceRole', `${role.roleArn} is in account ${role.env.account}, not the group's `
      + `(${stack.account}): MediaPackage can use it only if its trust policy lets mediapackage.amazonaws.com in from the `
      + 'group\'s account and iam:PassRole across accounts is allowed; this app cannot check either. Prefer a role of the group\'s account.');
  }
}

/** What the app-wide registry keeps of each ingest: the group, the bucket, the given prefix and patterns. */
interface IngestEntry {
  readonly scope: IConstruct;
  readonly groupKey: string;
  readonly bucketKey: string;
  readonly assetIdPrefix?: string;
  readonly keyPatterns: readonly string[];
}

const INGESTS = new WeakMap<IConstruct, IngestEntry[]>();

/** A key that names one group or bucket across the app: its literal name when known, else the construct. */
function identityOf(construct: IConstruct, name: string): string {
  return Token.isUnresolved(name) ? `construct:${construct.node.addr}` : `name:${name}`;
}

/**
 * Rules between the ingests of one app: two ingests of one group may not share a given `assetIdPrefix` (each would
 * take the other's assets for its own: replaced on re-upload, deleted with the other's objects); two ingests of one
 * bucket whose key patterns overlap get a warning (one object becomes two assets, one per ingest).
 */
export function registerIngest(scope: IConstruct, props: BucketIngestProps): void {
  const root = scope.node.root;
  const entries = INGESTS.get(root) ?? [];
  INGESTS.set(root, entries);
  const patterns = Array.isArray(props.keyPatterns) && !Token.isUnresolved(props.keyPatterns)
    ? props.keyPatterns.filter(p => !Token.isUnresolved(p)) : [];
  const entry: IngestEntry = {
    scope,
    groupKey: identityOf(props.packagingGroup, props.packagingGroup.packagingGroupId),
    bucketKey: identityOf(props.bucket, props.bucket.bucketName),
    assetIdPrefix: props.assetIdPrefix,
    keyPatterns: patterns,
  };
  for (const other of entries) {
    if (other.groupKey === entry.groupKey && entry.assetIdPrefix !== undefined && other.assetIdPrefix === entry.assetIdPrefix) {
      fail(scope, 'assetIdPrefix', `is also the prefix of ${other.scope.node.path}, an ingest of the same packaging group: `
        + 'each ingest would treat the other\'s assets as its own (replace, delete); give each ingest its own prefix', entry.assetIdPrefix);
    }
    if (other.bucketKey !== entry.bucketKey) { continue; }
    for (const mine of entry.keyPatterns) {
      const theirs = other.keyPatterns.find(p => keyPatternsOverlap(mine, p));
      if (theirs !== undefined) {
        warn(scope, 'KeyPatternsOverlap', 'keyPatterns', `'${mine}' and '${theirs}' of ${other.scope.node.path} (same bucket) `
          + 'can match the same object key: such an object becomes two assets, one per ingest. Make the patterns disjoint.');
        break;
      }
    }
  }
  entries.push(entry);
}
