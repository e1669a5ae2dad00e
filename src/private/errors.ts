import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Renders a value for an error message: strings quoted, Tokens shown as such, objects as JSON.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) { return 'undefined'; }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? '<token>' : `'${value}'`;
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? '<token>' : String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Builds the message every validation failure of this library carries:
 * `[<construct path>] <property path>: <what is wrong> (got <bad value>)`.
 */
export function formatProblem(scope: IConstruct, propertyPath: string, message: string, value: unknown): string {
  return `[${scope.node.path}] ${validationProblem(propertyPath, message, value)}`;
}

/**
 * The same message without the construct path, for `node.addValidation` results: the CDK prints the path of the
 * construct that reported them in front of each.
 */
export function validationProblem(propertyPath: string, message: string, value: unknown): string {
  return `${propertyPath}: ${message} (got ${describeValue(value)})`;
}

/**
 * The error thrown for invalid input: names the construct path, the property path and the bad value.
 */
export class MediaPackageVodValidationError extends Error {
  constructor(scope: IConstruct, propertyPath: string, message: string, value: unknown) {
    super(formatProblem(scope, propertyPath, message, value));
    this.name = 'ValidationError';
  }
}

/** Throws a validation error for `scope` at `propertyPath`. */
export function fail(scope: IConstruct, propertyPath: string, message: string, value: unknown): never {
  throw new MediaPackageVodValidationError(scope, propertyPath, message, value);
}

/**
 * Adds a synth warning on `scope` with a stable id (so users can acknowledge it).
 */
export function warn(scope: IConstruct, id: string, propertyPath: string, message: string): void {
  Annotations.of(scope).addWarningV2(`cdk-mediapackage-vod:${id}`, `${propertyPath}: ${message}`);
}
