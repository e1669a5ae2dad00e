import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { renderSegmentDuration } from './hls';
import { renderStreamSelection } from './stream-selection';
import type { MssPackageProps } from '../../formats/mss';
import { validateManifests } from '../validate';

/**
 * Validates and renders an MSS package.
 */
export function renderMssPackage(scope: IConstruct, propertyPath: string, props: MssPackageProps): CfnPackagingConfiguration.MssPackageProperty {
  validateManifests(scope, `${propertyPath}.manifests`, props.manifests);
  return {
    mssManifests: props.manifests.map((m, i) => ({
      manifestName: m.manifestName,
      streamSelection: renderStreamSelection(scope, `${propertyPath}.manifests[${i}].streamSelection`, m.streamSelection),
    })),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    encryption: props.encryption?._bind(scope, `${propertyPath}.encryption`),
  };
}
