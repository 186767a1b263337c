import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The construct's path below its stack: stable across the stages the stack is deployed to, and
 * the key of slots shared per stack (pooled roles, reader attributes).
 */
export function pathInStack(scope: IConstruct): string {
  const stackPath = Stack.of(scope).node.path;
  return stackPath && scope.node.path.startsWith(`${stackPath}/`) ? scope.node.path.slice(stackPath.length + 1) : scope.node.path;
}
