/**
 * checkov reads `Metadata: { checkov: { skip: [{ id, comment }] } }` on a resource as "this check does not apply, and
 * why". The library writes it on its own resources for the checks they fail by design (scripts/ci/checkov.sh runs checkov
 * on every synthesized template; docs/security.md tables them), and only while the user has not given the prop that
 * makes the check pass (a KMS key, a WAF web ACL, a log bucket, a certificate).
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './util';
import {
  AssetSource, CdnAuthorization, PackagingConfiguration, PackagingFormat, PackagingGroup, VodDistribution, VodMonitoring,
} from '../../src';
import { PackagingGroupAccessLogs } from '../../src/access-logs/packaging-group-access-logs';
import { skipCheckov } from '../../src/private/checkov';

interface Skip { id: string; comment: string }

/** The checkov skips of each resource of a type: logical id → skipped check ids. */
function skipsOf(template: Template, type: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [logicalId, resource] of Object.entries(template.findResources(type))) {
    out[logicalId] = ((resource as any).Metadata?.checkov?.skip ?? []).map((s: Skip) => s.id).sort();
  }
  return out;
}

/** Every checkov skip of the template carries a reason of some length (the test that no skip is unexplained). */
function expectEverySkipExplained(template: Template): number {
  let count = 0;
  for (const resource of Object.values(template.toJSON().Resources) as any[]) {
    const skips: Skip[] = resource.Metadata?.checkov?.skip ?? [];
    expect(new Set(skips.map(s => s.id)).size).toBe(skips.length);
    for (const skip of skips) {
      expect(skip.id).toMatch(/^CKV_AWS_\d+$/);
      expect(skip.comment.length).toBeGreaterThan(40);
      count++;
    }
  }
  return count;
}

