import { Duration } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { renderStreamSelection, StreamSelection } from './stream-selection';
import { HlsEncryption } from '../encryption';
import { validateManifests, wholeSeconds } from '../private/validate';

/** How ad markers of the source are carried into an HLS manifest. */
export enum AdMarkers {
  /** No ad markers in the manifest. */
  NONE = 'NONE',
  /** SCTE-35 markers as EXT-X-CUE-OUT/EXT-X-CUE-IN (enhanced syntax). */
  SCTE35_ENHANCED = 'SCTE35_ENHANCED',
  /** SCTE-35 markers copied from the source HLS manifest. */
  PASSTHROUGH = 'PASSTHROUGH',
}

/**
 * An HLS manifest (of an HLS or CMAF package).
 */
export interface HlsManifest {
  /**
   * A name added to the manifest's URL; unique within the configuration.
   *
   * @default - the service's default name
   */
  readonly manifestName?: string;

  /**
   * How ad markers are carried into the manifest.
   *
   * @default - the service's default (no ad markers)
   */
  readonly adMarkers?: AdMarkers;

  /**
   * Interval of EXT-X-PROGRAM-DATE-TIME tags, whole seconds; zero turns them off.
   *
   * @default - no EXT-X-PROGRAM-DATE-TIME tags
   */
  readonly programDateTimeInterval?: Duration;

  /**
   * Add an I-frame-only stream (for trick play) to the manifest.
   *
   * @default false
   */
  readonly includeIframeOnlyStream?: boolean;

  /**
   * Repeat the EXT-X-KEY tag before every segment (encrypted content).
   *
   * @default - the service's default (the key tag only where the key changes)
   */
  readonly repeatExtXKey?: boolean;

  /**
   * Which video streams the manifest includes, and in which order.
   *
   * @default - all streams, in the source's order
   */
  readonly streamSelection?: StreamSelection;
}

/**
 * An HLS (MPEG-TS segments) package.
 */
export interface HlsPackageProps {
  /** The HLS manifests: at least one, with unique names. */
  readonly manifests: HlsManifest[];

  /**
   * Duration of each segment, whole seconds (rounded by the service to a multiple of the source's segment duration).
   *
   * @default - the service's default
   */
  readonly segmentDuration?: Duration;

  /**
   * Group audio renditions into one audio rendition group in the manifest.
   *
   * @default false
   */
  readonly useAudioRenditionGroup?: boolean;

  /**
   * Include DVB subtitles in the output.
   *
   * @default false
   */
  readonly includeDvbSubtitles?: boolean;

  /**
   * Encrypt the content.
   *
   * @default - not encrypted
   */
  readonly encryption?: HlsEncryption;
}

/** Largest whole-second value the service's integer fields take. */
export const MAX_SECONDS = 2147483647;

/**
 * Validates and renders HLS manifests (HLS and CMAF packages).
 * @internal
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
 * @internal
 */
export function renderSegmentDuration(scope: IConstruct, propertyPath: string, duration: Duration | undefined): number | undefined {
  return wholeSeconds(scope, propertyPath, duration, { min: 1, max: MAX_SECONDS });
}

/**
 * Validates and renders an HLS package.
 * @internal
 */
export function renderHlsPackage(scope: IConstruct, propertyPath: string, props: HlsPackageProps): CfnPackagingConfiguration.HlsPackageProperty {
  return {
    hlsManifests: renderHlsManifests(scope, `${propertyPath}.manifests`, props.manifests),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    useAudioRenditionGroup: props.useAudioRenditionGroup,
    includeDvbSubtitles: props.includeDvbSubtitles,
    encryption: props.encryption?._render(scope, `${propertyPath}.encryption`),
  };
}
