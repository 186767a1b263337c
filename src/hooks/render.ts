import { LifecycleHookConfig } from './lifecycle-hook';

/**
 * Renders hook configs as `DeploymentConfiguration.LifecycleHooks` entries. aws-cdk-lib 2.257's
 * L1 lacks `TargetType` and `TimeoutConfiguration`, so callers set the result with
 * `addPropertyOverride('DeploymentConfiguration.LifecycleHooks', ...)`.
 * @internal
 */
export function renderLifecycleHooks(hooks: LifecycleHookConfig[]): any[] | undefined {
  if (hooks.length === 0) return undefined;
  return hooks.map((h) => ({
    HookTargetArn: h.hookTargetArn,
    RoleArn: h.roleArn,
    LifecycleStages: h.lifecycleStages,
    HookDetails: h.hookDetails,
    TargetType: h.targetType,
    TimeoutConfiguration: h.timeoutInMinutes !== undefined || h.timeoutAction !== undefined
      ? { TimeoutInMinutes: h.timeoutInMinutes, Action: h.timeoutAction }
      : undefined,
  }));
}
