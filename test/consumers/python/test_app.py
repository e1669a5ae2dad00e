"""pytest: the Python consumer app, synthesized from the built wheel, checked with aws_cdk.assertions and compared with
the TypeScript reference template (written by scripts/ci/typescript-reference.sh)."""

import json
import os
import pathlib
import re
import tempfile

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template

import cdk_mediapackage_vod as vod
from app import CONSUMER_STACK_NAME, build_app

HERE = pathlib.Path(__file__).resolve().parent
REFERENCE = pathlib.Path(
    os.environ.get(
        "CONSUMER_REFERENCE_TEMPLATE",
        HERE.parent / "typescript-reference" / "cdk.out" / f"{CONSUMER_STACK_NAME}.template.json",
    )
)

FAIRPLAY = "94ce86fb-07ff-4f43-adb8-93d2fa968ca2"
WIDEVINE = "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"
PLAYREADY = "9a04f079-9840-4286-ab92-e65be0885f95"


@pytest.fixture(scope="module")
def synthesized():
    with tempfile.TemporaryDirectory(prefix="python-consumer-") as outdir:
        app, stack = build_app(outdir)
        template_json = app.synth().get_stack_by_name(stack.stack_name).template
        yield stack, Template.from_json(template_json), template_json


def test_resource_counts(synthesized):
    _, template, _ = synthesized
    template.resource_count_is("AWS::MediaPackage::PackagingGroup", 1)
    template.resource_count_is("AWS::MediaPackage::PackagingConfiguration", 2)
    template.resource_count_is("AWS::MediaPackage::Asset", 1)
    # One SPEKE role per key provider, one shared source role for the bucket; each with its policy. The ingest adds its
    # function's role (with a policy), its backfill worker's role (with a policy) and its backfill provider's role (inline
    # policy); the playback URL provider and the signing-key provider a role each (inline policy). The catalog reader
    # standing for the platform's API and the playback signer standing for its backend: a role with its policy each.
    template.resource_count_is("AWS::IAM::Role", 10)
    template.resource_count_is("AWS::IAM::Policy", 7)
    template.resource_count_is("AWS::S3::Bucket", 1)
    # The distribution with the group's origin; the stack's one manifest cache policy.
    template.resource_count_is("AWS::CloudFront::Distribution", 1)
    template.resource_count_is("AWS::CloudFront::CachePolicy", 1)
    # The ingest's queue and its dead-letter queue; the catalog's status queue; the backfill's job queue and its
    # dead-letter queue (each queue with its policy). The event source mappings: the ingest queue's and the status
    # queue's (the ingest function), the job queue's (the backfill worker). One alarm per dead-letter queue.
    template.resource_count_is("AWS::DynamoDB::Table", 1)
    template.resource_count_is("AWS::SQS::Queue", 5)
    template.resource_count_is("AWS::SQS::QueuePolicy", 5)
    template.resource_count_is("AWS::Lambda::EventSourceMapping", 3)
    template.resource_count_is("AWS::CloudWatch::Alarm", 2)
    # The ingest's S3 rule, the catalog rule and the onPlayable rule (to the topic, with its topic policy).
    template.resource_count_is("AWS::Events::Rule", 3)
    template.resource_count_is("AWS::SNS::Topic", 1)
    template.resource_count_is("AWS::SNS::TopicPolicy", 1)
    template.resource_count_is("Custom::MediaPackageVodIngestBackfill", 1)
    template.resource_count_is("Custom::MediaPackageVodPlaybackUrl", 1)
    # Viewer signing keys: one generated key pair (its secret, the custom resource that writes it, the public key), the
    # key group; the signing-key provider's function and role are among the roles above, the signer's too.
    template.resource_count_is("AWS::SecretsManager::Secret", 1)
    template.resource_count_is("Custom::MediaPackageVodSigningKey", 1)
    template.resource_count_is("AWS::CloudFront::PublicKey", 1)
    template.resource_count_is("AWS::CloudFront::KeyGroup", 1)


