// go test: the Go consumer app, synthesized from the Go module jsii-pacmak built, checked with aws-cdk-go's assertions and
// compared with the TypeScript reference template (written by scripts/ci/typescript-reference.sh). The tests mirror
// test/consumers/python/test_app.py and the Java ConsumerAppTest one for one.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	vod "github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go/cdkmediapackagevod"
)

const (
	fairPlay  = "94ce86fb-07ff-4f43-adb8-93d2fa968ca2"
	widevine  = "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"
	playReady = "9a04f079-9840-4286-ab92-e65be0885f95"
)

// obj and arr keep the expected templates short.
type obj = map[string]interface{}
type arr = []interface{}

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close() // stops the Node.js process behind jsii
	os.Exit(code)
}

// consumer is the synthesized consumer app, built once for the tests that read it.
type consumer struct {
	stack        *ConsumerVodStack
	template     assertions.Template
	templateJSON obj    // the template file synth wrote, decoded (numbers kept as written)
	templateFile []byte // the same file, as written
}

var (
	synthOnce   sync.Once
	synthResult *consumer
	synthErr    error
)

// synthesized builds and synthesizes the consumer app once (into a temporary directory).
func synthesized(t *testing.T) *consumer {
	t.Helper()
	synthOnce.Do(func() {
		synthErr = catch(func() {
			outdir, err := os.MkdirTemp("", "go-consumer-")
			if err != nil {
				panic(err)
			}
			app := BuildApp(outdir)
			stack := NewConsumerVodStack(app, ConsumerStackName)
			path := *app.Synth(nil).GetStackByName(stack.Stack.StackName()).TemplateFullPath()
			file, err := os.ReadFile(path)
			if err != nil {
				panic(err)
			}
			decoded, err := decode(file)
			if err != nil {
				panic(err)
			}
			synthResult = &consumer{stack, assertions.Template_FromStack(stack.Stack, nil), decoded, file}
		})
	})
	if synthErr != nil {
		t.Fatalf("synthesizing the consumer app failed: %v", synthErr)
	}
	return synthResult
}

// catch runs f and returns what it panicked with (jsii turns JavaScript errors, failed assertions included, into panics).
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	f()
	return nil
}

// check fails the test (and only this test) when f panics.
func check(t *testing.T, f func()) {
	t.Helper()
	if err := catch(f); err != nil {
		t.Fatal(err)
	}
}

func decode(data []byte) (obj, error) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var out obj
	err := decoder.Decode(&out)
	return out, err
}

func TestResourceCounts(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		for resourceType, count := range map[string]float64{
			"AWS::MediaPackage::PackagingGroup":         1,
			"AWS::MediaPackage::PackagingConfiguration": 2,
			"AWS::MediaPackage::Asset":                  1,
			// One SPEKE role per key provider, one shared source role for the bucket; each with its policy. The ingest
			// adds its function's role (with a policy), its backfill worker's role (with a policy) and its backfill
			// provider's role (inline policy); the playback URL provider and the signing-key provider a role each (inline
			// policy); the catalog reader and the playback signer: a role with its policy each.
			"AWS::IAM::Role":   10,
			"AWS::IAM::Policy": 7,
			"AWS::S3::Bucket":  1,
			// The distribution with the group's origin; the stack's one manifest cache policy.
			"AWS::CloudFront::Distribution": 1,
			"AWS::CloudFront::CachePolicy":  1,
			// The ingest's queue and its dead-letter queue; the catalog's status queue; the backfill's job queue and its
			// dead-letter queue (each queue with its policy). The event source mappings: the ingest queue's and the
			// status queue's (the ingest function), the job queue's (the backfill worker). One alarm per dead-letter queue.
			"AWS::DynamoDB::Table":                  1,
			"AWS::SQS::Queue":                       5,
			"AWS::SQS::QueuePolicy":                 5,
			"AWS::Lambda::EventSourceMapping":       3,
			"AWS::CloudWatch::Alarm":                2,
			"AWS::Events::Rule":                     3, // the ingest's S3 rule, the catalog's and OnPlayable's (to the topic)
			"AWS::SNS::Topic":                       1,
			"AWS::SNS::TopicPolicy":                 1,
			"Custom::MediaPackageVodIngestBackfill": 1,
			"Custom::MediaPackageVodPlaybackUrl":    1,
			// Viewer signing keys: one generated key pair (its secret, the custom resource that writes it, the public
			// key), the key group; the signing-key provider's role and the signer's are among the roles above.
			"AWS::SecretsManager::Secret":       1,
			"Custom::MediaPackageVodSigningKey": 1,
			"AWS::CloudFront::PublicKey":        1,
			"AWS::CloudFront::KeyGroup":         1,
		} {
			c.template.ResourceCountIs(jsii.String(resourceType), jsii.Number(count))
		}
	})
}

