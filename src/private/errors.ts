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

/** Marks this library's validation errors (a registry symbol: recognised across copies of the library in one app). */
const VALIDATION_ERROR_SYMBOL = Symbol.for('cdk-mediapackage-vod.MediaPackageVodValidationError');

/**
 * The error this library throws for invalid input: `[<construct path>] <property path>: <what is wrong> (got <bad
 * value>)`. Not exported: jsii cannot export a class that extends `Error` (JSII3004); users test for it with the public
 * `MediaPackageVodErrors.isValidationError(e)` (src/errors.ts).
 */
export class MediaPackageVodValidationError extends Error {
  /** Whether `x` is a validation error of this library (any copy of it). */
  public static isMediaPackageVodValidationError(x: unknown): x is MediaPackageVodValidationError {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR_SYMBOL in x;
  }

  /** The path of the construct whose input is invalid. */
  public readonly constructPath: string;

  /** The property path of the invalid value (`format.encryption.method`). */
  public readonly propertyPath: string;

  constructor(scope: IConstruct, propertyPath: string, message: string, value: unknown) {
    super(formatProblem(scope, propertyPath, message, value));
    this.name = 'ValidationError';
    this.constructPath = scope.node.path;
    this.propertyPath = propertyPath;
    Object.defineProperty(this, VALIDATION_ERROR_SYMBOL, { value: true });
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
