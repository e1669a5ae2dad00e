import { createHash } from 'crypto';
import { Names, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A stable id from the construct path, valid for MediaPackage VOD ids ([0-9a-zA-Z-_], at most 256).
 */
export function generateId(scope: IConstruct, maxLength = 64): string {
  return Names.uniqueResourceName(scope, { maxLength, separator: '-' });
}

/**
 * A short, stable hash of the resolved form of `value` (what CloudFormation would receive),
 * so that any change of the rendered properties changes the hash and Token strings never leak in.
 */
export function hashOfResolved(scope: IConstruct, value: unknown, length = 8): string {
  const resolved = Stack.of(scope).resolve(value);
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, length);
}
