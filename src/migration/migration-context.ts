import { Annotations, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct, IConstruct } from 'constructs';
import { CodeDeployToEcsMigrationProps } from './code-deploy-to-ecs-migration-props';
import { DeploymentGroupMapping } from './deployment-group-mapping';
import { BlueGreenValidationError } from '../errors';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { BlueGreenEcsService } from '../service/blue-green-ecs-service';
import { DeploymentStrategy, DeploymentStrategyConfig } from '../service/deployment-strategy';

/**
 * What every migration option reads from the migration: the construct (scope of what the option
 * creates and reporter of its errors), the props, and what the constructor derived from them.
 * @internal
 */
export interface MigrationContext {
  /** The `CodeDeployToEcsMigration`. */
  readonly scope: Construct;
  readonly props: CodeDeployToEcsMigrationProps;
  /** The L1 of `props.service`. */
  readonly cfnService: ecs.CfnService;
  /** What the deployment group became. Undefined when it is imported. */
  readonly mapping?: DeploymentGroupMapping;
  /** `props.strategy`, or the mapped one. */
  readonly strategy: DeploymentStrategy;
  /** The strategy, rendered. */
  readonly strategyConfig: DeploymentStrategyConfig;
  /** `props.hooks`, or the mapped approval hook. */
  readonly hooks: LifecycleHook[];
  /** Options 2 and 3: the new service's alarms (it reads the list at synthesis; `addAlarm` adds to it). */
  readonly newServiceAlarms: cloudwatch.IAlarm[];
}

/** What one option built in one phase, for the migration's public attributes. @internal */
export interface MigrationOptionResult {
  /** The human steps of the phase. */
  readonly plan: string[];
  /** Option 1 from CUTOVER. */
  readonly productionRule?: WeightedListenerRule;
  /** Options 2 and 3. */
  readonly newService?: BlueGreenEcsService;
  /** Option 2. */
  readonly newProductionListener?: elbv2.ApplicationListener;
  /** Option 3. */
  readonly newLoadBalancer?: elbv2.ApplicationLoadBalancer;
}

/** One migration option: builds its phase in the migration. @internal */
export type MigrationOptionBuilder = (ctx: MigrationContext) => MigrationOptionResult;

/** The cluster, name and ARN of a service, for the CLEANUP check. @internal */
export function serviceRef(service: ecs.BaseService) {
  return { cluster: service.cluster.clusterName, serviceName: service.serviceName, serviceArn: service.serviceArn };
}

/** The literal port of a listener (the migration moves listeners between ports). @internal */
export function portOf(ctx: MigrationContext, listener: elbv2.CfnListener, prop: string): number {
  const port = Stack.of(ctx.scope).resolve(listener.port);
  if (typeof port !== 'number') {
    throw new BlueGreenValidationError(ctx.scope, prop, 'must have a literal port (the migration moves listeners between ports)');
  }
  return port;
}

/**
 * The deployment group (with the application and role it created for itself), and its
 * application when no other deployment group of the stack uses it. A role passed in is kept.
 * @internal
 */
export function codeDeployResources(ctx: MigrationContext): IConstruct[] {
  const group = ctx.props.deploymentGroup;
  if (!ctx.mapping) {
    Annotations.of(ctx.scope).addWarningV2('cdk-ecs-blue-green:migration-imported-group',
      'deploymentGroup is imported, so CLEANUP cannot delete it: run aws deploy delete-deployment-group (and delete-application) yourself');
    return [];
  }
  const owned: IConstruct[] = [group];
  const app = group.application;
  if (app instanceof Construct && app.node.scope !== group) {
    const stack = Stack.of(ctx.scope);
    const appId = stack.getLogicalId(app.node.defaultChild as codedeploy.CfnApplication);
    const usedElsewhere = stack.node.findAll().some((c) => c instanceof codedeploy.CfnDeploymentGroup
      && !c.node.path.startsWith(group.node.path + '/') && stack.resolve(c.applicationName)?.Ref === appId);
    if (!usedElsewhere) owned.push(app);
  }
  return owned;
}
