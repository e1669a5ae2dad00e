import { createHash } from 'crypto';
import { Names, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A stable id from the construct path, valid for MediaPackage VOD ids ([0-9a-zA-Z-_], at most 256).
 */
export function generateId(scope: IConstruct, maxLength = 64): string {
  return Names.uniqueResourceName(scope, { maxLength, separator: '-' });
}

/**
 * A short, stable hash of the resolved form of `value` (what CloudFormation would receive),
 * so that any change of the rendered properties changes the hash and Token strings never leak in.
 */
export function hashOfResolved(scope: IConstruct, value: unknown, length = 8): string {
  const resolved = Stack.of(scope).resolve(value);
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, length);
}

/** Resolved forms of the Token strings many resources share (a group's id, a role's ARN), per stack. */
const resolvedTokens = new WeakMap<Stack, Map<string, string>>();

/**
 * Like `hashOfResolved` over a list of parts, for resources made by the hundred (assets): a part that is a Token
 * string is resolved once per stack and remembered, so the shared references of many resources cost one resolve.
 */
export function hashOfResolvedParts(scope: IConstruct, parts: unknown[], length = 8): string {
  const stack = Stack.of(scope);
  let memo = resolvedTokens.get(stack);
  if (!memo) {
    memo = new Map();
    resolvedTokens.set(stack, memo);
  }
  const hash = createHash('sha256');
  for (const part of parts) {
    let rendered: string;
    if (typeof part === 'string' && Token.isUnresolved(part)) {
      rendered = memo.get(part) ?? JSON.stringify(stack.resolve(part) ?? null);
      memo.set(part, rendered);
    } else if (part === undefined || typeof part === 'string' || typeof part === 'number' || typeof part === 'boolean') {
      rendered = JSON.stringify(part ?? null);
    } else {
      rendered = JSON.stringify(stack.resolve(part) ?? null);
    }
    hash.update(rendered).update('\n');
  }
  return hash.digest('hex').slice(0, length);
}