func TestBucketIngestFromGo(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		c.template.HasResourceProperties(jsii.String("AWS::Events::Rule"), obj{
			"EventPattern": obj{"detail": obj{"object": obj{"key": arr{
				obj{"wildcard": "library/*/index.m3u8"}, obj{"wildcard": "library/*/index.smil"},
			}}}},
		})
		c.template.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), obj{
			"ScalingConfig": obj{"MaximumConcurrency": 10},
		})
	})
	check(t, func() {
		ingest := c.stack.Ingest
		if got := *ingest.Function().Runtime().Name(); got != "nodejs22.x" {
			t.Errorf("ingest function runtime: %q", got)
		}
		if got := *ingest.AssetIdPrefix(); !strings.HasPrefix(got, "ConsumerVod_Group_Library_") {
			t.Errorf("assetIdPrefix: %q", got)
		}
		// The shared source role of the bucket: the same as the asset's.
		ingestRole, _ := json.Marshal(c.stack.Stack.Resolve(ingest.SourceRole().RoleArn()))
		movieRole, _ := json.Marshal(c.stack.Stack.Resolve(c.stack.Movie.SourceRole().RoleArn()))
		if !bytes.Equal(ingestRole, movieRole) {
			t.Errorf("the ingest's source role %s is not the asset's %s", ingestRole, movieRole)
		}
	})
}

func TestStatusHelpersFromGo(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		// Ingest.OnPlayable: VodAssetPlayable events of the ingest's assets (ARN prefix), to the topic.
		topic := c.stack.Stack.Resolve(c.stack.TitlePlayable.TopicArn())
		c.template.HasResourceProperties(jsii.String("AWS::Events::Rule"), obj{
			"EventPattern": obj{
				"source":      arr{"aws.mediapackage"},
				"detail-type": arr{"MediaPackage Input Notification"},
				"resources": arr{obj{"prefix": obj{"Fn::Join": arr{"", arr{
					"arn:", obj{"Ref": "AWS::Partition"},
					":mediapackage-vod:us-east-1:111111111111:assets/" + *c.stack.Ingest.AssetIdPrefix() + "-",
				}}}}},
				"detail": obj{"event": arr{"VodAssetPlayable"}},
			},
			"Targets": arr{obj{"Arn": topic, "Id": "Target0"}},
		})
		// Movie.PlaybackUrl(Hls, Cdn): the CDN's domain and the custom resource's Path.
		c.template.HasOutput(jsii.String("MovieHlsPlaybackUrl"), obj{"Value": obj{"Fn::Join": arr{"", arr{
			"https://", c.stack.Stack.Resolve(c.stack.Cdn.DistributionDomainName()),
			obj{"Fn::GetAtt": arr{assertions.Match_StringLikeRegexp(jsii.String("^GroupMoviePlaybackUrl")), "Path"}},
		}}}})
		c.template.HasResourceProperties(jsii.String("Custom::MediaPackageVodPlaybackUrl"), obj{
			"AssetId":                  c.stack.Stack.Resolve(c.stack.Movie.AssetId()),
			"PackagingConfigurationId": c.stack.Stack.Resolve(c.stack.Hls.PackagingConfigurationId()),
		})
	})
}

