/**
 * IngestBackfill (BucketIngest's `ingestExisting`): the starter custom resource, the job queues, the worker, the alarm,
 * exact IAM, and the logical ids kept from before the split.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketIngestProps, PackagingGroup } from '../../src';
import { IngestBackfill } from '../../src/ingest/ingest-backfill';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup(props: Partial<BucketIngestProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const ingest = new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
    bucket, keyPatterns: ['movies/*/index.m3u8', 'films/*.smil'], ingestExisting: true, ...props,
  });
  const backfill = ingest.node.findChild('Backfill') as IngestBackfill;
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
  return { stack, bucket, ingest, backfill, template, id };
}

function policyOf(template: Template, roleId: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId)) as any[];
  return policies.flatMap(p => p.Properties.PolicyDocument.Statement);
}

test('the starter: a custom resource with the bucket, patterns, prefixes and both queues, a serviceTimeout, after the rule and the worker', () => {
  const { template, stack, ingest, backfill, bucket, id } = setup();
  const resource = Object.entries(template.findResources('Custom::MediaPackageVodIngestBackfill'));
  expect(resource).toHaveLength(1);
  const [logicalId, body] = resource[0] as [string, any];
  // The same logical id as before the backfill had its own construct (BucketIngest's child `Backfill`).
  expect(logicalId).toBe(stack.getLogicalId(backfill.resource.node.defaultChild as any));
  expect(logicalId).toMatch(/^GroupLibraryBackfill[0-9A-F]{8}$/);
  expect(body.Properties).toEqual({
    ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageVodIngestBackfill/), 'Arn'] },
    ServiceTimeout: '180',
    BucketName: { Ref: id(bucket) },
    KeyPatterns: ['movies/*/index.m3u8', 'films/*.smil'],
    Prefixes: ['films/', 'movies/'],
    QueueUrl: { Ref: id(ingest.queue) },
    JobQueueUrl: { Ref: id(backfill.jobQueue) },
  });
  expect(body.DependsOn).toEqual(expect.arrayContaining([id(ingest.rule), id(backfill.worker), expect.stringMatching(/BackfillLogGroup/)]));
  // The starter's function: short, with its log group (one month) named after it.
  template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Timeout: 120, MemorySize: 256, Description: Match.stringLikeRegexp('^Starts the backfill') });
  template.hasResourceProperties('AWS::Logs::LogGroup', {
    LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [Match.stringLikeRegexp('^MediaPackageVodIngestBackfill'), 'Arn'] }] }] }]] },
    RetentionInDays: 30,
  });
  expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toContainEqual(expect.stringMatching(/^GroupLibraryBackfillLogGroup/));
});

test('the starter may list under the literal prefixes and send to the job queue only', () => {
  const { template, backfill, bucket, id } = setup();
  const provider = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.Policies) as any;
  expect(provider.Properties.Policies[0].PolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: { 'Fn::GetAtt': [id(bucket), 'Arn'] },
      Condition: { StringLike: { 's3:prefix': ['films/*', 'movies/*'] } },
    },
    { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id(backfill.jobQueue), 'Arn'] } },
  ]);
});

test('the worker: Node.js 22, 2 minutes, its queues in its environment, batch size 1 with partial failures, exact IAM', () => {
  const { template, stack, ingest, backfill, bucket, id } = setup();
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Timeout: 120,
    Architectures: ['arm64'],
    Environment: {
      Variables: {
        BACKFILL_JOB_QUEUE_URL: { Ref: id(backfill.jobQueue) },
        BACKFILL_JOB_DEAD_LETTER_QUEUE_URL: { Ref: id(backfill.jobDeadLetterQueue) },
      },
    },
    LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^GroupLibraryBackfillWorkerLogGroup') } },
  });
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: id(backfill.worker) },
    EventSourceArn: { 'Fn::GetAtt': [id(backfill.jobQueue), 'Arn'] },
    BatchSize: 1,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ScalingConfig: { MaximumConcurrency: 5 },
  });
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  const statements = policyOf(template, stack.getLogicalId(backfill.worker.role!.node.defaultChild as any));
  expect(statements).toContainEqual({
    Action: 's3:ListBucket',
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [id(bucket), 'Arn'] },
    Condition: { StringLike: { 's3:prefix': ['films/*', 'movies/*'] } },
  });
  expect(statements).toContainEqual({
    Action: 'sqs:SendMessage',
    Effect: 'Allow',
    Resource: [id(ingest.queue), id(backfill.jobQueue), id(backfill.jobDeadLetterQueue)].map(q => ({ 'Fn::GetAtt': [q, 'Arn'] })),
  });
  // Nothing on '*', nothing else on S3.
  for (const s of statements) { expect(s.Resource).not.toEqual('*'); }
  expect(statements.flatMap(s => [s.Action].flat()).filter(a => a.startsWith('s3:'))).toEqual(['s3:ListBucket']);
});

test('the job queue: SSL only, 12 minutes visibility, 3 receives then its dead-letter queue; an alarm on that queue', () => {
  const { template, backfill, id } = setup();
  template.hasResourceProperties('AWS::SQS::Queue', {
    VisibilityTimeout: 720,
    SqsManagedSseEnabled: true,
    RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(backfill.jobDeadLetterQueue), 'Arn'] }, maxReceiveCount: 3 },
  });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: id(backfill.jobQueue) }],
    PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmDescription: Match.stringLikeRegexp('was not walked by the backfill'),
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(backfill.jobDeadLetterQueue), 'QueueName'] } }],
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  });
});

test('a pattern without a literal prefix: the whole bucket, no s3:prefix condition', () => {
  const { template, backfill, stack } = setup({ keyPatterns: ['*.smil'] });
  template.hasResourceProperties('Custom::MediaPackageVodIngestBackfill', { Prefixes: [''] });
  const provider = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.Policies) as any;
  expect(provider.Properties.Policies[0].PolicyDocument.Statement[0].Condition).toBeUndefined();
  const statements = policyOf(template, stack.getLogicalId(backfill.worker.role!.node.defaultChild as any));
  expect(statements.find(s => s.Action === 's3:ListBucket').Condition).toBeUndefined();
});

test('with a KMS key: the job queues use it, and both functions may send with it', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const key = new kms.Key(stack, 'Key');
  const ingest = new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
    bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['*.smil'], encryptionKey: key, ingestExisting: true,
  });
  const backfill = ingest.node.findChild('Backfill') as IngestBackfill;
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
  template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
  const provider = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.Policies) as any;
  expect(provider.Properties.Policies[0].PolicyDocument.Statement).toContainEqual({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn });
  expect(policyOf(template, stack.getLogicalId(backfill.worker.role!.node.defaultChild as any)))
    .toContainEqual({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: keyArn });
});
