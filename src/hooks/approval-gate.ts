import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HookTimeoutAction, LifecycleStage } from './lifecycle-hook';
import { BACKSTOP_MINUTES, MAX_HOOK_TIMEOUT_MINUTES, ReadyMadeSpec, handlerAsset } from './ready-made';
import { BlueGreenValidationError } from '../errors';
import { APPROVAL_GATE_OPTION_TYPES } from './hook-prop-types';
import { exemptFromNag } from '../private/nag';
import { checkProps } from '../private/prop-types';
import { wholeMinutes } from '../private/validate';

/** Options of `LifecycleHookFunction.approvalGate()`. */
export interface ApprovalGateOptions {
  /**
   * SSM parameter prefix; the decision for a service is `<prefix>/<cluster>/<service>`.
   * @default '/ecs-blue-green/approvals'
   */
  readonly parameterPrefix?: string;

  /**
   * How long to wait for a decision: 1–20150 whole minutes (up to 13 days 23 hours 50 minutes).
   * ECS allows a hook 20160 minutes; the gate sets ECS's timeout 10 minutes after its own, as a
   * backstop with the same action, so that its own answer (logged, with the reason) comes first.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * What happens without a decision: CONTINUE (like CodeDeploy's automatic re-route) or ROLLBACK.
   * @default HookTimeoutAction.ROLLBACK
   */
  readonly onTimeout?: HookTimeoutAction;

  /**
   * Stage at which the deployment waits.
   * @default [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}


/** The approval gate's function and role. @internal */
export function approvalGateSpec(scope: Construct, options: ApprovalGateOptions): ReadyMadeSpec {
  checkProps(scope, 'approvalGate', options, APPROVAL_GATE_OPTION_TYPES);
  const prefix = options.parameterPrefix ?? '/ecs-blue-green/approvals';
  if (!/^\/[A-Za-z0-9_.\-/]+[^/]$/.test(prefix)) {
    throw new BlueGreenValidationError(scope, 'approvalGate.parameterPrefix',
      `must be an SSM parameter path such as /ecs-blue-green/approvals (starts with /, no trailing /), got ${prefix}`);
  }
  const timeoutMinutes = wholeMinutes(scope, 'approvalGate.timeout', options.timeout ?? Duration.hours(1), 1, MAX_HOOK_TIMEOUT_MINUTES - BACKSTOP_MINUTES);
  const onTimeout = options.onTimeout ?? HookTimeoutAction.ROLLBACK;
  if (!Object.values(HookTimeoutAction).includes(onTimeout)) {
    throw new BlueGreenValidationError(scope, 'approvalGate.onTimeout', `must be ROLLBACK or CONTINUE, got ${onTimeout}`);
  }
  return {
    props: {
      code: lambda.Code.fromAsset(handlerAsset('approval-gate')),
      timeout: Duration.seconds(30),
      description: 'ECS lifecycle hook: waits for an approve/reject decision in SSM Parameter Store',
      defaultStages: options.stages ?? [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT],
      defaultDetails: { parameterPrefix: prefix, timeoutMinutes, onTimeout },
      // ECS's own timeout is a backstop, 10 minutes after the handler's, with the same action.
      defaultTimeout: Duration.minutes(timeoutMinutes + BACKSTOP_MINUTES),
      defaultOnTimeout: onTimeout,
    },
    configure: (fn) => {
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [Stack.of(fn).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${prefix.slice(1)}/*` })],
      }));
      exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'Reads only the decision parameters under the configured prefix, one per cluster/service: the wildcard stands for <cluster>/<service>.',
      }]);
    },
  };
}
