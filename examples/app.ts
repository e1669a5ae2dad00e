/**
 * The example VOD app: a realistic MediaPackage VOD stack built with this library.
 *
 * Synthesize with `npx projen example` (no AWS account needed: the stack has an explicit environment), or with the CDK
 * CLI: `npx cdk synth` at the repository root (cdk.json), and `npx cdk deploy` with credentials. Both write
 * examples/cdk.out; under the CLI the app writes where the CLI tells it (CDK_OUTDIR).
 */
import * as path from 'path';
import { App, CfnOutput, CfnResource, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import {
  AdMarkers, AssetSource, AudioPreset, CdnAuthorization, CmafEncryption, DashEncryption, DashProfile, DrmSystem, EgressAccessLogs,
  HlsEncryption, HlsEncryptionMethod, ManifestLayout, MssEncryption, PackagingFormat, PackagingGroup, PeriodTrigger,
  SegmentTemplateFormat, SpekeKeyProvider, StreamOrder, VideoPreset, ViewerAccess, VodDistribution, VodMonitoring,
} from '../src';

/** A VOD origin: one packaging group behind a CDN, with CDN authorization and egress access logs. */
export class VodStack extends Stack {
  public readonly group: PackagingGroup;
  public readonly cdn: VodDistribution;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    // The CDN sends this identifier in the X-MediaPackage-CDNIdentifier header.
    const cdnSecret = new secretsmanager.Secret(this, 'CdnIdentifier', {
      description: 'MediaPackage CDN identifier',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'MediaPackageCDNIdentifier',
        excludePunctuation: true,
        passwordLength: 36,
      },
    });
    skipCheckov(cdnSecret, 'CKV_AWS_149', 'A CDN identifier, not a credential: the AWS managed key of Secrets Manager is enough here.');

    const accessLogs = new logs.LogGroup(this, 'EgressAccessLogs', {
      logGroupName: '/aws/MediaPackage/example-vod-egress',
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(accessLogs, 'CKV_AWS_158', 'Egress access logs (request lines, no content): CloudWatch Logs\' own encryption is enough here.');

    this.group = new PackagingGroup(this, 'Group', {
      authorization: CdnAuthorization.fromSecret(cdnSecret),
      egressAccessLogs: EgressAccessLogs.toLogGroup(accessLogs),
    });

    // SPEKE key servers behind API Gateway: MediaPackage gets a role that may POST to them, and nothing else.
    const speke = 'https://abc123def4.execute-api.us-east-1.amazonaws.com/prod';
    const fairPlayKeys = new SpekeKeyProvider(this, 'FairPlayKeys', {
      url: `${speke}/speke/v1.0/copyProtection`,
      systemIds: [DrmSystem.FAIRPLAY],
      keyServerAccount: this.account, // the key server's API is in this account: scope the grant to it
    });
    const multiDrmKeys = new SpekeKeyProvider(this, 'MultiDrmKeys', {
      url: `${speke}/speke/v2.0/copyProtection`,
      systemIds: [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY],
      encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 },
      keyServerAccount: this.account,
    });
    const playReadyKeys = new SpekeKeyProvider(this, 'PlayReadyKeys', {
      url: `${speke}/speke/v1.0/copyProtection`,
      systemIds: [DrmSystem.PLAYREADY],
      keyServerAccount: this.account,
    });

    const ladder = { minVideoBitsPerSecond: 400_000, maxVideoBitsPerSecond: 8_000_000, streamOrder: StreamOrder.VIDEO_BITRATE_DESCENDING };

    const hls = this.group.addPackagingConfiguration('Hls', {
      format: PackagingFormat.hls({
        manifests: [
          { manifestName: 'index', adMarkers: AdMarkers.SCTE35_ENHANCED, includeIframeOnlyStream: true, streamSelection: ladder },
          { manifestName: 'mobile', streamSelection: { maxVideoBitsPerSecond: 2_500_000 } },
        ],
        segmentDuration: Duration.seconds(6),
        useAudioRenditionGroup: true,
        encryption: HlsEncryption.speke({ keyProvider: fairPlayKeys, method: HlsEncryptionMethod.SAMPLE_AES }),
      }),
    });

    this.group.addPackagingConfiguration('Dash', {
      format: PackagingFormat.dash({
        manifests: [{
          manifestName: 'index',
          profile: DashProfile.NONE,
          manifestLayout: ManifestLayout.COMPACT,
          minBufferTime: Duration.seconds(30),
          streamSelection: ladder,
        }],
        segmentDuration: Duration.seconds(2),
        segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_TIMELINE,
        periodTriggers: [PeriodTrigger.ADS],
        encryption: DashEncryption.speke({ keyProvider: multiDrmKeys }),
      }),
    });

    this.group.addPackagingConfiguration('Cmaf', {
      format: PackagingFormat.cmaf({
        hlsManifests: [{ manifestName: 'index', streamSelection: ladder }],
        segmentDuration: Duration.seconds(4),
        encryption: CmafEncryption.speke({ keyProvider: multiDrmKeys }),
      }),
    });

    this.group.addPackagingConfiguration('Mss', {
      format: PackagingFormat.mss({
        manifests: [{ manifestName: 'index' }],
        segmentDuration: Duration.seconds(2),
        encryption: MssEncryption.speke({ keyProvider: playReadyKeys }),
      }),
    });

    // The mezzanine bucket: MediaPackage reads it through one shared, read-only role.
    const mezzanine = new s3.Bucket(this, 'Mezzanine', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(mezzanine, 'CKV_AWS_18', 'Example mezzanine bucket, read only by MediaPackage: server access logs need a second bucket.');
    const movie1 = this.group.addAsset('Movie1', { source: AssetSource.fromBucket(mezzanine, 'movies/movie1/index.smil') });
    this.group.addAsset('Movie2', { source: AssetSource.fromBucket(mezzanine, 'movies/movie2/index.m3u8'), resourceId: 'movie2' });

    // Viewers play through CloudFront: the origin sends the CDN identifier from the secret above (a dynamic reference),
    // manifests are cached briefly and segments long. An egress URL plays as https://<distribution domain>/out/v1/...
    // Only entitled viewers play: every request needs CloudFront signed cookies. The key pair is generated at deploy;
    // its private key stays in Secrets Manager. (A player on another site of yours: add allowedOrigins, and domainNames
    // with a certificate under the same parent domain, so that its page can set the cookies.)
    this.cdn = new VodDistribution(this, 'Cdn', { packagingGroup: this.group, viewerAccess: ViewerAccess.signedCookies() });

    // The entitlement backend (e.g. a Lambda function behind the player's login) signs the cookies: it may read the
    // private key and nothing else. It signs a custom policy on a title's path pattern with the key id below.
    const signer = new iam.Role(this, 'CookieSigner', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Signs CloudFront cookies for entitled viewers',
    });
    this.cdn.grantSign(signer);
    new CfnOutput(this, 'SigningKeyPairId', { value: this.cdn.signingPublicKeyId! });
    new CfnOutput(this, 'SigningKeySecretArn', { value: this.cdn.signingKeySecret!.secretArn });

    // The rest of the catalog: every title the encoder writes under library/ becomes an asset, without a deploy
    // (S3 events → EventBridge → SQS → a Lambda function → CreateAsset), including the titles already there.
    const library = this.group.addBucketIngest('Library', {
      bucket: mezzanine,
      keyPatterns: ['library/*/index.m3u8', 'library/*/index.smil'],
      ingestExisting: true,
      deliveryDelay: Duration.minutes(1),
      // A DynamoDB catalog of the library's titles: status and playback URLs (on the CloudFront domain) per title.
      catalog: true,
      catalogDistribution: this.cdn,
    });
    new CfnOutput(this, 'LibraryCatalogTable', { value: library.catalogTable!.tableName });

    // Where Movie1 plays (HLS) through the CDN: read with DescribeAsset at deploy time, the path on the distribution's domain.
    new CfnOutput(this, 'Movie1HlsUrl', { value: movie1.playbackUrl(hls, { distribution: this.cdn }) });
    // What a signed-cookie policy names to let a viewer play Movie1 (every configuration): https://<domain>/out/v1/<asset hash>/*
    new CfnOutput(this, 'Movie1CookieResource', { value: `https://${this.cdn.distributionDomainName}${movie1.playbackPathPattern(hls)}` });

    // Operations: one dashboard (origin, CloudFront, ingest) and the alarms, notifying an encrypted topic (CloudWatch
    // may use its key). The stack is in us-east-1, where CloudFront publishes its metrics, so its 5xx alarm exists too.
    const alarmKey = new kms.Key(this, 'AlarmKey', { enableKeyRotation: true });
    alarmKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    new VodMonitoring(this, 'Monitoring', {
      packagingGroup: this.group,
      distribution: this.cdn,
      ingests: [library],
      alarmTopic: new sns.Topic(this, 'Alarms', { masterKey: alarmKey, enforceSSL: true }),
    });
  }
}

