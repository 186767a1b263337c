import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { waitForHookRole } from '../hooks/hook-role-dependency';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { renderLifecycleHooks } from '../hooks/render';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { DeploymentStrategyConfig } from '../service/deployment-strategy';
import { infrastructureRoleFor } from '../service/infrastructure-role';
import { renderLoadBalancer, renderStrategy } from '../service/render';

/**
 * The existing service, its listeners and target groups, as the in-place migration (option 1)
 * and `MigratedEcsService` after it see them.
 * @internal
 */
export interface ExistingServicePath {
  readonly service: ecs.BaseService;
  readonly productionListener: elbv2.IApplicationListener;
  readonly testListener?: elbv2.IApplicationListener;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
}

/** The weighted rules on the existing listeners. @internal */
export interface WeightedRules {
  readonly production: WeightedListenerRule;
  readonly test?: WeightedListenerRule;
}

/** The container and port of a service's load balancer entry. @internal */
export interface LoadBalancerEntry {
  readonly containerName: string;
  readonly containerPort: number;
}

/**
 * The container and port of the service's first load balancer entry as the app defines it.
 * @param remedy what the error tells the user to do when there is none
 * @internal
 */
export function loadBalancerEntry(reporter: Construct, cfnService: ecs.CfnService, remedy: string): LoadBalancerEntry {
  const entry = (Stack.of(reporter).resolve(cfnService.loadBalancers) ?? [])[0];
  if (!entry?.containerName || entry.containerPort === undefined) {
    throw new BlueGreenValidationError(reporter, 'service', `has no load balancer entry (ContainerName/ContainerPort); ${remedy}`);
  }
  return { containerName: entry.containerName, containerPort: entry.containerPort };
}

/**
 * The weighted production (and test) rule to the existing target groups, under the IDs
 * `ProductionRule` and `TestRule` of `scope`: the migration and `MigratedEcsService` create them
 * under the same ID, hence at the same logical IDs and live-weights keys.
 * @internal
 */
export function weightedRules(scope: Construct, path: ExistingServicePath, priority: number): WeightedRules {
  const rule = (ruleId: string, listener: elbv2.IApplicationListener) => new WeightedListenerRule(scope, ruleId, {
    listener, blueTargetGroup: path.blueTargetGroup, greenTargetGroup: path.greenTargetGroup, priority, cluster: path.service.cluster,
  });
  return {
    production: rule('ProductionRule', path.productionListener),
    test: path.testListener ? rule('TestRule', path.testListener) : undefined,
  };
}

/** What the existing service deploys with once on the ECS controller. @internal */
export interface EcsControllerSettings {
  readonly entry: LoadBalancerEntry;
  readonly rules: WeightedRules;
  readonly strategy: DeploymentStrategyConfig;
  /** Names of the alarms that fail a deployment, and whether they roll it back. */
  readonly alarms: { readonly names: string[]; readonly rollback: boolean };
  readonly hooks: LifecycleHook[];
}

/**
 * Switches an existing service to the ECS controller, as overrides of a service this library did
 * not create: the scoped infrastructure role, the blue/green load balancer entry, the strategy,
 * the circuit breaker with rollback, the alarms and the hooks (bound to `scope`). The service
 * waits for the role and the rules: ECS checks them when the controller switches.
 * @returns the infrastructure role and how many hooks were rendered
 * @internal
 */
export function switchToEcsController(scope: Construct, path: ExistingServicePath,
  settings: EcsControllerSettings): { role: iam.IRole; hookCount: number } {
  const cfnService = path.service.node.defaultChild as ecs.CfnService;
  const { production, test } = settings.rules;
  const role = infrastructureRoleFor(scope, {
    targetGroupArns: [path.blueTargetGroup.targetGroupArn, path.greenTargetGroup.targetGroupArn],
    listenerRuleArns: [production.ruleArn, ...(test ? [test.ruleArn] : [])],
    listenerArns: [path.productionListener.listenerArn, ...(path.testListener ? [path.testListener.listenerArn] : [])],
  });
  renderLoadBalancer(cfnService, {
    containerName: settings.entry.containerName,
    containerPort: settings.entry.containerPort,
    blueTargetGroupArn: path.blueTargetGroup.targetGroupArn,
    greenTargetGroupArn: path.greenTargetGroup.targetGroupArn,
    productionListenerRule: production.ruleArn,
    testListenerRule: test?.ruleArn,
    roleArn: role.roleArn,
  });
  cfnService.addPropertyOverride('DeploymentController.Type', 'ECS');
  renderStrategy(cfnService, settings.strategy);
  cfnService.addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker', { Enable: true, Rollback: true });
  if (settings.alarms.names.length > 0) {
    cfnService.addPropertyOverride('DeploymentConfiguration.Alarms', {
      AlarmNames: settings.alarms.names, Enable: true, Rollback: settings.alarms.rollback,
    });
  }
  const hookConfigs = settings.hooks.map((h) => h.bind(scope, {}));
  if (hookConfigs.length > 0) {
    cfnService.addPropertyOverride('DeploymentConfiguration.LifecycleHooks', renderLifecycleHooks(scope, hookConfigs));
  }
  for (const h of hookConfigs) if (h.invokeRole) waitForHookRole(cfnService, scope, h.invokeRole);
  path.service.node.addDependency(role, production, ...(test ? [test] : []));
  return { role, hookCount: hookConfigs.length };
}
