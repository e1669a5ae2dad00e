import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../examples/app';

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
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
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

  test('monitors the group, the distribution and the ingest: one dashboard, alarms that notify the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // 4 configurations × (5xx rate, response time), CloudFront 5xx, ingest age and IngestError; the ingest's DLQ alarm.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 12);
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
