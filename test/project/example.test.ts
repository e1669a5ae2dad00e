import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../examples/app';

describe('example VOD app', () => {
  const { stack } = buildApp(path.join(os.tmpdir(), 'cdk-mediapackage-vod-example'));
  const template = Template.fromStack(stack);

  test('has a packaging group with CDN authorization and egress access logs', () => {
    template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
      Authorization: { CdnIdentifierSecret: { Ref: Match.stringLikeRegexp('CdnIdentifier') } },
      EgressAccessLogs: { LogGroupName: { Ref: Match.stringLikeRegexp('EgressAccessLogs') } },
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('has the four formats, encrypted through SPEKE, and two assets from one bucket through one role', () => {
    template.resourceCountIs('AWS::MediaPackage::PackagingConfiguration', 4);
    for (const pkg of ['HlsPackage', 'DashPackage', 'CmafPackage', 'MssPackage']) {
      template.hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
        [pkg]: { Encryption: { SpekeKeyProvider: { Url: Match.stringLikeRegexp('^https://') } } },
      });
    }
    template.hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
      HlsPackage: { Encryption: { EncryptionMethod: 'SAMPLE_AES' } },
    });
    template.hasResourceProperties('AWS::MediaPackage::PackagingConfiguration', {
      DashPackage: { Encryption: { SpekeKeyProvider: { EncryptionContractConfiguration: { PresetSpeke20Audio: 'PRESET-AUDIO-1' } } } },
    });
    template.resourceCountIs('AWS::MediaPackage::Asset', 2);
    const assets = Object.values(template.findResources('AWS::MediaPackage::Asset')).map((a: any) => a.Properties.SourceRoleArn);
    expect(assets[0]).toEqual(assets[1]);
  });

  test('serves the group through a VodDistribution that sends the CDN identifier from the secret', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret')).find(id => id.startsWith('CdnIdentifier'));
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [Match.objectLike({
          CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
          OriginCustomHeaders: [{
            HeaderName: 'X-MediaPackage-CDNIdentifier',
            HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:MediaPackageCDNIdentifier::}}']] },
          }],
        })],
      },
    });
  });

  test('lets only viewers with signed cookies play: every behavior trusts the generated key group; the signer may read the key', () => {
    const keyGroup = { Ref: Object.keys(template.findResources('AWS::CloudFront::KeyGroup'))[0] };
    const config = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    const behaviors = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    expect(behaviors).toHaveLength(4);
    for (const behavior of behaviors) { expect(behavior.TrustedKeyGroups).toEqual([keyGroup]); }
    template.resourceCountIs('Custom::MediaPackageVodSigningKey', 1);
    const keySecret = Object.keys(template.findResources('AWS::SecretsManager::Secret')).find(id => id.startsWith('CdnViewerSigningKeys'));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CookieSigner') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: keySecret } }] },
    });
    template.hasOutput('SigningKeyPairId', { Value: { Ref: Match.stringLikeRegexp('^CdnViewerSigningKeysKey1PublicKey') } });
    template.hasOutput('Movie1CookieResource', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/out/v1/', '/*'])] } });
  });

  test('synthesizes without warnings', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('ingests the rest of the catalog from the mezzanine bucket, the titles already there included', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { object: { key: [{ wildcard: 'library/*/index.m3u8' }, { wildcard: 'library/*/index.smil' }] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { DelaySeconds: 60 });
    template.resourceCountIs('Custom::MediaPackageVodIngestBackfill', 1);
  });

  test('keeps a catalog of the library with playback URLs on the distribution\'s domain, and outputs its table', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CATALOG_TABLE_NAME: Match.anyValue(), CATALOG_PLAYBACK_DOMAIN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnDistribution'), 'DomainName'] } }) },
    });
    template.hasOutput('LibraryCatalogTable', { Value: { Ref: Match.stringLikeRegexp('^GroupLibraryCatalog') } });
  });

  test('monitors the group, the distribution and the ingest: one dashboard, alarms that notify the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // 4 configurations × (5xx rate, response time), CloudFront 5xx, the monitoring's ingest DLQ, age and IngestError
    // alarms; the ingest's own DLQ alarm (no actions); the backfill's job DLQ alarm.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 14);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    for (const alarm of Object.values<any>(template.findResources('AWS::CloudWatch::CompositeAlarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', Threshold: 5, AlarmActions: [topic] });
  });

  test('matches the snapshot', () => {
    // Lambda asset hashes (the bundled handlers) are left out: they change with every handler edit, not with the app.
    const json = JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}\.zip/g, '<asset hash>.zip');
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});

describe('example VOD app under the CDK CLI', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('writes where the CLI says (CDK_OUTDIR), so `cdk synth` finds its manifest', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mediapackage-vod-cli-'));
    process.env.CDK_OUTDIR = outdir;
    const { app, stack } = buildApp();
    const assembly = app.synth();
    expect(assembly.directory).toBe(outdir);
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, `${stack.artifactId}.template.json`))).toBe(true);
  });

  test('writes examples/cdk.out without the CLI (npx projen example)', () => {
    delete process.env.CDK_OUTDIR;
    const { app } = buildApp();
    expect(app.outdir).toBe(path.join(__dirname, '..', '..', 'examples', 'cdk.out'));
  });

  test('deploys to the account of the CLI\'s credentials when it knows it, in the key server\'s Region', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '222222222222';
    const { stack } = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mediapackage-vod-cli-')));
    expect([stack.account, stack.region]).toEqual(['222222222222', 'us-east-1']);
  });

  test('cdk.json runs this app into examples/cdk.out, after bundling the handlers', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
    expect(cdkJson).toMatchObject({
      app: 'npx ts-node --project tsconfig.dev.json examples/app.ts',
      output: 'examples/cdk.out',
      build: 'npx projen bundle',
    });
  });
});

describe('every task that can synthesize builds the handler bundles first', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.projen', 'tasks.json'), 'utf8')).tasks;

  test.each(['compile', 'test', 'example', 'bench', 'integ', 'integ:update', 'cfn-lint', 'consumers'])('%s', (name) => {
    expect(tasks[name].steps[0]).toEqual({ spawn: 'bundle' });
  });

  test('the bundle task builds every bundle', () => {
    const bundles = Object.keys(tasks).filter(n => n.startsWith('bundle:') && !n.endsWith(':watch'));
    expect(bundles.length).toBeGreaterThan(0);
    expect(tasks.bundle.steps.map((s: any) => s.spawn).sort()).toEqual(bundles.sort());
  });

  test.each(['package:python', 'package:java', 'package:go'])('%s translates the README examples first (rosetta tablet)', (name) => {
    expect(tasks[name].steps[0]).toEqual({ spawn: 'rosetta:extract' });
  });
});