/**
 * Builds the example app into `outdir`; without one, into the directory the CDK CLI gives (CDK_OUTDIR), else
 * examples/cdk.out. The account is the CLI's current one when it knows it (`cdk deploy` with credentials), else a
 * placeholder; the Region stays us-east-1, the Region of the example's SPEKE key server URL.
 */
export function buildApp(outdir?: string): { app: App; stack: VodStack } {
  const app = new App({ outdir: outdir ?? (process.env.CDK_OUTDIR ? undefined : path.join(__dirname, 'cdk.out')) });
  const account = process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111';
  const stack = new VodStack(app, 'ExampleVod', { env: { account, region: 'us-east-1' } });
  return { app, stack };
}

if (require.main === module) {
  const { app, stack } = buildApp();
  const assembly = app.synth();
  const outdir = assembly.directory;
  const template = assembly.getStackByName(stack.stackName).template;
  const counts = new Map<string, number>();
  for (const resource of Object.values<any>(template.Resources)) {
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  const bytes = JSON.stringify(template).length;
  console.log(`Synthesized ${stack.stackName} into ${path.relative(process.cwd(), outdir)}: `
    + `${Object.keys(template.Resources).length} resources, ${bytes} bytes of template`);
  for (const [type, n] of [...counts.entries()].sort()) {
    console.log(`  ${String(n).padStart(4)}  ${type}`);
  }
  const messages = assembly.getStackByName(stack.stackName).messages;
  console.log(`${messages.length} synth message(s)${messages.length ? ':' : ''}`);
  for (const m of messages) {
    console.log(`  [${m.level}] ${m.id}: ${m.entry.data}`);
  }
}

/** checkov reads why a check does not apply to a resource from the resource's metadata (docs/security.md). */
function skipCheckov(construct: IConstruct, id: string, comment: string): void {
  (construct.node.defaultChild as CfnResource).addMetadata('checkov', { skip: [{ id, comment }] });
}
