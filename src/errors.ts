import { MediaPackageVodValidationError } from './private/errors';

/**
 * Tests for the errors this library throws, like aws-cdk-lib's `Errors`.
 *
 * Every invalid input fails with an error whose message is `[<construct path>] <property path>: <what is wrong> (got
 * <bad value>)`, named `ValidationError`. aws-cdk-lib's `Errors.isValidationError(e)` is false for it: aws-cdk-lib's
 * ValidationError class is internal, and it recognises its own errors by an undocumented marker, so another library has
 * no public way to be recognised (and jsii cannot export a class that extends `Error`). Use
 * `MediaPackageVodErrors.isValidationError(e)` instead.
 */
export class MediaPackageVodErrors {
  /**
   * Whether `x` is a validation error thrown by this library (invalid props, or a rule checked at synth).
   */
  public static isValidationError(x: any): boolean {
    return MediaPackageVodValidationError.isMediaPackageVodValidationError(x);
  }

  private constructor() {}
}
