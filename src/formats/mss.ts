import { Duration } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { renderSegmentDuration } from './hls';
import { renderStreamSelection, StreamSelection } from './stream-selection';
import { MssEncryption } from '../encryption';
import { validateManifests } from '../private/validate';

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

/**
 * Validates and renders an MSS package.
 * @internal
 */
export function renderMssPackage(scope: IConstruct, propertyPath: string, props: MssPackageProps): CfnPackagingConfiguration.MssPackageProperty {
  validateManifests(scope, `${propertyPath}.manifests`, props.manifests);
  return {
    mssManifests: props.manifests.map((m, i) => ({
      manifestName: m.manifestName,
      streamSelection: renderStreamSelection(scope, `${propertyPath}.manifests[${i}].streamSelection`, m.streamSelection),
    })),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    encryption: props.encryption?._render(scope, `${propertyPath}.encryption`),
  };
}
