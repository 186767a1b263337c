import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * The lifecycle hooks that aws-cdk-lib's L2 holds itself (added with `service.addLifecycleHook()`,
 * e.g. an `ecs.DeploymentLifecycleLambdaTarget`), rendered as CloudFormation.
 *
 * 2.257's L2 renders a hook as HookTargetArn, RoleArn and LifecycleStages only: no TargetType, no
 * TimeoutConfiguration and no PAUSE hook (it requires a role), so this library sets
 * `DeploymentConfiguration.LifecycleHooks` with an override; these entries go first in that list so
 * that what the user attached through the L2 is kept instead of replaced.
 * @internal
 */
export function l2LifecycleHooks(service: ecs.CfnService): any[] {
  const rendered = Stack.of(service).resolve(service.deploymentConfiguration);
  const hooks = rendered?.lifecycleHooks;
  return Array.isArray(hooks) ? hooks.map(toCloudFormation) : [];
}

/** L1 property names to CloudFormation ones (hookTargetArn → HookTargetArn); HookDetails is user JSON, kept as is. */
function toCloudFormation(value: any): any {
  if (Array.isArray(value)) return value.map(toCloudFormation);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = key.charAt(0).toUpperCase() + key.slice(1);
    out[name] = name === 'HookDetails' ? v : toCloudFormation(v);
  }
  return out;
}
