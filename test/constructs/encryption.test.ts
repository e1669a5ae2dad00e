import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectMediaPackageTrust, stackWithGroup } from './util';
import {
  AudioPreset, CmafEncryption, DashEncryption, DrmSystem, HlsEncryption, HlsEncryptionMethod, MssEncryption, PackagingFormat,
  SpekeKeyProvider, SpekeKeyProviderProps, VideoPreset,
} from '../../src';

const URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/speke/v2.0/copyProtection';

const setup = stackWithGroup;

function provider(stack: Stack, props: Partial<SpekeKeyProviderProps> = {}, id = 'Keys') {
  return new SpekeKeyProvider(stack, id, { url: URL, systemIds: [DrmSystem.WIDEVINE], ...props });
}

type Format = 'hls' | 'dash' | 'cmaf' | 'mss';
function encrypted(format: Format, keyProvider: SpekeKeyProvider, extra: any = {}): PackagingFormat {
  switch (format) {
    case 'hls': return PackagingFormat.hls({ manifests: [{}], encryption: HlsEncryption.speke({ keyProvider, ...extra }) });
    case 'dash': return PackagingFormat.dash({ manifests: [{}], encryption: DashEncryption.speke({ keyProvider }) });
    case 'cmaf': return PackagingFormat.cmaf({ hlsManifests: [{}], encryption: CmafEncryption.speke({ keyProvider }) });
    case 'mss': return PackagingFormat.mss({ manifests: [{}], encryption: MssEncryption.speke({ keyProvider }) });
  }
}

