// The consumer app in Go: the twin of test/consumers/typescript-reference/app.ts.
//
// A VOD origin built with the Go module jsii-pacmak generates (package cdkmediapackagevod): one packaging group; an HLS
// configuration encrypted with FairPlay (SPEKE 1.0, SAMPLE_AES); a DASH configuration encrypted with Widevine and
// PlayReady (SPEKE 2.0 presets); one asset ingested from an S3 bucket, and the rest of that bucket's catalog through a
// BucketIngest; a CloudFront distribution with the group's origin and the VOD behaviors; an SNS topic told when a title
// of that catalog is playable (Ingest.OnPlayable), and the asset's HLS URL through the distribution as an output
// (Asset.PlaybackUrl). The ingest keeps a catalog of its titles (Catalog, playback URLs on the distribution's domain),
// which a role standing for the platform's API may read (Ingest.GrantReadCatalog); the table's name is an output.
// Viewers need signed cookies: every behavior of the group trusts the key group of a key pair generated at deploy
// (ViewerSigningKeys), whose private key a role standing for the platform's backend may read (GrantSign) to sign them;
// the key pair id and the secret's ARN are outputs.
//
// Keep it in step with the TypeScript reference (same construct ids, values and order): app_test.go compares the two
// templates. Run as a program (`go run . [outdir]`) it synthesizes into cdk.out.
package main

// go-readme:begin (scripts/go-readme.ts puts the lines up to each go-readme:end at the top of the Go module's README)

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	vod "github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go/cdkmediapackagevod"
)

// go-readme:end

// ConsumerStackName is the stack name the TypeScript, Python and Java twins use too.
const ConsumerStackName = "ConsumerVod"

// ConsumerVodStack is the consumer stack and its constructs (fields, so tests can reach them). The stack is a named
// field, not an embedded one: jsii identifies objects by their Go value, and a struct embedding awscdk.Stack is
// another value than the stack itself.
type ConsumerVodStack struct {
	Stack        awscdk.Stack
	Group        vod.PackagingGroup
	FairPlayKeys vod.SpekeKeyProvider
	DrmKeys      vod.SpekeKeyProvider
	Hls          vod.PackagingConfiguration
	Dash         vod.PackagingConfiguration
	Sources      awss3.Bucket
	Movie        vod.Asset
	SigningKeys  vod.ViewerSigningKeys
	Origin       vod.PackagingGroupOrigin
	Cdn          awscloudfront.Distribution
	Ingest       vod.BucketIngest
	// TitlePlayable is the topic Ingest.OnPlayable's rule (TitlePlayableRule) publishes to.
	TitlePlayable       awssns.Topic
	TitlePlayableRule   awsevents.Rule
	MovieHlsPlaybackUrl *string
	// CatalogReader stands for the platform's API; CatalogReadGrant is Ingest.GrantReadCatalog's grant to it.
	CatalogReader    awsiam.Role
	CatalogReadGrant awsiam.Grant
	// PlaybackSigner stands for the platform's backend that signs viewers' cookies; SignGrant is SigningKeys.GrantSign's.
	PlaybackSigner awsiam.Role
	SignGrant      awsiam.Grant
}

// skipCheckov records in the template why checkov checks do not apply to a resource of this app ({id, comment} pairs):
// its Metadata {"checkov": {"skip": [{"comment", "id"}]}}, as in the TypeScript reference (scripts/ci/checkov.sh
// requires it of every finding). jsii hands a Go map over with its keys sorted, hence comment before id there too.
func skipCheckov(construct constructs.IConstruct, skips ...[2]string) {
	list := make([]interface{}, 0, len(skips))
	for _, skip := range skips {
		list = append(list, map[string]interface{}{"comment": skip[1], "id": skip[0]})
	}
	construct.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("checkov"), map[string]interface{}{"skip": list})
}