def test_bucket_ingest_from_python(synthesized):
    stack, template, _ = synthesized
    template.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": {"detail": {"object": {"key": [{"wildcard": "library/*/index.m3u8"}, {"wildcard": "library/*/index.smil"}]}}}},
    )
    template.has_resource_properties("AWS::Lambda::EventSourceMapping", {"ScalingConfig": {"MaximumConcurrency": 10}})
    assert stack.ingest.function.runtime.name == "nodejs22.x"
    assert stack.ingest.asset_id_prefix.startswith("ConsumerVod_Group_Library_")
    # The shared source role of the bucket: the same as the asset's.
    assert stack.resolve(stack.ingest.source_role.role_arn) == stack.resolve(stack.movie.source_role.role_arn)


def test_bucket_ingest_errors_reach_python():
    app = cdk.App()
    stack = cdk.Stack(app, "BadIngest", env=cdk.Environment(account="111111111111", region="us-east-1"))
    group = vod.PackagingGroup(stack, "Group")
    with pytest.raises(Exception, match=r"\[BadIngest/Group/Library\] keyPatterns\[0\]: must end in \.smil or \.m3u8"):
        group.add_bucket_ingest("Library", bucket=s3.Bucket(stack, "B"), key_patterns=["library/*.mp4"])


def test_playback_url_from_python(synthesized):
    """asset.playback_url(hls, distribution=cdn): one custom resource for (movie, hls), and an output on the CDN's domain."""
    stack, template, template_json = synthesized
    resources = template.find_resources("Custom::MediaPackageVodPlaybackUrl")
    assert len(resources) == 1
    [(logical_id, resource)] = resources.items()
    movie = stack.get_logical_id(stack.movie.node.default_child)
    hls = stack.get_logical_id(stack.hls.node.default_child)
    assert resource["Properties"] == {
        "ServiceToken": {"Fn::GetAtt": [resource["Properties"]["ServiceToken"]["Fn::GetAtt"][0], "Arn"]},
        "AssetId": {"Ref": movie},
        "PackagingConfigurationId": {"Ref": hls},
        "AssetArn": {"Fn::GetAtt": [movie, "Arn"]},
        # The provider function's timeout (15 minutes) plus one minute (src/private/providers.ts).
        "ServiceTimeout": "960",
    }
    assert resource["Properties"]["ServiceToken"]["Fn::GetAtt"][0].startswith("CustomMediaPackageVodPlaybackUrlProvider")
    # After the configuration: the asset lists an endpoint per configuration that exists.
    assert hls in resource["DependsOn"]
    cdn = stack.get_logical_id(stack.cdn.node.default_child)
    template.has_output(
        "MovieHlsPlaybackUrl",
        {"Value": {"Fn::Join": ["", ["https://", {"Fn::GetAtt": [cdn, "DomainName"]}, {"Fn::GetAtt": [logical_id, "Path"]}]]}},
    )
    assert cdk.Token.is_unresolved(stack.movie_hls_playback_url)
    # The provider: Node.js 22, and a role that may only DescribeAsset on the assets of the stack's account and Region.
    provider = template_json["Resources"][resource["Properties"]["ServiceToken"]["Fn::GetAtt"][0]]
    assert provider["Properties"]["Runtime"] == "nodejs22.x"
    role = template_json["Resources"][provider["Properties"]["Role"]["Fn::GetAtt"][0]]
    assert role["Properties"]["Policies"] == [
        {
            "PolicyName": "Inline",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["mediapackage-vod:DescribeAsset"],
                        "Resource": {
                            "Fn::Join": [
                                "",
                                ["arn:", {"Ref": "AWS::Partition"}, ":mediapackage-vod:us-east-1:111111111111:assets/*"],
                            ]
                        },
                    }
                ],
            },
        }
    ]


