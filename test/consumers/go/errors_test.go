package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	vod "github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go/cdkmediapackagevod"
)

// What a Go user must recover (README, "Errors"): the panic value of a library error from a constructor, a method (an
// instance and a static one) and synth, its message, and what MediaPackageVodErrors_IsValidationError says of it.

// panicValue runs f and returns the value it panicked with, as is (nil when it did not panic).
func panicValue(f func()) (value interface{}) {
	defer func() { value = recover() }()
	f()
	return nil
}

// plainError is the type of errors.New's errors: what jsii-runtime-go panics with for a JavaScript error.
var plainError = reflect.TypeOf(errors.New(""))

// assertLibraryPanic checks that value is a plain error whose message is message, which IsValidationError does not
// recognise (the panic value is Go's error, not the JavaScript one).
func assertLibraryPanic(t *testing.T, value interface{}, message string) {
	t.Helper()
	err, ok := value.(error)
	if !ok || reflect.TypeOf(value) != plainError {
		t.Fatalf("panic value: %T %v, want an error of errors.New's type", value, value)
	}
	if err.Error() != message {
		t.Fatalf("message:\n%s\nwant:\n%s", err.Error(), message)
	}
	if *vod.MediaPackageVodErrors_IsValidationError(value) {
		t.Fatal("IsValidationError recognised the panic value")
	}
}

func errorStack(app awscdk.App, id string) awscdk.Stack {
	return awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
}

func website(stack awscdk.Stack) awscloudfront.Distribution {
	return awscloudfront.NewDistribution(stack, jsii.String("Cdn"), &awscloudfront.DistributionProps{
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("www.example.com"), nil)},
	})
}

func TestConstructorErrorPanicsWithAPlainError(t *testing.T) {
	stack := errorStack(awscdk.NewApp(nil), "Bad")
	value := panicValue(func() {
		vod.NewPackagingGroup(stack, jsii.String("Group"), &vod.PackagingGroupProps{PackagingGroupId: jsii.String("my vod")})
	})
	assertLibraryPanic(t, value,
		"[Bad/Group] packagingGroupId: may contain only letters, digits, hyphens (-) and underscores (_) (got 'my vod')")
}

func TestMethodErrorsPanicWithAPlainErrorPrefixedValidationError(t *testing.T) {
	stack := errorStack(awscdk.NewApp(nil), "Bad")
	group := vod.NewPackagingGroup(stack, jsii.String("Group"), nil)
	ingest := group.AddBucketIngest(jsii.String("Library"), &vod.BucketIngestOptions{
		Bucket:      awss3.NewBucket(stack, jsii.String("Bucket"), nil),
		KeyPatterns: jsii.Strings("library/*/index.m3u8"),
	})
	assertLibraryPanic(t, panicValue(func() { ingest.GrantReadCatalog(awsiam.NewAccountRootPrincipal()) }),
		"ValidationError: [Bad/Group/Library] catalog: this ingest has no catalog to read: create it with the `catalog` property set to true (got undefined)")

	origin := vod.NewPackagingGroupOrigin(group, nil)
	cdn := website(stack)
	vod.VodBehaviors_AddTo(cdn, origin, nil)
	assertLibraryPanic(t, panicValue(func() { vod.VodBehaviors_AddTo(cdn, origin, nil) }),
		"ValidationError: [Bad/Cdn] addBehavior('out/*.m3u8'): the distribution already has this pattern (VodBehaviors.addTo twice, "+
			"or the VOD behaviors given another way): CloudFront rejects duplicate patterns (got 'out/*.m3u8')")
}

func TestSynthErrorPanicsWithAPlainErrorListingEachProblem(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := errorStack(app, "Synth")
	origin := vod.NewPackagingGroupOrigin(vod.NewPackagingGroup(stack, jsii.String("Group"), nil), nil)
	cdn := website(stack)
	vod.VodBehaviors_AddTo(cdn, origin, nil)
	// After the group's out/*: never matches, reported by the check of the final behaviors at synth.
	cdn.AddBehavior(jsii.String("out/*.vtt"), origin, nil)
	value := panicValue(func() { app.Synth(nil) })
	err, ok := value.(error)
	if !ok || reflect.TypeOf(value) != plainError {
		t.Fatalf("panic value: %T %v, want an error of errors.New's type", value, value)
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "ValidationFailedWithErrors: Validation failed with the following errors:" || len(lines) < 2 ||
		!strings.HasPrefix(lines[1], "  [Synth/Cdn] cacheBehaviors[4].pathPattern: never matches: ") ||
		!strings.HasSuffix(lines[1], "(got 'out/*.vtt')") {
		t.Fatalf("message:\n%s", err.Error())
	}
	if *vod.MediaPackageVodErrors_IsValidationError(value) {
		t.Fatal("IsValidationError recognised the panic value")
	}
}
