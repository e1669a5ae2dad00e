import { MediaPackageVodValidationError } from './private/errors';

/**
 * Tests for the errors this library throws, like aws-cdk-lib's `Errors`.
 *
 * Every invalid input fails with an error whose message is `[<construct path>] <property path>: <what is wrong> (got
 * <bad value>)`, named `ValidationError`. aws-cdk-lib's `Errors.isValidationError(e)` is false for it: aws-cdk-lib's
 * ValidationError class is internal, and it recognises its own errors by an undocumented marker, so another library has
 * no public way to be recognised (and jsii cannot export a class that extends `Error`). In TypeScript, use
 * `MediaPackageVodErrors.isValidationError(e)` instead.
 */
export class MediaPackageVodErrors {
  /**
   * Whether `x` is a validation error thrown by this library's constructors and methods (invalid props or arguments).
   *
   * Rules checked at synth (those that depend on later calls, added with `node.addValidation`) are reported by
   * aws-cdk-lib's `app.synth()` as one error that lists every problem: this method is false for it, and aws-cdk-lib's
   * `Errors.isValidationError` is true. TypeScript and JavaScript only: in Python, Java and Go the caught exception is
   * the language's own (README, "Errors": catch `RuntimeError` in Python, `RuntimeException` in Java, recover the panic
   * in Go, and read the message); this method returns false for it in Java and Go, and Python raises `AttributeError`
   * when it is passed one.
   */
  public static isValidationError(x: any): boolean {
    return MediaPackageVodValidationError.isMediaPackageVodValidationError(x);
  }

  private constructor() {}
}
