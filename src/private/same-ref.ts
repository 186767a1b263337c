import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether `value`, a property of `element`, refers to what `target` (a property of something in
 * `stack`) refers to: the same token, or, for an element of `stack` itself, the same resolved
 * reference (an L1 written with `{ Ref }` by hand, or an attribute read from another L2).
 * Elements of other stacks are compared by token only: resolved, a `Ref` names a logical ID of
 * their own stack, which an unrelated resource of `stack` may share (two stacks built from the
 * same construct).
 * @internal
 */
export function refersTo(element: IConstruct, value: unknown, stack: Stack, target: unknown): boolean {
  if (value === target) return true;
  if (Stack.of(element) !== stack) return false;
  return JSON.stringify(stack.resolve(value)) === JSON.stringify(stack.resolve(target));
}
