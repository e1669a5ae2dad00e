/**
 * BucketIngest's opt-in catalog: the table, the status events' rule and queue, the function's wiring and IAM, the read
 * grant, and the synth errors.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketIngest, BucketIngestProps, PackagingGroup, VodDistribution } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup(props: Partial<BucketIngestProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const group = new PackagingGroup(stack, 'Group');
  const ingest = new BucketIngest(stack, 'Library', {
    packagingGroup: group,
    bucket,
    keyPatterns: ['movies/*/index.m3u8'],
    assetIdPrefix: 'lib',
    catalog: true,
    ...props,
  });
  return { app, stack, bucket, group, ingest, template: () => Template.fromStack(stack) };
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** The statements of the policies of the role with logical id `roleId`. */
function statementsOf(template: Template, roleId: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('catalog table', () => {
  test('on-demand, point-in-time recovery, encrypted, keyed by asset id, with an index on the source key', () => {
    const { template } = setup();
    template().resourceCountIs('AWS::DynamoDB::Table', 1);
    template().hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'assetId', KeyType: 'HASH' }],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'assetId', AttributeType: 'S' },
          { AttributeName: 'sourceKey', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: [{
          IndexName: 'sourceKey',
          KeySchema: [{ AttributeName: 'sourceKey', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        }],
      },
      // The catalog is kept when the stack goes (aws-cdk's default for tables).
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('encryptionKey: the table is encrypted with it too', () => {
    const { stack, template } = setup({ encryptionKey: undefined });
    const key = new kms.Key(stack, 'Key');
    const other = new BucketIngest(stack, 'Encrypted', {
      packagingGroup: new PackagingGroup(stack, 'G2'),
      bucket: new s3.Bucket(stack, 'B2'),
      keyPatterns: ['x/*.smil'],
      catalog: true,
      encryptionKey: key,
    });
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, key), 'Arn'] } },
    });
    // The function may use the key for its writes.
    const roleId = logicalIdOf(stack, other.function.role as iam.Role);
    expect(statementsOf(template(), roleId)).toContainEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], // grantEncryptDecrypt's actions, in its order
      Resource: { 'Fn::GetAtt': [logicalIdOf(stack, key), 'Arn'] },
    }));
  });

  test('no catalog unless asked: no table, no status queue, no second rule', () => {
    const { ingest, template } = setup({ catalog: undefined });
    template().resourceCountIs('AWS::DynamoDB::Table', 0);
    template().resourceCountIs('AWS::SQS::Queue', 2);
    template().resourceCountIs('AWS::Events::Rule', 1);
    expect(ingest.catalogTable).toBeUndefined();
    expect(ingest.catalogRule).toBeUndefined();
    expect(ingest.statusQueue).toBeUndefined();
  });
});

