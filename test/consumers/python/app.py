"""The consumer app in Python: the twin of test/consumers/typescript-reference/app.ts.

A VOD origin built with the published wheel (module ``cdk_mediapackage_vod``): one packaging group; an HLS
configuration encrypted with FairPlay (SPEKE 1.0, SAMPLE_AES); a DASH configuration encrypted with Widevine and
PlayReady (SPEKE 2.0 presets); one asset ingested from an S3 bucket; a CloudFront distribution with the group's origin and the VOD behaviors.
An SNS topic told when a title of the bucket's catalog is playable (``ingest.on_playable``), and the asset's HLS URL
through the distribution as an output (``asset.playback_url``). The ingest keeps a catalog of its titles
(``catalog=True``, playback URLs on the distribution's domain), which a role standing for the platform's API may read
(``ingest.grant_read_catalog``); the table's name is an output. Viewers need signed cookies: every behavior of the
group trusts the key group of a key pair generated at deploy (``ViewerSigningKeys``), whose private key a role standing
for the platform's backend may read (``grant_sign``) to sign them; the key pair id and the secret's ARN are outputs.

Keep it in step with the TypeScript reference (same construct ids, values and order): test_app.py compares the two
templates. Run as a script (``python app.py [outdir]``) it synthesizes into ``cdk.out``.
"""

import sys

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk_mediapackage_vod import (
    AdMarkers,
    AssetSource,
    AudioPreset,
    DashEncryption,
    DashManifest,
    DashProfile,
    DrmSystem,
    EncryptionContract,
    HlsEncryption,
    HlsEncryptionMethod,
    HlsManifest,
    ManifestLayout,
    OnReupload,
    PackagingConfiguration,
    PackagingFormat,
    PackagingGroup,
    PackagingGroupOrigin,
    PeriodTrigger,
    ScteMarkersSource,
    SegmentTemplateFormat,
    SpekeKeyProvider,
    StreamOrder,
    StreamSelection,
    VideoPreset,
    ViewerAccess,
    ViewerSigningKeys,
    VodBehaviors,
)

CONSUMER_STACK_NAME = "ConsumerVod"


def skip_checkov(construct: Construct, skips: list[tuple[str, str]]) -> None:
    """Records in the template why checkov checks do not apply to a resource of this app ((id, comment) pairs).

    Its ``Metadata: {checkov: {skip: [{comment, id}]}}``, as in the TypeScript reference (scripts/ci/checkov.sh requires
    it of every finding).
    """
    resource = construct.node.default_child
    assert isinstance(resource, cdk.CfnResource)
    resource.add_metadata("checkov", {"skip": [{"comment": comment, "id": id_} for id_, comment in skips]})