def test_catalog_from_python(synthesized):
    """catalog=True, catalog_distribution=cdn: the table, the function's environment, and the optional properties."""
    stack, template, template_json = synthesized
    # The optional properties are set (Optional[...] in Python) and usable as their aws-cdk types.
    table = stack.ingest.catalog_table
    assert table is not None and stack.ingest.catalog_rule is not None and stack.ingest.status_queue is not None
    table_id = stack.get_logical_id(table.node.default_child)
    assert stack.resolve(table.table_name) == {"Ref": table_id}
    assert stack.resolve(stack.ingest.status_queue.queue_arn) == {
        "Fn::GetAtt": [stack.get_logical_id(stack.ingest.status_queue.node.default_child), "Arn"]
    }
    # On-demand, point-in-time recovery, encrypted (AWS managed key); keyed by asset id, indexed by source key.
    assert template_json["Resources"][table_id]["Type"] == "AWS::DynamoDB::Table"
    assert template_json["Resources"][table_id]["Properties"] == {
        "AttributeDefinitions": [
            {"AttributeName": "assetId", "AttributeType": "S"},
            {"AttributeName": "sourceKey", "AttributeType": "S"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "sourceKey",
                "KeySchema": [{"AttributeName": "sourceKey", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        "KeySchema": [{"AttributeName": "assetId", "KeyType": "HASH"}],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    # The ingest function writes the catalog: the table's name, and the distribution's domain for the playback URLs.
    function = template_json["Resources"][stack.get_logical_id(stack.ingest.function.node.default_child)]
    variables = function["Properties"]["Environment"]["Variables"]
    cdn = stack.get_logical_id(stack.cdn.node.default_child)
    assert variables["CATALOG_TABLE_NAME"] == {"Ref": table_id}
    assert variables["CATALOG_PLAYBACK_DOMAIN"] == {"Fn::GetAtt": [cdn, "DomainName"]}
    template.has_output("CatalogTable", {"Value": {"Ref": table_id}})
    # grant_read_catalog returned an iam.Grant that was added to the reader role's policy.
    assert stack.catalog_read_grant.success


def test_signed_cookies_from_python(synthesized):
    """Every behavior of the group (the default one and the four of for_origin) trusts the signing keys' key group."""
    stack, template, template_json = synthesized
    key_group = stack.resolve(stack.signing_keys.key_group.key_group_id)
    assert key_group == {"Ref": stack.get_logical_id(stack.signing_keys.key_group.node.default_child)}
    template.has_resource_properties("AWS::CloudFront::KeyGroup", {"KeyGroupConfig": {"Items": [
        stack.resolve(stack.signing_keys.signing_public_key_id)
    ]}})
    config = template_json["Resources"][stack.get_logical_id(stack.cdn.node.default_child)]["Properties"]["DistributionConfig"]
    behaviors = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert [b.get("PathPattern") for b in behaviors] == [None, "out/*.m3u8", "out/*.mpd", "out/*/Manifest", "out/*"]
    for behavior in behaviors:
        assert behavior["TrustedKeyGroups"] == [key_group], behavior.get("PathPattern", "default")
    template.has_output("SigningKeyPairId", {"Value": stack.resolve(stack.signing_keys.signing_public_key_id)})
    template.has_output("SigningKeySecretArn", {"Value": stack.resolve(stack.signing_keys.signing_key_secret.secret_arn)})


def test_no_private_key_in_the_template_or_outputs(synthesized):
    """The private key exists only in Secrets Manager at deploy: the template holds the public key's resource only."""
    stack, template, template_json = synthesized
    text = json.dumps(template_json)
    assert "PRIVATE KEY" not in text and "-----BEGIN" not in text and "resolve:secretsmanager" not in text
    # The secret is created with a random placeholder (no SecretString); the custom resource gets only its ARN.
    [secret] = template.find_resources("AWS::SecretsManager::Secret").values()
    assert "SecretString" not in secret["Properties"] and "GenerateSecretString" in secret["Properties"]
    secret_ref = stack.resolve(stack.signing_keys.signing_key_secret.secret_arn)
    [(key_id, key)] = template.find_resources("Custom::MediaPackageVodSigningKey").items()
    assert {k: v for k, v in key["Properties"].items() if k != "ServiceToken"} == {"SecretArn": secret_ref, "ServiceTimeout": "180"}
    # The public key resource: its encoded key is the custom resource's PublicKey attribute, not a literal.
    [public_key] = template.find_resources("AWS::CloudFront::PublicKey").values()
    assert public_key["Properties"]["PublicKeyConfig"]["EncodedKey"] == {"Fn::GetAtt": [key_id, "PublicKey"]}
    # No output names the secret's value; the secret ARN output is a reference to the secret.
    for output in template_json["Outputs"].values():
        assert "SecretString" not in json.dumps(output)
    template.has_output("SigningKeySecretArn", {"Value": {"Ref": Match.string_like_regexp("^SigningKeysKey1PrivateKey")}})


def test_grant_sign_from_python(synthesized):
    """grant_sign: the backend's role may read exactly the private key's secret, nothing else."""
    stack, template, _ = synthesized
    assert stack.sign_grant.success
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [stack.resolve(stack.playback_signer.role_name)],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                        "Effect": "Allow",
                        "Resource": stack.resolve(stack.signing_keys.signing_key_secret.secret_arn),
                    }
                ]
            },
        },
    )


