import { Duration } from 'aws-cdk-lib';
import { StreamSelection } from './stream-selection';
import { HlsEncryption } from '../encryption';

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
