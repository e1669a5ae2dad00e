import { Duration } from 'aws-cdk-lib';
import { StreamSelection } from './stream-selection';
import { MssEncryption } from '../encryption';

/**
 * A Microsoft Smooth Streaming manifest.
 */
export interface MssManifest {
  /**
   * A name added to the manifest's URL; unique within the configuration.
   *
   * @default - the service's default name
   */
  readonly manifestName?: string;

  /**
   * Which video streams the manifest includes, and in which order.
   *
   * @default - all streams, in the source's order
   */
  readonly streamSelection?: StreamSelection;
}

/**
 * A Microsoft Smooth Streaming package.
 */
export interface MssPackageProps {
  /** The MSS manifests: at least one, with unique names. */
  readonly manifests: MssManifest[];

  /**
   * Duration of each fragment, whole seconds.
   *
   * @default - the service's default
   */
  readonly segmentDuration?: Duration;

  /**
   * Encrypt the content (PlayReady).
   *
   * @default - not encrypted
   */
  readonly encryption?: MssEncryption;
}
