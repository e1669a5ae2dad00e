package io.github.cdkmediapackagevod.consumer;

import java.util.List;
import java.util.Map;

import io.github.cdkmediapackagevod.AdMarkers;
import io.github.cdkmediapackagevod.Asset;
import io.github.cdkmediapackagevod.AssetOptions;
import io.github.cdkmediapackagevod.AssetSource;
import io.github.cdkmediapackagevod.AudioPreset;
import io.github.cdkmediapackagevod.BucketIngest;
import io.github.cdkmediapackagevod.BucketIngestOptions;
import io.github.cdkmediapackagevod.DashEncryption;
import io.github.cdkmediapackagevod.DashManifest;
import io.github.cdkmediapackagevod.DashPackageProps;
import io.github.cdkmediapackagevod.DashProfile;
import io.github.cdkmediapackagevod.DrmSystem;
import io.github.cdkmediapackagevod.EncryptionContract;
import io.github.cdkmediapackagevod.HlsEncryption;
import io.github.cdkmediapackagevod.HlsEncryptionMethod;
import io.github.cdkmediapackagevod.HlsManifest;
import io.github.cdkmediapackagevod.HlsPackageProps;
import io.github.cdkmediapackagevod.HlsSpekeEncryptionOptions;
import io.github.cdkmediapackagevod.ManifestLayout;
import io.github.cdkmediapackagevod.OnReupload;
import io.github.cdkmediapackagevod.PackagingConfiguration;
import io.github.cdkmediapackagevod.PackagingConfigurationOptions;
import io.github.cdkmediapackagevod.PackagingFormat;
import io.github.cdkmediapackagevod.PackagingGroup;
import io.github.cdkmediapackagevod.PackagingGroupOrigin;
import io.github.cdkmediapackagevod.PackagingGroupOriginProps;
import io.github.cdkmediapackagevod.PeriodTrigger;
import io.github.cdkmediapackagevod.PlaybackUrlOptions;
import io.github.cdkmediapackagevod.ScteMarkersSource;
import io.github.cdkmediapackagevod.SegmentTemplateFormat;
import io.github.cdkmediapackagevod.SignedCookiesOptions;
import io.github.cdkmediapackagevod.SpekeEncryptionOptions;
import io.github.cdkmediapackagevod.SpekeKeyProvider;
import io.github.cdkmediapackagevod.StreamOrder;
import io.github.cdkmediapackagevod.StreamSelection;
import io.github.cdkmediapackagevod.VideoPreset;
import io.github.cdkmediapackagevod.ViewerAccess;
import io.github.cdkmediapackagevod.ViewerSigningKeys;
import io.github.cdkmediapackagevod.VodBehaviorOptions;
import io.github.cdkmediapackagevod.VodBehaviors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.events.OnEventOptions;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The consumer app in Java: the twin of test/consumers/typescript-reference/app.ts (same construct ids, values and
 * order; ConsumerAppTest compares the templates). A VOD origin: one packaging group; an HLS configuration encrypted
 * with FairPlay (SPEKE 1.0, SAMPLE_AES); a DASH configuration encrypted with Widevine and PlayReady (SPEKE 2.0 presets);
 * one asset ingested from an S3 bucket, and the rest of that bucket's catalog through a BucketIngest; a CloudFront
 * distribution with the group's origin and the VOD behaviors; an SNS topic told when a title of that catalog is playable
 * ({@code ingest.onPlayable}), and the asset's HLS URL through the distribution as an output ({@code asset.playbackUrl}).
 * The ingest keeps a catalog of its titles ({@code catalog(true)}, playback URLs on the distribution's domain), which a
 * role standing for the platform's API may read ({@code ingest.grantReadCatalog}); the table's name is an output.
 * Viewers need signed cookies: every behavior of the group trusts the key group of a key pair generated at deploy
 * ({@code ViewerSigningKeys}), whose private key a role standing for the platform's backend may read ({@code grantSign})
 * to sign them; the key pair id and the secret's ARN are outputs.
 */
public final class ConsumerApp {
    /** The stack name the TypeScript and Python twins use too. */
    public static final String CONSUMER_STACK_NAME = "ConsumerVod";

    private ConsumerApp() {
    }

    /**
     * Records in the template why checkov checks do not apply to a resource of this app ({id, comment} pairs): its
     * {@code Metadata: {checkov: {skip: [{comment, id}]}}}, as in the TypeScript reference (scripts/ci/checkov.sh requires
     * it of every finding).
     */
    static void skipCheckov(final IConstruct construct, final List<List<String>> skips) {
        ((CfnResource) construct.getNode().getDefaultChild()).addMetadata("checkov", Map.of("skip", skips.stream()
                .map(skip -> Map.of("comment", skip.get(1), "id", skip.get(0)))
                .toList()));
    }

    /** The consumer stack; the fields let tests reach the constructs. */
    public static final class ConsumerVodStack extends Stack {
        public final PackagingGroup group;
        public final SpekeKeyProvider fairPlayKeys;
        public final SpekeKeyProvider drmKeys;
        public final PackagingConfiguration hls;
        public final PackagingConfiguration dash;
        public final Bucket sources;
        public final Asset movie;
        public final ViewerSigningKeys signingKeys;
        public final PackagingGroupOrigin origin;
        public final Distribution cdn;
        public final BucketIngest ingest;
        public final Topic titlePlayable;
        public final Rule titlePlayableRule;
        public final String movieHlsPlaybackUrl;
        public final Role catalogReader;
        public final Grant catalogReadGrant;
        public final Role playbackSigner;
        public final Grant signGrant;

        public ConsumerVodStack(final Construct scope, final String id) {
            super(scope, id, StackProps.builder()
                    .env(Environment.builder().account("111111111111").region("us-east-1").build())
                    // No CDKMetadata resource: it names the runtime language, which would make the templates differ.
                    .analyticsReporting(false)
                    .build());

            group = new PackagingGroup(this, "Group");

            fairPlayKeys = SpekeKeyProvider.Builder.create(this, "FairPlayKeys")
                    .url("https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection")
                    .systemIds(List.of(DrmSystem.FAIRPLAY))
                    .build();

            drmKeys = SpekeKeyProvider.Builder.create(this, "DrmKeys")
                    .url("https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v2.0/copyProtection")
                    .systemIds(List.of(DrmSystem.WIDEVINE, DrmSystem.PLAYREADY))
                    .encryptionContract(EncryptionContract.builder()
                            .audio(AudioPreset.PRESET_AUDIO_1)
                            .video(VideoPreset.PRESET_VIDEO_1)
                            .build())
                    .build();

            hls = group.addPackagingConfiguration("Hls", PackagingConfigurationOptions.builder()
                    .format(PackagingFormat.hls(HlsPackageProps.builder()
                            .manifests(List.of(HlsManifest.builder()
                                    .manifestName("index")
                                    .adMarkers(AdMarkers.SCTE35_ENHANCED)
                                    .programDateTimeInterval(Duration.seconds(60))
                                    .includeIframeOnlyStream(true)
                                    .repeatExtXKey(false)
                                    .streamSelection(StreamSelection.builder()
                                            .minVideoBitsPerSecond(500_000)
                                            .maxVideoBitsPerSecond(8_000_000)
                                            .streamOrder(StreamOrder.VIDEO_BITRATE_DESCENDING)
                                            .build())
                                    .build()))
                            .segmentDuration(Duration.seconds(6))
                            .useAudioRenditionGroup(true)
                            .includeDvbSubtitles(false)
                            .encryption(HlsEncryption.speke(HlsSpekeEncryptionOptions.builder()
                                    .keyProvider(fairPlayKeys)
                                    .method(HlsEncryptionMethod.SAMPLE_AES)
                                    .constantInitializationVector("0123456789abcdef0123456789abcdef")
                                    .build()))
                            .build()))
                    .build());

            dash = PackagingConfiguration.Builder.create(this, "Dash")
                    .packagingGroup(group)
                    .format(PackagingFormat.dash(DashPackageProps.builder()
                            .manifests(List.of(DashManifest.builder()
                                    .manifestName("index")
                                    .profile(DashProfile.NONE)
                                    .manifestLayout(ManifestLayout.COMPACT)
                                    .minBufferTime(Duration.seconds(30))
                                    .scteMarkersSource(ScteMarkersSource.SEGMENTS)
                                    .streamSelection(StreamSelection.builder().streamOrder(StreamOrder.ORIGINAL).build())
                                    .build()))
                            .segmentDuration(Duration.seconds(2))
                            .segmentTemplateFormat(SegmentTemplateFormat.NUMBER_WITH_TIMELINE)
                            .periodTriggers(List.of(PeriodTrigger.ADS))
                            .includeEncoderConfigurationInSegments(false)
                            .encryption(DashEncryption.speke(SpekeEncryptionOptions.builder().keyProvider(drmKeys).build()))
                            .build()))
                    .build();

            sources = Bucket.Builder.create(this, "Sources")
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .enforceSsl(true)
                    .build();

            movie = group.addAsset("Movie", AssetOptions.builder()
                    .source(AssetSource.fromBucket(sources, "movies/movie1/index.smil"))
                    .resourceId("movie1")
                    .build());

            // Viewer access: a key pair generated at deploy (the private key in Secrets Manager, only the public key and
            // the key group in the template), and signed cookies on every behavior of the group (the default one included).
            signingKeys = ViewerSigningKeys.Builder.create(this, "SigningKeys").generatedKeys(List.of("1")).build();
            VodBehaviorOptions signed = VodBehaviorOptions.builder()
                    .viewerAccess(ViewerAccess.signedCookies(SignedCookiesOptions.builder()
                            .keyGroup(signingKeys.getKeyGroup())
                            .build()))
                    .build();

            // Delivery: the group's origin in a CloudFront distribution, with the VOD behaviors (manifests, then out/*).
            origin = new PackagingGroupOrigin(group, PackagingGroupOriginProps.builder().connectionAttempts(2).build());
            cdn = Distribution.Builder.create(this, "Cdn")
                    .defaultBehavior(VodBehaviors.segments(origin, signed))
                    .additionalBehaviors(VodBehaviors.forOrigin(this, origin, signed))
                    .httpVersion(HttpVersion.HTTP2_AND_3)
                    .build();
            // The rest of the catalog, ingested without a deploy (S3 events -> EventBridge -> SQS -> Lambda -> CreateAsset).
            ingest = group.addBucketIngest("Library", BucketIngestOptions.builder()
                    .bucket(sources)
                    .keyPatterns(List.of("library/*/index.m3u8", "library/*/index.smil"))
                    .ingestExisting(true)
                    .onReupload(OnReupload.REPLACE)
                    .maxConcurrency(10)
                    .deliveryDelay(Duration.minutes(1))
                    // The catalog of its titles (a DynamoDB table), with each manifest URL also on the distribution's domain.
                    .catalog(true)
                    .catalogDistribution(cdn)
                    .build());

            // Status: a topic told when a title of the catalog is playable (one VodAssetPlayable event per configuration).
            titlePlayable = new Topic(this, "TitlePlayableTopic");
            titlePlayableRule = ingest.onPlayable("TitlePlayable", OnEventOptions.builder()
                    .target(new SnsTopic(titlePlayable))
                    .build());

            // checkov: the app's own bucket, distribution and topic stand for the user's; what checkov asks of them is
            // theirs.
            skipCheckov(sources, List.of(
                    List.of("CKV_AWS_18", "Consumer app's test bucket (never deployed by CI): server access logs need a second bucket."),
                    List.of("CKV_AWS_21", "Consumer app's test bucket (never deployed by CI): versioning is its owner's choice.")));
            skipCheckov(cdn, List.of(
                    List.of("CKV_AWS_68", "Consumer app's own distribution (never deployed by CI): a WAF web ACL is its owner's choice."),
                    List.of("CKV_AWS_86", "Consumer app's own distribution (never deployed by CI): access logs need its owner's bucket."),
                    List.of("CKV_AWS_174", "Consumer app's own distribution (never deployed by CI): default certificate, TLS set by CloudFront.")));
            skipCheckov(titlePlayable, List.of(
                    List.of("CKV_AWS_26", "Consumer app's test SNS topic (never deployed by CI): a KMS key for it is its owner's choice.")));

            CfnOutput.Builder.create(this, "DomainName").value(group.getDomainName()).build();
            CfnOutput.Builder.create(this, "EgressDomain").value(group.getEgressDomain()).build();
            CfnOutput.Builder.create(this, "PlaybackDomain").value(cdn.getDistributionDomainName()).build();
            CfnOutput.Builder.create(this, "HlsConfigurationId").value(hls.getPackagingConfigurationId()).build();
            CfnOutput.Builder.create(this, "DashConfigurationArn").value(dash.getPackagingConfigurationArn()).build();
            CfnOutput.Builder.create(this, "MovieAssetId").value(movie.getAssetId()).build();
            CfnOutput.Builder.create(this, "IngestQueueUrl").value(ingest.getQueue().getQueueUrl()).build();
            CfnOutput.Builder.create(this, "IngestFunctionName").value(ingest.getFunction().getFunctionName()).build();
            // The movie's HLS URL through the distribution (read at deploy time by a custom resource).
            movieHlsPlaybackUrl = movie.playbackUrl(hls, PlaybackUrlOptions.builder().distribution(cdn).build());
            CfnOutput.Builder.create(this, "MovieHlsPlaybackUrl").value(movieHlsPlaybackUrl).build();

            // The platform's API reads the catalog (the role its function would run as).
            catalogReader = Role.Builder.create(this, "CatalogReader")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .build();
            catalogReadGrant = ingest.grantReadCatalog(catalogReader);
            // getCatalogTable() is null without catalog(true).
            CfnOutput.Builder.create(this, "CatalogTable").value(ingest.getCatalogTable().getTableName()).build();

            // The platform's backend signs the viewers' cookies (the role its function would run as): it reads the
            // private key's secret, and puts the public key's id in CloudFront-Key-Pair-Id.
            playbackSigner = Role.Builder.create(this, "PlaybackSigner")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .build();
            signGrant = signingKeys.grantSign(playbackSigner);
            // getSigningPublicKeyId() and getSigningKeySecret() are null when no key pair is generated.
            CfnOutput.Builder.create(this, "SigningKeyPairId").value(signingKeys.getSigningPublicKeyId()).build();
            CfnOutput.Builder.create(this, "SigningKeySecretArn").value(signingKeys.getSigningKeySecret().getSecretArn()).build();
        }
    }

    /** Builds the consumer app into {@code outdir} (or the default cdk.out when null). */
    public static App buildApp(final String outdir) {
        return outdir == null ? new App() : new App(AppProps.builder().outdir(outdir).build());
    }

    /** Synthesizes the app: {@code java ... ConsumerApp [outdir]}. */
    public static void main(final String[] args) {
        App app = buildApp(args.length > 0 ? args[0] : null);
        ConsumerVodStack stack = new ConsumerVodStack(app, CONSUMER_STACK_NAME);
        app.synth();
        System.out.println("java-consumer: synthesized " + stack.getStackName());
    }
}
