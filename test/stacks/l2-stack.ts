/**
 * The benchmark VOD stack built with this library (L2): one packaging group with CDN authorization and egress access
 * logs, four packaging configurations (HLS, DASH, CMAF, MSS, all SPEKE-encrypted against one key server and one SPEKE
 * role), and N assets read from one S3 bucket. Every id (group, configurations, assets) is generated.
 *
 * `test/stacks/l1-stack.ts` builds the same resources with aws-cdk-lib's L1 classes.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ACCESS_LOG_GROUP_NAME, BENCH_ENV, BenchStackOptions, KEY_SERVER_URL, SOURCE_BUCKET_NAME, sourceKey,
} from './config';
import {
  AdMarkers, AssetSource, AudioPreset, CdnAuthorization, CmafEncryption, DashEncryption, DashProfile, DrmSystem,
  EgressAccessLogs, HlsEncryption, HlsEncryptionMethod, ManifestLayout, MssEncryption, PackagingFormat, PackagingGroup,
  SegmentTemplateFormat, SpekeKeyProvider, StreamOrder, VideoPreset,
} from '../../src';

/** Builds the L2 benchmark stack into `app`. */
export function buildL2Stack(app: App, id: string, options: BenchStackOptions): Stack {
  const stack = new Stack(app, id, { env: BENCH_ENV });

  const cdnSecret = new secretsmanager.Secret(stack, 'CdnIdentifier', {
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: 'MediaPackageCDNIdentifier',
      excludePunctuation: true,
      passwordLength: 36,
    },
  });
  const accessLogs = new logs.LogGroup(stack, 'EgressAccessLogs', {
    logGroupName: ACCESS_LOG_GROUP_NAME,
    retention: logs.RetentionDays.ONE_MONTH,
  });
  const bucket = s3.Bucket.fromBucketName(stack, 'Sources', SOURCE_BUCKET_NAME);

  const group = new PackagingGroup(stack, 'Group', {
    authorization: CdnAuthorization.fromSecret(cdnSecret),
    egressAccessLogs: EgressAccessLogs.toLogGroup(accessLogs),
  });

  // One key server, one SPEKE role. DRM systems and the SPEKE 2.0 contract are properties of the provider, and the
  // formats accept different systems (HLS: one, FairPlay; MSS: PlayReady, SPEKE 1.0), so three providers share the role
  // of the first one.
  const keys = new SpekeKeyProvider(stack, 'Keys', {
    url: KEY_SERVER_URL,
    systemIds: [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY],
    encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 },
  });
  const fairPlayKeys = new SpekeKeyProvider(stack, 'FairPlayKeys', {
    url: KEY_SERVER_URL, systemIds: [DrmSystem.FAIRPLAY], role: keys.role,
  });
  const playReadyKeys = new SpekeKeyProvider(stack, 'PlayReadyKeys', {
    url: KEY_SERVER_URL, systemIds: [DrmSystem.PLAYREADY], role: keys.role,
  });

  const streamSelection = {
    minVideoBitsPerSecond: 500_000,
    maxVideoBitsPerSecond: 8_000_000,
    streamOrder: StreamOrder.VIDEO_BITRATE_DESCENDING,
  };
  group.addPackagingConfiguration('Hls', {
    format: PackagingFormat.hls({
      manifests: [{
        manifestName: 'index',
        adMarkers: AdMarkers.SCTE35_ENHANCED,
        programDateTimeInterval: Duration.seconds(60),
        includeIframeOnlyStream: true,
        streamSelection,
      }],
      segmentDuration: Duration.seconds(6),
      useAudioRenditionGroup: true,
      encryption: HlsEncryption.speke({ keyProvider: fairPlayKeys, method: HlsEncryptionMethod.SAMPLE_AES }),
    }),
  });
  group.addPackagingConfiguration('Dash', {
    format: PackagingFormat.dash({
      manifests: [{
        manifestName: 'index',
        profile: DashProfile.HBBTV_1_5,
        manifestLayout: ManifestLayout.COMPACT,
        minBufferTime: Duration.seconds(30),
        streamSelection,
      }],
      segmentDuration: Duration.seconds(6),
      segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_TIMELINE,
      encryption: DashEncryption.speke({ keyProvider: keys }),
    }),
  });
  group.addPackagingConfiguration('Cmaf', {
    format: PackagingFormat.cmaf({
      hlsManifests: [{ manifestName: 'index', streamSelection }],
      segmentDuration: Duration.seconds(6),
      encryption: CmafEncryption.speke({ keyProvider: keys }),
    }),
  });
  group.addPackagingConfiguration('Mss', {
    format: PackagingFormat.mss({
      manifests: [{ manifestName: 'index', streamSelection }],
      segmentDuration: Duration.seconds(2),
      encryption: MssEncryption.speke({ keyProvider: playReadyKeys }),
    }),
  });

  for (let i = 0; i < options.assets; i++) {
    group.addAsset(`Movie${i}`, { source: AssetSource.fromBucket(bucket, sourceKey(i)) });
  }
  return stack;
}

/** Options of the access-logs stack. */
export interface AccessLogsStackOptions {
  /** Number of imported packaging groups, each with egress access logs configured. */
  readonly groups: number;
}

/**
 * A stack that turns on egress access logs (the ConfigureLogs custom resource) on `groups` imported packaging groups:
 * all of them must share one provider function and role.
 */
export function buildAccessLogsStack(app: App, id: string, options: AccessLogsStackOptions): Stack {
  const stack = new Stack(app, id, { env: BENCH_ENV });
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'EgressAccessLogs', ACCESS_LOG_GROUP_NAME);
  for (let i = 0; i < options.groups; i++) {
    const group = PackagingGroup.fromPackagingGroupId(stack, `Group${i}`, `existing-group-${i}`);
    group.configureEgressAccessLogs('AccessLogs', { logGroup });
  }
  return stack;
}