function ingestStack(options: { encryptionKey?: boolean; catalog?: boolean } = {}) {
  const stack = newStack();
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
  const key = options.encryptionKey ? new kms.Key(stack, 'Key') : undefined;
  group.addBucketIngest('Library', {
    bucket: new s3.Bucket(stack, 'Bucket'),
    keyPatterns: ['movies/*.smil'],
    ingestExisting: true,
    catalog: options.catalog,
    encryptionKey: key,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('checkov skips on the library\'s resources', () => {
  test('BucketIngest without a key: the queues skip CKV_AWS_27 (SSE-SQS false positive), the table CKV_AWS_119', () => {
    const { template } = ingestStack({ catalog: true });
    const queues = skipsOf(template, 'AWS::SQS::Queue');
    // The ingest queue, its dead-letter queue, the status queue, the backfill's job queue and job dead-letter queue.
    expect(Object.values(queues)).toEqual([['CKV_AWS_27'], ['CKV_AWS_27'], ['CKV_AWS_27'], ['CKV_AWS_27'], ['CKV_AWS_27']]);
    template.hasResource('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true },
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_27', comment: Match.stringLikeRegexp('False positive.*SqsManagedSseEnabled') }] } },
    });
    expect(Object.values(skipsOf(template, 'AWS::DynamoDB::Table'))).toEqual([['CKV_AWS_119']]);
    expectEverySkipExplained(template);
  });

  test('BucketIngest with encryptionKey: no skip on the queues and the table (the check passes for real)', () => {
    const { template } = ingestStack({ catalog: true, encryptionKey: true });
    expect(Object.values(skipsOf(template, 'AWS::SQS::Queue'))).toEqual([[], [], [], [], []]);
    expect(Object.values(skipsOf(template, 'AWS::DynamoDB::Table'))).toEqual([[]]);
  });

  test('the ingest function and the backfill provider skip the Lambda checks, each with its reason', () => {
    const { template } = ingestStack();
    const functions = skipsOf(template, 'AWS::Lambda::Function');
    const ingest = Object.keys(functions).find(id => id.startsWith('GroupLibraryFunction'))!;
    const backfill = Object.keys(functions).find(id => id.startsWith('MediaPackageVodIngestBackfill'))!;
    expect(functions[ingest]).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173']);
    expect(functions[backfill]).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117']);
    const worker = Object.keys(functions).find(id => id.startsWith('GroupLibraryBackfillWorker'))!;
    expect(functions[worker]).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173']);
    template.hasResource('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('MediaPackage VOD ingest') },
      Metadata: { checkov: { skip: Match.arrayWith([{ id: 'CKV_AWS_116', comment: Match.stringLikeRegexp('SQS event source') }]) } },
    });
    // The three log groups (function, backfill starter and worker) skip CKV_AWS_158 without logEncryptionKey.
    expect(Object.values(skipsOf(template, 'AWS::Logs::LogGroup'))).toEqual([['CKV_AWS_158'], ['CKV_AWS_158'], ['CKV_AWS_158']]);
    expectEverySkipExplained(template);
  });

  test('the generated CDN secret skips CKV_AWS_149 without a key, not with one', () => {
    const stack = newStack();
    new PackagingGroup(stack, 'Plain', { authorization: CdnAuthorization.withGeneratedSecret() });
    new PackagingGroup(stack, 'Keyed', {
      authorization: CdnAuthorization.withGeneratedSecret({ encryptionKey: new kms.Key(stack, 'Key') }),
    });
    const template = Template.fromStack(stack);
    const secrets = skipsOf(template, 'AWS::SecretsManager::Secret');
    expect(secrets[Object.keys(secrets).find(id => id.startsWith('Plain'))!]).toEqual(['CKV_AWS_149']);
    expect(secrets[Object.keys(secrets).find(id => id.startsWith('Keyed'))!]).toEqual([]);
  });

  test('VodDistribution skips the WAF, logging and TLS checks only while webAclId, logBucket and certificate are absent', () => {
    const stack = newStack(undefined, 'Cdn', { region: 'us-east-1' });
    const group = new PackagingGroup(stack, 'Group');
    new VodDistribution(stack, 'Plain', { packagingGroup: group });
    new VodDistribution(stack, 'Configured', {
      packagingGroup: group,
      webAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/vod/0123',
      logBucket: new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER }),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      domainNames: ['video.example.com'],
    });
    const distributions = skipsOf(Template.fromStack(stack), 'AWS::CloudFront::Distribution');
    expect(distributions[Object.keys(distributions).find(id => id.startsWith('Plain'))!]).toEqual(['CKV_AWS_174', 'CKV_AWS_68', 'CKV_AWS_86']);
    expect(distributions[Object.keys(distributions).find(id => id.startsWith('Configured'))!]).toEqual([]);
  });

  test('the ConfigureLogs and playback-URL providers skip the Lambda checks once per stack', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'A', 'a') });
    new PackagingGroupAccessLogs(stack, 'Logs2', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'B', 'b') });
    const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(new s3.Bucket(stack, 'Bucket'), 'm/index.smil') });
    asset.playbackUrl(hls);
    group.addAsset('Trailer', { source: AssetSource.fromBucket(new s3.Bucket(stack, 'B2'), 't/index.smil') }).playbackUrl(hls);
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(2);
    for (const fn of Object.values(functions) as any[]) {
      expect(fn.Metadata.checkov.skip.map((s: Skip) => s.id)).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117']);
    }
    // The two providers' log groups (one each per stack) skip CKV_AWS_158 without a key, each with its own reason.
    expect(Object.values(skipsOf(template, 'AWS::Logs::LogGroup'))).toEqual([['CKV_AWS_158'], ['CKV_AWS_158']]);
    template.hasResource('AWS::Logs::LogGroup', {
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('DescribeAsset function') }] } },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('Pass logEncryptionKey') }] } },
    });
    expectEverySkipExplained(template);
  });

  test('VodMonitoring\'s IngestError log group skips CKV_AWS_158 without logEncryptionKey, not with one', () => {
    const build = (withKey: boolean) => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
      const ingest = group.addBucketIngest('Library', { bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['m/*.smil'] });
      const monitoring = new VodMonitoring(stack, 'Monitoring', {
        packagingGroup: group,
        configurations: [PackagingConfiguration.fromPackagingConfigurationId(stack, 'Hls', 'hls')],
        ingests: [ingest],
        logEncryptionKey: withKey ? new kms.Key(stack, 'Key') : undefined,
      });
      const template = Template.fromStack(stack);
      const id = stack.getLogicalId(monitoring.ingestSegments[0].ingestErrorLogGroup.node.defaultChild as CfnResource);
      return { template, skips: skipsOf(template, 'AWS::Logs::LogGroup')[id] };
    };
    const plain = build(false);
    expect(plain.skips).toEqual(['CKV_AWS_158']);
    plain.template.hasResource('AWS::Logs::LogGroup', {
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('IngestError events') }] } },
    });
    expectEverySkipExplained(plain.template);
    expect(build(true).skips).toEqual([]);
  });

  test('skipCheckov adds to the skips already there and keeps the first reason of an id', () => {
    const stack = new Stack();
    const resource = new CfnResource(stack, 'R', { type: 'AWS::SQS::Queue' });
    resource.addMetadata('checkov', { skip: [{ id: 'CKV_AWS_1', comment: 'first' }] });
    skipCheckov(resource, 'CKV_AWS_2', 'second');
    skipCheckov(resource, 'CKV_AWS_1', 'again');
    expect(resource.getMetadata('checkov')).toEqual({ skip: [{ id: 'CKV_AWS_1', comment: 'first' }, { id: 'CKV_AWS_2', comment: 'second' }] });
    expect(() => skipCheckov(stack, 'CKV_AWS_3', 'x')).toThrow(/has no CloudFormation resource/);
  });
});
