import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CircuitBreakerThreshold } from './circuit-breaker';
import { DeploymentStrategy } from './deployment-strategy';
import { TrafficRouting } from './traffic-routing';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { PropTable, PropType, T } from '../private/prop-types';

/** A routing made by a TrafficRouting factory. @internal */
export const TRAFFIC_ROUTING: PropType = T.instance(
  'a TrafficRouting (e.g. TrafficRouting.applicationLoadBalancer({ listener }) or TrafficRouting.none())', TrafficRouting, ['_bind', '_kind']);

/** A strategy made by a DeploymentStrategy factory. @internal */
export const DEPLOYMENT_STRATEGY: PropType = T.instance(
  'a DeploymentStrategy (e.g. DeploymentStrategy.canary({ canaryPercent: 10 }))', DeploymentStrategy, ['bind']);

/** A hook made by a LifecycleHook factory or LifecycleHookFunction.toHook(). @internal */
export const LIFECYCLE_HOOK: PropType = T.instance(
  'a LifecycleHook (LifecycleHook.lambda(...), LifecycleHook.pause(...) or fn.toHook())', LifecycleHook, ['bind']);

/** An alarm (a construct implementing cloudwatch.IAlarm). @internal */
export const ALARM: PropType = T.construct('a cloudwatch.IAlarm (e.g. an Alarm, or Alarm.fromAlarmArn(...))');

const enumValues = (e: object): string[] => Object.values(e).filter((v): v is string => typeof v === 'string');

/** The runtime types of `BlueGreenEcsServiceProps`, checked before any prop is used. @internal */
export const SERVICE_PROP_TYPES: PropTable = {
  cluster: T.required(T.construct('the ecs.ICluster the service runs in')),
  taskDefinition: T.required(T.construct('an ecs.TaskDefinition (FargateTaskDefinition or Ec2TaskDefinition)')),
  routing: T.required(TRAFFIC_ROUTING),
  additionalRouting: T.map(TRAFFIC_ROUTING),
  strategy: DEPLOYMENT_STRATEGY,
  hooks: T.list(LIFECYCLE_HOOK),
  alarms: T.list(ALARM),
  defaultAlarms: T.boolean,
  circuitBreaker: T.boolean,
  circuitBreakerThreshold: T.instance('a CircuitBreakerThreshold (e.g. CircuitBreakerThreshold.count(3))', CircuitBreakerThreshold, ['_render']),
  circuitBreakerResetOnHealthyTask: T.boolean,
  container: T.props('a ContainerTarget ({ containerName, containerPort? })', {
    containerName: T.required(T.string),
    containerPort: T.number,
  }),
  desiredCount: T.number,
  minHealthyPercent: T.number,
  maxHealthyPercent: T.number,
  capacityProviderStrategies: T.list(T.props('a CapacityProviderStrategy ({ capacityProvider, weight?, base? })', {
    capacityProvider: T.required(T.string),
    weight: T.number,
    base: T.number,
  })),
  vpcSubnets: T.object,
  securityGroups: T.list(T.construct('an ec2.ISecurityGroup')),
  assignPublicIp: T.boolean,
  serviceName: T.string,
  platformVersion: T.string,
  healthCheckGracePeriod: T.duration,
  enableExecuteCommand: T.boolean,
  propagateTags: T.oneOf('PropagatedTagSource', enumValues(ecs.PropagatedTagSource)),
  enableECSManagedTags: T.boolean,
  placementConstraints: T.list(T.shape('an ecs.PlacementConstraint (e.g. PlacementConstraint.distinctInstances())', ['toJson'])),
  placementStrategies: T.list(T.shape('an ecs.PlacementStrategy (e.g. PlacementStrategy.spreadAcrossInstances())', ['toJson'])),
  volumeConfigurations: T.list(T.construct('an ecs.ServiceManagedVolume')),
  taskDefinitionRevision: T.props('an ecs.TaskDefinitionRevision (TaskDefinitionRevision.LATEST or TaskDefinitionRevision.of(n))', {}),
  availabilityZoneRebalancing: T.oneOf('AvailabilityZoneRebalancing', enumValues(ecs.AvailabilityZoneRebalancing)),
  outputs: T.boolean,
  // Its target and events are checked where they are used (observability.ts).
  notifications: T.props('a DeploymentNotifications ({ target, events? })', {}),
  dashboard: T.boolean,
};
