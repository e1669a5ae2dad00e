import { Token } from 'aws-cdk-lib';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import type { StreamSelection } from '../../formats/stream-selection';
import { fail } from '../errors';
import { validateInteger } from '../validate';

const INT32_MAX = 2147483647;

/**
 * Validates and renders a stream selection.
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