class ConsumerVodStack(cdk.Stack):
    """The consumer stack; the attributes let tests reach the constructs."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(
            scope,
            construct_id,
            env=cdk.Environment(account="111111111111", region="us-east-1"),
            # No CDKMetadata resource: it names the runtime language, which would make the templates differ.
            analytics_reporting=False,
        )

        self.group = PackagingGroup(self, "Group")

        self.fair_play_keys = SpekeKeyProvider(
            self,
            "FairPlayKeys",
            url="https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection",
            system_ids=[DrmSystem.FAIRPLAY],
        )

        self.drm_keys = SpekeKeyProvider(
            self,
            "DrmKeys",
            url="https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v2.0/copyProtection",
            system_ids=[DrmSystem.WIDEVINE, DrmSystem.PLAYREADY],
            encryption_contract=EncryptionContract(
                audio=AudioPreset.PRESET_AUDIO_1, video=VideoPreset.PRESET_VIDEO_1
            ),
        )

        self.hls = self.group.add_packaging_configuration(
            "Hls",
            format=PackagingFormat.hls(
                manifests=[
                    HlsManifest(
                        manifest_name="index",
                        ad_markers=AdMarkers.SCTE35_ENHANCED,
                        program_date_time_interval=cdk.Duration.seconds(60),
                        include_iframe_only_stream=True,
                        repeat_ext_x_key=False,
                        stream_selection=StreamSelection(
                            min_video_bits_per_second=500_000,
                            max_video_bits_per_second=8_000_000,
                            stream_order=StreamOrder.VIDEO_BITRATE_DESCENDING,
                        ),
                    )
                ],
                segment_duration=cdk.Duration.seconds(6),
                use_audio_rendition_group=True,
                include_dvb_subtitles=False,
                encryption=HlsEncryption.speke(
                    key_provider=self.fair_play_keys,
                    method=HlsEncryptionMethod.SAMPLE_AES,
                    constant_initialization_vector="0123456789abcdef0123456789abcdef",
                ),
            ),
        )

        self.dash = PackagingConfiguration(
            self,
            "Dash",
            packaging_group=self.group,
            format=PackagingFormat.dash(
                manifests=[
                    DashManifest(
                        manifest_name="index",
                        profile=DashProfile.NONE,
                        manifest_layout=ManifestLayout.COMPACT,
                        min_buffer_time=cdk.Duration.seconds(30),
                        scte_markers_source=ScteMarkersSource.SEGMENTS,
                        stream_selection=StreamSelection(stream_order=StreamOrder.ORIGINAL),
                    )
                ],
                segment_duration=cdk.Duration.seconds(2),
                segment_template_format=SegmentTemplateFormat.NUMBER_WITH_TIMELINE,
                period_triggers=[PeriodTrigger.ADS],
                include_encoder_configuration_in_segments=False,
                encryption=DashEncryption.speke(key_provider=self.drm_keys),
            ),
        )

        self.sources = s3.Bucket(
            self,
            "Sources",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
        )

        self.movie = self.group.add_asset(
            "Movie",
            source=AssetSource.from_bucket(self.sources, "movies/movie1/index.smil"),
            resource_id="movie1",
        )

        # Viewer access: a key pair generated at deploy (the private key in Secrets Manager, only the public key and the
        # key group in the template), and signed cookies on every behavior of the group (the default one included).
        self.signing_keys = ViewerSigningKeys(self, "SigningKeys", generated_keys=["1"])
        viewer_access = ViewerAccess.signed_cookies(key_group=self.signing_keys.key_group)

        # Delivery: the group's origin in a CloudFront distribution, with the VOD behaviors (manifests, then out/*).
        self.origin = PackagingGroupOrigin(self.group, connection_attempts=2)
        self.cdn = cloudfront.Distribution(
            self,
            "Cdn",
            default_behavior=VodBehaviors.segments(self.origin, viewer_access=viewer_access),
            additional_behaviors=VodBehaviors.for_origin(self, self.origin, viewer_access=viewer_access),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        )

        # The rest of the catalog, ingested without a deploy (S3 events -> EventBridge -> SQS -> Lambda -> CreateAsset).
        self.ingest = self.group.add_bucket_ingest(
            "Library",
            bucket=self.sources,
            key_patterns=["library/*/index.m3u8", "library/*/index.smil"],
            ingest_existing=True,
            on_reupload=OnReupload.REPLACE,
            max_concurrency=10,
            delivery_delay=cdk.Duration.minutes(1),
            # The catalog of its titles (a DynamoDB table), with each manifest URL also on the distribution's domain.
            catalog=True,
            catalog_distribution=self.cdn,
        )

        # Status: a topic told when a title of the catalog is playable (one VodAssetPlayable event per configuration).
        self.title_playable = sns.Topic(self, "TitlePlayableTopic")
        self.title_playable_rule = self.ingest.on_playable("TitlePlayable", target=targets.SnsTopic(self.title_playable))

        # checkov: the app's own bucket, distribution and topic stand for the user's; what checkov asks of them is theirs.
        skip_checkov(
            self.sources,
            [
                ("CKV_AWS_18", "Consumer app's test bucket (never deployed by CI): server access logs need a second bucket."),
                ("CKV_AWS_21", "Consumer app's test bucket (never deployed by CI): versioning is its owner's choice."),
            ],
        )
        skip_checkov(
            self.cdn,
            [
                ("CKV_AWS_68", "Consumer app's own distribution (never deployed by CI): a WAF web ACL is its owner's choice."),
                ("CKV_AWS_86", "Consumer app's own distribution (never deployed by CI): access logs need its owner's bucket."),
                ("CKV_AWS_174", "Consumer app's own distribution (never deployed by CI): default certificate, TLS set by CloudFront."),
            ],
        )
        skip_checkov(
            self.title_playable,
            [
                ("CKV_AWS_26", "Consumer app's test SNS topic (never deployed by CI): a KMS key for it is its owner's choice."),
            ],
        )

        cdk.CfnOutput(self, "DomainName", value=self.group.domain_name)
        cdk.CfnOutput(self, "EgressDomain", value=self.group.egress_domain)
        cdk.CfnOutput(self, "PlaybackDomain", value=self.cdn.distribution_domain_name)
        cdk.CfnOutput(self, "HlsConfigurationId", value=self.hls.packaging_configuration_id)
        cdk.CfnOutput(self, "DashConfigurationArn", value=self.dash.packaging_configuration_arn)
        cdk.CfnOutput(self, "MovieAssetId", value=self.movie.asset_id)
        cdk.CfnOutput(self, "IngestQueueUrl", value=self.ingest.queue.queue_url)
        cdk.CfnOutput(self, "IngestFunctionName", value=self.ingest.function.function_name)
        # The movie's HLS URL through the distribution (read at deploy time by a custom resource).
        self.movie_hls_playback_url = self.movie.playback_url(self.hls, distribution=self.cdn)
        cdk.CfnOutput(self, "MovieHlsPlaybackUrl", value=self.movie_hls_playback_url)

        # The platform's API reads the catalog (the role its function would run as).
        self.catalog_reader = iam.Role(
            self, "CatalogReader", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
        )
        self.catalog_read_grant = self.ingest.grant_read_catalog(self.catalog_reader)
        # catalog_table is Optional[ITable]: set here because catalog=True.
        assert self.ingest.catalog_table is not None
        cdk.CfnOutput(self, "CatalogTable", value=self.ingest.catalog_table.table_name)

        # The platform's backend signs the viewers' cookies (the role its function would run as): it reads the private
        # key's secret, and puts the public key's id in CloudFront-Key-Pair-Id.
        self.playback_signer = iam.Role(
            self, "PlaybackSigner", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
        )
        self.sign_grant = self.signing_keys.grant_sign(self.playback_signer)
        # signing_public_key_id and signing_key_secret are Optional: set here because a key pair is generated.
        assert self.signing_keys.signing_public_key_id is not None and self.signing_keys.signing_key_secret is not None
        cdk.CfnOutput(self, "SigningKeyPairId", value=self.signing_keys.signing_public_key_id)
        cdk.CfnOutput(self, "SigningKeySecretArn", value=self.signing_keys.signing_key_secret.secret_arn)


def build_app(outdir: str | None = None) -> tuple[cdk.App, ConsumerVodStack]:
    """Builds the consumer app (into ``outdir`` when given)."""
    app = cdk.App(outdir=outdir) if outdir else cdk.App()
    stack = ConsumerVodStack(app, CONSUMER_STACK_NAME)
    return app, stack


if __name__ == "__main__":
    app, stack = build_app(sys.argv[1] if len(sys.argv) > 1 else None)
    assembly = app.synth()
    template = assembly.get_stack_by_name(stack.stack_name).template
    print(f"python-consumer: synthesized {stack.stack_name}: {len(template['Resources'])} resources")
