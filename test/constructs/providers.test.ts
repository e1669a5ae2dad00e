import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { newStack } from './util';
import { bundledResource, bundleDir, instanceProvider, stackProvider } from '../../src/private/providers';

const PROPS = {
  entry: 'access-logs/handler',
  description: 'test provider',
  policyStatements: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111111111111:q' }],
};

describe('bundled providers (src/private/providers.ts)', () => {
  test('bundleDir: the folder projen bundle writes under assets/, which exists after the bundle task', () => {
    const dir = bundleDir('access-logs/handler');
    expect(dir).toMatch(/assets[\\/]access-logs[\\/]handler[\\/]index$/);
    expect(fs.existsSync(`${dir}/index.js`)).toBe(true);
  });

  test('stackProvider: one function and one log group per stack, however many resources and callers', () => {
    const stack = newStack();
    const a = new Construct(stack, 'A');
    const b = new Construct(stack, 'B');
    bundledResource(a, 'R', stackProvider(a, 'Custom::TestProvider', PROPS), { resourceType: 'Custom::Test', properties: { N: '1' } });
    bundledResource(b, 'R', stackProvider(b, 'Custom::TestProvider', PROPS), { resourceType: 'Custom::Test', properties: { N: '2' } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toEqual([expect.stringMatching(/^TestProviderLogGroup/)]);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [functionId, 'Arn'] }] }] }]] },
      RetentionInDays: 7,
    });
    const resources = Object.values(template.findResources('Custom::Test')) as any[];
    expect(resources).toHaveLength(2);
    for (const resource of resources) {
      // The default timeout (15 minutes) plus one minute; after the log group.
      expect(resource.Properties.ServiceTimeout).toBe('960');
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
      expect(resource.DependsOn).toEqual(Object.keys(logGroups));
    }
  });

  test('instanceProvider: one function per owner, its log group under the owner; timeout and retention as given', () => {
    const stack = newStack();
    for (const id of ['One', 'Two']) {
      const owner = new Construct(stack, id);
      const provider = instanceProvider(owner, 'TestOwnProvider', 'OwnLogGroup', {
        ...PROPS, timeout: Duration.minutes(5), logRetention: logs.RetentionDays.ONE_MONTH,
      });
      expect(provider.serviceTimeout.toSeconds()).toBe(360);
      bundledResource(owner, 'R', provider, { resourceType: 'Custom::Test' });
    }
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toEqual([expect.stringMatching(/^TestOwnProviderStackOne/), expect.stringMatching(/^TestOwnProviderStackTwo/)]);
    for (const fn of Object.values(functions) as any[]) { expect(fn.Properties.Timeout).toBe(300); }
    const logGroups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
    expect(Object.keys(logGroups)).toEqual([expect.stringMatching(/^OneOwnLogGroup/), expect.stringMatching(/^TwoOwnLogGroup/)]);
    template.allResourcesProperties('Custom::Test', { ServiceTimeout: '360' });
  });

  test('logEncryptionKey: the log group gets the key; without one, the checkov skip with the given reason; functions skip the Lambda checks', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const owner = new Construct(stack, 'Owner');
    instanceProvider(owner, 'TestInstance', 'Logs', { ...PROPS, logEncryptionKey: key });
    stackProvider(stack, 'Custom::Plain', { ...PROPS, unencryptedLogReason: 'A reason long enough to read as a reason here.' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: Match.absent() },
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: 'A reason long enough to read as a reason here.' }] } },
    });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as any[]) {
      expect(fn.Metadata.checkov.skip.map((s: { id: string }) => s.id)).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117']);
    }
  });

  test('stackProvider: a second caller with another logEncryptionKey (or none) fails on its own path', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    stackProvider(new Construct(stack, 'A'), 'Custom::Shared', { ...PROPS, logEncryptionKey: key });
    stackProvider(new Construct(stack, 'B'), 'Custom::Shared', { ...PROPS, logEncryptionKey: key });
    expect(() => stackProvider(new Construct(stack, 'C'), 'Custom::Shared', PROPS))
      .toThrow(/\[Stack\/C\] logEncryptionKey: .*Custom::Shared.*already created with the key Stack\/Key.*\(got undefined\)/);
  });
});
