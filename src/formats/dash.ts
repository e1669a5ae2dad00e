import { Duration } from 'aws-cdk-lib';
import { StreamSelection } from './stream-selection';
import { DashEncryption } from '../encryption';

/** DASH profile. */
export enum DashProfile {
  /** No profile. */
  NONE = 'NONE',
  /** HbbTV 1.5 compliant output. */
  HBBTV_1_5 = 'HBBTV_1_5',
}

/** Layout of a DASH manifest. */
export enum ManifestLayout {
  /** Every representation described in full. */
  FULL = 'FULL',
  /** Duplicate SegmentTemplate elements moved up to the AdaptationSet. */
  COMPACT = 'COMPACT',
}

/** Where SCTE-35 markers of a DASH manifest come from. */
export enum ScteMarkersSource {
  /** From the segments of the source. */
  SEGMENTS = 'SEGMENTS',
  /** From the source HLS manifest (which must use the SCTE-35 Enhanced syntax, #EXT-OATCLS-SCTE35). */
  MANIFEST = 'MANIFEST',
}

/** Format of the SegmentTemplate of a DASH manifest. */
export enum SegmentTemplateFormat {
  /** $Number$ in the media URLs, with a SegmentTimeline. */
  NUMBER_WITH_TIMELINE = 'NUMBER_WITH_TIMELINE',
  /** $Time$ in the media URLs, with a SegmentTimeline. */
  TIME_WITH_TIMELINE = 'TIME_WITH_TIMELINE',
  /** $Number$ in the media URLs, with a fixed duration (not with multi-period DASH). */
  NUMBER_WITH_DURATION = 'NUMBER_WITH_DURATION',
}

/** Events that start a new period in a DASH manifest. */
export enum PeriodTrigger {
  /** A new period at every ad (SCTE-35 marker): multi-period DASH. */
  ADS = 'ADS',
}

/**
 * A DASH manifest.
 */
export interface DashManifest {
  /**
   * A name added to the manifest's URL; unique within the configuration.
   *
   * @default - the service's default name
   */
  readonly manifestName?: string;

  /**
   * The DASH profile.
   *
   * @default DashProfile.NONE
   */
  readonly profile?: DashProfile;

  /**
   * The manifest layout.
   *
   * @default ManifestLayout.FULL
   */
  readonly manifestLayout?: ManifestLayout;

  /**
   * Minimum buffer the player keeps (minBufferTime), whole seconds.
   *
   * @default - the service's default
   */
  readonly minBufferTime?: Duration;

  /**
   * Where SCTE-35 markers come from. MANIFEST needs a source HLS manifest with SCTE-35 Enhanced syntax.
   *
   * @default ScteMarkersSource.SEGMENTS
   */
  readonly scteMarkersSource?: ScteMarkersSource;

  /**
   * Which video streams the manifest includes, and in which order.
   *
   * @default - all streams, in the source's order
   */
  readonly streamSelection?: StreamSelection;
}

/**
 * A DASH package.
 */
export interface DashPackageProps {
  /** The DASH manifests: at least one, with unique names. */
  readonly manifests: DashManifest[];

  /**
   * Duration of each segment, whole seconds.
   *
   * @default - the service's default
   */
  readonly segmentDuration?: Duration;

  /**
   * The SegmentTemplate format. NUMBER_WITH_DURATION does not work with multi-period DASH (periodTriggers ADS).
   *
   * @default SegmentTemplateFormat.NUMBER_WITH_TIMELINE
   */
  readonly segmentTemplateFormat?: SegmentTemplateFormat;

  /**
   * Events that start a new period; an empty list (or none) means a single period.
   *
   * @default - a single period
   */
  readonly periodTriggers?: PeriodTrigger[];

  /**
   * Add an I-frame-only stream (for trick play); applies to stream sets with a single video track.
   *
   * @default false
   */
  readonly includeIframeOnlyStream?: boolean;

  /**
   * Put the encoder's configuration (SPS/PPS) in every segment instead of the init segment only.
   *
   * @default false
   */
  readonly includeEncoderConfigurationInSegments?: boolean;

  /**
   * Encrypt the content.
   *
   * @default - not encrypted
   */
  readonly encryption?: DashEncryption;
}
