import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DeploymentStrategyConfig } from './deployment-strategy';

/** The L2 props that render a strategy. @internal */
export type StrategyServiceOptions = Pick<ecs.BaseServiceOptions, 'deploymentStrategy' | 'bakeTime' | 'linearConfiguration' | 'canaryConfiguration'>;

/**
 * A strategy as aws-cdk-lib's own service props (2.257 renders Strategy, BakeTimeInMinutes,
 * LinearConfiguration and CanaryConfiguration itself), for services this library creates.
 * @internal
 */
export function strategyServiceOptions(config: DeploymentStrategyConfig): StrategyServiceOptions {
  return {
    deploymentStrategy: config.strategy as ecs.DeploymentStrategy,
    bakeTime: Duration.minutes(config.bakeTimeInMinutes),
    linearConfiguration: config.linearStepPercent === undefined ? undefined
      : { stepPercent: config.linearStepPercent, stepBakeTime: Duration.minutes(config.linearStepBakeTimeInMinutes!) },
    canaryConfiguration: config.canaryPercent === undefined ? undefined
      : { stepPercent: config.canaryPercent, stepBakeTime: Duration.minutes(config.canaryBakeTimeInMinutes!) },
  };
}

/**
 * Renders a strategy as `DeploymentConfiguration` overrides of an existing service (the in-place
 * migration switches a service it did not create).
 * @internal
 */
export function renderStrategy(service: ecs.CfnService, config: DeploymentStrategyConfig): void {
  const override = (path: string, value: unknown) => service.addPropertyOverride(`DeploymentConfiguration.${path}`, value);
  override('Strategy', config.strategy);
  override('BakeTimeInMinutes', config.bakeTimeInMinutes);
  if (config.linearStepPercent !== undefined) {
    override('LinearConfiguration', { StepPercent: config.linearStepPercent, StepBakeTimeInMinutes: config.linearStepBakeTimeInMinutes });
  }
  if (config.canaryPercent !== undefined) {
    override('CanaryConfiguration', { CanaryPercent: config.canaryPercent, CanaryBakeTimeInMinutes: config.canaryBakeTimeInMinutes });
  }
}

/** The load balancer entry of a blue/green service. @internal */
export interface BlueGreenLoadBalancerEntry {
  readonly containerName: string;
  readonly containerPort: number;
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
  readonly productionListenerRule: string;
  readonly testListenerRule?: string;
  readonly roleArn: string;
}

/**
 * Renders the service's whole `LoadBalancers` entry: the L2 renders LoadBalancers lazily, and ECS
 * needs the advanced configuration next to the blue target group.
 * @internal
 */
export function renderLoadBalancer(service: ecs.CfnService, entry: BlueGreenLoadBalancerEntry): void {
  service.addPropertyOverride('LoadBalancers', [{
    ContainerName: entry.containerName,
    ContainerPort: entry.containerPort,
    TargetGroupArn: entry.blueTargetGroupArn,
    AdvancedConfiguration: {
      AlternateTargetGroupArn: entry.greenTargetGroupArn,
      ProductionListenerRule: entry.productionListenerRule,
      TestListenerRule: entry.testListenerRule,
      RoleArn: entry.roleArn,
    },
  }]);
}
