import * as path from 'path';
import { CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Names, Stack, Token } from 'aws-cdk-lib';
import { CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import { Construct, IConstruct } from 'constructs';
import { vodArn } from './arns';
import { skipProviderChecks } from './checkov';
import { fail } from './errors';
import type { IPackagingConfiguration } from '../packaging-configuration';
import type { IPackagingGroup } from '../packaging-group';

const PROVIDER_ID = 'Custom::MediaPackageVodPlaybackUrlProvider';
const RESOURCE_TYPE = 'Custom::MediaPackageVodPlaybackUrl';
/** Where `npx projen bundle` writes the handler bundled with its SDK client; the npm package ships assets/. */
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'status', 'handler', 'index');

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
 * Fails when both groups are known and differ: two groups created here are the same only as the same construct; two ids
 * written as literals are compared; anything else (a Ref and a literal) cannot be told apart at synth and passes.
 */
export function checkSameGroup(
  scope: IConstruct, propertyPath: string, assetGroup: IPackagingGroup | undefined, otherGroup: IPackagingGroup | undefined,
  otherPath: string, whose: string = 'the asset\'s group', consequence: string = 'the asset has no egress URL there',
): void {
  if (!assetGroup || !otherGroup || assetGroup === otherGroup) { return; }
  const bothCreated = assetGroup.node.defaultChild instanceof CfnPackagingGroup && otherGroup.node.defaultChild instanceof CfnPackagingGroup;
  const a = assetGroup.packagingGroupId;
  const b = otherGroup.packagingGroupId;
  const literalsDiffer = !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  if (!bothCreated && !literalsDiffer) { return; }
  const what = propertyPath === 'configuration' ? 'the configuration' : 'the distribution\'s origin';
  fail(scope, propertyPath, `${what} (${otherPath}) belongs to packaging group ${otherGroup.node.path}, not to ${whose} `
    + `${assetGroup.node.path}: ${consequence}`, otherPath);
}

/** The attributes of one playback URL custom resource. */
export interface PlaybackEndpoint {
  /** The egress URL. */
  readonly url: string;
  /** Its path and query string (`/out/v1/...`). */
  readonly path: string;
}

/**
 * The playback URL custom resource of one asset and configuration (one per pair, under the asset: asking twice reuses
 * it), on the stack's one provider.
 */
export function playbackEndpointOf(
  asset: Construct, assetId: string, assetArn: string, configuration: IPackagingConfiguration,
): PlaybackEndpoint {
  const id = `PlaybackUrl${Names.nodeUniqueId(configuration.node)}`;
  let resource = asset.node.tryFindChild(id) as CustomResource | undefined;
  if (!resource) {
    const provider = providerOf(Stack.of(asset));
    resource = new CustomResource(asset, id, {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: {
        AssetId: assetId,
        PackagingConfigurationId: configuration.packagingConfigurationId,
        // Changes with the ARN: a replaced asset (new id) or an asset of another account gets a new URL.
        AssetArn: assetArn,
      },
    });
    // The asset lists an endpoint per configuration that exists: the configuration first.
    resource.node.addDependency(configuration);
  }
  return { url: resource.getAttString('Url'), path: resource.getAttString('Path') };
}

function providerOf(stack: Stack): CustomResourceProvider {
  const provider = CustomResourceProvider.getOrCreateProvider(stack, PROVIDER_ID, {
    codeDirectory: HANDLER_DIR,
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    description: 'Reads the playback (egress) URLs of MediaPackage VOD assets with DescribeAsset',
    // Fixed when the provider is first created, and shared by every playback URL of the stack: a pattern (the assets of
    // the stack's account and Region), not one ARN per asset, so the policy stays the same size however many assets
    // ask (IAM's 10,240-byte limit), and a removed asset's ARN does not leave the role before its resource is deleted.
    // DescribeAsset only reads.
    policyStatements: [{
      Effect: 'Allow',
      Action: ['mediapackage-vod:DescribeAsset'],
      Resource: vodArn(stack, 'assets', '*'),
    }],
  });
  skipProviderChecks(provider);
  return provider;
}