def test_playback_url_errors_reach_python():
    app = cdk.App()
    stack = cdk.Stack(app, "BadPlayback", env=cdk.Environment(account="111111111111", region="us-east-1"))
    group = vod.PackagingGroup(stack, "Group")
    movie = group.add_asset("Movie", source=vod.AssetSource.from_bucket(s3.Bucket(stack, "B"), "movie/index.smil"))
    other = vod.PackagingGroup(stack, "Other")
    hls = other.add_packaging_configuration("Hls", format=vod.PackagingFormat.hls(manifests=[vod.HlsManifest()]))
    with pytest.raises(
        RuntimeError,
        match=r"\[BadPlayback/Group/Movie\] configuration: the configuration \(BadPlayback/Other/Hls\) belongs to packaging "
        r"group BadPlayback/Other",
    ):
        movie.playback_url(hls)


def test_hls_configuration_is_fairplay_sample_aes(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::MediaPackage::PackagingConfiguration",
        {
            "PackagingGroupId": {"Ref": Match.string_like_regexp("^Group")},
            "HlsPackage": {
                "Encryption": {
                    "EncryptionMethod": "SAMPLE_AES",
                    "ConstantInitializationVector": "0123456789abcdef0123456789abcdef",
                    "SpekeKeyProvider": {
                        "SystemIds": [FAIRPLAY],
                        "Url": "https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection",
                        "RoleArn": {"Fn::GetAtt": [Match.string_like_regexp("^MediaPackageSpekeRole"), "Arn"]},
                    },
                },
                "HlsManifests": [
                    {
                        "ManifestName": "index",
                        "AdMarkers": "SCTE35_ENHANCED",
                        "ProgramDateTimeIntervalSeconds": 60,
                        "IncludeIframeOnlyStream": True,
                        "RepeatExtXKey": False,
                        "StreamSelection": {
                            "MinVideoBitsPerSecond": 500000,
                            "MaxVideoBitsPerSecond": 8000000,
                            "StreamOrder": "VIDEO_BITRATE_DESCENDING",
                        },
                    }
                ],
                "SegmentDurationSeconds": 6,
                "UseAudioRenditionGroup": True,
            },
        },
    )


def test_dash_configuration_uses_speke_2_presets(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::MediaPackage::PackagingConfiguration",
        {
            "DashPackage": {
                "Encryption": {
                    "SpekeKeyProvider": {
                        "SystemIds": [WIDEVINE, PLAYREADY],
                        "EncryptionContractConfiguration": {
                            "PresetSpeke20Audio": "PRESET-AUDIO-1",
                            "PresetSpeke20Video": "PRESET-VIDEO-1",
                        },
                    }
                },
                "DashManifests": [
                    Match.object_like({"ManifestLayout": "COMPACT", "MinBufferTimeSeconds": 30, "Profile": "NONE"})
                ],
                "PeriodTriggers": ["ADS"],
                "SegmentTemplateFormat": "NUMBER_WITH_TIMELINE",
                "SegmentDurationSeconds": 2,
            }
        },
    )


