import { Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import { Dependable, IConstruct, IDependable } from 'constructs';
import { describeValue, fail } from './errors';
import type { IPackagingConfiguration } from '../packaging-configuration';
import type { IPackagingGroup } from '../packaging-group';

/*
 * Which packaging group a construct belongs to, and every rule that compares two groups: the groups of this library
 * (configurations, the one dependency on them), the group behind a VodDistribution's distribution, the group of a
 * configuration, "provably another group" and "a distribution that serves the group". Used by asset, ingest, cdn and
 * monitoring alike.
 */

/** What a packaging group knows of a configuration added to it (for group metrics and asset ordering). */
export interface ConfigurationRecord {
  /** The configuration's id (the value of the PackagingConfiguration dimension). */
  readonly packagingConfigurationId: string;
  /** The configuration construct. */
  readonly construct: IConstruct;
}

/** The internals of a packaging group of this library that its configurations and assets use. */
export interface GroupInternals {
  /** The configurations added to the group in this app, in order. */
  readonly configurations: ConfigurationRecord[];
  /**
   * All of them as one dependency, evaluated at synth (so it also covers configurations added later): assets are
   * created after them.
   */
  readonly configurationsDependable: IDependable;
}

/** The groups of this library (created or imported); another IPackagingGroup implementation has no entry. */
const registry = new WeakMap<IConstruct, GroupInternals>();

/** Registers a packaging group of this library; called once by its constructor. */
export function registerGroup(group: IConstruct): GroupInternals {
  const configurations: ConfigurationRecord[] = [];
  const configurationsDependable: IDependable = {};
  Dependable.implement(configurationsDependable, {
    get dependencyRoots() { return configurations.map(c => c.construct); },
  });
  const internals = { configurations, configurationsDependable };
  registry.set(group, internals);
  return internals;
}

/** The internals of `group`, or undefined when it is not a packaging group of this library. */
export function groupInternals(group: IConstruct): GroupInternals | undefined {
  return registry.get(group);
}

/** The packaging group of each VodDistribution's distribution (registered by VodDistribution). */
const distributionGroups = new WeakMap<IConstruct, IPackagingGroup>();

/** Records that `distribution` has `group` as its origin (VodDistribution). */
export function registerDistributionGroup(distribution: IConstruct, group: IPackagingGroup): void {
  distributionGroups.set(distribution, group);
}

/** The packaging group behind a VodDistribution's distribution; undefined for any other distribution. */
export function distributionGroupOf(distribution: IConstruct): IPackagingGroup | undefined {
  return distributionGroups.get(distribution);
}

/** The packaging group of a configuration created here (`PackagingConfiguration.packagingGroup`); undefined if imported. */
export function configurationGroupOf(configuration: IPackagingConfiguration): IPackagingGroup | undefined {
  return (configuration as { packagingGroup?: IPackagingGroup }).packagingGroup;
}

/**
 * True when `a` and `b` are provably two groups: two groups created here are the same only as the same construct; two
 * ids written as literals are compared; anything else (a Ref and a literal, an unknown group) cannot be told apart at
 * synth and is not taken as different.
 */
export function groupsDiffer(a: IPackagingGroup | undefined, b: IPackagingGroup | undefined): boolean {
  if (!a || !b || a === b) { return false; }
  const bothCreated = a.node.defaultChild instanceof CfnPackagingGroup && b.node.defaultChild instanceof CfnPackagingGroup;
  const idA = a.packagingGroupId;
  const idB = b.packagingGroupId;
  return bothCreated || (!Token.isUnresolved(idA) && !Token.isUnresolved(idB) && idA !== idB);
}

/**
 * `asset.playbackUrl(configuration)`: fails when the configuration is provably of another group than the asset's (the
 * asset has no egress URL through it).
 */
export function checkConfigurationOfAssetGroup(
  asset: IConstruct, assetGroup: IPackagingGroup | undefined, configuration: IPackagingConfiguration,
): void {
  const group = configurationGroupOf(configuration);
  if (!groupsDiffer(assetGroup, group)) { return; }
  fail(asset, 'configuration', `the configuration (${configuration.node.path}) belongs to packaging group ${group!.node.path}, `
    + `not to the asset's group ${assetGroup!.node.path}: the asset has no egress URL there`, configuration.node.path);
}

/** Who asks that a distribution fronts its group, and what goes wrong when it does not. */
export interface DistributionUse {
  /** The property path of the distribution. */
  readonly propertyPath: string;
  /** The group's owner as the message names it ("the asset's group"). */
  readonly whose: string;
  /** What goes wrong ("the asset has no egress URL there"). */
  readonly consequence: string;
}

/**
 * Fails when `distribution` is a VodDistribution's distribution whose origin is provably another group than `group`.
 * Any other distribution is taken as it is (its origins are not checked: see `distributionMissesGroup` for that).
 */
export function checkVodDistributionOfGroup(
  scope: IConstruct, group: IPackagingGroup | undefined, distribution: IConstruct, use: DistributionUse,
): void {
  const origin = distributionGroupOf(distribution);
  if (!groupsDiffer(group, origin)) { return; }
  fail(scope, use.propertyPath, `the distribution's origin (${distribution.node.path}) belongs to packaging group `
    + `${origin!.node.path}, not to ${use.whose} ${group!.node.path}: ${use.consequence}`, distribution.node.path);
}

/**
 * Why `distribution` provably does not serve `group`, or undefined when it does or cannot be told: a VodDistribution
 * (which wraps its distribution: no CloudFormation resource of its own) must front the group, not provably another
 * one; a `cloudfront.Distribution` of this app must have an origin on the group's egress domain. Distributions whose
 * origins are not known here (imported) and groups without a known egress domain are not checked.
 */
export function distributionMissesGroup(distribution: cloudfront.IDistribution, group: IPackagingGroup): string | undefined {
  const cfn = distribution.node.defaultChild;
  if (!(cfn instanceof cloudfront.CfnDistribution)) {
    const origin = distributionGroupOf(distribution);
    return groupsDiffer(group, origin) ? `it is a VodDistribution of another packaging group (${origin!.node.path})` : undefined;
  }
  let egressDomain: string;
  try {
    egressDomain = group.egressDomain;
  } catch {
    return undefined;
  }
  const stack = Stack.of(cfn);
  const config = stack.resolve(cfn.distributionConfig);
  const origins: { domainName?: unknown }[] = Array.isArray(config?.origins) ? config.origins : [];
  const wanted = JSON.stringify(stack.resolve(egressDomain));
  if (origins.some(o => JSON.stringify(o.domainName) === wanted)) { return undefined; }
  return `none of its origins is the group's egress domain ${describeValue(egressDomain)}`;
}
