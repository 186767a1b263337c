import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { HookTimeoutAction, LifecycleHook, LifecycleStage } from '../hooks/lifecycle-hook';
import { mapDeploymentReadyOption, mapTerminationWait } from '../private/codedeploy/deployment-group-settings';
import { MAX_BAKE_MINUTES } from '../private/codedeploy/ecs-limits';
import { mapTriggerEvents } from '../private/codedeploy/trigger-events';
import { T, checkArg } from '../private/prop-types';
import { DeploymentStrategy } from '../service/deployment-strategy';

/** A CodeDeploy SNS trigger, as an EventBridge rule on ECS service deployment events. */
export interface MappedTrigger {
  /** The trigger's name in the deployment group. */
  readonly name: string;
  /** The SNS topic the trigger notified (the rule's target). */
  readonly topicArn: string;
  /** The ECS `ECS Deployment State Change` event names that match the trigger's events. */
  readonly ecsEventNames: string[];
}

/**
 * What an ECS deployment group becomes under the ECS deployment controller: the strategy, bake
 * time, alarms, the approval wait as a pause hook, SNS triggers as EventBridge rules, and notes on
 * what has no equivalent. Read from the deployment group as the app defines it (it must be
 * defined in the app, not imported: an imported group's settings are not known at synth time).
 */
export class DeploymentGroupMapping {
  /**
   * Reads an `EcsDeploymentGroup` defined in this app.
   * @param deploymentGroup the group to map
   */
  public static of(deploymentGroup: codedeploy.IEcsDeploymentGroup): DeploymentGroupMapping {
    checkArg('DeploymentGroupMapping.of', 'deploymentGroup', deploymentGroup, T.required(T.construct('a codedeploy.IEcsDeploymentGroup')));
    return new DeploymentGroupMapping(deploymentGroup);
  }

  /** The strategy equivalent to the deployment configuration, with the mapped bake time. */
  public readonly strategy: DeploymentStrategy;

  /** Name of the CodeDeploy deployment configuration (custom ones by their construct path). */
  public readonly deploymentConfigName: string;

  /** Bake time: the group's termination wait time (capped at ECS's 1440 minutes). */
  public readonly bakeTime: Duration;

  /** Names of the alarms that stop the deployment (as tokens where they are references). */
  public readonly alarmNames: string[];

  /** Whether an alarm rolls the deployment back (auto-rollback on DEPLOYMENT_STOP_ON_ALARM). */
  public readonly rollbackOnAlarm: boolean;

  /**
   * The approval wait ("wait time before re-routing"): a pause before production traffic moves,
   * resumed with ContinueServiceDeployment.
   * @default - no approval wait
   */
  public readonly approvalHook?: LifecycleHook;

  /** SNS triggers, to be EventBridge rules on ECS service deployment events. */
  public readonly triggers: MappedTrigger[];

  /** The deployment group's production listeners (ProdTrafficRoute), as tokens where they are references. */
  public readonly productionListenerArns: string[];

  /** The deployment group's test listeners (TestTrafficRoute). */
  public readonly testListenerArns: string[];

  /** One line per setting: what it was and what it becomes, or why it cannot be mapped. */
  public readonly notes: string[];

