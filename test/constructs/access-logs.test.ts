import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newStack as newTestStack } from './util';
import { EgressAccessLogs, PackagingGroup } from '../../src';
import { PackagingGroupAccessLogs } from '../../src/access-logs/packaging-group-access-logs';

const RESOURCE_TYPE = 'Custom::MediaPackageVodEgressAccessLogs';
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'access-logs', 'handler', 'index');

const newStack = (id = 'Stack') => newTestStack(undefined, id);

function namedLogGroup(stack: Stack, name = '/aws/MediaPackage/vod'): logs.ILogGroup {
  return logs.LogGroup.fromLogGroupName(stack, `LogGroup${stack.node.children.length}`, name);
}

/** Evaluates the intrinsics of a resolved policy the way CloudFormation would for the IAM call (partition aws). */
function deployed(value: any): any {
  if (Array.isArray(value)) { return value.map(deployed); }
  if (value && typeof value === 'object') {
    if ('Ref' in value && value.Ref === 'AWS::Partition') { return 'aws'; }
    if ('Fn::Join' in value) {
      const [sep, parts] = value['Fn::Join'];
      return deployed(parts).join(sep);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
  }
  return value;
}

function inlinePolicies(template: Template): any[] {
  const roles = template.findResources('AWS::IAM::Role');
  const providerRoles = Object.entries(roles).filter(([logicalId]) => logicalId.startsWith('CustomMediaPackageVodAccessLogsProvider'));
  expect(providerRoles).toHaveLength(1);
  return providerRoles[0][1].Properties.Policies;
}

describe('PackagingGroupAccessLogs', () => {
  test('renders the custom resource with the group id and the log group name', () => {
    const stack = newStack();
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing-group');
    const logs_ = new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: group, logGroup: namedLogGroup(stack) });

    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 1);
    const resources = template.findResources(RESOURCE_TYPE);
    const [logicalId, resource] = Object.entries(resources)[0];
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^CustomMediaPackageVodAccessLogsProvider.*Handler/), 'Arn'] },
      PackagingGroupId: 'existing-group',
      LogGroupName: '/aws/MediaPackage/vod',
      ServiceTimeout: '960',
    });
    // Delete turns logging off, so the resource is deleted (not retained) with the stack.
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(logs_.packagingGroup).toBe(group);
    expect(logs_.logGroup?.logGroupName).toBe('/aws/MediaPackage/vod');
    expect(stack.resolve(logs_.logGroupName)).toEqual({ 'Fn::GetAtt': [logicalId, 'LogGroupName'] });
  });

  test('without a log group, renders no LogGroupName (the service picks its default group)', () => {
    const stack = newStack();
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing-group');
    const accessLogs = new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: group });
    const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
    expect(resource.Properties).toEqual({ ServiceToken: expect.anything(), ServiceTimeout: '960', PackagingGroupId: 'existing-group' });
    expect(accessLogs.logGroup).toBeUndefined();
  });

  test('works with an imported group (fromPackagingGroupId and fromPackagingGroupArn)', () => {
    const stack = newStack();
    new PackagingGroupAccessLogs(stack, 'ById', {
      packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'A', 'group-a'),
      logGroup: namedLogGroup(stack),
    });
    new PackagingGroupAccessLogs(stack, 'ByArn', {
      packagingGroup: PackagingGroup.fromPackagingGroupArn(stack, 'B', 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/group-b'),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'group-a', LogGroupName: '/aws/MediaPackage/vod' });
    template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'group-b', LogGroupName: Match.absent() });
  });

  test('group.configureEgressAccessLogs() adds the resource in the group\'s scope, also on an imported group', () => {
    const stack = newStack();
    const imported = PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'existing-group');
    const logs1 = imported.configureEgressAccessLogs('Logs', { logGroup: namedLogGroup(stack) });
    const logs2 = PackagingGroup.fromPackagingGroupId(stack, 'Other', 'other-group').configureEgressAccessLogs('Logs');
    expect(logs1.node.path).toEqual('Stack/Imported/Logs');
    expect(logs1.packagingGroup).toBe(imported);
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'existing-group', LogGroupName: '/aws/MediaPackage/vod' });
    template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'other-group', LogGroupName: Match.absent() });
    expect(logs2.logGroup).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('a group created in the stack is referenced, so the custom resource comes after it', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
    new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: group });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: { Ref: 'GroupC77FDACD' } });
  });

  test('a log group created in the stack with a valid name is referenced (created before ConfigureLogs)', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'AccessLogGroup', { logGroupName: '/aws/MediaPackage/vod-egress' });
    new PackagingGroupAccessLogs(stack, 'Logs', {
      packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing-group'),
      logGroup,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { LogGroupName: { Ref: Match.stringLikeRegexp('^AccessLogGroup') } });
  });

  describe('one provider function per stack', () => {
    test.each([1, 20])('%d groups: one function, one role, one function log group', (count) => {
      const stack = newStack();
      for (let i = 0; i < count; i++) {
        new PackagingGroupAccessLogs(stack, `Logs${i}`, {
          packagingGroup: PackagingGroup.fromPackagingGroupId(stack, `Group${i}`, `group-${i}`),
          logGroup: namedLogGroup(stack, `/aws/MediaPackage/group-${i}`),
        });
      }
      const template = Template.fromStack(stack);
      template.resourceCountIs(RESOURCE_TYPE, count);
      // CustomResourceProvider renders a raw AWS::Lambda::Function.
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.resourceCountIs('AWS::Logs::LogGroup', 1);
      // Every resource uses that one function.
      const fnLogicalId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];
      for (const r of Object.values(template.findResources(RESOURCE_TYPE))) {
        expect(r.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnLogicalId, 'Arn'] });
      }
    });

    test('the function runs the bundled handler on nodejs22.x', () => {
      const stack = newStack();
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G', 'g') });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Handler: '__entrypoint__.handler',
        Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
      });
    });

    test('each stack gets its own provider', () => {
      const app = new App();
      const stacks = ['One', 'Two'].map((name) => {
        const stack = new Stack(app, name, { env: { account: '111111111111', region: 'eu-west-1' } });
        new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G', 'same-group-id') });
        return stack;
      });
      for (const stack of stacks) {
        Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
      }
    });

    test('the bundled handler is in assets/ and exports handler', () => {
      expect(fs.existsSync(path.join(HANDLER_DIR, 'index.js'))).toBe(true);
      // Only the handler file: CustomResourceProvider zips the whole directory.
      expect(fs.readdirSync(HANDLER_DIR)).toEqual(['index.js']);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(path.join(HANDLER_DIR, 'index.js'));
      expect(typeof bundle.handler).toBe('function');
      // The SDK client is bundled, not left to the Lambda runtime.
      const source = fs.readFileSync(path.join(HANDLER_DIR, 'index.js'), 'utf-8');
      expect(source).not.toMatch(/require\("@aws-sdk\//);
      expect(source).toContain('ConfigureLogsCommand');
    });
  });

  describe('IAM', () => {
    test('exact statements: ConfigureLogs on the stack\'s packaging groups, and MediaPackage\'s service-linked role', () => {
      const stack = newStack();
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G', 'g') });
      const template = Template.fromStack(stack);
      expect(deployed(inlinePolicies(template))).toEqual([{
        PolicyName: 'Inline',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'mediapackage-vod:ConfigureLogs',
              Resource: 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/*',
            },
            {
              Effect: 'Allow',
              Action: 'iam:CreateServiceLinkedRole',
              Resource: 'arn:aws:iam::111111111111:role/aws-service-role/mediapackage.amazonaws.com/AWSServiceRoleForMediaPackage',
              Condition: { StringEquals: { 'iam:AWSServiceName': 'mediapackage.amazonaws.com' } },
            },
          ],
        },
      }]);
      // Lambda's basic execution role for its own logs; nothing else.
      template.hasResourceProperties('AWS::IAM::Role', {
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
      });
    });

    test('the policy does not grow with the number of groups and stays far below 10,240 bytes for 20', () => {
      const sizes = [1, 20].map((count) => {
        const stack = newStack();
        for (let i = 0; i < count; i++) {
          // The longest ids the service accepts.
          const id = `${i}`.padStart(256, 'g');
          new PackagingGroupAccessLogs(stack, `Logs${i}`, {
            packagingGroup: PackagingGroup.fromPackagingGroupId(stack, `Group${i}`, id),
            logGroup: namedLogGroup(stack, `/aws/MediaPackage/${id}`),
          });
        }
        const policies = deployed(inlinePolicies(Template.fromStack(stack)));
        // IAM counts the inline policies of a role together, without whitespace.
        return policies.reduce((sum: number, p: any) => sum + Buffer.byteLength(JSON.stringify(p.PolicyDocument), 'utf8'), 0);
      });
      console.log(`ConfigureLogs provider role inline policy: ${sizes[0]} bytes for 1 group, ${sizes[1]} bytes for 20 groups (IAM limit 10,240)`);
      expect(sizes[1]).toEqual(sizes[0]);
      expect(sizes[1]).toBeLessThan(10240);
    });
  });

  describe('the provider function\'s log group', () => {
    test('one week retention, deleted with the stack, named after the function', () => {
      const stack = newStack();
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G', 'g') });
      const template = Template.fromStack(stack);
      const fnLogicalId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          RetentionInDays: 7,
          LogGroupName: {
            'Fn::Join': ['', ['/aws/lambda/', { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [fnLogicalId, 'Arn'] }] }] }]],
          },
        },
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    });

    test('every custom resource depends on it, so it exists before the function first runs', () => {
      const stack = newStack();
      for (const i of [1, 2]) {
        new PackagingGroupAccessLogs(stack, `Logs${i}`, { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, `G${i}`, `g${i}`) });
      }
      const template = Template.fromStack(stack);
      const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
      for (const r of Object.values(template.findResources(RESOURCE_TYPE))) {
        expect(r.DependsOn).toEqual([logGroupId]);
      }
    });
  });

  describe('validation', () => {
    test.each([
      ['is not under /aws/MediaPackage/', '/aws/vod/egress',
        /\[Stack\/Logs\] logGroup\.logGroupName: MediaPackage writes egress access logs only to log groups named \/aws\/MediaPackage\/<name> \(letters, digits and - _ \/ \. #\) \(got '\/aws\/vod\/egress'\)/],
      ['has a space', '/aws/MediaPackage/my logs', /logGroup\.logGroupName: MediaPackage writes .* \(got '\/aws\/MediaPackage\/my logs'\)/],
      ['is only the prefix', '/aws/MediaPackage/', /logGroup\.logGroupName: MediaPackage writes/],
      ['is too long', `/aws/MediaPackage/${'a'.repeat(500)}`, /logGroup\.logGroupName: must be 1 to 512 characters long, is 518/],
    ])('fails when the log group name %s', (_name, logGroupName, message) => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupId(stack, 'G', 'g');
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup, logGroup: namedLogGroup(stack, logGroupName) }))
        .toThrow(message);
    });

    test('accepts names with the allowed punctuation', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupId(stack, 'G', 'g');
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup, logGroup: namedLogGroup(stack, '/aws/MediaPackage/a-b_c/d.e#f') }))
        .not.toThrow();
    });

    test('checks the name given to a log group created in the app', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupId(stack, 'G', 'g');
      const logGroup = new logs.LogGroup(stack, 'Bad', { logGroupName: '/custom/egress' });
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup, logGroup }))
        .toThrow(/logGroup\.logGroupName: MediaPackage writes .* \(got '\/custom\/egress'\)/);
    });

    test('fails for a log group created in the app without a name (its generated name cannot match)', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupId(stack, 'G', 'g');
      const logGroup = new logs.LogGroup(stack, 'Unnamed');
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup, logGroup });
      expect(() => Template.fromStack(stack)).toThrow(
        /\[Stack\/Logs\] logGroup\.logGroupName: a log group created without logGroupName gets a generated name.*give it a logGroupName \(got 'Stack\/Unnamed'\)/);
      // The CDK prints the construct path in front of validation errors: the message does not repeat it.
      expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Logs\] logGroup/);
      expect(() => Template.fromStack(stack)).not.toThrow(/\[Stack\/Logs\] \[Stack\/Logs\]/);
    });

    test('a Token log group name skips the check', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupId(stack, 'G', 'g');
      const lazy = Lazy.string({ produce: () => 'not valid!' });
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup, logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', lazy) });
      const param = new CfnParameter(stack, 'LogGroupName');
      new PackagingGroupAccessLogs(stack, 'Logs2', {
        packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G2', 'g2'),
        logGroup: logs.LogGroup.fromLogGroupName(stack, 'L2', param.valueAsString),
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'g', LogGroupName: 'not valid!' });
      template.hasResourceProperties(RESOURCE_TYPE, { PackagingGroupId: 'g2', LogGroupName: { Ref: 'LogGroupName' } });
    });

    test('fails for a group in another Region', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupArn(stack, 'G', 'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-groups/g');
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup }))
        .toThrow(/\[Stack\/Logs\] packagingGroup: must be in the stack's Region \(eu-west-1\): ConfigureLogs is called from the stack \(got 'us-east-1'\)/);
    });

    test('fails for a group in another account', () => {
      const stack = newStack();
      const packagingGroup = PackagingGroup.fromPackagingGroupArn(stack, 'G', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/g');
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup }))
        .toThrow(/packagingGroup: must be in the stack's account \(111111111111\).*\(got '222222222222'\)/);
    });

    test('fails when a second resource configures the same group', () => {
      const stack = newStack();
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G', 'g') });
      // The same id through another import.
      const again = PackagingGroup.fromPackagingGroupId(stack, 'G2', 'g');
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs2', { packagingGroup: again }))
        .toThrow(/\[Stack\/Logs2\] packagingGroup: already has egress access logs configured by Stack\/Logs: one group takes one PackagingGroupAccessLogs.* \(got 'g'\)/);
    });

    test('the same group object with a Token id is detected too; other groups are fine', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: group });
      new PackagingGroupAccessLogs(stack, 'Other', { packagingGroup: new PackagingGroup(stack, 'Group2') });
      expect(() => new PackagingGroupAccessLogs(stack, 'Logs2', { packagingGroup: group })).toThrow(/already has egress access logs configured by Stack\/Logs/);
    });

    test('fails at synth for a group that sets egress access logs itself', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group', {
        packagingGroupId: 'vod',
        egressAccessLogs: EgressAccessLogs.toDefaultLogGroup(),
      });
      new PackagingGroupAccessLogs(stack, 'Logs', { packagingGroup: group });
      expect(() => Template.fromStack(stack)).toThrow(
        /\[Stack\/Logs\] packagingGroup: already configures egress access logs \(PackagingGroupProps\.egressAccessLogs\); configure them in one place only \(got 'Stack\/Group'\)/);
    });
  });
});
