import { createHash } from 'crypto';
import { CfnResource, Names, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nameOfL1 } from './known';

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

/**
 * The create-only names of the resources of its stack that a resolved value references (`Ref`, `Fn::GetAtt`): a
 * group's id, a role's or bucket's name. A reference renders the same when the resource it points at is replaced under
 * a new name, but the referencing resource is replaced with it; an immutable resource's generated id must therefore
 * hash these names too, or its replacement would keep its name and fail ("already exists").
 */
export function referencedNames(scope: IConstruct, resolved: unknown): Record<string, unknown> {
  const stack = Stack.of(scope);
  const logicalIds = new Set<string>();
  collectReferences(resolved, logicalIds);
  const names: Record<string, unknown> = {};
  if (logicalIds.size === 0) { return names; }
  for (const logicalId of [...logicalIds].sort()) {
    const resource = resourceByLogicalId(stack, logicalId);
    // Only names written as literals: a generated name follows the construct path, and so the logical id, which the
    // reference itself shows.
    const name = nameOfL1(resource);
    if (name !== undefined && !Token.isUnresolved(name)) { names[logicalId] = name; }
  }
  return names;
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(v => collectReferences(v, into));
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof obj.Ref === 'string') {
      into.add(obj.Ref);
    } else if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(obj['Fn::GetAtt'])) {
      into.add(String((obj['Fn::GetAtt'] as unknown[])[0]));
    } else {
      keys.forEach(k => collectReferences(obj[k], into));
    }
  }
}

/** The CfnResources of each stack by logical id, indexed on first use and again when an id is not found. */
const resourceIndex = new WeakMap<Stack, Map<string, CfnResource>>();

function resourceByLogicalId(stack: Stack, logicalId: string): CfnResource | undefined {
  let index = resourceIndex.get(stack);
  if (!index || !index.has(logicalId)) {
    index = new Map();
    for (const c of stack.node.findAll()) {
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) {
        index.set(stack.resolve(c.logicalId), c);
      }
    }
    resourceIndex.set(stack, index);
  }
  return index.get(logicalId);
}
