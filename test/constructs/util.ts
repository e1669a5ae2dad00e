import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PackagingGroup } from '../../src';

/** The environment of the test stacks. */
export const TEST_ENV = { account: '111111111111', region: 'eu-west-1' };

/** A stack in TEST_ENV (or the given Region and account), in a new app unless one is given. */
export function newStack(app: App = new App(), id = 'Stack', env: { account?: string; region?: string } = {}): Stack {
  return new Stack(app, id, { env: { ...TEST_ENV, ...env } });
}

/** A stack and a packaging group with the fixed id `vod`. */
export function stackWithGroup(): { stack: Stack; group: PackagingGroup } {
  const stack = newStack();
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
  return { stack, group };
}

/**
 * Asserts that the template has a role trusted by mediapackage.amazonaws.com only: no condition, or the opt-in
 * aws:SourceAccount condition on TEST_ENV's account.
 */
export function expectMediaPackageTrust(template: Template, options: { restrictToAccount?: boolean } = {}): void {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'mediapackage.amazonaws.com' },
        ...(options.restrictToAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': TEST_ENV.account } } } : {}),
      }],
    },
  });
}