  private constructor(deploymentGroup: codedeploy.IEcsDeploymentGroup) {
    const cfn = deploymentGroup.node.defaultChild;
    if (!(cfn instanceof codedeploy.CfnDeploymentGroup)) {
      throw new BlueGreenValidationError(deploymentGroup, 'deploymentGroup',
        'must be an EcsDeploymentGroup defined in this app (an imported group\'s settings are unknown at synth time); ' +
        'for an imported group pass strategy, alarms and hooks to the migration yourself');
    }
    const stack = Stack.of(cfn);
    const props = stack.resolve((cfn as any)._toCloudFormation()).Resources[stack.getLogicalId(cfn)].Properties ?? {};
    const notes: string[] = [];

    const blueGreen = props.BlueGreenDeploymentConfiguration ?? {};
    const terminationWait = blueGreen.TerminateBlueInstancesOnDeploymentSuccess?.TerminationWaitTimeInMinutes ?? 0;
    const bake = mapTerminationWait(terminationWait);
    const bakeMinutes = bake.minutes;
    this.bakeTime = Duration.minutes(bakeMinutes);
    notes.push(bake.capped
      ? `terminationWaitTime ${terminationWait} min → bake time ${MAX_BAKE_MINUTES} min (the most ECS allows)`
      : `terminationWaitTime ${terminationWait} min → bake time ${bakeMinutes} min (blue is kept that long after the shift)`);

    const { strategy, name } = mapDeploymentConfig(deploymentGroup, props.DeploymentConfigName, this.bakeTime, stack);
    this.strategy = strategy;
    this.deploymentConfigName = name;
    notes.push(`deployment config ${name} → ${strategy.type} strategy`);

    const alarms = props.AlarmConfiguration?.Enabled === false ? [] : props.AlarmConfiguration?.Alarms ?? [];
    this.alarmNames = alarms.map((a: { Name: unknown }) => Token.asString(a.Name));
    const rollbackEvents: string[] = props.AutoRollbackConfiguration?.Enabled ? props.AutoRollbackConfiguration.Events ?? [] : [];
    this.rollbackOnAlarm = rollbackEvents.includes('DEPLOYMENT_STOP_ON_ALARM');
    if (this.alarmNames.length > 0) {
      notes.push(`${this.alarmNames.length} alarm(s) → deployment alarms (${this.rollbackOnAlarm ? 'roll back' : 'fail the deployment'} when one is in ALARM)`);
    }
    if (props.AlarmConfiguration?.IgnorePollAlarmFailure) {
      notes.push('ignorePollAlarmFailure has no ECS equivalent: ECS fails the deployment when it cannot read an alarm');
    }
    notes.push(rollbackEvents.includes('DEPLOYMENT_FAILURE')
      ? 'auto-rollback on failure → deployment circuit breaker with rollback'
      : 'no auto-rollback on failure in CodeDeploy; the circuit breaker with rollback is on anyway (a safer default)');

    const ready = blueGreen.DeploymentReadyOption;
    const approval = mapDeploymentReadyOption({ actionOnTimeout: ready?.ActionOnTimeout, waitTimeInMinutes: ready?.WaitTimeInMinutes });
    if (approval) {
      const wait = approval.timeoutInMinutes;
      const onTimeout = HookTimeoutAction[approval.onTimeout];
      this.approvalHook = LifecycleHook.pause({
        stages: [LifecycleStage[approval.stage]],
        timeout: Duration.minutes(wait),
        onTimeout,
      });
      notes.push(`deploymentApprovalWaitTime ${wait} min (${ready.ActionOnTimeout}) → PAUSE hook at ${approval.stage}, ` +
        `timeout ${wait} min then ${onTimeout}; approve with aws ecs continue-service-deployment (or ecs-blue-green continue)`);
    }

    this.triggers = (props.TriggerConfigurations ?? []).map((t: any) => {
      const events: string[] = t.TriggerEvents ?? [];
      const { ecsEvents: ecsEventNames, unmapped } = mapTriggerEvents(events);
      if (unmapped.length > 0) {
        notes.push(`trigger ${t.TriggerName}: ${unmapped.join(', ')} (instance events) have no ECS equivalent and are dropped`);
      }
      notes.push(`trigger ${t.TriggerName} → EventBridge rule on ECS Deployment State Change (${ecsEventNames.join(', ') || 'all events'}) to the same topic`);
      return { name: t.TriggerName, topicArn: Token.asString(t.TriggerTargetArn), ecsEventNames };
    });
    const pair = props.LoadBalancerInfo?.TargetGroupPairInfoList?.[0] ?? {};
    this.productionListenerArns = (pair.ProdTrafficRoute?.ListenerArns ?? []).map((a: unknown) => Token.asString(a));
    this.testListenerArns = (pair.TestTrafficRoute?.ListenerArns ?? []).map((a: unknown) => Token.asString(a));
    this.notes = notes;
  }
}

function mapDeploymentConfig(scope: IConstruct, configName: unknown, bakeTime: Duration, stack: Stack):
{ strategy: DeploymentStrategy; name: string } {
  if (typeof configName === 'string') {
    return { strategy: DeploymentStrategy.fromCodeDeployConfig(configName, { bakeTime }), name: configName };
  }
  // A custom configuration of this app: find it by its reference.
  const ref = (configName as { Ref?: string } | undefined)?.Ref;
  const config = stack.node.findAll().find((c): c is codedeploy.CfnDeploymentConfig =>
    c instanceof codedeploy.CfnDeploymentConfig && stack.getLogicalId(c) === ref);
  if (!config) {
    throw new BlueGreenValidationError(scope, 'deploymentGroup.deploymentConfig',
      'is neither a predefined CodeDeployDefault.ECS* configuration nor a custom configuration defined in this stack; pass strategy explicitly');
  }
  const routing = stack.resolve(config.trafficRoutingConfig) ?? {};
  const canary = routing.timeBasedCanary ?? routing.TimeBasedCanary;
  const linear = routing.timeBasedLinear ?? routing.TimeBasedLinear;
  const strategy = DeploymentStrategy.fromCodeDeployTrafficRouting(
    routing.type ?? routing.Type ?? 'AllAtOnce',
    canary?.canaryPercentage ?? linear?.linearPercentage,
    canary?.canaryInterval !== undefined ? Duration.minutes(canary.canaryInterval)
      : linear?.linearInterval !== undefined ? Duration.minutes(linear.linearInterval) : undefined,
    { bakeTime },
  );
  return { strategy, name: (config.node.scope ?? config).node.path };
}
