import { Duration } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { renderStreamSelection } from './stream-selection';
import type { HlsManifest, HlsPackageProps } from '../../formats/hls';
import { validateManifests, wholeSeconds } from '../validate';

/** Largest whole-second value the service's integer fields take. */
export const MAX_SECONDS = 2147483647;

/**
 * Validates and renders HLS manifests (HLS and CMAF packages).
 */
export function renderHlsManifests(scope: IConstruct, propertyPath: string, manifests: HlsManifest[])
  : CfnPackagingConfiguration.HlsManifestProperty[] {
  validateManifests(scope, propertyPath, manifests);
  return manifests.map((m, i) => ({
    manifestName: m.manifestName,
    adMarkers: m.adMarkers,
    programDateTimeIntervalSeconds: wholeSeconds(scope, `${propertyPath}[${i}].programDateTimeInterval`, m.programDateTimeInterval,
      { min: 0, max: MAX_SECONDS }),
    includeIframeOnlyStream: m.includeIframeOnlyStream,
    repeatExtXKey: m.repeatExtXKey,
    streamSelection: renderStreamSelection(scope, `${propertyPath}[${i}].streamSelection`, m.streamSelection),
  }));
}

/**
 * Validates and renders a segment duration (whole seconds, at least 1).
 */
export function renderSegmentDuration(scope: IConstruct, propertyPath: string, duration: Duration | undefined): number | undefined {
  return wholeSeconds(scope, propertyPath, duration, { min: 1, max: MAX_SECONDS });
}

/**
 * Validates and renders an HLS package.
 */
export function renderHlsPackage(scope: IConstruct, propertyPath: string, props: HlsPackageProps): CfnPackagingConfiguration.HlsPackageProperty {
  return {
    hlsManifests: renderHlsManifests(scope, `${propertyPath}.manifests`, props.manifests),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    useAudioRenditionGroup: props.useAudioRenditionGroup,
    includeDvbSubtitles: props.includeDvbSubtitles,
    encryption: props.encryption?._bind(scope, `${propertyPath}.encryption`),
  };
}