describe('SpekeKeyProvider', () => {
  test('creates one role, trusted by MediaPackage only, that may POST to the key server\'s API stage and path', () => {
    const { stack, group } = setup();
    const keyProvider = provider(stack, { systemIds: [DrmSystem.WIDEVINE, DrmSystem.PLAYREADY] });
    group.addPackagingConfiguration('Dash', { format: encrypted('dash', keyProvider) });
    group.addPackagingConfiguration('Dash2', { format: encrypted('dash', keyProvider) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expectMediaPackageTrust(template);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          // Any account by default: DRM providers host the key server in their own account (keyServerAccount narrows it).
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:*:abc123/prod/POST/speke/v2.0/copyProtection']] },
        }],
      },
    });
    expect(keyProvider.role).toBeDefined();
    expect(keyProvider.url).toEqual(URL);
  });

  test('keyServerAccount scopes the grant to the DRM provider\'s account', () => {
    const { stack } = setup();
    const keyProvider = provider(stack, { keyServerAccount: '222222222222' });
    expect(stack.resolve(keyProvider.keyServerExecuteApiArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:222222222222:abc123/prod/POST/speke/v2.0/copyProtection']],
    });
  });

  test.each([
    ['an upper-case host', 'https://ABC123.Execute-Api.EU-WEST-1.amazonaws.com/prod/copyProtection', 'abc123/prod/POST/copyProtection'],
    ['an explicit :443', 'https://abc123.execute-api.eu-west-1.amazonaws.com:443/prod/copyProtection', 'abc123/prod/POST/copyProtection'],
    ['a query string', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/speke/v2.0/copyProtection?version=2', 'abc123/prod/POST/speke/v2.0/copyProtection'],
    ['a stage only', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod', 'abc123/prod/POST/'],
  ])('recognises an API Gateway URL with %s', (_name, url, resource) => {
    const { stack } = setup();
    const keyProvider = provider(stack, { url });
    expect(stack.resolve(keyProvider.keyServerExecuteApiArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:execute-api:eu-west-1:*:${resource}`]],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test.each([
    ['another port', 'https://abc123.execute-api.eu-west-1.amazonaws.com:8443/prod/copyProtection'],
    ['no stage', 'https://abc123.execute-api.eu-west-1.amazonaws.com/'],
    ['a malformed host', 'https://abc_123.execute-api.eu-west-1.amazonaws.com/prod/copyProtection'],
  ])('warns when a URL looks like API Gateway but cannot be parsed: %s', (_name, url) => {
    const { stack } = setup();
    const keyProvider = provider(stack, { url });
    expect(keyProvider.keyServerExecuteApiArn).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Stack/Keys', Match.stringLikeRegexp(
      'url: looks like an API Gateway URL but is not https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<path>: the role gets no execute-api permission'));
  });

  test('the shared role lives at a stack-level path that depends only on the key server: removing the first provider keeps it', () => {
    const roleIds = (withFirst: boolean) => {
      const { stack, group } = setup();
      if (withFirst) { group.addPackagingConfiguration('Dash', { format: encrypted('dash', provider(stack, {}, 'First')) }); }
      group.addPackagingConfiguration('Cmaf', { format: encrypted('cmaf', provider(stack, {}, 'Second')) });
      return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    };
    expect(roleIds(true)).toEqual(roleIds(false));
    expect(roleIds(true)).toEqual([expect.stringMatching(/^MediaPackageSpekeRole[0-9a-f]{12}/)]);
  });

  test('an API created in another Region fails (the Region of a construct of this app is known)', () => {
    const { stack } = setup();
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111111111111', region: 'us-east-1' } });
    const api = new apigateway.RestApi(other, 'Api');
    api.root.addResource('copyProtection').addMethod('POST');
    expect(() => provider(stack, { url: undefined, restApi: api }))
      .toThrow(/\[Stack\/Keys\] restApi: the key server's API must be in the stack's Region \(eu-west-1\) \(got 'us-east-1'\)/);
  });

  test('providers of one key server share one role; another key server or trust gets its own', () => {
    const { stack, group } = setup();
    const fairPlay = provider(stack, { systemIds: [DrmSystem.FAIRPLAY] }, 'FairPlay');
    const playReady = provider(stack, { systemIds: [DrmSystem.PLAYREADY] }, 'PlayReady');
    const widevine = provider(stack, { systemIds: [DrmSystem.WIDEVINE], encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 } }, 'Widevine');
    group.addPackagingConfiguration('Hls', { format: encrypted('hls', fairPlay) });
    group.addPackagingConfiguration('Mss', { format: encrypted('mss', playReady) });
    group.addPackagingConfiguration('Dash', { format: encrypted('dash', widevine) });
    expect(playReady.role).toBe(fairPlay.role);
    expect(widevine.role).toBe(fairPlay.role);
    let template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);

    const { stack: stack2 } = setup();
    const a = provider(stack2, {}, 'A');
    const b = provider(stack2, { url: 'https://xyz789.execute-api.eu-west-1.amazonaws.com/prod/copyProtection' }, 'B');
    const c = provider(stack2, { restrictToAccount: true }, 'C');
    expect(new Set([a.role, b.role, c.role]).size).toEqual(3);
    template = Template.fromStack(stack2);
    template.resourceCountIs('AWS::IAM::Role', 3);
  });

  test('providers of one REST API, stage and path share one role', () => {
    const { stack } = setup();
    const api = apigateway.RestApi.fromRestApiId(stack, 'Api', 'xyz789');
    const a = provider(stack, { url: undefined, restApi: api, restApiStage: 'live' }, 'A');
    const b = provider(stack, { url: undefined, restApi: api, restApiStage: 'live', systemIds: [DrmSystem.PLAYREADY] }, 'B');
    const c = provider(stack, { url: undefined, restApi: api, restApiStage: 'test' }, 'C');
    expect(b.role).toBe(a.role);
    expect(c.role).not.toBe(a.role);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 2);
  });

  test('opt-in aws:SourceAccount condition on the trust policy', () => {
    const { stack } = setup();
    provider(stack, { restrictToAccount: true });
    expectMediaPackageTrust(Template.fromStack(stack), { restrictToAccount: true });
  });

  test('a key server that is not API Gateway gets a role with no permission', () => {
    const { stack } = setup();
    const keyProvider = provider(stack, { url: 'https://drm.example.com/speke' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(keyProvider.keyServerExecuteApiArn).toBeUndefined();
    const user = new iam.User(stack, 'User');
    expect(keyProvider.grantInvoke(user).success).toBe(false);
  });

  test('takes an IRestApi: derives the URL and scopes the permission', () => {
    const { stack } = setup();
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addResource('copyProtection').addMethod('POST');
    const keyProvider = provider(stack, { url: undefined, restApi: api });
    expect(stack.resolve(keyProvider.url)).toEqual({
      'Fn::Join': ['', ['https://', { Ref: 'ApiF70053CD' }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'ApiDeploymentStageprod3EB9684E' }, '/copyProtection']],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'execute-api:Invoke',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: 'ApiF70053CD' },
              '/', { Ref: 'ApiDeploymentStageprod3EB9684E' }, '/POST/copyProtection']],
          },
        }],
      },
    });
  });

  test('an imported IRestApi needs a stage; a custom-domain url is kept', () => {
    const { stack } = setup();
    const api = apigateway.RestApi.fromRestApiId(stack, 'Api', 'xyz789');
    expect(() => provider(stack, { url: undefined, restApi: api }))
      .toThrow(/\[Stack\/Keys\] restApiStage: the REST API has no deployment stage here: give restApiStage/);
    const keyProvider = provider(stack, { url: 'https://keys.example.com/v2', restApi: api, restApiStage: 'live', restApiPath: '/v2' }, 'Keys2');
    expect(keyProvider.url).toEqual('https://keys.example.com/v2');
    expect(stack.resolve(keyProvider.keyServerExecuteApiArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:xyz789/live/POST/v2']],
    });
    expect(() => provider(stack, { url: undefined, restApi: api, restApiStage: 'live', restApiPath: 'v2' }, 'Keys3'))
      .toThrow(/\[Stack\/Keys3\] restApiPath: must start with \/ \(got 'v2'\)/);
  });

  test('a given mutable role is granted the invoke; an imported one is used as is', () => {
    const { stack } = setup();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
    const keyProvider = provider(stack, { role });
    expect(keyProvider.role).toBe(role);
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/speke', { mutable: false });
    expect(provider(stack, { role: imported }, 'Keys2').role).toBe(imported);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: 'MyRoleF48FFE04' }],
      PolicyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow' }] },
    });
  });

  describe('validation', () => {
    test.each([
      ['an http URL', { url: 'http://keys.example.com' }, /\[Stack\/Keys\] url: the SPEKE key server URL must start with https:\/\/ \(got 'http:\/\/keys\.example\.com'\)/],
      ['an https URL without a host', { url: 'https://' }, /\[Stack\/Keys\] url: the SPEKE key server URL must be an https URL with a host name \(got 'https:\/\/'\)/],
      ['no URL and no API', { url: undefined }, /\[Stack\/Keys\] url: give the key server url or its restApi \(got undefined\)/],
      ['no system ids', { systemIds: [] }, /\[Stack\/Keys\] systemIds: give at least one DRM system \(got \[\]\)/],
      ['a system id that is not a UUID', { systemIds: [DrmSystem.of('widevine')] },
        /\[Stack\/Keys\] systemIds\[0\]: a DRM system id is a UUID \(8-4-4-4-12 hexadecimal digits\) \(got 'widevine'\)/],
      ['a duplicate system id', { systemIds: [DrmSystem.WIDEVINE, DrmSystem.of('EDEF8BA9-79D6-4ACE-A3C8-27DCD51D21ED')] },
        /\[Stack\/Keys\] systemIds: each DRM system may be given once \(got 'edef8ba9-79d6-4ace-a3c8-27dcd51d21ed'\)/],
      ['an API in another Region', { url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/copyProtection' },
        /\[Stack\/Keys\] url: the key server's API must be in the stack's Region \(eu-west-1\)/],
      ['SHARED audio only', { encryptionContract: { audio: AudioPreset.SHARED, video: VideoPreset.PRESET_VIDEO_1 } },
        /\[Stack\/Keys\] encryptionContract: SHARED must be used for both audio and video, or for neither \(got \{"audio":"SHARED","video":"PRESET-VIDEO-1"\}\)/],
      ['SHARED video only', { encryptionContract: { audio: AudioPreset.PRESET_AUDIO_2, video: VideoPreset.SHARED } },
        /encryptionContract: SHARED must be used for both audio and video, or for neither/],
      ['UNENCRYPTED both', { encryptionContract: { audio: AudioPreset.UNENCRYPTED, video: VideoPreset.UNENCRYPTED } },
        /\[Stack\/Keys\] encryptionContract: UNENCRYPTED may not be combined with UNENCRYPTED or SHARED on the other track/],
      ['UNENCRYPTED audio with SHARED video', { encryptionContract: { audio: AudioPreset.UNENCRYPTED, video: VideoPreset.SHARED } },
        /encryptionContract: (SHARED must be used|UNENCRYPTED may not)/],
      ['UNENCRYPTED video with SHARED audio', { encryptionContract: { audio: AudioPreset.SHARED, video: VideoPreset.UNENCRYPTED } },
        /encryptionContract: (SHARED must be used|UNENCRYPTED may not)/],
    ])('fails on %s', (_name, props, message) => {
      const { stack } = setup();
      expect(() => provider(stack, props as any)).toThrow(message);
    });

    test.each([
      [AudioPreset.UNENCRYPTED, VideoPreset.PRESET_VIDEO_3],
      [AudioPreset.PRESET_AUDIO_3, VideoPreset.UNENCRYPTED],
      [AudioPreset.SHARED, VideoPreset.SHARED],
      [AudioPreset.PRESET_AUDIO_1, VideoPreset.PRESET_VIDEO_8],
    ])('accepts presets %s + %s', (audio, video) => {
      const { stack } = setup();
      expect(() => provider(stack, { encryptionContract: { audio, video } })).not.toThrow();
    });

    test('Tokens skip the checks', () => {
      const { stack, group } = setup();
      const url = Lazy.string({ produce: () => 'http://not-checked' });
      const systemId = Lazy.string({ produce: () => 'not-a-uuid' });
      const keyProvider = provider(stack, { url, systemIds: [DrmSystem.of(systemId)] });
      group.addPackagingConfiguration('Hls', { format: encrypted('hls', keyProvider, { constantInitializationVector: Lazy.string({ produce: () => 'xyz' }) }) });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
        HlsPackage: { Encryption: { ConstantInitializationVector: 'xyz', SpekeKeyProvider: { Url: 'http://not-checked', SystemIds: ['not-a-uuid'] } } },
      });
    });
  });
});

describe('DrmSystem', () => {
  test('well-known ids', () => {
    expect(DrmSystem.FAIRPLAY.systemId).toEqual('94ce86fb-07ff-4f43-adb8-93d2fa968ca2');
    expect(DrmSystem.WIDEVINE.systemId).toEqual('edef8ba9-79d6-4ace-a3c8-27dcd51d21ed');
    expect(DrmSystem.PLAYREADY.systemId).toEqual('9a04f079-9840-4286-ab92-e65be0885f95');
    expect(DrmSystem.IRDETO.systemId).toEqual('80a6be7e-1448-4c37-9e70-d5aebe04c8d2');
    expect(DrmSystem.CLEAR_KEY_AES_128.systemId).toEqual('3ea8778f-7742-4bf9-b18b-e834b2acbd47');
    expect(DrmSystem.SPEKE_REFERENCE_AES_128.systemId).toEqual('81376844-f976-481e-a84e-cc25d39b0b33');
  });

  test('of() returns the well-known system for its id, in any case', () => {
    expect(DrmSystem.of('9A04F079-9840-4286-AB92-E65BE0885F95')).toBe(DrmSystem.PLAYREADY);
    const other = DrmSystem.of('12345678-1234-1234-1234-123456789abc');
    expect(other.systemId).toEqual('12345678-1234-1234-1234-123456789abc');
  });
});

describe('encryption per format', () => {
  test.each([
    ['hls', [DrmSystem.WIDEVINE], /\[Stack\/Group\/Config\] format\.encryption\.keyProvider\.systemIds: Widevine is not a DRM system MediaPackage VOD supports for HLS \(supported: FairPlay, ClearKey AES-128, SPEKE reference AES-128\) \(got 'edef8ba9/],
    ['hls', [DrmSystem.PLAYREADY], /systemIds: PlayReady is not a DRM system MediaPackage VOD supports for HLS/],
    ['dash', [DrmSystem.FAIRPLAY], /format\.encryption\.keyProvider\.systemIds: FairPlay is not a DRM system MediaPackage VOD supports for DASH \(supported: PlayReady, Widevine, Irdeto\)/],
    ['mss', [DrmSystem.WIDEVINE], /systemIds: Widevine is not a DRM system MediaPackage VOD supports for MSS \(supported: PlayReady\)/],
    ['cmaf', [DrmSystem.IRDETO], /systemIds: Irdeto is not a DRM system MediaPackage VOD supports for CMAF/],
    ['hls', [DrmSystem.FAIRPLAY, DrmSystem.CLEAR_KEY_AES_128], /format\.encryption\.keyProvider\.systemIds: HLS takes exactly one DRM system \(got \["FairPlay","ClearKey AES-128"\]\)/],
    ['mss', [DrmSystem.PLAYREADY, DrmSystem.of('12345678-1234-1234-1234-123456789abc')], /systemIds: MSS takes exactly one DRM system/],
    ['dash', [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.IRDETO], /systemIds: DASH takes at most 2 DRM systems/],
    ['cmaf', [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY, DrmSystem.of('12345678-1234-1234-1234-123456789abc')],
      /systemIds: CMAF takes at most 3 DRM systems/],
  ] as Array<[Format, DrmSystem[], RegExp]>)('%s with %j fails', (format, systemIds, message) => {
    const { stack, group } = setup();
    const keyProvider = provider(stack, { systemIds });
    expect(() => group.addPackagingConfiguration('Config', { format: encrypted(format, keyProvider) })).toThrow(message);
  });

  test.each([
    ['hls', [DrmSystem.FAIRPLAY]],
    ['hls', [DrmSystem.SPEKE_REFERENCE_AES_128]],
    ['dash', [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE]],
    ['cmaf', [DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY]],
    ['mss', [DrmSystem.PLAYREADY]],
    ['mss', [DrmSystem.of('12345678-1234-1234-1234-123456789abc')]],
  ] as Array<[Format, DrmSystem[]]>)('%s with %j is accepted without warning', (format, systemIds) => {
    const { stack, group } = setup();
    group.addPackagingConfiguration('Config', { format: encrypted(format, provider(stack, { systemIds })) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test.each([['hls'], ['mss']] as Array<[Format]>)('SPEKE 2.0 presets on %s fail', (format) => {
    const { stack, group } = setup();
    const systemIds = format === 'hls' ? [DrmSystem.FAIRPLAY] : [DrmSystem.PLAYREADY];
    const keyProvider = provider(stack, { systemIds, encryptionContract: { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 } });
    expect(() => group.addPackagingConfiguration('Config', { format: encrypted(format, keyProvider) }))
      .toThrow(new RegExp(`format\\.encryption\\.keyProvider\\.encryptionContract: MediaPackage VOD supports SPEKE 2\\.0 presets on DASH and CMAF only, not ${format.toUpperCase()}`));
  });

  test.each([
    // User guide, "Choosing SPEKE version": not supported with SPEKE 1.0.
    ['cmaf', DrmSystem.PLAYREADY, /\[Stack\/Group\/Config\] format.encryption.keyProvider.systemIds: PlayReady is not supported for CMAF with SPEKE 1.0: give the key provider an encryptionContract \(SPEKE 2.0\)/],
    ['dash', DrmSystem.IRDETO, /format.encryption.keyProvider.systemIds: Irdeto is not supported for DASH with SPEKE 1.0/],
  ] as Array<[Format, DrmSystem, RegExp]>)('%s with %s and SPEKE 1.0 fails', (format, system, message) => {
    const { stack, group } = setup();
    expect(() => group.addPackagingConfiguration('Config', { format: encrypted(format, provider(stack, { systemIds: [system] })) })).toThrow(message);
  });

  test('... and is accepted with SPEKE 2.0', () => {
    const { stack, group } = setup();
    const encryptionContract = { audio: AudioPreset.PRESET_AUDIO_1, video: VideoPreset.PRESET_VIDEO_1 };
    group.addPackagingConfiguration('Cmaf', { format: encrypted('cmaf', provider(stack, { systemIds: [DrmSystem.PLAYREADY], encryptionContract }, 'K1')) });
    group.addPackagingConfiguration('Dash', { format: encrypted('dash', provider(stack, { systemIds: [DrmSystem.IRDETO], encryptionContract }, 'K2')) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('one provider is shared by several formats and renders per format', () => {
    const { stack, group } = setup();
    const keyProvider = provider(stack, { systemIds: [DrmSystem.WIDEVINE] });
    group.addPackagingConfiguration('Dash', { format: encrypted('dash', keyProvider) });
    group.addPackagingConfiguration('Cmaf', { format: encrypted('cmaf', keyProvider) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::MediaPackage::PackagingConfiguration', 2);
  });

  describe('HLS', () => {
    test.each([
      ['too short', '0123'],
      ['not hexadecimal', 'g123456789abcdef0123456789abcdef'],
      ['too long', '0123456789abcdef0123456789abcdef0'],
    ])('a constant IV %s fails', (_name, iv) => {
      const { stack, group } = setup();
      const keyProvider = provider(stack, { systemIds: [DrmSystem.FAIRPLAY] });
      expect(() => group.addPackagingConfiguration('Config', { format: encrypted('hls', keyProvider, { constantInitializationVector: iv }) }))
        .toThrow(new RegExp(`\\[Stack/Group/Config\\] format\\.encryption\\.constantInitializationVector: must be exactly 32 hexadecimal characters \\(128 bits\\) \\(got '${iv}'\\)`));
    });

    test('FairPlay with AES_128 fails (not supported)', () => {
      const { stack, group } = setup();
      expect(() => group.addPackagingConfiguration('FairPlayAes', {
        format: encrypted('hls', provider(stack, { systemIds: [DrmSystem.FAIRPLAY] }, 'K1'), { method: HlsEncryptionMethod.AES_128 }),
      })).toThrow(/\[Stack\/Group\/FairPlayAes\] format.encryption.method: FairPlay is not supported with AES_128: use SAMPLE_AES .*\(got 'AES_128'\)/);
    });

    test('SAMPLE_AES with AES-128 keys draws a warning', () => {
      const { stack, group } = setup();
      group.addPackagingConfiguration('ClearKeySample', {
        format: encrypted('hls', provider(stack, { systemIds: [DrmSystem.CLEAR_KEY_AES_128] }, 'K2'), { method: HlsEncryptionMethod.SAMPLE_AES }),
      });
      group.addPackagingConfiguration('Fine', {
        format: encrypted('hls', provider(stack, { systemIds: [DrmSystem.CLEAR_KEY_AES_128] }, 'K3'), { method: HlsEncryptionMethod.AES_128 }),
      });
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Stack/Group/ClearKeySample', Match.stringLikeRegexp('format.encryption.method: SAMPLE_AES is for FairPlay'));
      annotations.hasNoWarning('/Stack/Group/Fine', Match.anyValue());
    });

    test('no method renders none (the service\'s default)', () => {
      const { stack, group } = setup();
      group.addPackagingConfiguration('Config', { format: encrypted('hls', provider(stack, { systemIds: [DrmSystem.FAIRPLAY] })) });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
        HlsPackage: { Encryption: { EncryptionMethod: Match.absent(), ConstantInitializationVector: Match.absent() } },
      });
    });
  });

  test('an encryption without a key provider fails', () => {
    const { group } = setup();
    expect(() => group.addPackagingConfiguration('Config', {
      format: PackagingFormat.dash({ manifests: [{}], encryption: DashEncryption.speke({} as any) }),
    })).toThrow(/\[Stack\/Group\/Config\] format\.encryption\.keyProvider: encryption needs a SPEKE key provider \(got undefined\)/);
    expect(() => group.addPackagingConfiguration('Config2', {
      format: PackagingFormat.hls({ manifests: [{}], encryption: HlsEncryption.speke({} as any) }),
    })).toThrow(/\[Stack\/Group\/Config2\] format\.encryption\.keyProvider: encryption needs a SPEKE key provider/);
  });
});
