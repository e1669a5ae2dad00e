import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { renderHlsManifests, renderSegmentDuration } from './hls';
import type { CmafPackageProps } from '../../formats/cmaf';

/**
 * Validates and renders a CMAF package.
 */
export function renderCmafPackage(scope: IConstruct, propertyPath: string, props: CmafPackageProps): CfnPackagingConfiguration.CmafPackageProperty {
  return {
    hlsManifests: renderHlsManifests(scope, `${propertyPath}.hlsManifests`, props.hlsManifests),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    includeEncoderConfigurationInSegments: props.includeEncoderConfigurationInSegments,
    encryption: props.encryption?._bind(scope, `${propertyPath}.encryption`),
  };
}
