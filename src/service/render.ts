import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DeploymentStrategyConfig } from './deployment-strategy';

/**
 * Renders a strategy as `DeploymentConfiguration` overrides of a service (shared by
 * BlueGreenEcsService and the in-place migration, which switches an existing service).
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
