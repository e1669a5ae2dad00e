import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The one construct of a stack with this id, created on first use: the one mechanism for what a stack shares (source
 * roles per bucket, SPEKE roles per key server, log groups of providers). It lives at the stack's top level under an
 * id that depends only on what it is shared for, so its path (and logical id) does not depend on which construct asked
 * first, and does not move when that construct is removed.
 */
export function stackSingleton<T extends IConstruct>(scope: IConstruct, id: string, create: (stack: Stack, id: string) => T): T {
  const stack = Stack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}
