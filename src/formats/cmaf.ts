import { Duration } from 'aws-cdk-lib';
import { HlsManifest } from './hls';
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
