package io.github.cdkmediapackagevod.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdkmediapackagevod.Asset;
import io.github.cdkmediapackagevod.AssetOptions;
import io.github.cdkmediapackagevod.AssetSource;
import io.github.cdkmediapackagevod.BucketIngestOptions;
import io.github.cdkmediapackagevod.IPackagingGroup;
import io.github.cdkmediapackagevod.PackagingGroup;
import io.github.cdkmediapackagevod.PackagingGroupAttributes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

/** The Java consumer app, synthesized from the jar jsii-pacmak built, checked and compared with the TypeScript twin. */
class ConsumerAppTest {
    private static final String FAIRPLAY = "94ce86fb-07ff-4f43-adb8-93d2fa968ca2";
    private static final String WIDEVINE = "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed";
    private static final String PLAYREADY = "9a04f079-9840-4286-ab92-e65be0885f95";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path outdir;

    private static ConsumerApp.ConsumerVodStack stack;
    private static Template template;
    private static JsonNode synthesized;

    @BeforeAll
    static void synth() throws IOException {
        App app = ConsumerApp.buildApp(outdir.toString());
        stack = new ConsumerApp.ConsumerVodStack(app, ConsumerApp.CONSUMER_STACK_NAME);
        String templatePath = app.synth().getStackByName(stack.getStackName()).getTemplateFullPath();
        synthesized = JSON.readTree(new File(templatePath));
        template = Template.fromStack(stack);
    }

