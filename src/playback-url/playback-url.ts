/*
 * The playback URL custom resource (`IAsset.playbackUrl`): the construct side; its handler is in handler/.
 */
import { CustomResource, Names } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { IPackagingConfiguration } from '../packaging-configuration';
import { vodArn } from '../private/arns';
import { PLAYBACK_URL_LOG_GROUP_KMS_REASON } from '../private/checkov';
import { BundledProvider, bundledResource, stackProvider } from '../private/providers';

const PROVIDER_ID = 'Custom::MediaPackageVodPlaybackUrlProvider';
const RESOURCE_TYPE = 'Custom::MediaPackageVodPlaybackUrl';

/** The attributes of one playback URL custom resource. */
export interface PlaybackEndpoint {
  /** The egress URL. */
  readonly url: string;
  /** Its path and query string (`/out/v1/...`). */
  readonly path: string;
}

/**
 * The playback URL custom resource of one asset and configuration (one per pair, under the asset: asking twice reuses
 * it), on the stack's one provider. `logEncryptionKey` is the key of that provider's log group: every call of the stack
 * must give the same (or none), also when the resource already exists, so the outcome does not depend on call order.
 */
export function playbackEndpointOf(
  asset: Construct, assetId: string, assetArn: string, configuration: IPackagingConfiguration, logEncryptionKey?: kms.IKey,
): PlaybackEndpoint {
  const provider = providerOf(asset, logEncryptionKey);
  const id = `PlaybackUrl${Names.nodeUniqueId(configuration.node)}`;
  let resource = asset.node.tryFindChild(id) as CustomResource | undefined;
  if (!resource) {
    resource = bundledResource(asset, id, provider, {
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

function providerOf(scope: Construct, logEncryptionKey: kms.IKey | undefined): BundledProvider {
  return stackProvider(scope, PROVIDER_ID, {
    entry: 'playback-url/handler',
    description: 'Reads the playback (egress) URLs of MediaPackage VOD assets with DescribeAsset',
    logEncryptionKey,
    logEncryptionKeyPath: 'options.logEncryptionKey',
    unencryptedLogReason: PLAYBACK_URL_LOG_GROUP_KMS_REASON,
    // Fixed when the provider is first created, and shared by every playback URL of the stack: a pattern (the assets of
    // the stack's account and Region), not one ARN per asset, so the policy stays the same size however many assets
    // ask (IAM's 10,240-byte limit), and a removed asset's ARN does not leave the role before its resource is deleted.
    // DescribeAsset only reads.
    policyStatements: [{
      Effect: 'Allow',
      Action: ['mediapackage-vod:DescribeAsset'],
      Resource: vodArn(scope, 'assets', '*'),
    }],
  });
}
