/**
 * Customer managed KMS keys for every data store the library creates. Queues, dead-letter queue and catalog table take
 * BucketIngest's `encryptionKey` (test/bucket-ingest*.test.ts); here: the log groups (`logEncryptionKey` on BucketIngest
 * and PackagingGroupAccessLogs, the IngestError log groups of VodMonitoring) and the generated CDN secret (`withGeneratedSecret({ encryptionKey })`). AWS-managed
 * encryption stays the default.
 */
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, TEST_ENV } from './util';
import { CdnAuthorization, PackagingConfiguration, PackagingGroup, VodMonitoring } from '../../src';
import { PackagingGroupAccessLogs } from '../../src/access-logs/packaging-group-access-logs';

/** The statement CloudWatch Logs needs in the key policy, for the log groups of the stack's account and Region. */
const LOGS_KEY_STATEMENT = {
  Effect: 'Allow',
  Principal: { Service: `logs.${TEST_ENV.region}.amazonaws.com` },
  Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
  Resource: '*',
  Condition: {
    ArnLike: {
      'kms:EncryptionContext:aws:logs:arn': {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${TEST_ENV.region}:${TEST_ENV.account}:log-group:*`]],
      },
    },
  },
};

function keyArnRef(stack: import('aws-cdk-lib').Stack, key: kms.Key) {
  return { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
}

describe('BucketIngest logEncryptionKey', () => {
  function setup(withKey: boolean) {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
    const key = withKey ? new kms.Key(stack, 'LogKey') : undefined;
    group.addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'),
      keyPatterns: ['movies/*.smil'],
      ingestExisting: true,
      logEncryptionKey: key,
    });
    return { stack, key, template: Template.fromStack(stack) };
  }

  test('encrypts the log groups it creates (the function\'s, the backfill starter\'s and worker\'s) and lets CloudWatch Logs use the key', () => {
    const { stack, key, template } = setup(true);
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    expect(logGroups).toHaveLength(3);
    for (const logGroup of logGroups) {
      expect(logGroup.Properties.KmsKeyId).toEqual(keyArnRef(stack, key!));
    }
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([LOGS_KEY_STATEMENT]) },
    });
  });

  test('default: CloudWatch Logs\' own encryption (no KmsKeyId), and no key is created', () => {
    const { template } = setup(false);
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup')) as any[]) {
      expect(logGroup.Properties.KmsKeyId).toBeUndefined();
    }
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('the queue key and the log key are independent (encryptionKey does not touch the log groups)', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
    const key = new kms.Key(stack, 'QueueKey');
    group.addBucketIngest('Library', { bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['a/*.smil'], encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArnRef(stack, key) });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
  });
});

describe('PackagingGroupAccessLogs logEncryptionKey', () => {
  test('encrypts the ConfigureLogs function\'s log group; the egress access logs\' own log group is not touched', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'LogKey');
    new PackagingGroupAccessLogs(stack, 'Logs', {
      packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'vod'),
      logEncryptionKey: key,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArnRef(stack, key) });
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([LOGS_KEY_STATEMENT]) } });
  });

  test('two in one stack share the log group: the same key is accepted, another key (or none) fails with path and value', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'LogKey');
    const other = new kms.Key(stack, 'OtherKey');
    const group = (id: string) => PackagingGroup.fromPackagingGroupId(stack, `G${id}`, id);
    new PackagingGroupAccessLogs(stack, 'A', { packagingGroup: group('a'), logEncryptionKey: key });
    new PackagingGroupAccessLogs(stack, 'B', { packagingGroup: group('b'), logEncryptionKey: key });
    expect(() => new PackagingGroupAccessLogs(stack, 'C', { packagingGroup: group('c'), logEncryptionKey: other }))
      .toThrow(/\[Stack\/C\] logEncryptionKey: .*already created with the key Stack\/LogKey.*\(got 'Stack\/OtherKey'\)/);
    expect(() => new PackagingGroupAccessLogs(stack, 'D', { packagingGroup: group('d') }))
      .toThrow(/\[Stack\/D\] logEncryptionKey: .*already created with the key Stack\/LogKey.*\(got undefined\)/);
  });

  test('default: no key', () => {
    const stack = newStack();
    new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'vod') });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
  });
});

describe('VodMonitoring logEncryptionKey', () => {
  function setup(withKey: boolean) {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
    const ingest = group.addBucketIngest('Library', { bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['movies/*.smil'] });
    const key = withKey ? new kms.Key(stack, 'LogKey') : undefined;
    const monitoring = new VodMonitoring(stack, 'Monitoring', {
      packagingGroup: group,
      configurations: [PackagingConfiguration.fromPackagingConfigurationId(stack, 'Hls', 'hls')],
      ingests: [ingest],
      logEncryptionKey: key,
    });
    const logGroup = monitoring.ingestSegments[0].ingestErrorLogGroup.node.defaultChild as import('aws-cdk-lib').CfnResource;
    return { stack, key, logGroupId: stack.getLogicalId(logGroup), template: Template.fromStack(stack) };
  }

  test('encrypts the IngestError log group (and only it: the ingest\'s own log group keeps its setting)', () => {
    const { stack, key, logGroupId, template } = setup(true);
    const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, any>;
    expect(logGroups[logGroupId].Properties.KmsKeyId).toEqual(keyArnRef(stack, key!));
    const others = Object.entries(logGroups).filter(([id]) => id !== logGroupId);
    expect(others.length).toBeGreaterThan(0);
    for (const [, other] of others) { expect(other.Properties.KmsKeyId).toBeUndefined(); }
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([LOGS_KEY_STATEMENT]) } });
  });

  test('default: no key on the IngestError log group', () => {
    const { logGroupId, template } = setup(false);
    expect((template.findResources('AWS::Logs::LogGroup') as Record<string, any>)[logGroupId].Properties.KmsKeyId).toBeUndefined();
  });
});

describe('CdnAuthorization.withGeneratedSecret encryptionKey', () => {
  test('the secret is encrypted with the key, and the role MediaPackage assumes may decrypt with it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'SecretKey');
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret({ encryptionKey: key }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArnRef(stack, key) });
    // The role's grant: kms:Decrypt on this key (the key's policy, as the key is in this stack), through Secrets Manager only.
    const roleLogicalId = stack.getLogicalId(group.cdnAuthorizationRole!.node.defaultChild as iam.CfnRole);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::GetAtt': [roleLogicalId, 'Arn'] } },
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        }]),
      },
    });
  });

  test('default: the AWS managed key of Secrets Manager (no KmsKeyId)', () => {
    const stack = newStack();
    new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.absent() });
  });
});
