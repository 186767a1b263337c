import { IConstruct } from 'constructs';
import { BlueGreenEcsServiceProps } from './blue-green-ecs-service-props';
import { BlueGreenValidationError } from '../errors';
import { checkListEntries, requireProp } from '../private/required';

/**
 * Checks what TypeScript would have checked, for JavaScript callers: required props and list
 * entries, each reported with the prop and what it takes instead of a TypeError later on.
 * @internal
 */
export function checkServiceProps(scope: IConstruct, props: BlueGreenEcsServiceProps | undefined): void {
  requireProp(scope, 'props', props, '{ cluster, taskDefinition, routing }');
  requireProp(scope, 'cluster', props!.cluster, 'the ecs.ICluster the service runs in');
  requireProp(scope, 'taskDefinition', props!.taskDefinition, 'an ecs.TaskDefinition (FargateTaskDefinition or Ec2TaskDefinition)');
  requireProp(scope, 'routing', props!.routing, 'a TrafficRouting, e.g. TrafficRouting.applicationLoadBalancer({ listener }) or TrafficRouting.none()');
  if (typeof props!.routing._bind !== 'function') {
    throw new BlueGreenValidationError(scope, 'routing', 'must be a TrafficRouting made by one of its factories, e.g. TrafficRouting.applicationLoadBalancer({ listener })');
  }
  const lists: Array<[string, readonly unknown[] | undefined, string]> = [
    ['hooks', props!.hooks, 'a LifecycleHook (LifecycleHook.lambda(...) or LifecycleHook.pause(...))'],
    ['alarms', props!.alarms, 'a cloudwatch.IAlarm'],
    ['capacityProviderStrategies', props!.capacityProviderStrategies, 'a CapacityProviderStrategy'],
    ['securityGroups', props!.securityGroups, 'an ec2.ISecurityGroup'],
    ['placementConstraints', props!.placementConstraints, 'an ecs.PlacementConstraint'],
    ['placementStrategies', props!.placementStrategies, 'an ecs.PlacementStrategy'],
    ['volumeConfigurations', props!.volumeConfigurations, 'an ecs.ServiceManagedVolume'],
  ];
  for (const [prop, list, expected] of lists) checkListEntries(scope, prop, list, expected);
  const additional = props!.additionalRouting;
  if (additional !== undefined && (typeof additional !== 'object' || additional === null || Array.isArray(additional))) {
    throw new BlueGreenValidationError(scope, 'additionalRouting', 'must map exposure names to TrafficRouting values, e.g. { Internal: TrafficRouting.applicationLoadBalancer({ listener }) }');
  }
}