func TestCatalogFromGo(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		// Ingest.CatalogTable() (optional: set with Catalog) is the table, usable as an awsdynamodb.ITable.
		table := c.stack.Ingest.CatalogTable()
		if table == nil || c.stack.Ingest.CatalogRule() == nil || c.stack.Ingest.StatusQueue() == nil {
			t.Fatal("Catalog: true left CatalogTable, CatalogRule or StatusQueue nil")
		}
		tableArn := c.stack.Stack.Resolve(table.TableArn())
		c.template.HasOutput(jsii.String("CatalogTable"), obj{"Value": c.stack.Stack.Resolve(table.TableName())})
		// GrantReadCatalog: the reader's policy, the five read actions on the table and its sourceKey index.
		if !*c.stack.CatalogReadGrant.Success() {
			t.Error("GrantReadCatalog's grant did not succeed")
		}
		c.template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), obj{
			"Roles": arr{c.stack.Stack.Resolve(c.stack.CatalogReader.RoleName())},
			"PolicyDocument": obj{"Statement": arr{obj{
				"Action":   arr{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable"},
				"Effect":   "Allow",
				"Resource": arr{tableArn, obj{"Fn::Join": arr{"", arr{tableArn, "/index/sourceKey"}}}},
			}}},
		})
	})
}

func TestSignedCookiesFromGo(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		// Every behavior of the group (the default one and the four of AddTo) trusts the signing keys' key group.
		keyGroup := c.stack.Stack.Resolve(c.stack.SigningKeys.KeyGroup().KeyGroupId())
		keyGroupJSON, _ := json.Marshal(keyGroup)
		publicKey := c.stack.Stack.Resolve(c.stack.SigningKeys.SigningPublicKeyId())
		c.template.HasResourceProperties(jsii.String("AWS::CloudFront::KeyGroup"), obj{"KeyGroupConfig": obj{"Items": arr{publicKey}}})
		cdn := c.stack.Stack.Resolve(c.stack.Cdn.DistributionId()).(map[string]interface{})["Ref"].(string)
		config := c.templateJSON["Resources"].(obj)[cdn].(obj)["Properties"].(obj)["DistributionConfig"].(obj)
		behaviors := append(arr{config["DefaultCacheBehavior"]}, config["CacheBehaviors"].(arr)...)
		var patterns []string
		for _, b := range behaviors {
			behavior := b.(obj)
			pattern, _ := behavior["PathPattern"].(string)
			if pattern == "" {
				pattern = "default"
			}
			patterns = append(patterns, pattern)
			trusted, _ := json.Marshal(behavior["TrustedKeyGroups"])
			if string(trusted) != "["+string(keyGroupJSON)+"]" {
				t.Errorf("behavior %s: TrustedKeyGroups %s, want [%s]", pattern, trusted, keyGroupJSON)
			}
		}
		if got := strings.Join(patterns, " "); got != "default out/*.m3u8 out/*.mpd out/*/Manifest out/*" {
			t.Errorf("behaviors %q", got)
		}
		c.template.HasOutput(jsii.String("SigningKeyPairId"), obj{"Value": publicKey})
		c.template.HasOutput(jsii.String("SigningKeySecretArn"), obj{
			"Value": c.stack.Stack.Resolve(c.stack.SigningKeys.SigningKeySecret().SecretArn()),
		})
	})
}

func TestNoPrivateKeyInTheTemplateOrOutputs(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		// The private key exists only in Secrets Manager at deploy: the template holds the public key's resource only.
		text := string(c.templateFile)
		for _, banned := range []string{"PRIVATE KEY", "-----BEGIN", "resolve:secretsmanager"} {
			if strings.Contains(text, banned) {
				t.Errorf("the template contains %q", banned)
			}
		}
		// The secret is created with a random placeholder (no SecretString); the custom resource gets only its ARN.
		secretArn := c.stack.Stack.Resolve(c.stack.SigningKeys.SigningKeySecret().SecretArn())
		secrets := *c.template.FindResources(jsii.String("AWS::SecretsManager::Secret"), nil)
		if len(secrets) != 1 {
			t.Fatalf("%d secrets", len(secrets))
		}
		for _, secret := range secrets {
			properties := (*secret)["Properties"].(map[string]interface{})
			if _, ok := properties["SecretString"]; ok {
				t.Error("the secret has a SecretString")
			}
			if _, ok := properties["GenerateSecretString"]; !ok {
				t.Error("the secret has no GenerateSecretString")
			}
		}
		keys := *c.template.FindResources(jsii.String("Custom::MediaPackageVodSigningKey"), nil)
		if len(keys) != 1 {
			t.Fatalf("%d signing keys", len(keys))
		}
		for keyID := range keys {
			properties := c.templateJSON["Resources"].(obj)[keyID].(obj)["Properties"].(obj)
			var names []string
			for name := range properties {
				names = append(names, name)
			}
			sort.Strings(names)
			if got := strings.Join(names, " "); got != "SecretArn ServiceTimeout ServiceToken" {
				t.Errorf("the signing key's properties: %s", got)
			}
			c.template.HasResourceProperties(jsii.String("Custom::MediaPackageVodSigningKey"), obj{"SecretArn": secretArn})
			// The public key resource: its encoded key is the custom resource's PublicKey attribute, not a literal.
			c.template.HasResourceProperties(jsii.String("AWS::CloudFront::PublicKey"), obj{
				"PublicKeyConfig": obj{"EncodedKey": obj{"Fn::GetAtt": arr{keyID, "PublicKey"}}},
			})
		}
		// No output carries the secret's value; the secret's ARN output is a reference to the secret.
		for name, output := range c.templateJSON["Outputs"].(obj) {
			if encoded, _ := json.Marshal(output); strings.Contains(string(encoded), "SecretString") {
				t.Errorf("output %s: %s", name, encoded)
			}
		}
		c.template.HasOutput(jsii.String("SigningKeySecretArn"), obj{
			"Value": obj{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^SigningKeysKey1PrivateKey"))},
		})
	})
}

