/**
 * The consumer app, in TypeScript: the reference that the Python (test/consumers/python/app.py) and Java
 * (test/consumers/java/src/main/java/.../ConsumerApp.java) twins must reproduce resource for resource.
 *
 * A VOD origin: one packaging group; an HLS configuration encrypted with FairPlay (SPEKE 1.0, SAMPLE_AES); a DASH
 * configuration encrypted with Widevine and PlayReady (SPEKE 2.0 presets); one asset ingested from an S3 bucket, and
 * the rest of that bucket's catalog through a BucketIngest; a CloudFront distribution with the group's origin and the
 * VOD behaviors; an SNS topic told when a title of that catalog is playable (`ingest.onPlayable`), and the asset's HLS
 * URL through the distribution as an output (`asset.playbackUrl`). The ingest keeps a catalog of its titles
 * (`catalog: true`, playback URLs on the distribution's domain), which a role standing for the platform's API may read
 * (`ingest.grantReadCatalog`); the table's name is an output. Viewers need signed cookies: every behavior of the group
 * trusts the key group of a key pair generated at deploy (`ViewerSigningKeys`), whose private key a role standing for
 * the platform's backend may read (`grantSign`) to sign them; the key pair id and the secret's ARN are outputs.
 *
 * Run as a script, it synthesizes the app and writes the stack's template to the path given as the first argument
 * (default: test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json), where the twins' tests read it.
 *
 * Keep the three apps in step: same construct ids, same property values, same order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import {
  AdMarkers,
  AssetSource,
  AudioPreset,
  DashEncryption,
  DashProfile,
  DrmSystem,
  HlsEncryption,
  HlsEncryptionMethod,
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
  VideoPreset,
  ViewerAccess,
  ViewerSigningKeys,
  VodBehaviors,
} from '../../../src';

/** The stack name the twins use too. */
export const CONSUMER_STACK_NAME = 'ConsumerVod';

/**
 * Records in the template why checkov checks do not apply to a resource of this app (`[id, comment]` pairs): its
 * `Metadata: { checkov: { skip: [{ comment, id }] } }`, which scripts/ci/checkov.sh requires of every finding. Keys in
 * that order: the Go twin's maps reach the template with sorted keys, and the two template files must be equal byte for
 * byte.
 */
function skipCheckov(construct: IConstruct, skips: Array<[string, string]>): void {
  (construct.node.defaultChild as CfnResource).addMetadata('checkov', { skip: skips.map(([id, comment]) => ({ comment, id })) });
}

