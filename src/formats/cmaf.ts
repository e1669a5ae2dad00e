import { Duration } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { HlsManifest, renderHlsManifests, renderSegmentDuration } from './hls';
import { CmafEncryption } from '../encryption';

/**
 * A CMAF package (fragmented MP4 segments, HLS manifests).
 */
export interface CmafPackageProps {
  /** The HLS manifests: at least one, with unique names. */
  readonly hlsManifests: HlsManifest[];

  /**
   * Duration of each segment, whole seconds.
   *
   * @default - the service's default
   */
  readonly segmentDuration?: Duration;

  /**
   * Put the encoder's configuration (SPS/PPS) in every segment instead of the init segment only.
   *
   * @default false
   */
  readonly includeEncoderConfigurationInSegments?: boolean;

  /**
   * Encrypt the content (no constant initialization vector: CloudFormation cannot set it for CMAF).
   *
   * @default - not encrypted
   */
  readonly encryption?: CmafEncryption;
}

/**
 * Validates and renders a CMAF package.
 * @internal
 */
export function renderCmafPackage(scope: IConstruct, propertyPath: string, props: CmafPackageProps): CfnPackagingConfiguration.CmafPackageProperty {
  return {
    hlsManifests: renderHlsManifests(scope, `${propertyPath}.hlsManifests`, props.hlsManifests),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    includeEncoderConfigurationInSegments: props.includeEncoderConfigurationInSegments,
    encryption: props.encryption?._render(scope, `${propertyPath}.encryption`),
  };
}
