import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Asset, AssetSource, BucketIngest, BucketIngestProps, OnReupload, PackagingGroup } from '../../src';
import { assetIdFor } from '../../src/ingest/asset-id';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup(props: Partial<BucketIngestProps> = {}, env = ENV) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const group = new PackagingGroup(stack, 'Group');
  const ingest = new BucketIngest(stack, 'Library', {
    packagingGroup: group,
    bucket,
    keyPatterns: ['movies/*/index.m3u8', 'films/*.smil'],
    ...props,
  });
  return { app, stack, bucket, group, ingest, template: () => Template.fromStack(stack) };
}

/** All statements of the policies attached to the role with logical id `roleId`. */
function statementsOf(template: Template, roleId: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function functionRoleId(template: Template): string {
  const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }))[0] as any;
  return fn.Properties.Role['Fn::GetAtt'][0];
}

function ownAssetsArn(prefix: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:mediapackage-vod:eu-west-1:111111111111:assets/${prefix}-*`]] };
}

describe('BucketIngest resources', () => {
  test('turns on EventBridge notifications of a bucket created in the app (in its CloudFormation resource)', () => {
    const { template } = setup();
    template().hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    // No custom resource for it.
    template().resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('a bucket that also has aws-cdk-lib notifications keeps EventBridge on in their custom resource', () => {
    const { stack, bucket, template } = setup();
    // Added after the ingest: the notifications resource replaces the whole configuration, so it must carry EventBridge.
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED, new s3n.SnsDestination(new sns.Topic(stack, 'Topic')));
    template().hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: {} }),
    });
  });

  test('the rule: S3 Object Created of this bucket, the key patterns as wildcards, the whole event to the queue', () => {
    const { template, stack, ingest } = setup();
    template().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': {
          bucket: { name: [{ Ref: stack.getLogicalId(ingest.bucket.node.defaultChild as s3.CfnBucket) }] },
          object: { key: [{ wildcard: 'movies/*/index.m3u8' }, { wildcard: 'films/*.smil' }] },
        },
      },
      Targets: [{
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(ingest.queue.node.defaultChild as any), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(ingest.deadLetterQueue.node.defaultChild as any), 'Arn'] } },
        Id: 'Target0',
        Input: Match.absent(),
        InputTransformer: Match.absent(),
      }],
    });
  });

  test('deleteAssetsWithObjects adds Object Deleted to the rule and DeleteAsset to the function', () => {
    const { template, ingest } = setup({ deleteAssetsWithObjects: true });
    template().hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'detail-type': ['Object Created', 'Object Deleted'] } });
    const statements = statementsOf(template(), functionRoleId(template()));
    expect(statements).toContainEqual({
      Action: ['mediapackage-vod:DescribeAsset', 'mediapackage-vod:TagResource', 'mediapackage-vod:DeleteAsset'],
      Effect: 'Allow',
      Resource: ownAssetsArn(ingest.assetIdPrefix),
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DELETE_ASSETS_WITH_OBJECTS: 'true' }) },
    });
  });

  test('queues: SQS-managed encryption, SSL only, a dead-letter queue after 5 receives, visibility 6 x the function timeout', () => {
    const { template, stack, ingest } = setup();
    const dlqId = stack.getLogicalId(ingest.deadLetterQueue.node.defaultChild as any);
    template().hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      DelaySeconds: Match.absent(),
    });
    template().hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template().hasResourceProperties('AWS::Lambda::Function', { Timeout: 60 });
    // Both queues deny requests without TLS.
    const policies = template().findResources('AWS::SQS::QueuePolicy');
    expect(Object.values(policies).filter((p: any) => p.Properties.PolicyDocument.Statement.some((s: any) =>
      s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'))).toHaveLength(2);
  });

  test('a KMS key encrypts both queues; the function may use it to send to the dead-letter queue', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const key = new kms.Key(stack, 'Key');
    const ingest = new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['*.smil'], encryptionKey: key, ingestExisting: true,
    });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    // The ingest queue and its dead-letter queue, and the backfill's job queue and its dead-letter queue.
    expect(Object.values(template.findResources('AWS::SQS::Queue')).map((q: any) => q.Properties.KmsMasterKeyId)).toEqual([keyArn, keyArn, keyArn, keyArn]);
    expect(statementsOf(template, functionRoleId(template))).toContainEqual({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: keyArn,
    });
    expect(ingest.queue.encryptionMasterKey).toBe(key);
    // The backfill may use the key to send to the queue.
    const provider = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.Policies) as any;
    expect(provider.Properties.Policies[0].PolicyDocument.Statement).toContainEqual({
      Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn,
    });
  });

  test('the function: Node.js 22, the bundled handler, its environment, an SQS event source with partial batch responses', () => {
    const { template, stack, group, ingest } = setup({ maxConcurrency: 20, onReupload: OnReupload.REPLACE });
    template().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: {
        Variables: {
          PACKAGING_GROUP_ID: { Ref: stack.getLogicalId(group.node.defaultChild as any) },
          SOURCE_ROLE_ARN: { 'Fn::GetAtt': [stack.getLogicalId(ingest.sourceRole.node.defaultChild as any), 'Arn'] },
          ASSET_ID_PREFIX: ingest.assetIdPrefix,
          KEY_PATTERNS: JSON.stringify(['movies/*/index.m3u8', 'films/*.smil']),
          ON_REUPLOAD: 'REPLACE',
          DELETE_ASSETS_WITH_OBJECTS: 'false',
          MAX_ATTEMPTS: '4',
          DEAD_LETTER_QUEUE_URL: { Ref: stack.getLogicalId(ingest.deadLetterQueue.node.defaultChild as any) },
        },
      },
    });
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(ingest.queue.node.defaultChild as any), 'Arn'] },
    });
    // No reserved concurrency: the event source's maximum concurrency bounds the rate.
    template().hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
    expect(ingest.function.runtime.name).toBe('nodejs22.x');
  });

  test('maxConcurrency defaults to 5', () => {
    setup().template().hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
  });

  test('deliveryDelay sets the queue\'s delivery delay', () => {
    setup({ deliveryDelay: Duration.minutes(15) }).template().hasResourceProperties('AWS::SQS::Queue', { DelaySeconds: 900 });
  });

  test('the function role: exact actions on exact resources, and its own log group', () => {
    const { template, stack, ingest, bucket } = setup();
    const t = template();
    const statements = statementsOf(t, functionRoleId(t));
    const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(ingest.queue.node.defaultChild as any), 'Arn'] };
    const dlqArn = { 'Fn::GetAtt': [stack.getLogicalId(ingest.deadLetterQueue.node.defaultChild as any), 'Arn'] };
    const logGroupArn = { 'Fn::GetAtt': [stack.getLogicalId(ingest.node.findChild('LogGroup').node.defaultChild as any), 'Arn'] };
    expect(statements).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: logGroupArn },
      {
        Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Effect: 'Allow',
        Resource: queueArn,
      },
      { Action: 'mediapackage-vod:CreateAsset', Effect: 'Allow', Resource: '*' },
      { Action: ['mediapackage-vod:DescribeAsset', 'mediapackage-vod:TagResource'], Effect: 'Allow', Resource: ownAssetsArn(ingest.assetIdPrefix) },
      {
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': ['mediapackage-vod.amazonaws.com', 'mediapackage.amazonaws.com'] } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(ingest.sourceRole.node.defaultChild as any), 'Arn'] },
      },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [dlqArn, queueArn] },
      // HeadObject before CreateAsset / DeleteAsset, on the patterns' prefixes; ListBucket so a missing key is a 404.
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: ['films/*', 'movies/*'].map(p => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as any), 'Arn'] }, `/${p}`]] })),
      },
      {
        Action: 's3:ListBucket',
        Condition: { StringLikeIfExists: { 's3:prefix': ['films/*', 'movies/*'] } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as any), 'Arn'] },
      },
    ]);
    // No managed policy on the function's role.
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('shares the source role with the assets of the same bucket; the source role trust is unchanged', () => {
    const { template, stack, bucket, group, ingest } = setup();
    const asset = new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'x/index.smil') });
    expect(ingest.sourceRole).toBe(asset.sourceRole);
    template().resourceCountIs('AWS::IAM::Role', 2); // the source role and the function's role
    template().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'mediapackage.amazonaws.com' } }],
      },
    });
  });

  test('a given source role is used and, being mutable, granted the read', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const role = new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
    const ingest = new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['*.smil'], sourceRole: role,
    });
    expect(ingest.sourceRole).toBe(role);
    const template = Template.fromStack(stack);
    expect(statementsOf(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole)).map(s => s.Action))
      .toEqual(['s3:GetObject', ['s3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:ListBucket']]);
  });

  test('the dead-letter alarm: ApproximateNumberOfMessagesVisible of the dead-letter queue above 0', () => {
    const { template, stack, ingest } = setup();
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(ingest.deadLetterQueue.node.defaultChild as any), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(ingest.deadLetterAlarm).toBeDefined();
  });

  test('no backfill unless ingestExisting', () => {
    setup().template().resourceCountIs('Custom::MediaPackageVodIngestBackfill', 0);
  });

  // The backfill's resources, IAM and ids: test/constructs/ingest-backfill.test.ts.
  test('two backfilling ingests get two functions, each with its own bucket and queue', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = new PackagingGroup(stack, 'Group');
    group.addBucketIngest('A', { bucket: new s3.Bucket(stack, 'A'), keyPatterns: ['a/*.smil'], ingestExisting: true });
    group.addBucketIngest('B', { bucket: new s3.Bucket(stack, 'B'), keyPatterns: ['b/*.smil'], ingestExisting: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::MediaPackageVodIngestBackfill', 2);
    expect(Object.values(template.findResources('AWS::IAM::Role')).filter((r: any) => r.Properties.Policies)).toHaveLength(2);
  });
});

describe('metrics', () => {
  test('metricMessagesDeferred(): MessagesDeferred of this ingest, Sum over 5 minutes; the name is one metric() documents', () => {
    const { ingest } = setup({ assetIdPrefix: 'films' });
    const deferred = ingest.metricMessagesDeferred();
    expect(deferred).toMatchObject({
      namespace: 'MediaPackageVod/Ingest', metricName: 'MessagesDeferred', dimensions: { IngestId: 'films' }, statistic: 'Sum', unit: undefined,
    });
    expect(deferred.period.toSeconds()).toBe(300);
    expect(ingest.metricMessagesDeferred({ period: Duration.minutes(1) }).period.toSeconds()).toBe(60);
  });
});

describe('asset id prefix', () => {
  test('generated from the construct path: valid, stable, different per ingest', () => {
    const a = setup().ingest.assetIdPrefix;
    expect(a).toMatch(/^[0-9a-zA-Z_]{1,64}$/);
    expect(setup().ingest.assetIdPrefix).toBe(a);
    const { stack, group, bucket, ingest } = setup();
    const other = group.addBucketIngest('Other', { bucket, keyPatterns: ['other/*.smil'] });
    expect(other.assetIdPrefix).not.toBe(ingest.assetIdPrefix);
    expect(stack).toBeDefined();
    // The runtime accepts it.
    expect(assetIdFor(a, 'bucket', 'movies/x/index.m3u8')).toMatch(new RegExp(`^${a}-`));
  });

  test('a given prefix is used in the environment and the IAM resource', () => {
    const { template } = setup({ assetIdPrefix: 'library_2024' });
    template().hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ASSET_ID_PREFIX: 'library_2024' }) } });
    expect(statementsOf(template(), functionRoleId(template()))).toContainEqual(expect.objectContaining({ Resource: ownAssetsArn('library_2024') }));
  });

  test.each(['has-hyphen', '', 'a'.repeat(65), 'spaces here'])('fails on the prefix %j', (prefix) => {
    expect(() => setup({ assetIdPrefix: prefix })).toThrow(/\[Stack\/Library\] assetIdPrefix: must be 1 to 64 letters, digits and underscores/);
  });

  test('fails on a Token prefix (it scopes IAM at synth)', () => {
    expect(() => setup({ assetIdPrefix: Lazy.string({ produce: () => 'x' }) })).toThrow(/assetIdPrefix: must be known at synth: .* \(got <token>\)/);
  });
});

describe('validation', () => {
  test('fails without key patterns', () => {
    expect(() => setup({ keyPatterns: [] })).toThrow(/\[Stack\/Library\] keyPatterns: give at least one key pattern .* \(got \[\]\)/);
  });

  test('fails on a bad EventBridge wildcard', () => {
    expect(() => setup({ keyPatterns: ['films/*.smil', 'movies/**/index.m3u8'] }))
      .toThrow(/\[Stack\/Library\] keyPatterns\[1\]: EventBridge does not allow consecutive wildcard characters .* \(got 'movies\/\*\*\/index.m3u8'\)/);
    expect(() => setup({ keyPatterns: ['a\\b.smil'] })).toThrow(/keyPatterns\[0\]: a backslash may only escape/);
  });

  test('fails on a pattern that is not .smil or .m3u8', () => {
    expect(() => setup({ keyPatterns: ['movies/*.mp4'] }))
      .toThrow(/\[Stack\/Library\] keyPatterns\[0\]: must end in \.smil or \.m3u8.* \(got 'movies\/\*\.mp4'\)/);
  });

  test('fails on a duplicate pattern', () => {
    expect(() => setup({ keyPatterns: ['a/*.smil', 'a/*.smil'] })).toThrow(/keyPatterns\[1\]: duplicate of keyPatterns\[0\]/);
  });

  test('warns that a wildcard file name in an .m3u8 pattern matches child playlists', () => {
    const { stack } = setup({ keyPatterns: ['*.m3u8', 'movies/*/index.m3u8'] });
    Annotations.fromStack(stack).hasWarning('/Stack/Library', Match.stringLikeRegexp('keyPatterns\\[0\\]: .*child \\(rendition\\) playlists'));
    expect(Annotations.fromStack(stack).findWarning('/Stack/Library', Match.stringLikeRegexp('keyPatterns\\[1\\]'))).toHaveLength(0);
  });

  test('Token patterns skip validation and the backfill lists the whole bucket', () => {
    const token = Lazy.string({ produce: () => 'anything' });
    const { template } = setup({ keyPatterns: [token], ingestExisting: true });
    template().hasResourceProperties('Custom::MediaPackageVodIngestBackfill', { KeyPatterns: ['anything'], Prefixes: [''] });
  });

  test('a group in another Region than the stack and the bucket is blamed on packagingGroup (#22)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = PackagingGroup.fromPackagingGroupArn(stack, 'G', 'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-groups/g');
    expect(() => new BucketIngest(stack, 'Library', { packagingGroup: group, bucket: new s3.Bucket(stack, 'B'), keyPatterns: ['*.smil'] }))
      .toThrow(/\[Stack\/Library\] packagingGroup: must be in the stack's Region \(eu-west-1\).* \(got 'us-east-1'\)/);
  });

  test('fails when the bucket is in another Region than the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const other = new Stack(app, 'Other', { env: { ...ENV, region: 'us-west-2' } });
    const bucket = new s3.Bucket(other, 'B');
    const group = PackagingGroup.fromPackagingGroupArn(stack, 'G', 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/g');
    expect(() => new BucketIngest(stack, 'Library', { packagingGroup: group, bucket, keyPatterns: ['*.smil'] }))
      .toThrow(/bucket: must be in the stack's Region \(eu-west-1\).*\(got 'us-west-2'\)/);
  });

  test('Token maxConcurrency and deliveryDelay skip validation', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const concurrency = new CfnParameter(stack, 'Concurrency', { type: 'Number' });
    const delay = new CfnParameter(stack, 'Delay', { type: 'Number' });
    new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'),
      keyPatterns: ['*.smil'],
      maxConcurrency: concurrency.valueAsNumber,
      deliveryDelay: Duration.seconds(delay.valueAsNumber),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: { Ref: 'Concurrency' } } });
    template.hasResourceProperties('AWS::SQS::Queue', { DelaySeconds: { Ref: 'Delay' } });
  });

  test('environment-agnostic stacks skip the Region checks', () => {
    expect(() => setup({}, undefined as any)).not.toThrow();
  });

  test.each([15 * 60 + 1, 3600])('fails on a delivery delay of %d seconds (SQS allows at most 900)', (seconds) => {
    expect(() => setup({ deliveryDelay: Duration.seconds(seconds) }))
      .toThrow(/\[Stack\/Library\] deliveryDelay: must be between 0 and 900 seconds/);
  });

  test.each([1, 1001, 2.5])('fails on maxConcurrency %d (2 to 1000)', (value) => {
    expect(() => setup({ maxConcurrency: value }))
      .toThrow(new RegExp(`\\[Stack/Library\\] maxConcurrency: must be an integer between 2 and 1000 \\(got ${value}\\)`));
  });

  test('an imported bucket draws a warning that its owner must turn on EventBridge', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new PackagingGroup(stack, 'Group').addBucketIngest('Library', {
      bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'existing-bucket'), keyPatterns: ['*.smil'],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Group/Library', Match.stringLikeRegexp('its owner must turn on its Amazon EventBridge notifications'));
  });

  test('many long patterns draw a warning about EventBridge\'s event pattern size quota', () => {
    const patterns = Array.from({ length: 30 }, (_, i) => `catalog/section-${i}/${'x'.repeat(60)}/*/index.m3u8`);
    const { stack } = setup({ keyPatterns: patterns });
    Annotations.fromStack(stack).hasWarning('/Stack/Library', Match.stringLikeRegexp('default quota \\(2048'));
    const few = setup();
    expect(Annotations.fromStack(few.stack).findWarning('*', Match.stringLikeRegexp('quota'))).toHaveLength(0);
  });
});