/** Builds the consumer stack into `app`. */
export function buildConsumerStack(app: App): Stack {
  const stack = new Stack(app, CONSUMER_STACK_NAME, {
    env: { account: '111111111111', region: 'us-east-1' },
    // No CDKMetadata resource: it names the runtime language, which would make the three templates differ.
    analyticsReporting: false,
  });

  const group = new PackagingGroup(stack, 'Group');

  const fairPlayKeys = new SpekeKeyProvider(stack, 'FairPlayKeys', {
    url: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v1.0/copyProtection',
    systemIds: [DrmSystem.FAIRPLAY],
  });

  const drmKeys = new SpekeKeyProvider(stack, 'DrmKeys', {
    url: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/speke/v2.0/copyProtection',
    systemIds: [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY],
    encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 },
  });

  const hls = group.addPackagingConfiguration('Hls', {
    format: PackagingFormat.hls({
      manifests: [{
        manifestName: 'index',
        adMarkers: AdMarkers.SCTE35_ENHANCED,
        programDateTimeInterval: Duration.seconds(60),
        includeIframeOnlyStream: true,
        repeatExtXKey: false,
        streamSelection: {
          minVideoBitsPerSecond: 500_000,
          maxVideoBitsPerSecond: 8_000_000,
          streamOrder: StreamOrder.VIDEO_BITRATE_DESCENDING,
        },
      }],
      segmentDuration: Duration.seconds(6),
      useAudioRenditionGroup: true,
      includeDvbSubtitles: false,
      encryption: HlsEncryption.speke({
        keyProvider: fairPlayKeys,
        method: HlsEncryptionMethod.SAMPLE_AES,
        constantInitializationVector: '0123456789abcdef0123456789abcdef',
      }),
    }),
  });

  const dash = new PackagingConfiguration(stack, 'Dash', {
    packagingGroup: group,
    format: PackagingFormat.dash({
      manifests: [{
        manifestName: 'index',
        profile: DashProfile.NONE,
        manifestLayout: ManifestLayout.COMPACT,
        minBufferTime: Duration.seconds(30),
        scteMarkersSource: ScteMarkersSource.SEGMENTS,
        streamSelection: { streamOrder: StreamOrder.ORIGINAL },
      }],
      segmentDuration: Duration.seconds(2),
      segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_TIMELINE,
      periodTriggers: [PeriodTrigger.ADS],
      includeEncoderConfigurationInSegments: false,
      encryption: DashEncryption.speke({ keyProvider: drmKeys }),
    }),
  });

  const sources = new s3.Bucket(stack, 'Sources', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
  });

  const movie = group.addAsset('Movie', {
    source: AssetSource.fromBucket(sources, 'movies/movie1/index.smil'),
    resourceId: 'movie1',
  });

  // Viewer access: a key pair generated at deploy (the private key in Secrets Manager, only the public key and the key
  // group in the template), and signed cookies on every behavior of the group (the default one included).
  const signingKeys = new ViewerSigningKeys(stack, 'SigningKeys', { generatedKeys: ['1'] });
  const viewerAccess = ViewerAccess.signedCookies({ keyGroup: signingKeys.keyGroup });

  // Delivery: the group's origin in a CloudFront distribution, with the VOD behaviors (manifests, then out/*), added
  // with addTo as the Go twin must (its maps have no order); Python and Java pass forOrigin as additionalBehaviors:
  // the same distribution (their comparisons are by JSON value, Go's also by bytes).
  const origin = new PackagingGroupOrigin(group, { connectionAttempts: 2 });
  const cdn = new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: VodBehaviors.segments(origin, { viewerAccess }),
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
  });
  VodBehaviors.addTo(cdn, origin, { viewerAccess });

  // The rest of the catalog, ingested without a deploy (S3 events → EventBridge → SQS → Lambda → CreateAsset).
  const ingest = group.addBucketIngest('Library', {
    bucket: sources,
    keyPatterns: ['library/*/index.m3u8', 'library/*/index.smil'],
    ingestExisting: true,
    onReupload: OnReupload.REPLACE,
    maxConcurrency: 10,
    deliveryDelay: Duration.minutes(1),
    // The catalog of its titles (a DynamoDB table), with each manifest URL also on the distribution's domain.
    catalog: true,
    catalogDistribution: cdn,
  });

  // Status: a topic told when a title of the catalog is playable (one VodAssetPlayable event per configuration).
  const titlePlayable = new sns.Topic(stack, 'TitlePlayableTopic');
  ingest.onPlayable('TitlePlayable', { target: new targets.SnsTopic(titlePlayable) });

  // checkov: the app's own bucket, distribution and topic stand for the user's; what checkov asks of them is theirs.
  skipCheckov(sources, [
    ['CKV_AWS_18', 'Consumer app\'s test bucket (never deployed by CI): server access logs need a second bucket.'],
    ['CKV_AWS_21', 'Consumer app\'s test bucket (never deployed by CI): versioning is its owner\'s choice.'],
  ]);
  skipCheckov(cdn, [
    ['CKV_AWS_68', 'Consumer app\'s own distribution (never deployed by CI): a WAF web ACL is its owner\'s choice.'],
    ['CKV_AWS_86', 'Consumer app\'s own distribution (never deployed by CI): access logs need its owner\'s bucket.'],
    ['CKV_AWS_174', 'Consumer app\'s own distribution (never deployed by CI): default certificate, TLS set by CloudFront.'],
  ]);
  skipCheckov(titlePlayable, [['CKV_AWS_26', 'Consumer app\'s test SNS topic (never deployed by CI): a KMS key for it is its owner\'s choice.']]);

  new CfnOutput(stack, 'DomainName', { value: group.domainName });
  new CfnOutput(stack, 'EgressDomain', { value: group.egressDomain });
  new CfnOutput(stack, 'PlaybackDomain', { value: cdn.distributionDomainName });
  new CfnOutput(stack, 'HlsConfigurationId', { value: hls.packagingConfigurationId });
  new CfnOutput(stack, 'DashConfigurationArn', { value: dash.packagingConfigurationArn });
  new CfnOutput(stack, 'MovieAssetId', { value: movie.assetId });
  new CfnOutput(stack, 'IngestQueueUrl', { value: ingest.queue.queueUrl });
  new CfnOutput(stack, 'IngestFunctionName', { value: ingest.function.functionName });
  // The movie's HLS URL through the distribution (read at deploy time by a custom resource).
  new CfnOutput(stack, 'MovieHlsPlaybackUrl', { value: movie.playbackUrl(hls, { distribution: cdn }) });

  // The platform's API reads the catalog (the role its function would run as).
  const catalogReader = new iam.Role(stack, 'CatalogReader', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  ingest.grantReadCatalog(catalogReader);
  new CfnOutput(stack, 'CatalogTable', { value: ingest.catalogTable!.tableName });

  // The platform's backend signs the viewers' cookies (the role its function would run as): it reads the private key's
  // secret, and puts the public key's id in CloudFront-Key-Pair-Id.
  const playbackSigner = new iam.Role(stack, 'PlaybackSigner', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  signingKeys.grantSign(playbackSigner);
  new CfnOutput(stack, 'SigningKeyPairId', { value: signingKeys.signingPublicKeyId! });
  new CfnOutput(stack, 'SigningKeySecretArn', { value: signingKeys.signingKeySecret!.secretArn });
  return stack;
}

/** The default place of the reference template. */
export const DEFAULT_TEMPLATE_PATH = path.join(__dirname, 'cdk.out', `${CONSUMER_STACK_NAME}.template.json`);

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? DEFAULT_TEMPLATE_PATH);
  const app = new App({ outdir: path.join(path.dirname(out), 'assembly') });
  const stack = buildConsumerStack(app);
  const template = app.synth().getStackByName(stack.stackName).template;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(template, undefined, 2) + '\n');
  console.log(`typescript-reference: wrote ${path.relative(process.cwd(), out)} `
    + `(${Object.keys(template.Resources).length} resources)`);
}