    @Test
    void resourceCounts() {
        template.resourceCountIs("AWS::MediaPackage::PackagingGroup", 1);
        template.resourceCountIs("AWS::MediaPackage::PackagingConfiguration", 2);
        template.resourceCountIs("AWS::MediaPackage::Asset", 1);
        // One SPEKE role per key provider, one shared source role for the bucket; each with its policy. The ingest adds
        // its function's role (with a policy), its backfill worker's role (with a policy) and its backfill provider's
        // role (inline policy); the playback URL provider and the signing-key provider a role each (inline policy). The
        // catalog reader and the playback signer: a role with its policy each.
        template.resourceCountIs("AWS::IAM::Role", 10);
        template.resourceCountIs("AWS::IAM::Policy", 7);
        template.resourceCountIs("AWS::S3::Bucket", 1);
        // The distribution with the group's origin; the stack's one manifest cache policy.
        template.resourceCountIs("AWS::CloudFront::Distribution", 1);
        template.resourceCountIs("AWS::CloudFront::CachePolicy", 1);
        // The ingest's queue and its dead-letter queue; the catalog's status queue; the backfill's job queue and its
        // dead-letter queue (each queue with its policy). The event source mappings: the ingest queue's and the status
        // queue's (the ingest function), the job queue's (the backfill worker). One alarm per dead-letter queue.
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.resourceCountIs("AWS::SQS::Queue", 5);
        template.resourceCountIs("AWS::SQS::QueuePolicy", 5);
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);
        template.resourceCountIs("AWS::CloudWatch::Alarm", 2);
        // The ingest's S3 rule, the catalog rule and the onPlayable rule (to the topic, with its topic policy).
        template.resourceCountIs("AWS::Events::Rule", 3);
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.resourceCountIs("AWS::SNS::TopicPolicy", 1);
        template.resourceCountIs("Custom::MediaPackageVodIngestBackfill", 1);
        template.resourceCountIs("Custom::MediaPackageVodPlaybackUrl", 1);
        // Viewer signing keys: one generated key pair (its secret, the custom resource that writes it, the public key),
        // the key group; the signing-key provider's role and the signer's are among the roles above.
        template.resourceCountIs("AWS::SecretsManager::Secret", 1);
        template.resourceCountIs("Custom::MediaPackageVodSigningKey", 1);
        template.resourceCountIs("AWS::CloudFront::PublicKey", 1);
        template.resourceCountIs("AWS::CloudFront::KeyGroup", 1);
    }

    @Test
    void signedCookiesFromJava() {
        // Every behavior of the group (the default one and the four of forOrigin) trusts the signing keys' key group.
        Object keyGroup = stack.resolve(stack.signingKeys.getKeyGroup().getKeyGroupId());
        String keyGroupId = stack.getLogicalId((CfnElement) stack.signingKeys.getKeyGroup().getNode().getDefaultChild());
        assertEquals(Map.of("Ref", keyGroupId), keyGroup);
        Object publicKey = stack.resolve(stack.signingKeys.getSigningPublicKeyId());
        template.hasResourceProperties("AWS::CloudFront::KeyGroup", Map.of("KeyGroupConfig", Map.of("Items", List.of(publicKey))));
        String cdn = stack.getLogicalId((CfnElement) stack.cdn.getNode().getDefaultChild());
        JsonNode config = synthesized.get("Resources").get(cdn).get("Properties").get("DistributionConfig");
        List<JsonNode> behaviors = new ArrayList<>(List.of(config.get("DefaultCacheBehavior")));
        config.get("CacheBehaviors").forEach(behaviors::add);
        List<String> patterns = new ArrayList<>();
        for (JsonNode behavior : behaviors) {
            patterns.add(behavior.has("PathPattern") ? behavior.get("PathPattern").asText() : "default");
            assertEquals(JSON.valueToTree(List.of(keyGroup)), behavior.get("TrustedKeyGroups"), patterns.get(patterns.size() - 1));
        }
        assertEquals(List.of("default", "out/*.m3u8", "out/*.mpd", "out/*/Manifest", "out/*"), patterns);
        template.hasOutput("SigningKeyPairId", Map.of("Value", publicKey));
        template.hasOutput("SigningKeySecretArn", Map.of("Value", stack.resolve(stack.signingKeys.getSigningKeySecret().getSecretArn())));
    }

    @Test
    void noPrivateKeyInTheTemplateOrOutputs() throws IOException {
        // The private key exists only in Secrets Manager at deploy: the template holds the public key's resource only.
        String text = synthesized.toString();
        assertTrue(!text.contains("PRIVATE KEY") && !text.contains("-----BEGIN") && !text.contains("resolve:secretsmanager"));
        // The secret is created with a random placeholder (no SecretString); the custom resource gets only its ARN.
        Object secretArn = stack.resolve(stack.signingKeys.getSigningKeySecret().getSecretArn());
        Map<String, Map<String, Object>> secrets = template.findResources("AWS::SecretsManager::Secret");
        assertEquals(1, secrets.size());
        JsonNode secret = JSON.valueToTree(secrets.values().iterator().next()).get("Properties");
        assertTrue(!secret.has("SecretString") && secret.has("GenerateSecretString"), secret.toString());
        Map<String, Map<String, Object>> keys = template.findResources("Custom::MediaPackageVodSigningKey");
        assertEquals(1, keys.size());
        String keyId = keys.keySet().iterator().next();
        JsonNode keyProperties = synthesized.get("Resources").get(keyId).get("Properties");
        Set<String> names = new TreeSet<>();
        keyProperties.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("ServiceToken", "ServiceTimeout", "SecretArn"), names);
        assertEquals(JSON.valueToTree(secretArn), keyProperties.get("SecretArn"));
        // The public key resource: its encoded key is the custom resource's PublicKey attribute, not a literal.
        template.hasResourceProperties("AWS::CloudFront::PublicKey", Map.of("PublicKeyConfig", Map.of(
                "EncodedKey", Map.of("Fn::GetAtt", List.of(keyId, "PublicKey")))));
        // No output carries the secret's value; the secret's ARN output is a reference to the secret.
        synthesized.get("Outputs").forEach(output -> assertTrue(!output.toString().contains("SecretString"), output.toString()));
        template.hasOutput("SigningKeySecretArn", Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("^SigningKeysKey1PrivateKey"))));
    }

    @Test
    void grantSignFromJava() {
        // grantSign: the backend's role may read exactly the private key's secret, nothing else.
        assertTrue(stack.signGrant.getSuccess());
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(stack.resolve(stack.playbackSigner.getRoleName())),
                "PolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                        "Effect", "Allow",
                        "Resource", stack.resolve(stack.signingKeys.getSigningKeySecret().getSecretArn()))))));
    }

    @Test
    void bucketIngestFromJava() {
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping",
                Map.of("ScalingConfig", Map.of("MaximumConcurrency", 10)));
        assertEquals("nodejs22.x", stack.ingest.getFunction().getRuntime().getName());
        assertTrue(stack.ingest.getAssetIdPrefix().startsWith("ConsumerVod_Group_Library_"), stack.ingest.getAssetIdPrefix());
        assertEquals(stack.resolve(stack.movie.getSourceRole().getRoleArn()), stack.resolve(stack.ingest.getSourceRole().getRoleArn()));
    }

    @Test
    void onPlayableRuleFromJava() {
        // ingest.onPlayable: the VodAssetPlayable events of the assets whose ARN starts with the ingest's asset id prefix.
        String rule = stack.getLogicalId((CfnElement) stack.titlePlayableRule.getNode().getDefaultChild());
        String topic = stack.getLogicalId((CfnElement) stack.titlePlayable.getNode().getDefaultChild());
        Map<String, Object> ownAssets = Map.of("prefix", Map.of("Fn::Join", List.of("", List.of(
                "arn:", Map.of("Ref", "AWS::Partition"),
                ":mediapackage-vod:us-east-1:111111111111:assets/" + stack.ingest.getAssetIdPrefix() + "-"))));
        template.templateMatches(Map.of("Resources", Map.of(rule, Map.of(
                "Type", "AWS::Events::Rule",
                "Properties", Map.of(
                        "EventPattern", Map.of(
                                "source", List.of("aws.mediapackage"),
                                "detail-type", List.of("MediaPackage Input Notification"),
                                "resources", List.of(ownAssets),
                                "detail", Map.of("event", List.of("VodAssetPlayable"))),
                        "State", "ENABLED",
                        "Targets", List.of(Map.of("Arn", Map.of("Ref", topic), "Id", "Target0")))))));
        // The rule's exact pattern: nothing more than the four fields (a missing scope would match every asset's events).
        JsonNode pattern = synthesized.get("Resources").get(rule).get("Properties").get("EventPattern");
        assertEquals(new TreeSet<>(List.of("detail", "detail-type", "resources", "source")), fieldNames(pattern));
        assertEquals(Set.of("event"), fieldNames(pattern.get("detail")));
        // EventBridge may publish to the topic.
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(Map.of("Ref", topic)),
                "PolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sns:Publish",
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Resource", Map.of("Ref", topic),
                        "Sid", "0")))));
        assertEquals(Map.of("Ref", rule), stack.resolve(stack.titlePlayableRule.getRuleName()));
    }

    @Test
    void catalogReadGrantFromJava() {
        // getCatalogTable() (optional: set with catalog(true)) is the table, usable as a dynamodb ITable.
        String table = stack.getLogicalId((CfnElement) stack.ingest.getCatalogTable().getNode().getDefaultChild());
        assertEquals("AWS::DynamoDB::Table", synthesized.get("Resources").get(table).get("Type").asText());
        Map<String, Object> tableArn = Map.of("Fn::GetAtt", List.of(table, "Arn"));
        assertEquals(tableArn, stack.resolve(stack.ingest.getCatalogTable().getTableArn()));
        assertTrue(stack.catalogReadGrant.getSuccess());
        // The reader's policy: exactly the five read actions, on the table and its one index (sourceKey), nothing else.
        String reader = stack.getLogicalId((CfnElement) stack.catalogReader.getNode().getDefaultChild());
        String readerPolicy = stack.getLogicalId((CfnElement) stack.catalogReader.getNode().findChild("DefaultPolicy")
                .getNode().getDefaultChild());
        JsonNode readerProperties = synthesized.get("Resources").get(readerPolicy).get("Properties");
        assertEquals(JSON.valueToTree(List.of(Map.of("Ref", reader))), readerProperties.get("Roles"));
        assertEquals(JSON.valueToTree(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                "Action", List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                        "dynamodb:DescribeTable"),
                "Effect", "Allow",
                "Resource", List.of(tableArn, Map.of("Fn::Join", List.of("", List.of(tableArn, "/index/sourceKey")))))))),
                readerProperties.get("PolicyDocument"));
        // The ingest function writes the catalog with UpdateItem on the table only; no other policy of the stack names
        // a DynamoDB action.
        String functionRole = stack.getLogicalId((CfnElement) stack.ingest.getFunction().getRole().getNode().getDefaultChild());
        List<JsonNode> dynamodbStatements = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = synthesized.get("Resources").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!resource.getValue().get("Type").asText().equals("AWS::IAM::Policy") || resource.getKey().equals(readerPolicy)) {
                continue;
            }
            JsonNode properties = resource.getValue().get("Properties");
            for (JsonNode statement : properties.get("PolicyDocument").get("Statement")) {
                if (statement.get("Action").toString().contains("dynamodb:")) {
                    assertEquals(JSON.valueToTree(List.of(Map.of("Ref", functionRole))), properties.get("Roles"), resource.getKey());
                    dynamodbStatements.add(statement);
                }
            }
        }
        assertEquals(List.of(JSON.valueToTree(Map.of("Action", "dynamodb:UpdateItem", "Effect", "Allow", "Resource", tableArn))),
                dynamodbStatements);
    }

    @Test
    void bucketIngestErrorsReachJava() {
        Stack bad = new Stack(new App(), "BadIngest", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build()).build());
        PackagingGroup group = PackagingGroup.Builder.create(bad, "Group").build();
        RuntimeException error = assertThrows(RuntimeException.class, () -> group.addBucketIngest("Library",
                BucketIngestOptions.builder().bucket(Bucket.Builder.create(bad, "B").build()).keyPatterns(List.of("library/*.mp4")).build()));
        assertTrue(error.getMessage().contains("[BadIngest/Group/Library] keyPatterns[0]: must end in .smil or .m3u8"), error.getMessage());
    }

    @Test
    void hlsConfigurationIsFairPlaySampleAes() {
        template.hasResourceProperties("AWS::MediaPackage::PackagingConfiguration", Map.of(
                "HlsPackage", Map.of(
                        "Encryption", Map.of(
                                "EncryptionMethod", "SAMPLE_AES",
                                "ConstantInitializationVector", "0123456789abcdef0123456789abcdef",
                                "SpekeKeyProvider", Map.of(
                                        "SystemIds", List.of(FAIRPLAY),
                                        "Url", "https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection")),
                        "HlsManifests", List.of(Match.objectLike(Map.of(
                                "ManifestName", "index",
                                "AdMarkers", "SCTE35_ENHANCED",
                                "ProgramDateTimeIntervalSeconds", 60,
                                "StreamSelection", Map.of(
                                        "MinVideoBitsPerSecond", 500000,
                                        "MaxVideoBitsPerSecond", 8000000,
                                        "StreamOrder", "VIDEO_BITRATE_DESCENDING")))),
                        "SegmentDurationSeconds", 6)));
    }

    @Test
    void dashConfigurationUsesSpeke2Presets() {
        template.hasResourceProperties("AWS::MediaPackage::PackagingConfiguration", Map.of(
                "DashPackage", Map.of(
                        "Encryption", Map.of("SpekeKeyProvider", Map.of(
                                "SystemIds", List.of(WIDEVINE, PLAYREADY),
                                "EncryptionContractConfiguration", Map.of(
                                        "PresetSpeke20Audio", "PRESET-AUDIO-1",
                                        "PresetSpeke20Video", "PRESET-VIDEO-1"))),
                        "PeriodTriggers", List.of("ADS"),
                        "SegmentTemplateFormat", "NUMBER_WITH_TIMELINE")));
    }

    @Test
    void assetReadsTheBucketThroughTheSharedSourceRole() {
        template.hasResourceProperties("AWS::MediaPackage::Asset", Map.of(
                "ResourceId", "movie1",
                "SourceRoleArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^MediaPackageSourceRole"), "Arn"))));
        assertTrue(software.amazon.awscdk.Token.isUnresolved(stack.movie.getSourceRole().getRoleArn()));
    }

    @Test
    void generatedIdsAreValidServiceIds() {
        Pattern idPattern = Pattern.compile("[0-9a-zA-Z_-]{1,256}");
        int count = 0;
        for (Iterator<JsonNode> it = synthesized.get("Resources").elements(); it.hasNext();) {
            JsonNode resource = it.next();
            if (resource.get("Type").asText().startsWith("AWS::MediaPackage::")) {
                String id = resource.get("Properties").get("Id").asText();
                assertTrue(idPattern.matcher(id).matches(), id);
                count++;
            }
        }
        assertEquals(4, count);
    }

    @Test
    void noWarningsOrErrors() {
        Annotations.fromStack(stack).hasNoWarning("*", Match.anyValue());
        Annotations.fromStack(stack).hasNoError("*", Match.anyValue());
    }

    @Test
    void validationErrorsReachJavaWithTheConstructPath() {
        Stack bad = new Stack(new App(), "Bad");
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> PackagingGroup.Builder.create(bad, "Group").packagingGroupId("my vod").build());
        assertTrue(error.getMessage().contains("[Bad/Group] packagingGroupId: ") && error.getMessage().contains("'my vod'"),
                error.getMessage());
    }

    @Test
    void importsWorkFromJava() {
        Stack imports = new Stack(new App(), "Imports", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build()).build());
        IPackagingGroup group = PackagingGroup.fromPackagingGroupAttributes(imports, "Group", PackagingGroupAttributes.builder()
                .packagingGroupId("existing-group")
                .domainName("abc.egress.mediapackage-vod.us-east-1.amazonaws.com")
                .build());
        assertEquals("existing-group", group.getPackagingGroupId());
        // Given the bare host: getDomainName() is the URL the service returns, getEgressDomain() the host.
        assertEquals("https://abc.egress.mediapackage-vod.us-east-1.amazonaws.com", group.getDomainName());
        assertEquals("abc.egress.mediapackage-vod.us-east-1.amazonaws.com", group.getEgressDomain());
        Asset asset = group.addAsset("Movie", AssetOptions.builder()
                .source(AssetSource.fromBucket(Bucket.fromBucketName(imports, "Bucket", "my-sources"), "movie/index.m3u8"))
                .build());
        assertInstanceOf(Asset.class, asset);
        Template.fromStack(imports).resourceCountIs("AWS::MediaPackage::Asset", 1);
    }

    @Test
    void sameTemplateAsTheTypeScriptReference() throws IOException {
        String configured = System.getProperty("consumer.reference.template");
        Path reference = configured != null && !configured.isEmpty() && !configured.startsWith("${")
                ? Path.of(configured)
                : Path.of("..", "typescript-reference", "cdk.out", ConsumerApp.CONSUMER_STACK_NAME + ".template.json");
        assertTrue(Files.isRegularFile(reference),
                reference + " is missing: run scripts/ci/typescript-reference.sh first (it synthesizes the TypeScript twin)");
        List<String> differences = new ArrayList<>();
        diff(JSON.readTree(reference.toFile()), synthesized, "", differences);
        assertTrue(differences.isEmpty(), "Java template differs from the TypeScript reference:\n"
                + String.join("\n", differences.subList(0, Math.min(40, differences.size()))));
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Collects the JSON paths where {@code actual} differs from {@code expected} (no normalization). */
    private static void diff(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!actual.has(key)) {
                    out.add(path + "/" + key + ": only in TypeScript");
                } else if (!expected.has(key)) {
                    out.add(path + "/" + key + ": only in Java");
                } else {
                    diff(expected.get(key), actual.get(key), path + "/" + key, out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(expected.get(i), actual.get(i), path + "[" + i + "]", out);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": TypeScript " + expected + " != Java " + actual);
        }
    }
}