// go-readme:begin
// NewConsumerVodStack builds the consumer stack into scope.
func NewConsumerVodStack(scope constructs.Construct, id string) *ConsumerVodStack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		// No CDKMetadata resource: it names the runtime language, which would make the templates differ.
		AnalyticsReporting: jsii.Bool(false),
	})
	s := &ConsumerVodStack{Stack: stack}

	s.Group = vod.NewPackagingGroup(stack, jsii.String("Group"), nil)

	s.FairPlayKeys = vod.NewSpekeKeyProvider(stack, jsii.String("FairPlayKeys"), &vod.SpekeKeyProviderProps{
		Url:       jsii.String("https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection"),
		SystemIds: &[]vod.DrmSystem{vod.DrmSystem_FAIRPLAY()},
	})

	s.DrmKeys = vod.NewSpekeKeyProvider(stack, jsii.String("DrmKeys"), &vod.SpekeKeyProviderProps{
		Url:                jsii.String("https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v2.0/copyProtection"),
		SystemIds:          &[]vod.DrmSystem{vod.DrmSystem_WIDEVINE(), vod.DrmSystem_PLAYREADY()},
		EncryptionContract: &vod.EncryptionContract{Audio: vod.AudioPreset_PRESET_AUDIO_1, Video: vod.VideoPreset_PRESET_VIDEO_1},
	})

	s.Hls = s.Group.AddPackagingConfiguration(jsii.String("Hls"), &vod.PackagingConfigurationOptions{
		Format: vod.PackagingFormat_Hls(&vod.HlsPackageProps{
			Manifests: &[]*vod.HlsManifest{{
				ManifestName:            jsii.String("index"),
				AdMarkers:               vod.AdMarkers_SCTE35_ENHANCED,
				ProgramDateTimeInterval: awscdk.Duration_Seconds(jsii.Number(60)),
				IncludeIframeOnlyStream: jsii.Bool(true),
				RepeatExtXKey:           jsii.Bool(false),
				StreamSelection: &vod.StreamSelection{
					MinVideoBitsPerSecond: jsii.Number(500_000),
					MaxVideoBitsPerSecond: jsii.Number(8_000_000),
					StreamOrder:           vod.StreamOrder_VIDEO_BITRATE_DESCENDING,
				},
			}},
			SegmentDuration:        awscdk.Duration_Seconds(jsii.Number(6)),
			UseAudioRenditionGroup: jsii.Bool(true),
			IncludeDvbSubtitles:    jsii.Bool(false),
			Encryption: vod.HlsEncryption_Speke(&vod.HlsSpekeEncryptionOptions{
				KeyProvider:                  s.FairPlayKeys,
				Method:                       vod.HlsEncryptionMethod_SAMPLE_AES,
				ConstantInitializationVector: jsii.String("0123456789abcdef0123456789abcdef"),
			}),
		}),
	})

	s.Dash = vod.NewPackagingConfiguration(stack, jsii.String("Dash"), &vod.PackagingConfigurationProps{
		PackagingGroup: s.Group,
		Format: vod.PackagingFormat_Dash(&vod.DashPackageProps{
			Manifests: &[]*vod.DashManifest{{
				ManifestName:      jsii.String("index"),
				Profile:           vod.DashProfile_NONE,
				ManifestLayout:    vod.ManifestLayout_COMPACT,
				MinBufferTime:     awscdk.Duration_Seconds(jsii.Number(30)),
				ScteMarkersSource: vod.ScteMarkersSource_SEGMENTS,
				StreamSelection:   &vod.StreamSelection{StreamOrder: vod.StreamOrder_ORIGINAL},
			}},
			SegmentDuration:                       awscdk.Duration_Seconds(jsii.Number(2)),
			SegmentTemplateFormat:                 vod.SegmentTemplateFormat_NUMBER_WITH_TIMELINE,
			PeriodTriggers:                        &[]vod.PeriodTrigger{vod.PeriodTrigger_ADS},
			IncludeEncoderConfigurationInSegments: jsii.Bool(false),
			Encryption:                            vod.DashEncryption_Speke(&vod.SpekeEncryptionOptions{KeyProvider: s.DrmKeys}),
		}),
	})

	s.Sources = awss3.NewBucket(stack, jsii.String("Sources"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
	})

	s.Movie = s.Group.AddAsset(jsii.String("Movie"), &vod.AssetOptions{
		Source:     vod.AssetSource_FromBucket(s.Sources, jsii.String("movies/movie1/index.smil")),
		ResourceId: jsii.String("movie1"),
	})

	// Viewer access: a key pair generated at deploy (the private key in Secrets Manager, only the public key and the key
	// group in the template), and signed cookies on every behavior of the group (the default one included).
	s.SigningKeys = vod.NewViewerSigningKeys(stack, jsii.String("SigningKeys"), &vod.ViewerSigningKeysProps{
		GeneratedKeys: jsii.Strings("1"),
	})
	signed := &vod.VodBehaviorOptions{
		ViewerAccess: vod.ViewerAccess_SignedCookies(&vod.SignedCookiesOptions{KeyGroup: s.SigningKeys.KeyGroup()}),
	}

	// Delivery: the group's origin in a CloudFront distribution, with the VOD behaviors (manifests, then out/*).
	s.Origin = vod.NewPackagingGroupOrigin(s.Group, &vod.PackagingGroupOriginProps{ConnectionAttempts: jsii.Number(2)})
	// VodBehaviors.forOrigin returns a map, and a Go map has no order: jsii hands it over sorted by key, which would put
	// out/* (segments) before the manifest patterns, so CloudFront would never use the manifest behaviors.
	// VodBehaviors.AddTo adds them one by one in order (manifests, then out/*), as the TypeScript twin does.
	s.Cdn = awscloudfront.NewDistribution(stack, jsii.String("Cdn"), &awscloudfront.DistributionProps{
		DefaultBehavior: vod.VodBehaviors_Segments(s.Origin, signed),
		HttpVersion:     awscloudfront.HttpVersion_HTTP2_AND_3,
	})
	vod.VodBehaviors_AddTo(s.Cdn, s.Origin, signed)

	// The rest of the catalog, ingested without a deploy (S3 events -> EventBridge -> SQS -> Lambda -> CreateAsset).
	s.Ingest = s.Group.AddBucketIngest(jsii.String("Library"), &vod.BucketIngestOptions{
		Bucket:         s.Sources,
		KeyPatterns:    jsii.Strings("library/*/index.m3u8", "library/*/index.smil"),
		IngestExisting: jsii.Bool(true),
		OnReupload:     vod.OnReupload_REPLACE,
		MaxConcurrency: jsii.Number(10),
		DeliveryDelay:  awscdk.Duration_Minutes(jsii.Number(1)),
		// The catalog of its titles (a DynamoDB table), with each manifest URL also on the distribution's domain.
		Catalog:             jsii.Bool(true),
		CatalogDistribution: s.Cdn,
	})

	// Status: a topic told when a title of the catalog is playable (one VodAssetPlayable event per configuration).
	s.TitlePlayable = awssns.NewTopic(stack, jsii.String("TitlePlayableTopic"), nil)
	s.TitlePlayableRule = s.Ingest.OnPlayable(jsii.String("TitlePlayable"), &awsevents.OnEventOptions{
		Target: awseventstargets.NewSnsTopic(s.TitlePlayable, nil),
	})

	// go-readme:end (the test app's checkov skips are not part of the README's example)
	// checkov: the app's own bucket, distribution and topic stand for the user's; what checkov asks of them is theirs.
	skipCheckov(s.Sources,
		[2]string{"CKV_AWS_18", "Consumer app's test bucket (never deployed by CI): server access logs need a second bucket."},
		[2]string{"CKV_AWS_21", "Consumer app's test bucket (never deployed by CI): versioning is its owner's choice."},
	)
	skipCheckov(s.Cdn,
		[2]string{"CKV_AWS_68", "Consumer app's own distribution (never deployed by CI): a WAF web ACL is its owner's choice."},
		[2]string{"CKV_AWS_86", "Consumer app's own distribution (never deployed by CI): access logs need its owner's bucket."},
		[2]string{"CKV_AWS_174", "Consumer app's own distribution (never deployed by CI): default certificate, TLS set by CloudFront."},
	)
	skipCheckov(s.TitlePlayable,
		[2]string{"CKV_AWS_26", "Consumer app's test SNS topic (never deployed by CI): a KMS key for it is its owner's choice."},
	)

	// go-readme:begin
	awscdk.NewCfnOutput(stack, jsii.String("DomainName"), &awscdk.CfnOutputProps{Value: s.Group.DomainName()})
	awscdk.NewCfnOutput(stack, jsii.String("EgressDomain"), &awscdk.CfnOutputProps{Value: s.Group.EgressDomain()})
	awscdk.NewCfnOutput(stack, jsii.String("PlaybackDomain"), &awscdk.CfnOutputProps{Value: s.Cdn.DistributionDomainName()})
	awscdk.NewCfnOutput(stack, jsii.String("HlsConfigurationId"), &awscdk.CfnOutputProps{Value: s.Hls.PackagingConfigurationId()})
	awscdk.NewCfnOutput(stack, jsii.String("DashConfigurationArn"), &awscdk.CfnOutputProps{Value: s.Dash.PackagingConfigurationArn()})
	awscdk.NewCfnOutput(stack, jsii.String("MovieAssetId"), &awscdk.CfnOutputProps{Value: s.Movie.AssetId()})
	awscdk.NewCfnOutput(stack, jsii.String("IngestQueueUrl"), &awscdk.CfnOutputProps{Value: s.Ingest.Queue().QueueUrl()})
	awscdk.NewCfnOutput(stack, jsii.String("IngestFunctionName"), &awscdk.CfnOutputProps{Value: s.Ingest.Function().FunctionName()})
	// The movie's HLS URL through the distribution (read at deploy time by a custom resource).
	s.MovieHlsPlaybackUrl = s.Movie.PlaybackUrl(s.Hls, &vod.PlaybackUrlOptions{Distribution: s.Cdn})
	awscdk.NewCfnOutput(stack, jsii.String("MovieHlsPlaybackUrl"), &awscdk.CfnOutputProps{Value: s.MovieHlsPlaybackUrl})

	// The platform's API reads the catalog (the role its function would run as).
	s.CatalogReader = awsiam.NewRole(stack, jsii.String("CatalogReader"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	s.CatalogReadGrant = s.Ingest.GrantReadCatalog(s.CatalogReader)
	// CatalogTable() is nil without Catalog.
	awscdk.NewCfnOutput(stack, jsii.String("CatalogTable"), &awscdk.CfnOutputProps{Value: s.Ingest.CatalogTable().TableName()})

	// The platform's backend signs the viewers' cookies (the role its function would run as): it reads the private key's
	// secret, and puts the public key's id in CloudFront-Key-Pair-Id.
	s.PlaybackSigner = awsiam.NewRole(stack, jsii.String("PlaybackSigner"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	s.SignGrant = s.SigningKeys.GrantSign(s.PlaybackSigner)
	// SigningPublicKeyId() and SigningKeySecret() are nil when no key pair is generated.
	awscdk.NewCfnOutput(stack, jsii.String("SigningKeyPairId"), &awscdk.CfnOutputProps{Value: s.SigningKeys.SigningPublicKeyId()})
	awscdk.NewCfnOutput(stack, jsii.String("SigningKeySecretArn"), &awscdk.CfnOutputProps{
		Value: s.SigningKeys.SigningKeySecret().SecretArn(),
	})
	return s
}

// go-readme:end

// BuildApp builds the consumer app into outdir (the default cdk.out when empty).
func BuildApp(outdir string) awscdk.App {
	if outdir == "" {
		return awscdk.NewApp(nil)
	}
	return awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
}

func main() {
	defer jsii.Close()
	outdir := ""
	if len(os.Args) > 1 {
		outdir = os.Args[1]
	}
	app := BuildApp(outdir)
	stack := NewConsumerVodStack(app, ConsumerStackName)
	app.Synth(nil)
	fmt.Printf("go-consumer: synthesized %s\n", *stack.Stack.StackName())
}