func TestGrantSignFromGo(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		// GrantSign: the backend's role may read exactly the private key's secret, nothing else.
		if !*c.stack.SignGrant.Success() {
			t.Error("GrantSign's grant did not succeed")
		}
		c.template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), obj{
			"Roles": arr{c.stack.Stack.Resolve(c.stack.PlaybackSigner.RoleName())},
			"PolicyDocument": obj{"Statement": arr{obj{
				"Action":   arr{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
				"Effect":   "Allow",
				"Resource": c.stack.Stack.Resolve(c.stack.SigningKeys.SigningKeySecret().SecretArn()),
			}}},
		})
	})
}

func TestBucketIngestErrorsReachGo(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("BadIngest"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	group := vod.NewPackagingGroup(stack, jsii.String("Group"), nil)
	err := catch(func() {
		group.AddBucketIngest(jsii.String("Library"), &vod.BucketIngestOptions{
			Bucket:      awss3.NewBucket(stack, jsii.String("B"), nil),
			KeyPatterns: jsii.Strings("library/*.mp4"),
		})
	})
	if err == nil {
		t.Fatal("expected the key pattern library/*.mp4 to be rejected")
	}
	if !strings.Contains(err.Error(), "[BadIngest/Group/Library] keyPatterns[0]: must end in .smil or .m3u8") {
		t.Fatalf("unexpected error: %v", err)
	}
}

func TestHlsConfigurationIsFairPlaySampleAes(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		c.template.HasResourceProperties(jsii.String("AWS::MediaPackage::PackagingConfiguration"), obj{
			"PackagingGroupId": obj{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Group"))},
			"HlsPackage": obj{
				"Encryption": obj{
					"EncryptionMethod":             "SAMPLE_AES",
					"ConstantInitializationVector": "0123456789abcdef0123456789abcdef",
					"SpekeKeyProvider": obj{
						"SystemIds": arr{fairPlay},
						"Url":       "https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection",
						"RoleArn":   obj{"Fn::GetAtt": arr{assertions.Match_StringLikeRegexp(jsii.String("^MediaPackageSpekeRole")), "Arn"}},
					},
				},
				"HlsManifests": arr{obj{
					"ManifestName":                   "index",
					"AdMarkers":                      "SCTE35_ENHANCED",
					"ProgramDateTimeIntervalSeconds": 60,
					"IncludeIframeOnlyStream":        true,
					"RepeatExtXKey":                  false,
					"StreamSelection": obj{
						"MinVideoBitsPerSecond": 500000,
						"MaxVideoBitsPerSecond": 8000000,
						"StreamOrder":           "VIDEO_BITRATE_DESCENDING",
					},
				}},
				"SegmentDurationSeconds": 6,
				"UseAudioRenditionGroup": true,
			},
		})
	})
}