def test_generated_ids_are_valid_service_ids(synthesized):
    _, _, template_json = synthesized
    ids = [
        r["Properties"]["Id"]
        for r in template_json["Resources"].values()
        if r["Type"].startswith("AWS::MediaPackage::")
    ]
    assert len(ids) == 4
    for generated in ids:
        assert re.fullmatch(r"[0-9a-zA-Z_-]{1,256}", generated), generated


def test_asset_reads_the_bucket_through_a_least_privilege_role(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::MediaPackage::Asset",
        {
            "ResourceId": "movie1",
            "SourceArn": {
                "Fn::Join": ["", [{"Fn::GetAtt": [Match.string_like_regexp("^Sources"), "Arn"]}, "/movies/movie1/index.smil"]]
            },
            "SourceRoleArn": {"Fn::GetAtt": [Match.string_like_regexp("^MediaPackageSourceRole"), "Arn"]},
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "mediapackage.amazonaws.com"}}
                ]
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Action": "s3:GetObject", "Effect": "Allow"})]
                )
            }
        },
    )


def test_no_warnings_or_errors(synthesized):
    stack, _, _ = synthesized
    Annotations.from_stack(stack).has_no_warning("*", Match.any_value())
    Annotations.from_stack(stack).has_no_error("*", Match.any_value())


def test_validation_errors_reach_python_with_the_construct_path():
    app = cdk.App()
    stack = cdk.Stack(app, "Bad")
    # A library error is a RuntimeError in Python (jsii maps JavaScript errors that are not jsii faults to it).
    with pytest.raises(RuntimeError, match=r"\[Bad/Group\] packagingGroupId: .*'my vod'"):
        vod.PackagingGroup(stack, "Group", packaging_group_id="my vod")


def _error_stack(app: cdk.App, stack_id: str) -> cdk.Stack:
    return cdk.Stack(app, stack_id, env=cdk.Environment(account="111111111111", region="us-east-1"))


def _website(stack: cdk.Stack) -> cloudfront.Distribution:
    return cloudfront.Distribution(
        stack, "Cdn", default_behavior=cloudfront.BehaviorOptions(origin=origins.HttpOrigin("www.example.com"))
    )


def _assert_not_recognised(error: BaseException) -> None:
    # The caught exception is Python's RuntimeError, not the JavaScript error: is_validation_error cannot take it (jsii
    # cannot pass a Python exception to JavaScript), so a Python user matches the message.
    with pytest.raises(AttributeError, match="__jsii_type__"):
        vod.MediaPackageVodErrors.is_validation_error(error)


