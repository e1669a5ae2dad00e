/**
 * Integ test: the four package formats, with every option the L2 exposes, encrypted through SPEKE (1.0 and 2.0), one
 * key provider shared by two configurations, and a configuration without encryption.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.packaging-configuration.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  AdMarkers,
  AudioPreset,
  CmafEncryption,
  DashEncryption,
  DashProfile,
  DrmSystem,
  HlsEncryption,
  HlsEncryptionMethod,
  ManifestLayout,
  MssEncryption,
  PackagingConfiguration,
  PackagingFormat,
  PackagingGroup,
  PeriodTrigger,
  ScteMarkersSource,
  SegmentTemplateFormat,
  SpekeKeyProvider,
  StatusCodeRange,
  StreamOrder,
  VideoPreset,
} from '../src';

const KEY_SERVER = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegPackagingConfiguration');
  const group = new PackagingGroup(stack, 'Group');

  const fairPlay = new SpekeKeyProvider(stack, 'FairPlayKeys', {
    url: `${KEY_SERVER}/speke/v1.0/copyProtection`,
    systemIds: [DrmSystem.FAIRPLAY],
    keyServerAccount: stack.account,
  });
  const speke2 = new SpekeKeyProvider(stack, 'Speke2Keys', {
    url: `${KEY_SERVER}/speke/v2.0/copyProtection`,
    systemIds: [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY],
    encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 },
    keyServerAccount: stack.account,
  });
  const playReady = new SpekeKeyProvider(stack, 'PlayReadyKeys', {
    url: `${KEY_SERVER}/speke/v1.0/copyProtection`,
    systemIds: [DrmSystem.PLAYREADY],
    restrictToAccount: true,
  });

  group.addPackagingConfiguration('Hls', {
    format: PackagingFormat.hls({
      manifests: [
        {
          manifestName: 'index',
          adMarkers: AdMarkers.SCTE35_ENHANCED,
          programDateTimeInterval: Duration.seconds(60),
          includeIframeOnlyStream: true,
          repeatExtXKey: false,
          streamSelection: { minVideoBitsPerSecond: 500_000, maxVideoBitsPerSecond: 8_000_000, streamOrder: StreamOrder.VIDEO_BITRATE_DESCENDING },
        },
        { manifestName: 'low', streamSelection: { maxVideoBitsPerSecond: 1_000_000 } },
      ],
      segmentDuration: Duration.seconds(6),
      useAudioRenditionGroup: true,
      includeDvbSubtitles: false,
      encryption: HlsEncryption.speke({
        keyProvider: fairPlay,
        method: HlsEncryptionMethod.SAMPLE_AES,
        constantInitializationVector: '0123456789abcdef0123456789abcdef',
      }),
    }),
  });

  group.addPackagingConfiguration('Dash', {
    format: PackagingFormat.dash({
      manifests: [{
        manifestName: 'index',
        profile: DashProfile.HBBTV_1_5,
        manifestLayout: ManifestLayout.COMPACT,
        minBufferTime: Duration.seconds(30),
        scteMarkersSource: ScteMarkersSource.SEGMENTS,
        streamSelection: { streamOrder: StreamOrder.ORIGINAL },
      }],
      segmentDuration: Duration.seconds(2),
      segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_TIMELINE,
      periodTriggers: [PeriodTrigger.ADS],
      includeIframeOnlyStream: true,
      includeEncoderConfigurationInSegments: true,
      encryption: DashEncryption.speke({ keyProvider: speke2 }),
    }),
  });

  // The SPEKE 2.0 provider serves a second format: one role for both.
  const cmaf = group.addPackagingConfiguration('Cmaf', {
    format: PackagingFormat.cmaf({
      hlsManifests: [{ manifestName: 'index', adMarkers: AdMarkers.PASSTHROUGH, includeIframeOnlyStream: true }],
      segmentDuration: Duration.seconds(4),
      includeEncoderConfigurationInSegments: false,
      encryption: CmafEncryption.speke({ keyProvider: speke2 }),
    }),
  });

  group.addPackagingConfiguration('Mss', {
    format: PackagingFormat.mss({
      manifests: [{ manifestName: 'index', streamSelection: { minVideoBitsPerSecond: 0 } }],
      segmentDuration: Duration.seconds(2),
      encryption: MssEncryption.speke({ keyProvider: playReady }),
    }),
  });

  // A clear (unencrypted) HLS configuration with a fixed id, created through the constructor.
  new PackagingConfiguration(stack, 'ClearHls', {
    packagingGroup: group,
    packagingConfigurationId: 'integ-clear-hls',
    format: PackagingFormat.hls({ manifests: [{ manifestName: 'clear' }] }),
  });

  new cloudwatch.Alarm(stack, 'CmafServerErrors', {
    metric: cmaf.metricEgressRequestCountByStatusCodeRange(StatusCodeRange.SERVER_ERROR_5XX),
    threshold: 10,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  new IntegTest(app, 'PackagingConfigurationTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