describe('status events to the catalog', () => {
  test('a rule takes the four status events of this ingest\'s assets into the status queue', () => {
    const { stack, ingest, template } = setup();
    template().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.mediapackage'],
        'detail-type': ['MediaPackage Input Notification'],
        'resources': [{ prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:eu-west-1:111111111111:assets/lib-']] } }],
        'detail': { event: ['IngestStart', 'IngestComplete', 'IngestError', 'VodAssetPlayable'] },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, ingest.statusQueue!), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack, ingest.deadLetterQueue), 'Arn'] } },
      })],
    });
  });

  test('the status queue: encrypted, SSL only, the ingest\'s dead-letter queue after 5 receives', () => {
    const { stack, ingest, template } = setup();
    template().hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, ingest.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(stack, ingest.statusQueue!) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the ingest function consumes the status queue (partial batch responses) and knows the table', () => {
    const { stack, ingest, template } = setup();
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, ingest.statusQueue!), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(stack, ingest.function) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CATALOG_TABLE_NAME: { Ref: logicalIdOf(stack, ingest.catalogTable as any) } }) },
    });
  });

  test('the function may UpdateItem on the one table, nothing else of DynamoDB', () => {
    const { stack, ingest, template } = setup();
    const statements = statementsOf(template(), logicalIdOf(stack, ingest.function.role as iam.Role));
    const dynamo = statements.filter(s => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([{
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: { 'Fn::GetAtt': [logicalIdOf(stack, ingest.catalogTable as any), 'Arn'] },
    }]);
  });

  test('catalogDistribution: the function gets its domain for the playback URLs', () => {
    const { stack, group, template } = setup({ catalog: undefined });
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const ingest = new BucketIngest(stack, 'WithCdn', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'B2'), keyPatterns: ['x/*.smil'], catalog: true, catalogDistribution: cdn.distribution,
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Environment: {
        Variables: Match.objectLike({
          CATALOG_TABLE_NAME: { Ref: logicalIdOf(stack, ingest.catalogTable as any) },
          CATALOG_PLAYBACK_DOMAIN: { 'Fn::GetAtt': [logicalIdOf(stack, cdn.distribution), 'DomainName'] },
        }),
      },
    });
  });

  test('with ingestExisting: the backfill names the table (turning the catalog on lists again) and waits for the function', () => {
    const { stack, ingest, template } = setup({ ingestExisting: true });
    const backfill = Object.values(template().findResources('Custom::MediaPackageVodIngestBackfill'))[0] as any;
    expect(backfill.Properties.CatalogTable).toEqual({ Ref: logicalIdOf(stack, ingest.catalogTable as any) });
    expect(backfill.DependsOn).toContain(logicalIdOf(stack, ingest.function));
    const without = setup({ ingestExisting: true, catalog: false }).template();
    const plain = Object.values(without.findResources('Custom::MediaPackageVodIngestBackfill'))[0] as any;
    expect(plain.Properties.CatalogTable).toBeUndefined();
  });

  test('no warning or error from a catalog ingest', () => {
    const { stack } = setup();
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('grantReadCatalog', () => {
  test('exact read actions on the table and its one index, by name', () => {
    const { stack, ingest, template } = setup();
    const reader = new lambda.Function(stack, 'Api', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    ingest.grantReadCatalog(reader);
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(stack, ingest.catalogTable as any), 'Arn'] };
    expect(statementsOf(template(), logicalIdOf(stack, reader.role as iam.Role))).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DescribeTable'],
      Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/sourceKey']] }],
    }]);
  });

  test('with encryptionKey: also kms:Decrypt on the key', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const key = new kms.Key(stack, 'Key');
    const ingest = new BucketIngest(stack, 'Library', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      bucket: new s3.Bucket(stack, 'Bucket'),
      keyPatterns: ['x/*.smil'],
      catalog: true,
      encryptionKey: key,
    });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    ingest.grantReadCatalog(role);
    expect(statementsOf(Template.fromStack(stack), logicalIdOf(stack, role))).toContainEqual({
      Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [logicalIdOf(stack, key), 'Arn'] },
    });
  });

  test('an ingest without a catalog: error', () => {
    const { stack, ingest } = setup({ catalog: false });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => ingest.grantReadCatalog(role)).toThrow(
      '[Stack/Library] catalog: this ingest has no catalog to read: create it with the `catalog` property set to true (got false)');
    const unset = setup({ catalog: undefined });
    expect(() => unset.ingest.grantReadCatalog(new iam.Role(unset.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow('catalog: this ingest has no catalog to read: create it with the `catalog` property set to true (got undefined)');
  });
});

describe('catalog errors', () => {
  test('catalogDistribution without catalog', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = new PackagingGroup(stack, 'Group');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    expect(() => new BucketIngest(stack, 'Library', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['x/*.smil'], catalogDistribution: cdn.distribution,
    })).toThrow('[Stack/Library] catalogDistribution: is for the catalog\'s playback URLs: set the `catalog` property to true too (or leave it out) '
      + '(got \'Stack/Cdn/Distribution\')');
  });

  test('a distribution of another packaging group', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = new PackagingGroup(stack, 'Group');
    const other = new PackagingGroup(stack, 'Other');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: other });
    expect(() => new BucketIngest(stack, 'Library', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['x/*.smil'], catalog: true, catalogDistribution: cdn.distribution,
    })).toThrow('[Stack/Library] catalogDistribution: the distribution\'s origin (Stack/Cdn/Distribution) belongs to packaging group '
      + 'Stack/Other, not to the ingest\'s group Stack/Group: its URLs do not serve this ingest\'s assets');
  });

  test('an imported distribution (origins unknown) is taken as it is', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = new PackagingGroup(stack, 'Group');
    // Imported: its origins are not known here (a Distribution of this app must serve the group: #22, user-trial-inputs).
    const own = cloudfront.Distribution.fromDistributionAttributes(stack, 'Own', { distributionId: 'E123', domainName: 'd1.cloudfront.net' });
    expect(() => new BucketIngest(stack, 'Library', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['x/*.smil'], catalog: true, catalogDistribution: own,
    })).not.toThrow();
  });

  test('a group of another account: its events never reach this stack\'s bus', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = PackagingGroup.fromPackagingGroupArn(stack, 'Theirs', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/theirs');
    expect(() => new BucketIngest(stack, 'Library', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['x/*.smil'], catalog: true,
    })).toThrow('[Stack/Library] catalog: needs the packaging group\'s events, which MediaPackage sends to the event bus of the '
      + 'group\'s account (222222222222), not of this stack\'s (111111111111): put the ingest in the group\'s account (got true)');
  });

  test('an environment-agnostic stack passes (accounts unknown at synth)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const group = new PackagingGroup(stack, 'Group');
    expect(() => new BucketIngest(stack, 'Library', {
      packagingGroup: group, bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['x/*.smil'], catalog: true,
    })).not.toThrow();
  });
});