func TestDashConfigurationUsesSpeke2Presets(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		c.template.HasResourceProperties(jsii.String("AWS::MediaPackage::PackagingConfiguration"), obj{
			"DashPackage": obj{
				"Encryption": obj{"SpekeKeyProvider": obj{
					"SystemIds": arr{widevine, playReady},
					"EncryptionContractConfiguration": obj{
						"PresetSpeke20Audio": "PRESET-AUDIO-1",
						"PresetSpeke20Video": "PRESET-VIDEO-1",
					},
				}},
				"DashManifests": arr{
					assertions.Match_ObjectLike(&obj{"ManifestLayout": "COMPACT", "MinBufferTimeSeconds": 30, "Profile": "NONE"}),
				},
				"PeriodTriggers":         arr{"ADS"},
				"SegmentTemplateFormat":  "NUMBER_WITH_TIMELINE",
				"SegmentDurationSeconds": 2,
			},
		})
	})
}

func TestGeneratedIdsAreValidServiceIds(t *testing.T) {
	c := synthesized(t)
	valid := regexp.MustCompile(`^[0-9a-zA-Z_-]{1,256}$`)
	count := 0
	for name, resource := range c.templateJSON["Resources"].(obj) {
		r := resource.(obj)
		if !strings.HasPrefix(r["Type"].(string), "AWS::MediaPackage::") {
			continue
		}
		count++
		if id, ok := r["Properties"].(obj)["Id"].(string); !ok || !valid.MatchString(id) {
			t.Errorf("%s: Id %v is not a valid service id", name, r["Properties"].(obj)["Id"])
		}
	}
	if count != 4 {
		t.Errorf("expected 4 MediaPackage resources, found %d", count)
	}
}

func TestAssetReadsTheBucketThroughALeastPrivilegeRole(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		c.template.HasResourceProperties(jsii.String("AWS::MediaPackage::Asset"), obj{
			"ResourceId": "movie1",
			"SourceArn": obj{"Fn::Join": arr{"", arr{
				obj{"Fn::GetAtt": arr{assertions.Match_StringLikeRegexp(jsii.String("^Sources")), "Arn"}},
				"/movies/movie1/index.smil",
			}}},
			"SourceRoleArn": obj{"Fn::GetAtt": arr{assertions.Match_StringLikeRegexp(jsii.String("^MediaPackageSourceRole")), "Arn"}},
		})
		c.template.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj{
			"AssumeRolePolicyDocument": obj{"Statement": arr{obj{
				"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": obj{"Service": "mediapackage.amazonaws.com"},
			}}},
		})
		c.template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), obj{
			"PolicyDocument": obj{"Statement": assertions.Match_ArrayWith(&arr{
				assertions.Match_ObjectLike(&obj{"Action": "s3:GetObject", "Effect": "Allow"}),
			})},
		})
	})
	if !*awscdk.Token_IsUnresolved(c.stack.Movie.SourceRole().RoleArn()) {
		t.Error("the asset's source role ARN should be a token")
	}
}

func TestNoWarningsOrErrors(t *testing.T) {
	c := synthesized(t)
	check(t, func() {
		assertions.Annotations_FromStack(c.stack.Stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
		assertions.Annotations_FromStack(c.stack.Stack).HasNoError(jsii.String("*"), assertions.Match_AnyValue())
	})
}

func TestValidationErrorsReachGoWithTheConstructPath(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil)
	// A library error reaches Go as a panic (jsii-runtime-go panics with the JavaScript error).
	err := catch(func() {
		vod.NewPackagingGroup(stack, jsii.String("Group"), &vod.PackagingGroupProps{PackagingGroupId: jsii.String("my vod")})
	})
	if err == nil {
		t.Fatal("expected the invalid packagingGroupId to be rejected")
	}
	if !regexp.MustCompile(`\[Bad/Group\] packagingGroupId: .*'my vod'`).MatchString(err.Error()) {
		t.Fatalf("unexpected error: %v", err)
	}
}