def test_what_python_users_catch_from_constructors_methods_and_synth():
    """README "Errors": exactly RuntimeError everywhere; a method's message starts with 'ValidationError: '."""
    with pytest.raises(RuntimeError) as constructor:
        vod.PackagingGroup(_error_stack(cdk.App(), "Bad"), "Group", packaging_group_id="my vod")
    assert type(constructor.value) is RuntimeError
    assert str(constructor.value) == (
        "[Bad/Group] packagingGroupId: may contain only letters, digits, hyphens (-) and underscores (_) (got 'my vod')"
    )
    _assert_not_recognised(constructor.value)

    stack = _error_stack(cdk.App(), "Bad")
    group = vod.PackagingGroup(stack, "Group")
    ingest = group.add_bucket_ingest("Library", bucket=s3.Bucket(stack, "Bucket"), key_patterns=["library/*/index.m3u8"])
    with pytest.raises(RuntimeError) as method:
        ingest.grant_read_catalog(iam.AccountRootPrincipal())
    assert type(method.value) is RuntimeError
    assert str(method.value) == (
        "ValidationError: [Bad/Group/Library] catalog: this ingest has no catalog to read: create it with the `catalog` property set to true"
        " (got undefined)"
    )
    _assert_not_recognised(method.value)

    origin = vod.PackagingGroupOrigin(group)
    cdn = _website(stack)
    vod.VodBehaviors.add_to(cdn, origin)
    with pytest.raises(RuntimeError) as static_method:
        vod.VodBehaviors.add_to(cdn, origin)
    assert type(static_method.value) is RuntimeError
    assert str(static_method.value).startswith("ValidationError: [Bad/Cdn] addBehavior('out/*.m3u8'): the distribution")
    assert str(static_method.value).endswith("(got 'out/*.m3u8')")

    app = cdk.App()
    synth_stack = _error_stack(app, "Synth")
    synth_origin = vod.PackagingGroupOrigin(vod.PackagingGroup(synth_stack, "Group"))
    synth_cdn = _website(synth_stack)
    vod.VodBehaviors.add_to(synth_cdn, synth_origin)
    # After the group's out/*: never matches, reported by the check of the final behaviors at synth.
    synth_cdn.add_behavior("out/*.vtt", synth_origin)
    with pytest.raises(RuntimeError) as synth:
        app.synth()
    assert type(synth.value) is RuntimeError
    lines = str(synth.value).split("\n")
    assert lines[0] == "ValidationFailedWithErrors: Validation failed with the following errors:"
    assert lines[1].startswith("  [Synth/Cdn] cacheBehaviors[4].pathPattern: never matches: "), lines[1]
    assert lines[1].endswith("(got 'out/*.vtt')"), lines[1]
    _assert_not_recognised(synth.value)


def test_imports_and_attributes_work_from_python():
    app = cdk.App()
    stack = cdk.Stack(app, "Imports", env=cdk.Environment(account="111111111111", region="us-east-1"))
    group = vod.PackagingGroup.from_packaging_group_attributes(
        stack, "Group", packaging_group_id="existing-group", domain_name="abc.egress.mediapackage-vod.us-east-1.amazonaws.com"
    )
    assert group.packaging_group_id == "existing-group"
    # Given the bare host: domain_name is the URL the service returns, egress_domain the host.
    assert group.domain_name == "https://abc.egress.mediapackage-vod.us-east-1.amazonaws.com"
    assert group.egress_domain == "abc.egress.mediapackage-vod.us-east-1.amazonaws.com"
    bucket = s3.Bucket.from_bucket_name(stack, "Bucket", "my-sources")
    asset = group.add_asset("Movie", source=vod.AssetSource.from_bucket(bucket, "movie/index.m3u8"))
    assert isinstance(asset, vod.Asset)
    assert cdk.Token.is_unresolved(asset.source_role.role_arn)
    Template.from_stack(stack).resource_count_is("AWS::MediaPackage::Asset", 1)


def test_same_template_as_the_typescript_reference(synthesized):
    _, _, template_json = synthesized
    assert REFERENCE.is_file(), (
        f"{REFERENCE} is missing: run scripts/ci/typescript-reference.sh first (it synthesizes the TypeScript twin)"
    )
    reference = json.loads(REFERENCE.read_text())
    differences = list(_diff(reference, template_json, ""))
    assert not differences, "Python template differs from the TypeScript reference:\n" + "\n".join(differences[:40])


def _diff(expected, actual, path):
    """Yields the JSON paths where ``actual`` differs from ``expected`` (no normalization: they must be identical)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                yield f"{path}/{key}: only in TypeScript"
            elif key not in expected:
                yield f"{path}/{key}: only in Python"
            else:
                yield from _diff(expected[key], actual[key], f"{path}/{key}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual)):
            yield from _diff(e, a, f"{path}[{i}]")
    elif expected != actual or type(expected) is not type(actual):
        yield f"{path}: TypeScript {json.dumps(expected)} != Python {json.dumps(actual)}"
