package io.github.cdkmediapackagevod.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.github.cdkmediapackagevod.BucketIngest;
import io.github.cdkmediapackagevod.BucketIngestOptions;
import io.github.cdkmediapackagevod.MediaPackageVodErrors;
import io.github.cdkmediapackagevod.PackagingGroup;
import io.github.cdkmediapackagevod.PackagingGroupOrigin;
import io.github.cdkmediapackagevod.VodBehaviors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.jsii.JsiiError;
import software.amazon.jsii.JsiiException;

/**
 * What a Java user must catch (README, "Errors"): the exact exception class of a library error from a constructor, from
 * a method (instance and static) and from synth, its message, and what {@code MediaPackageVodErrors.isValidationError}
 * says of it.
 */
class ErrorsTest {
    private static Stack stack(final App app, final String id) {
        return new Stack(app, id, StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build()).build());
    }

    private static Distribution website(final Stack stack) {
        return Distribution.Builder.create(stack, "Cdn")
                .defaultBehavior(BehaviorOptions.builder().origin(new HttpOrigin("www.example.com")).build())
                .build();
    }

    /** The message's first line: the lines after it are the JavaScript stack trace. */
    private static String firstLine(final RuntimeException error) {
        return error.getMessage().split("\n", 2)[0];
    }

    /** A method's error: exactly RuntimeException (not jsii's JsiiException), its message prefixed with the error's name. */
    private static void assertMethodError(final RuntimeException error, final String message) {
        assertEquals(RuntimeException.class, error.getClass());
        assertFalse(error instanceof JsiiException);
        assertEquals("ValidationError: " + message, firstLine(error));
        assertTrue(error.getMessage().contains("\n@jsii/kernel.RuntimeError: ValidationError: " + message + "\n"), error.getMessage());
        // The caught exception is Java's, not the JavaScript error: the library's test does not recognise it.
        assertFalse(MediaPackageVodErrors.isValidationError(error));
    }

    @Test
    void constructorErrorIsAJsiiErrorWithThePathAndValue() {
        Stack bad = stack(new App(), "Bad");
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> PackagingGroup.Builder.create(bad, "Group").packagingGroupId("my vod").build());
        assertEquals(JsiiError.class, error.getClass());
        assertEquals("[Bad/Group] packagingGroupId: may contain only letters, digits, hyphens (-) and underscores (_) "
                + "(got 'my vod')", firstLine(error));
        assertFalse(MediaPackageVodErrors.isValidationError(error));
    }

    @Test
    void instanceMethodErrorIsAPlainRuntimeException() {
        Stack bad = stack(new App(), "Bad");
        PackagingGroup group = PackagingGroup.Builder.create(bad, "Group").build();
        BucketIngest ingest = group.addBucketIngest("Library", BucketIngestOptions.builder()
                .bucket(Bucket.Builder.create(bad, "Bucket").build())
                .keyPatterns(List.of("library/*/index.m3u8"))
                .build());
        RuntimeException error = assertThrows(RuntimeException.class, () -> ingest.grantReadCatalog(new AccountRootPrincipal()));
        assertMethodError(error, "[Bad/Group/Library] catalog: this ingest has no catalog to read: create it with the `catalog` property set to true "
                + "(got undefined)");
    }

    @Test
    void methodThatCreatesAConstructFailsLikeAnyMethod() {
        Stack bad = stack(new App(), "Bad");
        PackagingGroup group = PackagingGroup.Builder.create(bad, "Group").build();
        RuntimeException error = assertThrows(RuntimeException.class, () -> group.addBucketIngest("Library",
                BucketIngestOptions.builder()
                        .bucket(Bucket.Builder.create(bad, "Bucket").build())
                        .keyPatterns(List.of("library/*.mp4"))
                        .build()));
        assertMethodError(error, "[Bad/Group/Library] keyPatterns[0]: must end in .smil or .m3u8 (any case): MediaPackage VOD "
                + "ingests a SMIL manifest or an HLS parent playlist (got 'library/*.mp4')");
    }

    @Test
    void staticMethodErrorIsAPlainRuntimeException() {
        Stack bad = stack(new App(), "Bad");
        PackagingGroupOrigin origin = new PackagingGroupOrigin(PackagingGroup.Builder.create(bad, "Group").build());
        Distribution cdn = website(bad);
        VodBehaviors.addTo(cdn, origin);
        RuntimeException error = assertThrows(RuntimeException.class, () -> VodBehaviors.addTo(cdn, origin));
        assertMethodError(error, "[Bad/Cdn] addBehavior('out/*.m3u8'): the distribution already has this pattern "
                + "(VodBehaviors.addTo twice, or the VOD behaviors given another way): CloudFront rejects duplicate patterns "
                + "(got 'out/*.m3u8')");
    }

    @Test
    void synthErrorIsAPlainRuntimeExceptionListingEachProblem() {
        App app = new App();
        Stack bad = stack(app, "Bad");
        PackagingGroupOrigin origin = new PackagingGroupOrigin(PackagingGroup.Builder.create(bad, "Group").build());
        Distribution cdn = website(bad);
        VodBehaviors.addTo(cdn, origin);
        // After the group's out/*: never matches, reported by the check of the final behaviors at synth.
        cdn.addBehavior("out/*.vtt", origin);
        RuntimeException error = assertThrows(RuntimeException.class, app::synth);
        assertEquals(RuntimeException.class, error.getClass());
        assertTrue(error.getMessage().startsWith("ValidationFailedWithErrors: Validation failed with the following errors:\n"),
                error.getMessage());
        assertTrue(error.getMessage().contains("\n  [Bad/Cdn] cacheBehaviors[4].pathPattern: never matches: the packaging "
                + "group's 'out/*' before it takes every path under /out/"), error.getMessage());
        assertTrue(error.getMessage().contains("(got 'out/*.vtt')"), error.getMessage());
        assertFalse(MediaPackageVodErrors.isValidationError(error));
    }
}
