import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The fixed ids of each app, by resource type, account, Region and id: the path of the construct that has it. */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Fails when another construct of the app already has `id` for a resource of `resourceType` in the same account and
 * Region (ids are unique per account and Region: the second create would fail at deploy). Environment-agnostic stacks
 * count as one environment (they deploy to the CLI's). Skips Tokens.
 */
export function claimFixedId(scope: IConstruct, propertyPath: string, resourceType: string, id: string | undefined): void {
  if (id === undefined || Token.isUnresolved(id)) { return; }
  const stack = Stack.of(scope);
  const env = [stack.account, stack.region].map(v => (Token.isUnresolved(v) ? JSON.stringify(stack.resolve(v)) : v)).join('/');
  const root = scope.node.root;
  let appClaims = claims.get(root);
  if (!appClaims) {
    appClaims = new Map();
    claims.set(root, appClaims);
  }
  const key = `${resourceType}|${env}|${id}`;
  const other = appClaims.get(key);
  if (other !== undefined && other !== scope.node.path) {
    fail(scope, propertyPath, `is already the id of ${other} in the same account and Region: ids are unique per account and `
      + 'Region, and the second create would fail at deploy', id);
  }
  appClaims.set(key, scope.node.path);
}