func TestImportsAndAttributesWorkFromGo(t *testing.T) {
	check(t, func() {
		stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Imports"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		group := vod.PackagingGroup_FromPackagingGroupAttributes(stack, jsii.String("Group"), &vod.PackagingGroupAttributes{
			PackagingGroupId: jsii.String("existing-group"),
			DomainName:       jsii.String("abc.egress.mediapackage-vod.us-east-1.amazonaws.com"),
		})
		if got := *group.PackagingGroupId(); got != "existing-group" {
			t.Errorf("packagingGroupId: %q", got)
		}
		// Given the bare host: DomainName() is the URL the service returns, EgressDomain() the host.
		if got := *group.DomainName(); got != "https://abc.egress.mediapackage-vod.us-east-1.amazonaws.com" {
			t.Errorf("domainName: %q", got)
		}
		if got := *group.EgressDomain(); got != "abc.egress.mediapackage-vod.us-east-1.amazonaws.com" {
			t.Errorf("egressDomain: %q", got)
		}
		bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Bucket"), jsii.String("my-sources"))
		asset := group.AddAsset(jsii.String("Movie"), &vod.AssetOptions{
			Source: vod.AssetSource_FromBucket(bucket, jsii.String("movie/index.m3u8")),
		})
		if asset == nil || asset.AssetId() == nil {
			t.Fatal("addAsset on an imported group returned no asset")
		}
		if !*awscdk.Token_IsUnresolved(asset.SourceRole().RoleArn()) {
			t.Error("the asset's source role ARN should be a token")
		}
		assertions.Template_FromStack(stack, nil).ResourceCountIs(jsii.String("AWS::MediaPackage::Asset"), jsii.Number(1))
	})
}

func TestSameTemplateAsTheTypeScriptReference(t *testing.T) {
	c := synthesized(t)
	reference := os.Getenv("CONSUMER_REFERENCE_TEMPLATE")
	if reference == "" {
		reference = filepath.Join("..", "typescript-reference", "cdk.out", ConsumerStackName+".template.json")
	}
	data, err := os.ReadFile(reference)
	if err != nil {
		t.Fatalf("%s is missing: run scripts/ci/typescript-reference.sh first (it synthesizes the TypeScript twin): %v",
			reference, err)
	}
	expected, err := decode(data)
	if err != nil {
		t.Fatalf("%s: %v", reference, err)
	}
	var differences []string
	diff(expected, c.templateJSON, "", &differences)
	if len(differences) > 40 {
		differences = differences[:40]
	}
	if len(differences) > 0 {
		t.Fatalf("Go template differs from the TypeScript reference:\n%s", strings.Join(differences, "\n"))
	}
	// Byte for byte: the template file synth wrote (aws-cdk-lib's own serialization) equals the one the TypeScript
	// twin's synth wrote next to the reference (typescript-reference.sh synthesizes into <reference dir>/assembly).
	twin := filepath.Join(filepath.Dir(reference), "assembly", ConsumerStackName+".template.json")
	twinFile, err := os.ReadFile(twin)
	if err != nil {
		t.Fatalf("the TypeScript twin's synthesized template %s is missing: %v", twin, err)
	}
	if !bytes.Equal(twinFile, c.templateFile) {
		t.Fatalf("the template files differ in bytes (%d in TypeScript, %d in Go) though their JSON is equal",
			len(twinFile), len(c.templateFile))
	}
}

// diff collects the JSON paths where actual differs from expected (no normalization: they must be identical).
func diff(expected, actual interface{}, path string, out *[]string) {
	e, eIsObj := expected.(obj)
	a, aIsObj := actual.(obj)
	if eIsObj && aIsObj {
		keys := map[string]bool{}
		for k := range e {
			keys[k] = true
		}
		for k := range a {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			ev, inE := e[k]
			av, inA := a[k]
			switch {
			case !inA:
				*out = append(*out, path+"/"+k+": only in TypeScript")
			case !inE:
				*out = append(*out, path+"/"+k+": only in Go")
			default:
				diff(ev, av, path+"/"+k, out)
			}
		}
		return
	}
	el, eIsArr := expected.(arr)
	al, aIsArr := actual.(arr)
	if eIsArr && aIsArr && len(el) == len(al) {
		for i := range el {
			diff(el[i], al[i], fmt.Sprintf("%s[%d]", path, i), out)
		}
		return
	}
	ej, _ := json.Marshal(expected)
	aj, _ := json.Marshal(actual)
	if fmt.Sprintf("%T", expected) != fmt.Sprintf("%T", actual) || !bytes.Equal(ej, aj) {
		*out = append(*out, fmt.Sprintf("%s: TypeScript %s != Go %s", path, ej, aj))
	}
}
