import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LifecycleHookConfig } from './lifecycle-hook';

/**
 * Renders hook configs as `DeploymentConfiguration.LifecycleHooks` entries. aws-cdk-lib 2.257's
 * L1 lacks `TargetType` and `TimeoutConfiguration`, so callers set the result with
 * `addPropertyOverride('DeploymentConfiguration.LifecycleHooks', ...)`.
 *
 * `HookDetails` is rendered as a JSON string: the deploy-verified aws-cdk integ template
 * (integ.blue-green-deployment-strategy, aws/aws-cdk@1d2eda21) renders it so, and AWS's note on
 * aws/aws-cdk#35691 says AWS::ECS::Service "only accepts JSON object as a string" there (the
 * registry schema's `["string","object"]` only shows that cfn-lint accepts both).
 * `Stack.toJsonString` resolves tokens inside the details with `Fn::Join`, so no
 * AWS::LanguageExtensions transform is needed. A hook that already returns a string keeps it.
 * @internal
 */
export function renderLifecycleHooks(scope: IConstruct, hooks: LifecycleHookConfig[]): any[] | undefined {
  if (hooks.length === 0) return undefined;
  return hooks.map((h) => ({
    HookTargetArn: h.hookTargetArn,
    RoleArn: h.roleArn,
    LifecycleStages: h.lifecycleStages,
    HookDetails: h.hookDetails === undefined || typeof h.hookDetails === 'string'
      ? h.hookDetails
      : Stack.of(scope).toJsonString(h.hookDetails),
    TargetType: h.targetType,
    TimeoutConfiguration: h.timeoutInMinutes !== undefined || h.timeoutAction !== undefined
      ? { TimeoutInMinutes: h.timeoutInMinutes, Action: h.timeoutAction }
      : undefined,
  }));
}
