import { App, Duration, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { expectMediaPackageTrust, newStack } from './util';
import { CdnAuthorization, EgressAccessLogs, PackagingGroup } from '../../src';
import { groupInternals } from '../../src/private/group-registry';


/** iam:GetRole and iam:PassRole on the role itself (user guide, "Secrets Manager access for CDN authorization"). */
const selfStatement = (roleLogicalId: string) => ({
  Action: ['iam:GetRole', 'iam:PassRole'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [roleLogicalId, 'Arn'] },
});

/**
 * secretsmanager:ListSecrets on `*` (same page: "MediaPackage can retrieve a list of secrets in the AWS account"; the
 * action has no resource-level permission).
 */
const LIST_SECRETS = { Action: 'secretsmanager:ListSecrets', Effect: 'Allow', Resource: '*' };

/** kms:Decrypt on the secret's key, only in requests Secrets Manager makes in the secret's Region. */
const VIA_SECRETS_MANAGER = (keyArn: unknown) => ({
  Action: 'kms:Decrypt',
  Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
  Effect: 'Allow',
  Resource: keyArn,
});

/**
 * The secret's own read (`secret.grantRead`), its key's kms:Decrypt if any, then the two reads MediaPackage needs besides,
 * on the same secret.
 */
function secretStatements(resource: unknown, decrypt?: object): object[] {
  return [
    { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: resource },
    ...(decrypt ? [decrypt] : []),
    { Action: ['secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'], Effect: 'Allow', Resource: resource },
  ];
}

describe('PackagingGroup', () => {
  test('renders a minimal group with a generated, valid id', () => {
    const stack = newStack();
    new PackagingGroup(stack, 'Group');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::MediaPackage::PackagingGroup', 1);
    const groups = template.findResources('AWS::MediaPackage::PackagingGroup');
    const props = Object.values(groups)[0].Properties;
    expect(props).toEqual({ Id: expect.any(String) });
    expect(props.Id).toMatch(/^[0-9a-zA-Z_-]{1,256}$/);
    expect(props.Id).toContain('Group');
  });

  test('the generated id is stable across synths and differs between groups', () => {
    const ids = [0, 1].map(() => {
      const stack = newStack();
      new PackagingGroup(stack, 'Group');
      new PackagingGroup(stack, 'Other');
      const groups = Template.fromStack(stack).findResources('AWS::MediaPackage::PackagingGroup');
      return Object.values(groups).map((g: any) => g.Properties.Id);
    });
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[0][0]).not.toEqual(ids[0][1]);
  });

  test('uses a given id and exposes the attributes', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'my-vod_1' });
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingGroup', { Id: 'my-vod_1' });
    expect(stack.resolve(group.packagingGroupId)).toEqual({ Ref: 'GroupC77FDACD' });
    expect(stack.resolve(group.packagingGroupArn)).toEqual({ 'Fn::GetAtt': ['GroupC77FDACD', 'Arn'] });
    expect(stack.resolve(group.domainName)).toEqual({ 'Fn::GetAtt': ['GroupC77FDACD', 'DomainName'] });
    expect(stack.resolve(group.packagingGroupRef)).toEqual({
      packagingGroupId: { Ref: 'GroupC77FDACD' },
      packagingGroupArn: { 'Fn::GetAtt': ['GroupC77FDACD', 'Arn'] },
    });
  });

  test.each([
    ['has a space', 'my vod', /\[Stack\/Group\] packagingGroupId: may contain only letters, digits, hyphens \(-\) and underscores \(_\) \(got 'my vod'\)/],
    ['has a dot', 'a.b', /packagingGroupId: may contain only .* \(got 'a\.b'\)/],
    ['is empty', '', /packagingGroupId: must be 1 to 256 characters long, is 0 \(got ''\)/],
    ['is too long', 'a'.repeat(257), /packagingGroupId: must be 1 to 256 characters long, is 257/],
  ])('fails when the id %s', (_name, id, message) => {
    const stack = newStack();
    expect(() => new PackagingGroup(stack, 'Group', { packagingGroupId: id })).toThrow(message);
  });

  test('accepts an id of 256 characters', () => {
    const stack = newStack();
    expect(() => new PackagingGroup(stack, 'Group', { packagingGroupId: 'a'.repeat(256) })).not.toThrow();
  });

  test('a Token id skips validation', () => {
    const stack = newStack();
    const id = Lazy.string({ produce: () => 'not valid!' });
    new PackagingGroup(stack, 'Group', { packagingGroupId: id });
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingGroup', { Id: 'not valid!' });
  });

  describe('CDN authorization', () => {
    test('creates a role trusted by MediaPackage only, reading only this secret', () => {
      const stack = newStack();
      const secret = new secretsmanager.Secret(stack, 'CdnSecret');
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
      const template = Template.fromStack(stack);

      template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
        Authorization: {
          CdnIdentifierSecret: { Ref: 'CdnSecret32008E6A' },
          SecretsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('GroupCdnSecretsRole'), 'Arn'] },
        },
      });
      template.resourceCountIs('AWS::IAM::Role', 1);
      expectMediaPackageTrust(template);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            ...secretStatements({ Ref: 'CdnSecret32008E6A' }),
            LIST_SECRETS,
            selfStatement('GroupCdnSecretsRole55C9215F'),
          ],
        },
      });
      expect(group.cdnAuthorizationRole).toBeDefined();
      // The group is created after the role may read the secret.
      const groups = template.findResources('AWS::MediaPackage::PackagingGroup');
      expect(Object.values(groups)[0].DependsOn).toEqual([expect.stringMatching(/GroupCdnSecretsRoleDefaultPolicy/)]);
    });

    test('trust gets an aws:SourceAccount condition only when asked', () => {
      const stack = newStack();
      const secret = new secretsmanager.Secret(stack, 'CdnSecret');
      new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret, { restrictToAccount: true }) });
      expectMediaPackageTrust(Template.fromStack(stack), { restrictToAccount: true });
    });

    test('adds kms:Decrypt on the secret\'s customer key, through Secrets Manager only (kms:ViaService)', () => {
      const stack = newStack();
      const key = new kms.Key(stack, 'Key');
      const secret = new secretsmanager.Secret(stack, 'CdnSecret', { encryptionKey: key });
      new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            ...secretStatements({ Ref: 'CdnSecret32008E6A' }, VIA_SECRETS_MANAGER({ 'Fn::GetAtt': ['Key961B73FD', 'Arn'] })),
            LIST_SECRETS,
            selfStatement('GroupCdnSecretsRole55C9215F'),
          ],
        },
      });
      // A key of this stack: its policy also lets the role decrypt (secret.grantRead), with the same condition.
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::GetAtt': ['GroupCdnSecretsRole55C9215F', 'Arn'] } },
            Resource: '*',
          }]),
        },
      });
      // No kms:Decrypt without the condition, anywhere.
      const unconditioned = Object.values(template.toJSON().Resources).flatMap((r: any) =>
        (r.Properties?.PolicyDocument ?? r.Properties?.KeyPolicy)?.Statement ?? [])
        .filter((st: any) => [st.Action].flat().includes('kms:Decrypt') && st.Condition === undefined);
      expect(unconditioned).toEqual([]);
    });

    test('an imported secret with an imported key: kms:Decrypt via Secrets Manager in the role\'s policy (an imported key takes no statement)', () => {
      const stack = newStack();
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/abc');
      const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf';
      const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'CdnSecret', { secretCompleteArn: arn, encryptionKey: key });
      new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            ...secretStatements(arn, VIA_SECRETS_MANAGER('arn:aws:kms:eu-west-1:111111111111:key/abc')),
            LIST_SECRETS,
            selfStatement('GroupCdnSecretsRole55C9215F'),
          ],
        },
      });
    });

    test('a secret imported by partial ARN is matched with its random suffix', () => {
      const stack = newStack();
      const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'CdnSecret', 'cdn-id');
      new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            ...secretStatements({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:111111111111:secret:cdn-id-??????']] }),
            LIST_SECRETS, selfStatement('GroupCdnSecretsRole55C9215F'),
          ],
        },
      });
    });

    test('uses a given role and grants it the read', () => {
      const stack = newStack();
      const secret = new secretsmanager.Secret(stack, 'CdnSecret');
      const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret, { role }) });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
        Authorization: { SecretsRoleArn: { 'Fn::GetAtt': ['MyRoleF48FFE04', 'Arn'] } },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: 'MyRoleF48FFE04' }],
        PolicyDocument: { Statement: [...secretStatements({ Ref: 'CdnSecret32008E6A' }), LIST_SECRETS, selfStatement('MyRoleF48FFE04')] },
      });
      expect(group.cdnAuthorizationRole).toBe(role);
    });

    test('an imported role is used as is', () => {
      const stack = newStack();
      const secret = new secretsmanager.Secret(stack, 'CdnSecret');
      const role = iam.Role.fromRoleArn(stack, 'MyRole', 'arn:aws:iam::111111111111:role/cdn', { mutable: false });
      new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret, { role }) });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
        Authorization: { SecretsRoleArn: 'arn:aws:iam::111111111111:role/cdn' },
      });
    });
  });

  describe('egress access logs', () => {
    test('renders a given log group', () => {
      const stack = newStack();
      const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: '/aws/MediaPackage/my-vod' });
      new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup) });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
        EgressAccessLogs: { LogGroupName: { Ref: 'Logs6819BB44' } },
      });
    });

    test('renders the default log group as an empty configuration', () => {
      const stack = newStack();
      new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toDefaultLogGroup() });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingGroup', { EgressAccessLogs: {} });
    });

    test('accepts an imported log group with a valid name', () => {
      const stack = newStack();
      const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/MediaPackage/a_b-c/d.e#f');
      new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup) });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
        EgressAccessLogs: { LogGroupName: '/aws/MediaPackage/a_b-c/d.e#f' },
      });
    });

    test.each([
      ['outside /aws/MediaPackage/', '/my/logs', /\[Stack\/Group\] egressAccessLogs.logGroupName: MediaPackage writes egress access logs only to log groups named \/aws\/MediaPackage\/<name>.*\(got '\/my\/logs'\)/],
      ['with a space', '/aws/MediaPackage/my logs', /egressAccessLogs.logGroupName: MediaPackage writes .*\(got '\/aws\/MediaPackage\/my logs'\)/],
      ['with only the prefix', '/aws/MediaPackage/', /egressAccessLogs.logGroupName: MediaPackage writes/],
      ['too long', '/aws/MediaPackage/' + 'a'.repeat(500), /egressAccessLogs.logGroupName: must be 1 to 512 characters long, is 518/],
    ])('fails for a log group name %s', (_name, logGroupName, message) => {
      const stack = newStack();
      const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', logGroupName);
      expect(() => new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup) })).toThrow(message);
    });

    test('fails for a log group created in the app under a literal name that MediaPackage cannot write to (the L1 knows it)', () => {
      const stack = newStack();
      const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: 'my-logs' });
      expect(logGroup.logGroupName).toMatch(/TOKEN/); // the L2 gives a Token; the L1 has the literal
      expect(() => new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup) }))
        .toThrow(/\[Stack\/Group\] egressAccessLogs.logGroupName: MediaPackage writes egress access logs only .*\(got 'my-logs'\)/);
    });

    test('fails at synth for a log group created in the app without a name (its generated name cannot match)', () => {
      const stack = newStack();
      const logGroup = new logs.LogGroup(stack, 'Unnamed');
      new PackagingGroup(stack, 'Group', { egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup) });
      expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Group\] egressAccessLogs.logGroupName: a log group created without logGroupName/);
    });
  });

  describe('tags', () => {
    test('are rendered and draw a replacement warning', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'fixed' });
      Tags.of(group).add('team', 'video');
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', { Tags: [{ Key: 'team', Value: 'video' }] });
      Annotations.fromStack(stack).hasWarning('/Stack/Group', Match.stringLikeRegexp(
        'tags: tags of a packaging group are create-only: a later tag change replaces the group, and the replacement fails'));
    });

    test('no warning without tags', () => {
      const stack = newStack();
      new PackagingGroup(stack, 'Group', { packagingGroupId: 'fixed' });
      Annotations.fromStack(stack).hasNoWarning('/Stack/Group', Match.anyValue());
    });
  });

  describe('fixed ids in one app', () => {
    test('the same group id twice in one account and Region fails', () => {
      const app = new App();
      const env = { account: '111111111111', region: 'eu-west-1' };
      new PackagingGroup(new Stack(app, 'A', { env }), 'Group', { packagingGroupId: 'vod' });
      expect(() => new PackagingGroup(new Stack(app, 'B', { env }), 'Group', { packagingGroupId: 'vod' }))
        .toThrow(/\[B\/Group\] packagingGroupId: is already the id of A\/Group in the same account and Region: ids are unique per account and Region.* \(got 'vod'\)/);
    });

    test('the same group id in two Regions, or two environment-agnostic apps, is fine', () => {
      const app = new App();
      new PackagingGroup(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Group', { packagingGroupId: 'vod' });
      new PackagingGroup(new Stack(app, 'B', { env: { account: '111111111111', region: 'us-east-1' } }), 'Group', { packagingGroupId: 'vod' });
      new PackagingGroup(new Stack(new App(), 'C'), 'Group', { packagingGroupId: 'vod' });
      expect(() => new PackagingGroup(new Stack(new App(), 'D'), 'Group', { packagingGroupId: 'vod' })).not.toThrow();
    });
  });

  describe('imports', () => {
    test('by id', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'existing');
      expect(group.packagingGroupId).toEqual('existing');
      expect(stack.resolve(group.packagingGroupArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:eu-west-1:111111111111:packaging-groups/existing']],
      });
      expect(() => group.domainName).toThrow(/\[Stack\/Imported\] domainName: not known for this imported packaging group/);
    });

    test('by ARN', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupArn(stack, 'Imported',
        'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/other');
      expect(group.packagingGroupId).toEqual('other');
      expect(group.packagingGroupArn).toEqual('arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/other');
      expect(group.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
    });

    test.each([
      ['no resource name', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups'],
      ['the singular resource type', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-group/x'],
      ['a MediaPackage live channel', 'arn:aws:mediapackage:eu-west-1:222222222222:channels/abc'],
      ['a configuration ARN', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-configurations/x'],
      ['not an ARN', 'my-group'],
    ])('by ARN fails on %s', (_name, arn) => {
      const stack = newStack();
      expect(() => PackagingGroup.fromPackagingGroupArn(stack, 'Imported', arn)).toThrow(new RegExp(
        `\\[Stack\\] packagingGroupArn: must be an ARN of the form arn:<partition>:mediapackage-vod:<region>:<account>:packaging-groups/<id> \\(got '${arn}'\\)`));
    });

    test('by ARN fails on an id the service does not accept', () => {
      const stack = newStack();
      expect(() => PackagingGroup.fromPackagingGroupArn(stack, 'Imported', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/my group'))
        .toThrow(/\[Stack\] packagingGroupArn: may contain only letters, digits, hyphens \(-\) and underscores \(_\) \(got 'my group'\)/);
    });

    test('by ARN skips the checks for a Token', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupArn(stack, 'Imported', Lazy.string({ produce: () => 'anything' }));
      expect(Token.isUnresolved(group.packagingGroupId)).toBe(true);
    });

    test('by attributes, with the domain name', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', {
        packagingGroupId: 'existing', domainName: 'abc.egress.mediapackage-vod.eu-west-1.amazonaws.com',
      });
      // A bare host is accepted; domainName is the URL the service would return (see test/constructs/cdn-group.test.ts).
      expect(group.domainName).toEqual('https://abc.egress.mediapackage-vod.eu-west-1.amazonaws.com');
      expect(group.egressDomain).toEqual('abc.egress.mediapackage-vod.eu-west-1.amazonaws.com');
      expect(group.packagingGroupRef.packagingGroupId).toEqual('existing');
    });

    test('by attributes validates the id', () => {
      const stack = newStack();
      expect(() => PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'bad id' }))
        .toThrow(/\[Stack\] packagingGroupId: may contain only .*\(got 'bad id'\)/);
    });
  });

  describe('metrics', () => {
    test('a group without configurations has no metric to offer', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      expect(() => group.metricEgressBytes()).toThrow(
        /\[Stack\/Group\] metric: MediaPackage VOD publishes metrics per packaging configuration only.*\(got 'EgressBytes'\)/);
    });

    test('aggregates the configurations registered with the group', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      groupInternals(group)!.configurations.push({ packagingConfigurationId: 'hls', construct: group });
      groupInternals(group)!.configurations.push({ packagingConfigurationId: 'dash', construct: group });

      const requests: any = group.metricEgressRequestCount();
      expect(requests.expression).toEqual('SUM([mEgressRequestCount_Sum_300_0,mEgressRequestCount_Sum_300_1])');
      expect(requests.period.toSeconds()).toEqual(300);
      expect(stack.resolve(requests.usingMetrics.mEgressRequestCount_Sum_300_0.dimensions)).toEqual({ PackagingConfiguration: 'hls' });
      expect(requests.usingMetrics.mEgressRequestCount_Sum_300_1).toMatchObject({
        namespace: 'AWS/MediaPackage', metricName: 'EgressRequestCount', statistic: 'Sum', unit: 'Count',
      });
      expect(requests.usingMetrics.mEgressRequestCount_Sum_300_1.dimensions).toEqual({ PackagingConfiguration: 'dash' });

      const bytes: any = group.metricEgressBytes({ period: Duration.minutes(1) });
      expect(bytes.expression).toEqual('SUM([mEgressBytes_Sum_60_0,mEgressBytes_Sum_60_1])');
      expect(bytes.usingMetrics.mEgressBytes_Sum_60_0).toMatchObject({ metricName: 'EgressBytes', statistic: 'Sum', unit: 'Bytes' });
      expect(bytes.period.toSeconds()).toEqual(60);

      const time: any = group.metricEgressResponseTime();
      expect(time.expression).toEqual('AVG([mEgressResponseTime_Average_300_0,mEgressResponseTime_Average_300_1])');
      expect(time.usingMetrics.mEgressResponseTime_Average_300_0).toMatchObject({ metricName: 'EgressResponseTime', statistic: 'Average', unit: 'Milliseconds' });

      const max: any = group.metric('EgressResponseTime', { statistic: 'Maximum' });
      expect(max.expression).toEqual('MAX([mEgressResponseTime_Maximum_300_0,mEgressResponseTime_Maximum_300_1])');
    });

    test('two group metrics can share a graph and a dashboard (unique math ids)', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      groupInternals(group)!.configurations.push({ packagingConfigurationId: 'hls', construct: group });
      const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard');
      dashboard.addWidgets(new cloudwatch.GraphWidget({
        left: [group.metricEgressRequestCount(), group.metricEgressBytes(), group.metricEgressBytes({ statistic: 'Maximum' })],
      }));
      expect(() => Template.fromStack(stack)).not.toThrow();
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });

    test('a percentile cannot be aggregated over configurations', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      groupInternals(group)!.configurations.push({ packagingConfigurationId: 'hls', construct: group });
      expect(() => group.metricEgressResponseTime({ statistic: 'p99' })).toThrow(/metric.statistic: a group metric aggregates .*\(got 'p99'\)/);
    });

    test('renders in an alarm with the dimension of each configuration', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      groupInternals(group)!.configurations.push({ packagingConfigurationId: 'hls', construct: group });
      new cloudwatch.Alarm(stack, 'Alarm', { metric: group.metricEgressRequestCount(), threshold: 1, evaluationPeriods: 1 });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'SUM([mEgressRequestCount_Sum_300_0])' }),
          Match.objectLike({
            Id: 'mEgressRequestCount_Sum_300_0',
            MetricStat: {
              Metric: { Dimensions: [{ Name: 'PackagingConfiguration', Value: 'hls' }], MetricName: 'EgressRequestCount', Namespace: 'AWS/MediaPackage' },
              Period: 300,
              Stat: 'Sum',
              Unit: 'Count',
            },
            ReturnData: false,
          }),
        ]),
      });
    });
  });
});
