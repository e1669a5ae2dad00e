import { Annotations as CoreAnnotations, App, Duration, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { stackWithGroup } from './util';
import {
  AdMarkers, AudioPreset, CmafEncryption, DashEncryption, DashProfile, DrmSystem, HlsEncryption, HlsEncryptionMethod,
  ManifestLayout, MssEncryption, PackagingConfiguration, PackagingFormat, PackagingGroup, PeriodTrigger, ScteMarkersSource,
  SegmentTemplateFormat, SpekeKeyProvider, StatusCodeRange, StreamOrder, VideoPreset,
} from '../../src';

const SPEKE_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/copyProtection';

const setup = stackWithGroup;

function keys(stack: Stack, systemIds: DrmSystem[], id = 'Keys', contract?: { audio: AudioPreset; video: VideoPreset }) {
  return new SpekeKeyProvider(stack, id, { url: SPEKE_URL, systemIds, encryptionContract: contract });
}

function configProps(template: Template): any {
  const resources = template.findResources('AWS::MediaPackage::PackagingConfiguration');
  return Object.values(resources).map((r: any) => r.Properties);
}

describe('PackagingConfiguration', () => {
  describe('renders every field to the exact CloudFormation shape', () => {
    test('HLS', () => {
      const { stack, group } = setup();
      const keyProvider = keys(stack, [DrmSystem.FAIRPLAY]);
      group.addPackagingConfiguration('Hls', {
        packagingConfigurationId: 'hls',
        format: PackagingFormat.hls({
          manifests: [{
            manifestName: 'index',
            adMarkers: AdMarkers.SCTE35_ENHANCED,
            programDateTimeInterval: Duration.minutes(1),
            includeIframeOnlyStream: true,
            repeatExtXKey: false,
            streamSelection: { minVideoBitsPerSecond: 500_000, maxVideoBitsPerSecond: 8_000_000, streamOrder: StreamOrder.VIDEO_BITRATE_DESCENDING },
          }, { manifestName: 'low', streamSelection: { maxVideoBitsPerSecond: 1_000_000 } }],
          segmentDuration: Duration.seconds(6),
          useAudioRenditionGroup: true,
          includeDvbSubtitles: false,
          encryption: HlsEncryption.speke({
            keyProvider, method: HlsEncryptionMethod.SAMPLE_AES, constantInitializationVector: '0123456789abcdef0123456789ABCDEF',
          }),
        }),
      });
      const props = configProps(Template.fromStack(stack))[0];
      expect(stack.resolve(props)).toEqual({
        Id: 'hls',
        PackagingGroupId: { Ref: 'GroupC77FDACD' },
        HlsPackage: {
          HlsManifests: [{
            ManifestName: 'index',
            AdMarkers: 'SCTE35_ENHANCED',
            ProgramDateTimeIntervalSeconds: 60,
            IncludeIframeOnlyStream: true,
            RepeatExtXKey: false,
            StreamSelection: { MinVideoBitsPerSecond: 500000, MaxVideoBitsPerSecond: 8000000, StreamOrder: 'VIDEO_BITRATE_DESCENDING' },
          }, { ManifestName: 'low', StreamSelection: { MaxVideoBitsPerSecond: 1000000 } }],
          SegmentDurationSeconds: 6,
          UseAudioRenditionGroup: true,
          IncludeDvbSubtitles: false,
          Encryption: {
            EncryptionMethod: 'SAMPLE_AES',
            ConstantInitializationVector: '0123456789abcdef0123456789ABCDEF',
            SpekeKeyProvider: {
              Url: SPEKE_URL,
              RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageSpekeRole/), 'Arn'] },
              SystemIds: ['94ce86fb-07ff-4f43-adb8-93d2fa968ca2'],
            },
          },
        },
      });
    });

    test('DASH', () => {
      const { stack, group } = setup();
      const keyProvider = keys(stack, [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY], 'Keys',
        { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_2 });
      group.addPackagingConfiguration('Dash', {
        packagingConfigurationId: 'dash',
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
          segmentTemplateFormat: SegmentTemplateFormat.TIME_WITH_TIMELINE,
          periodTriggers: [PeriodTrigger.ADS],
          includeIframeOnlyStream: true,
          includeEncoderConfigurationInSegments: true,
          encryption: DashEncryption.speke({ keyProvider }),
        }),
      });
      expect(stack.resolve(configProps(Template.fromStack(stack))[0])).toEqual({
        Id: 'dash',
        PackagingGroupId: { Ref: 'GroupC77FDACD' },
        DashPackage: {
          DashManifests: [{
            ManifestName: 'index',
            Profile: 'HBBTV_1_5',
            ManifestLayout: 'COMPACT',
            MinBufferTimeSeconds: 30,
            ScteMarkersSource: 'SEGMENTS',
            StreamSelection: { StreamOrder: 'ORIGINAL' },
          }],
          SegmentDurationSeconds: 2,
          SegmentTemplateFormat: 'TIME_WITH_TIMELINE',
          PeriodTriggers: ['ADS'],
          IncludeIframeOnlyStream: true,
          IncludeEncoderConfigurationInSegments: true,
          Encryption: {
            SpekeKeyProvider: {
              Url: SPEKE_URL,
              RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageSpekeRole/), 'Arn'] },
              SystemIds: ['edef8ba9-79d6-4ace-a3c8-27dcd51d21ed', '9a04f079-9840-4286-ab92-e65be0885f95'],
              EncryptionContractConfiguration: { PresetSpeke20Audio: 'PRESET-AUDIO-1', PresetSpeke20Video: 'PRESET-VIDEO-2' },
            },
          },
        },
      });
    });

    test('CMAF', () => {
      const { stack, group } = setup();
      const keyProvider = keys(stack, [DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY, DrmSystem.PLAYREADY], 'Keys',
        { audio: AudioPreset.SHARED, video: VideoPreset.SHARED });
      group.addPackagingConfiguration('Cmaf', {
        packagingConfigurationId: 'cmaf',
        format: PackagingFormat.cmaf({
          hlsManifests: [{
            manifestName: 'index',
            adMarkers: AdMarkers.PASSTHROUGH,
            includeIframeOnlyStream: false,
            repeatExtXKey: true,
            programDateTimeInterval: Duration.seconds(0),
          }],
          segmentDuration: Duration.seconds(4),
          includeEncoderConfigurationInSegments: false,
          encryption: CmafEncryption.speke({ keyProvider }),
        }),
      });
      expect(stack.resolve(configProps(Template.fromStack(stack))[0])).toEqual({
        Id: 'cmaf',
        PackagingGroupId: { Ref: 'GroupC77FDACD' },
        CmafPackage: {
          HlsManifests: [{
            ManifestName: 'index',
            AdMarkers: 'PASSTHROUGH',
            IncludeIframeOnlyStream: false,
            RepeatExtXKey: true,
            ProgramDateTimeIntervalSeconds: 0,
          }],
          SegmentDurationSeconds: 4,
          IncludeEncoderConfigurationInSegments: false,
          Encryption: {
            SpekeKeyProvider: {
              Url: SPEKE_URL,
              RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageSpekeRole/), 'Arn'] },
              SystemIds: ['edef8ba9-79d6-4ace-a3c8-27dcd51d21ed', '94ce86fb-07ff-4f43-adb8-93d2fa968ca2', '9a04f079-9840-4286-ab92-e65be0885f95'],
              EncryptionContractConfiguration: { PresetSpeke20Audio: 'SHARED', PresetSpeke20Video: 'SHARED' },
            },
          },
        },
      });
    });

    test('MSS', () => {
      const { stack, group } = setup();
      const keyProvider = keys(stack, [DrmSystem.PLAYREADY]);
      group.addPackagingConfiguration('Mss', {
        packagingConfigurationId: 'mss',
        format: PackagingFormat.mss({
          manifests: [{ manifestName: 'index', streamSelection: { minVideoBitsPerSecond: 0, maxVideoBitsPerSecond: 2147483647 } }],
          segmentDuration: Duration.seconds(2),
          encryption: MssEncryption.speke({ keyProvider }),
        }),
      });
      expect(stack.resolve(configProps(Template.fromStack(stack))[0])).toEqual({
        Id: 'mss',
        PackagingGroupId: { Ref: 'GroupC77FDACD' },
        MssPackage: {
          MssManifests: [{ ManifestName: 'index', StreamSelection: { MinVideoBitsPerSecond: 0, MaxVideoBitsPerSecond: 2147483647 } }],
          SegmentDurationSeconds: 2,
          Encryption: {
            SpekeKeyProvider: {
              Url: SPEKE_URL,
              RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageSpekeRole/), 'Arn'] },
              SystemIds: ['9a04f079-9840-4286-ab92-e65be0885f95'],
            },
          },
        },
      });
    });

    test('a minimal configuration renders only what was given', () => {
      const { stack, group } = setup();
      group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
        HlsPackage: { HlsManifests: [{}], Encryption: Match.absent(), SegmentDurationSeconds: Match.absent() },
        DashPackage: Match.absent(),
        CmafPackage: Match.absent(),
        MssPackage: Match.absent(),
      });
    });
  });

  describe('generated ids', () => {
    function idOf(build: (group: PackagingGroup) => void): string {
      const { stack, group } = setup();
      build(group);
      return configProps(Template.fromStack(stack))[0].Id;
    }
    const hls = (segmentSeconds: number) => PackagingFormat.hls({ manifests: [{ manifestName: 'index' }], segmentDuration: Duration.seconds(segmentSeconds) });

    test('are valid, readable and stable across synths', () => {
      const a = idOf(g => g.addPackagingConfiguration('Hls', { format: hls(6) }));
      const b = idOf(g => g.addPackagingConfiguration('Hls', { format: hls(6) }));
      expect(a).toEqual(b);
      expect(a).toMatch(/^[0-9a-zA-Z_-]{1,256}$/);
      expect(a).toMatch(/^Stack-Group-Hls-[0-9A-F]{8}-[0-9a-f]{8}$/);
    });

    test('change with any property', () => {
      const base = idOf(g => g.addPackagingConfiguration('Hls', { format: hls(6) }));
      expect(idOf(g => g.addPackagingConfiguration('Hls', { format: hls(4) }))).not.toEqual(base);
      const withName = idOf(g => g.addPackagingConfiguration('Hls', {
        format: PackagingFormat.hls({ manifests: [{ manifestName: 'main' }], segmentDuration: Duration.seconds(6) }),
      }));
      expect(withName).not.toEqual(base);
      const tagged = idOf(g => Tags.of(g.addPackagingConfiguration('Hls', { format: hls(6) })).add('team', 'video'));
      expect(tagged).not.toEqual(base);
    });

    test('change with the group, and hash resolved values rather than Token strings', () => {
      const one = (() => {
        const { stack } = setup();
        const group = new PackagingGroup(stack, 'Other', { packagingGroupId: 'vod2' });
        group.addPackagingConfiguration('Hls', { format: hls(6) });
        return configProps(Template.fromStack(stack)).map((p: any) => p.Id);
      })();
      const two = (() => {
        const { stack } = setup();
        const group = new PackagingGroup(stack, 'Other', { packagingGroupId: 'vod2' });
        group.addPackagingConfiguration('Hls', { format: hls(6) });
        return configProps(Template.fromStack(stack)).map((p: any) => p.Id);
      })();
      // Same app twice: Token numbering may differ between apps, the hash must not.
      expect(one).toEqual(two);
      const other = idOf(g => g.addPackagingConfiguration('Hls', { format: hls(6) }));
      expect(one[0]).not.toEqual(other.replace('Group', 'Other'));
    });

    // Rule: whenever CloudFormation would replace the configuration, its generated id changes.
    test('change when the group is replaced under a new fixed id (the template shows only its Ref)', () => {
      const withGroupId = (packagingGroupId: string) => {
        const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
        const group = new PackagingGroup(stack, 'Group', { packagingGroupId });
        group.addPackagingConfiguration('Hls', { format: hls(6) });
        const template = Template.fromStack(stack);
        expect(configProps(template)[0].PackagingGroupId).toEqual({ Ref: 'GroupC77FDACD' });
        return configProps(template)[0].Id;
      };
      expect(withGroupId('vod-a')).not.toEqual(withGroupId('vod-b'));
    });

    test('change when a referenced SPEKE role is replaced under a new name (the template shows only its GetAtt)', () => {
      const withRoleName = (roleName: string) => {
        const { stack, group } = setup();
        const role = new iam.Role(stack, 'SpekeRole', { roleName, assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
        const keyProvider = new SpekeKeyProvider(stack, 'Keys', { url: SPEKE_URL, systemIds: [DrmSystem.WIDEVINE], role });
        group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}], encryption: DashEncryption.speke({ keyProvider }) }) });
        return configProps(Template.fromStack(stack))[0].Id;
      };
      expect(withRoleName('speke-a')).not.toEqual(withRoleName('speke-b'));
    });

    test('stay the same for groups and roles with generated names (the logical ids in the references cover them)', () => {
      const generated = () => {
        const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
        const group = new PackagingGroup(stack, 'Group');
        group.addPackagingConfiguration('Hls', { format: hls(6) });
        return configProps(Template.fromStack(stack))[0].Id;
      };
      // The id this configuration had before referenced names were hashed: upgrading does not replace it.
      expect(generated()).toEqual('Stack-Group-Hls-70F3BAC0-3d19b000');
    });

    test('the attribute and the metrics use the id', () => {
      const { stack, group } = setup();
      const config = group.addPackagingConfiguration('Hls', { format: hls(6) });
      const id = configProps(Template.fromStack(stack))[0].Id;
      expect(stack.resolve(config.packagingConfigurationId)).toEqual({ Ref: 'GroupHlsF3F77AFB' });
      expect(stack.resolve(config.metricEgressBytes().dimensions)).toEqual({ PackagingConfiguration: id });
    });
  });

  test('a fixed id draws a warning that any later change fails', () => {
    const { stack, group } = setup();
    group.addPackagingConfiguration('Hls', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
    group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Group/Hls', Match.stringLikeRegexp(
      "packagingConfigurationId: packaging configurations are immutable: with the fixed id 'hls', any later change"));
    annotations.hasNoWarning('/Stack/Group/Dash', Match.anyValue());
  });

  test('warnings show a Token id as <token>, like errors, and are acknowledged by the id the CLI prints', () => {
    const { stack, group } = setup();
    group.addPackagingConfiguration('Lazy', { packagingConfigurationId: Lazy.string({ produce: () => 'lazy' }), format: PackagingFormat.hls({ manifests: [{}] }) });
    group.addPackagingConfiguration('Hls', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map(w => w.entry.data)).toEqual([
      expect.stringMatching(/with the fixed id <token>, any later change .* \[ack: cdk-mediapackage-vod:FixedConfigurationId\]$/),
      expect.stringMatching(/with the fixed id 'hls', any later change .* \[ack: cdk-mediapackage-vod:FixedConfigurationId\]$/),
    ]);
    // README, "Warnings": what the [ack: ...] suffix names is what acknowledgeWarning takes.
    CoreAnnotations.of(group.node.findChild('Hls')).acknowledgeWarning('cdk-mediapackage-vod:FixedConfigurationId', 'the id is fixed on purpose');
    Annotations.fromStack(stack).hasNoWarning('/Stack/Group/Hls', Match.anyValue());
    Annotations.fromStack(stack).hasWarning('/Stack/Group/Lazy', Match.anyValue());
  });

  test('new PackagingConfiguration outside the group\'s scope', () => {
    const { stack, group } = setup();
    const config = new PackagingConfiguration(stack, 'Hls', { packagingGroup: group, format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(config.packagingGroup).toBe(group);
    expect(config.formatName).toEqual('HLS');
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', { PackagingGroupId: { Ref: 'GroupC77FDACD' } });
  });

  test('works with an imported group', () => {
    const { stack } = setup();
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'existing');
    group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', { PackagingGroupId: 'existing' });
  });

  test('the same fixed configuration id twice in one account and Region fails; an ARN import checks the ARN', () => {
    const { stack, group } = setup();
    group.addPackagingConfiguration('A', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(() => group.addPackagingConfiguration('B', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) }))
      .toThrow(/\[Stack\/Group\/B\] packagingConfigurationId: is already the id of Stack\/Group\/A in the same account and Region/);
    expect(() => PackagingConfiguration.fromPackagingConfigurationArn(stack, 'I', 'arn:aws:mediapackage-vod:eu-west-1:1:packaging_configuration/x'))
      .toThrow(/\[Stack\] packagingConfigurationArn: must be an ARN of the form .*:packaging-configurations\/<id>/);
  });

  test.each([
    ['Region', 'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-groups/g', /must be in the stack's Region \(eu-west-1\).* \(got 'us-east-1'\)/],
    ['account', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/g', /must be in the stack's account \(111111111111\).* \(got '222222222222'\)/],
  ])('a group imported from another %s fails: the configuration would be created where the group is not', (_what, arn, message) => {
    const { stack } = setup();
    const group = PackagingGroup.fromPackagingGroupArn(stack, 'Imported', arn);
    expect(() => group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) }))
      .toThrow(new RegExp(`\\[Stack\\/Imported\\/Hls\\] packagingGroup: ${message.source}`));
  });

  describe('validation', () => {
    function build(format: () => PackagingFormat, id?: string) {
      const { group } = setup();
      return () => group.addPackagingConfiguration('Config', { format: format(), packagingConfigurationId: id });
    }

    test.each([
      ['HLS', () => PackagingFormat.hls({ manifests: [] }), /\[Stack\/Group\/Config\] format\.manifests: give at least one manifest \(got \[\]\)/],
      ['DASH', () => PackagingFormat.dash({ manifests: [] }), /\[Stack\/Group\/Config\] format\.manifests: give at least one manifest/],
      ['CMAF', () => PackagingFormat.cmaf({ hlsManifests: [] }), /\[Stack\/Group\/Config\] format\.hlsManifests: give at least one manifest/],
      ['MSS', () => PackagingFormat.mss({ manifests: [] }), /\[Stack\/Group\/Config\] format\.manifests: give at least one manifest/],
      ['HLS (missing)', () => PackagingFormat.hls({} as any), /format\.manifests: give at least one manifest \(got undefined\)/],
    ])('fails without manifests: %s', (_name, format, message) => {
      expect(build(format)).toThrow(message);
    });

    test('fails without a format (exactly one format)', () => {
      const { group } = setup();
      expect(() => group.addPackagingConfiguration('Config', {} as any))
        .toThrow(/\[Stack\/Group\/Config\] format: give exactly one format: PackagingFormat\.hls\(\), \.dash\(\), \.cmaf\(\) or \.mss\(\) \(got undefined\)/);
      expect(() => group.addPackagingConfiguration('Config2', { format: { hlsPackage: {}, dashPackage: {} } as any }))
        .toThrow(/\[Stack\/Group\/Config2\] format: give exactly one format/);
    });

    test('fails without a group', () => {
      const { stack } = setup();
      expect(() => new PackagingConfiguration(stack, 'Config', { format: PackagingFormat.hls({ manifests: [{}] }) } as any))
        .toThrow(/\[Stack\/Config\] packagingGroup: a packaging configuration belongs to a packaging group/);
    });

    test('fails on duplicate manifest names', () => {
      expect(build(() => PackagingFormat.hls({ manifests: [{ manifestName: 'index' }, { manifestName: 'low' }, { manifestName: 'index' }] })))
        .toThrow(/\[Stack\/Group\/Config\] format\.manifests\[2\]\.manifestName: manifest names must be unique in a configuration \(manifest 0 has it too\) \(got 'index'\)/);
      expect(build(() => PackagingFormat.cmaf({ hlsManifests: [{ manifestName: 'a' }, { manifestName: 'a' }] })))
        .toThrow(/format\.hlsManifests\[1\]\.manifestName: manifest names must be unique/);
      expect(build(() => PackagingFormat.dash({ manifests: [{}, {}] })))
        .toThrow(/format\.manifests\[1\]\.manifestName: manifest names must be unique in a configuration \(manifest 0 has it too; a manifest without a name is named 'index'\) \(got undefined\)/);
      expect(build(() => PackagingFormat.mss({ manifests: [{ manifestName: 'x' }, { manifestName: 'x' }] })))
        .toThrow(/format\.manifests\[1\]\.manifestName: manifest names must be unique/);
    });

    test('a manifest without a name collides with one named index (the service\'s default name)', () => {
      expect(build(() => PackagingFormat.hls({ manifests: [{}, { manifestName: 'index' }] })))
        .toThrow(/\[Stack\/Group\/Config\] format\.manifests\[1\]\.manifestName: manifest names must be unique in a configuration \(manifest 0 has it too; a manifest without a name is named 'index'\) \(got 'index'\)/);
      expect(build(() => PackagingFormat.dash({ manifests: [{ manifestName: 'index' }, {}] })))
        .toThrow(/format\.manifests\[1\]\.manifestName: manifest names must be unique .*named 'index'/);
    });

    test.each([
      ['empty', ''], ['a slash', 'a/b'], ['a question mark', 'a?b'], ['a hash', 'a#b'], ['a space', 'a b'], ['a tab', 'a\tb'],
    ])('fails on a manifest name with %s (not one URL path segment)', (_name, manifestName) => {
      expect(build(() => PackagingFormat.mss({ manifests: [{ manifestName }] })))
        .toThrow(/\[Stack\/Group\/Config\] format\.manifests\[0\]\.manifestName: is appended to the playback URL as one path segment: it must not be empty or contain '\/', '\?', '#' or whitespace/);
    });

    test('fails on a duplicate period trigger', () => {
      expect(build(() => PackagingFormat.dash({ manifests: [{}], periodTriggers: [PeriodTrigger.ADS, PeriodTrigger.ADS] })))
        .toThrow(/\[Stack\/Group\/Config\] format\.periodTriggers: each period trigger may be given once \(got \["ADS","ADS"\]\)/);
    });

    test('fails on a bad id', () => {
      expect(build(() => PackagingFormat.hls({ manifests: [{}] }), 'hls/1'))
        .toThrow(/\[Stack\/Group\/Config\] packagingConfigurationId: may contain only letters, digits, hyphens \(-\) and underscores \(_\) \(got 'hls\/1'\)/);
    });

    test.each([
      ['fractional segment duration', () => PackagingFormat.hls({ manifests: [{}], segmentDuration: Duration.millis(2500) }),
        /format\.segmentDuration: must be a whole number of seconds \(got '2 seconds 500 millis'\)/],
      ['zero segment duration', () => PackagingFormat.dash({ manifests: [{}], segmentDuration: Duration.seconds(0) }),
        /format\.segmentDuration: must be between 1 and 2147483647 seconds \(got '0 seconds'\)/],
      ['fractional program date time interval', () => PackagingFormat.hls({ manifests: [{ programDateTimeInterval: Duration.millis(1500) }] }),
        /format\.manifests\[0\]\.programDateTimeInterval: must be a whole number of seconds/],
      ['fractional min buffer time', () => PackagingFormat.dash({ manifests: [{ minBufferTime: Duration.millis(100) }] }),
        /format\.manifests\[0\]\.minBufferTime: must be a whole number of seconds \(got '100 millis'\)/],
      ['huge segment duration', () => PackagingFormat.mss({ manifests: [{}], segmentDuration: Duration.days(30_000) }),
        /format\.segmentDuration: must be between 1 and 2147483647 seconds/],
      ['CMAF fractional segment duration', () => PackagingFormat.cmaf({ hlsManifests: [{}], segmentDuration: Duration.millis(1) }),
        /format\.segmentDuration: must be a whole number of seconds/],
    ])('fails on %s', (_name, format, message) => {
      expect(build(format)).toThrow(message);
    });

    test.each([
      ['a negative minimum', { minVideoBitsPerSecond: -1 }, /format\.manifests\[0\]\.streamSelection\.minVideoBitsPerSecond: must be an integer between 0 and 2147483647 \(got -1\)/],
      ['a fractional maximum', { maxVideoBitsPerSecond: 1.5 }, /streamSelection\.maxVideoBitsPerSecond: must be an integer between 0 and 2147483647 \(got 1\.5\)/],
      ['a maximum above int32', { maxVideoBitsPerSecond: 2147483648 }, /streamSelection\.maxVideoBitsPerSecond: must be an integer/],
      ['min above max', { minVideoBitsPerSecond: 10, maxVideoBitsPerSecond: 5 },
        /streamSelection\.minVideoBitsPerSecond: must not exceed maxVideoBitsPerSecond \(5\) \(got 10\)/],
    ])('fails on stream selection with %s', (_name, streamSelection, message) => {
      expect(build(() => PackagingFormat.hls({ manifests: [{ streamSelection }] }))).toThrow(message);
      expect(build(() => PackagingFormat.dash({ manifests: [{ streamSelection }] }))).toThrow(message);
      expect(build(() => PackagingFormat.mss({ manifests: [{ streamSelection }] }))).toThrow(message);
    });

    test('fails on NUMBER_WITH_DURATION with multi-period DASH', () => {
      expect(build(() => PackagingFormat.dash({
        manifests: [{}], segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_DURATION, periodTriggers: [PeriodTrigger.ADS],
      }))).toThrow(/format\.segmentTemplateFormat: NUMBER_WITH_DURATION is not supported with multi-period DASH \(periodTriggers ADS\) \(got 'NUMBER_WITH_DURATION'\)/);
      expect(build(() => PackagingFormat.dash({
        manifests: [{}], segmentTemplateFormat: SegmentTemplateFormat.NUMBER_WITH_DURATION, periodTriggers: [],
      }))).not.toThrow();
    });

    test('Tokens skip the checks', () => {
      const { stack, group } = setup();
      const n = Token.asNumber(Lazy.number({ produce: () => 7 }));
      const name = Lazy.string({ produce: () => 'index' });
      group.addPackagingConfiguration('Config', {
        packagingConfigurationId: Lazy.string({ produce: () => 'not valid!' }),
        format: PackagingFormat.hls({
          manifests: [{ manifestName: name, streamSelection: { minVideoBitsPerSecond: n, maxVideoBitsPerSecond: 1 } }, { manifestName: name }],
          segmentDuration: Duration.seconds(n),
        }),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
        Id: 'not valid!',
        HlsPackage: {
          HlsManifests: [{ ManifestName: 'index', StreamSelection: { MinVideoBitsPerSecond: 7, MaxVideoBitsPerSecond: 1 } }, { ManifestName: 'index' }],
          SegmentDurationSeconds: 7,
        },
      });
    });
  });

  describe('metrics', () => {
    test('are dimensioned by the configuration', () => {
      const { stack, group } = setup();
      const config = group.addPackagingConfiguration('Hls', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
      expect(stack.resolve(config.metricEgressRequestCount())).toMatchObject({
        namespace: 'AWS/MediaPackage',
        metricName: 'EgressRequestCount',
        statistic: 'Sum',
        unit: 'Count',
        dimensions: { PackagingConfiguration: 'hls' },
      });
      expect(config.metricEgressBytes()).toMatchObject({ metricName: 'EgressBytes', statistic: 'Sum', unit: 'Bytes' });
      expect(config.metricEgressResponseTime()).toMatchObject({ metricName: 'EgressResponseTime', statistic: 'Average', unit: 'Milliseconds' });
      expect(config.metricEgressRequestCountByStatusCodeRange(StatusCodeRange.SERVER_ERROR_5XX).dimensions)
        .toEqual({ PackagingConfiguration: 'hls', StatusCodeRange: '5xx' });
      expect(config.metric('EgressBytes', { statistic: 'Maximum', period: Duration.minutes(1) })).toMatchObject({ statistic: 'Maximum' });

      new cloudwatch.Alarm(stack, 'Errors', {
        metric: config.metricEgressRequestCountByStatusCodeRange(StatusCodeRange.SERVER_ERROR_5XX), threshold: 10, evaluationPeriods: 1,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/MediaPackage',
        MetricName: 'EgressRequestCount',
        Statistic: 'Sum',
        Dimensions: Match.arrayEquals([{ Name: 'PackagingConfiguration', Value: 'hls' }, { Name: 'StatusCodeRange', Value: '5xx' }]),
      });
    });

    test('the group aggregates its configurations, also those created outside its scope', () => {
      const { stack, group } = setup();
      group.addPackagingConfiguration('Hls', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
      new PackagingConfiguration(stack, 'Dash', {
        packagingGroup: group, packagingConfigurationId: 'dash', format: PackagingFormat.dash({ manifests: [{}] }),
      });
      const metric: any = group.metricEgressBytes();
      expect(metric.expression).toEqual('SUM([mEgressBytes_Sum_300_0,mEgressBytes_Sum_300_1])');
      expect(Object.values(metric.usingMetrics).map((m: any) => m.dimensions.PackagingConfiguration)).toEqual(['hls', 'dash']);
    });
  });

  describe('imports', () => {
    test('by id', () => {
      const { stack } = setup();
      const config = PackagingConfiguration.fromPackagingConfigurationId(stack, 'Imported', 'hls');
      expect(config.packagingConfigurationId).toEqual('hls');
      expect(stack.resolve(config.packagingConfigurationArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:eu-west-1:111111111111:packaging-configurations/hls']],
      });
      expect(config.metricEgressBytes().dimensions).toEqual({ PackagingConfiguration: 'hls' });
      expect(config.packagingConfigurationRef.packagingConfigurationId).toEqual('hls');
      expect(() => PackagingConfiguration.fromPackagingConfigurationId(stack, 'Bad', 'a b'))
        .toThrow(/\[Stack\] packagingConfigurationId: may contain only .* \(got 'a b'\)/);
    });

    test('by ARN', () => {
      const { stack } = setup();
      const arn = 'arn:aws:mediapackage-vod:us-west-2:222222222222:packaging-configurations/dash';
      const config = PackagingConfiguration.fromPackagingConfigurationArn(stack, 'Imported', arn);
      expect(config.packagingConfigurationId).toEqual('dash');
      expect(config.packagingConfigurationArn).toEqual(arn);
      expect(config.env).toEqual({ account: '222222222222', region: 'us-west-2' });
    });
  });
});
