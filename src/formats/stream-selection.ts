import { Token } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { fail } from '../private/errors';
import { validateInteger } from '../private/validate';

/** Order of the video streams in a manifest. */
export enum StreamOrder {
  /** The order of the source. */
  ORIGINAL = 'ORIGINAL',
  /** Lowest video bitrate first. */
  VIDEO_BITRATE_ASCENDING = 'VIDEO_BITRATE_ASCENDING',
  /** Highest video bitrate first. */
  VIDEO_BITRATE_DESCENDING = 'VIDEO_BITRATE_DESCENDING',
}

/**
 * Which video streams a manifest includes, and in which order.
 */
export interface StreamSelection {
  /**
   * The lowest video bitrate (bits per second) to include: an integer from 0 to 2147483647.
   *
   * @default 0
   */
  readonly minVideoBitsPerSecond?: number;

  /**
   * The highest video bitrate (bits per second) to include: an integer from 0 to 2147483647.
   *
   * @default 2147483647
   */
  readonly maxVideoBitsPerSecond?: number;

  /**
   * The order of the streams.
   *
   * @default StreamOrder.ORIGINAL
   */
  readonly streamOrder?: StreamOrder;
}

const INT32_MAX = 2147483647;

/**
 * Validates and renders a stream selection.
 * @internal
 */
export function renderStreamSelection(scope: IConstruct, propertyPath: string, selection: StreamSelection | undefined)
  : CfnPackagingConfiguration.StreamSelectionProperty | undefined {
  if (!selection) { return undefined; }
  const { minVideoBitsPerSecond: min, maxVideoBitsPerSecond: max } = selection;
  validateInteger(scope, `${propertyPath}.minVideoBitsPerSecond`, min, 0, INT32_MAX);
  validateInteger(scope, `${propertyPath}.maxVideoBitsPerSecond`, max, 0, INT32_MAX);
  if (min !== undefined && max !== undefined && !Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    fail(scope, `${propertyPath}.minVideoBitsPerSecond`, `must not exceed maxVideoBitsPerSecond (${max})`, min);
  }
  return {
    minVideoBitsPerSecond: min,
    maxVideoBitsPerSecond: max,
    streamOrder: selection.streamOrder,
  };
}
