import { Annotations, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import type { LifecycleHookConfig } from '../hooks/lifecycle-hook';
import { DEFAULT_HOOK_TIMEOUT_MINUTES } from '../private/codedeploy/ecs-limits';

/**
 * CodePipeline's ECS deploy action waits for the service it updates at most its DeploymentTimeout,
 * 60 minutes by default and at most (CodePipeline user guide, "Amazon Elastic Container Service
 * deploy action reference"). ECS holds a deployment at a PAUSE hook until someone continues it or
 * the hook's timeout (1440 minutes unless set), and at an approval gate until a decision or the
 * gate's timeout: a longer wait fails the action while ECS goes on, and the pipeline reports a
 * failure for a deployment that may still succeed.
 *
 * Only what the app holds is seen: pipelines of this app whose ECS deploy action names this
 * service (same stack, or a cross-stack reference). CDK Pipelines deploys with CloudFormation
 * actions instead (the stack update waits for the service), and a pipeline defined elsewhere is
 * not visible at synth: see the README's pipeline section.
 */

/** CodePipeline ECS deploy action: DeploymentTimeout default and maximum, minutes. */
const ECS_ACTION_DEFAULT_TIMEOUT_MINUTES = 60;

/** How long a deployment may wait at a hook that waits for a person: a PAUSE hook or an approval gate. */
function gateOf(hook: LifecycleHookConfig): { minutes: number; what: string } | undefined {
  const stages = hook.lifecycleStages.join(', ');
  if (hook.targetType === 'PAUSE') {
    return { minutes: hook.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT_MINUTES, what: `PAUSE hook (${stages})` };
  }
  // The approval gate's details (LifecycleHookFunction.approvalGate): it answers at timeoutMinutes.
  const details = hook.hookDetails;
  if (details && typeof details === 'object' && typeof details.parameterPrefix === 'string' && typeof details.timeoutMinutes === 'number') {
    return { minutes: details.timeoutMinutes, what: `approval gate (${stages})` };
  }
  return undefined;
}

/** Warns on `scope` when a gate of the service waits longer than an ECS deploy action of the app that deploys it. */
export function warnOnGateLongerThanDeployAction(scope: IConstruct, service: ecs.BaseService, hooks: LifecycleHookConfig[]): void {
  const gates = hooks.map(gateOf).filter((g): g is { minutes: number; what: string } => g !== undefined);
  if (gates.length === 0) return;
  const longest = gates.reduce((a, b) => (b.minutes > a.minutes ? b : a));
  const pipelines = scope.node.root.node.findAll().filter((c): c is codepipeline.CfnPipeline => c instanceof codepipeline.CfnPipeline);
  for (const pipeline of pipelines) {
    const stack = Stack.of(pipeline);
    const serviceName = JSON.stringify(stack.resolve(service.serviceName));
    const stages: any[] = stack.resolve(pipeline.stages) ?? [];
    for (const stage of Array.isArray(stages) ? stages : []) {
      for (const action of Array.isArray(stage?.actions) ? stage.actions : []) {
        const type = action?.actionTypeId;
        if (type?.category !== 'Deploy' || type?.provider !== 'ECS' || type?.owner !== 'AWS') continue;
        if (JSON.stringify(action.configuration?.ServiceName) !== serviceName) continue;
        const timeout = Number(action.configuration?.DeploymentTimeout ?? ECS_ACTION_DEFAULT_TIMEOUT_MINUTES);
        if (!(longest.minutes > timeout)) continue;
        Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:gate-longer-than-deploy-action',
          `A deployment of this service can wait up to ${longest.minutes} minutes at its ${longest.what}, longer than the ECS deploy action ` +
          `${pipeline.node.scope?.node.path} ${stage.name}/${action.name} waits (DeploymentTimeout ${timeout} minutes): the action fails while ECS ` +
          'goes on. Shorten the gate\'s timeout, or deploy with a CodeBuild action that runs `ecs-blue-green wait` (see the README\'s pipeline section).');
      }
    }
  }
}
