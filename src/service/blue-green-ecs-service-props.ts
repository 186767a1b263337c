import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CircuitBreakerThreshold } from './circuit-breaker';
import { DeploymentStrategy } from './deployment-strategy';
import { TrafficRouting } from './traffic-routing';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { DeploymentNotifications } from '../observability/deployment-notifications';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';

/** Which container and port receive the traffic. */
export interface ContainerTarget {
  /** Name of the container in the task definition. */
  readonly containerName: string;

  /**
   * Container port that receives traffic.
   * @default - the container's first port mapping
   */
  readonly containerPort?: number;
}

/** Props of `BlueGreenEcsService`. */
export interface BlueGreenEcsServiceProps {
  /** The cluster the service runs in. */
  readonly cluster: ecs.ICluster;

  /**
   * The task definition. Fargate-compatible ones make a Fargate service, EC2-only ones an EC2
   * service.
   */
  readonly taskDefinition: ecs.TaskDefinition;

  /**
   * How traffic reaches the service: ALB, NLB, Service Connect, VPC Lattice or none
   * (`TrafficRouting.applicationLoadBalancer`, `networkLoadBalancer`, `serviceConnect`,
   * `vpcLattice`, `none`).
   */
  readonly routing: TrafficRouting;

  /**
   * More load balancers in front of the same tasks, shifted by the same ECS deployment, keyed by
   * a name of letters and digits (e.g. `Internal`): each gets its own blue and green target
   * groups, production (and test) rule or listener and `AdvancedConfiguration` entry, under a
   * child construct of that name, so adding or removing one leaves the others untouched. ALB or
   * NLB routings only, with `routing` an ALB or NLB routing too; ECS attaches at most five
   * target groups to a service.
   * @default - only `routing`
   */
  readonly additionalRouting?: { [name: string]: TrafficRouting };

  /**
   * How ECS shifts production traffic.
   * @default DeploymentStrategy.blueGreen() - all at once, blue kept 5 minutes
   */
  readonly strategy?: DeploymentStrategy;

  /**
   * Lifecycle hooks ECS runs during deployments (more with `addLifecycleHook`).
   * @default - none
   */
  readonly hooks?: LifecycleHook[];

  /**
   * CloudWatch alarms that roll a deployment back when any of them goes into ALARM during the
   * deployment or its bake time (with the default alarms, unless `defaultAlarms` is false).
   * @default - only the default alarms
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * Behind a load balancer, create a deployment alarm on the service's blue and green target
   * groups and roll deployments back when it fires: one alarm per load balancer, in ALARM after
   * two one-minute periods in a row in which a target group had an unhealthy target or (ALB)
   * answered at least 10 target 5xx responses that were at least 5 % of its requests. Set false to
   * rely on `alarms` only. Service Connect and headless services get none (their metrics name the
   * service, and an alarm on them would make a dependency cycle with it).
   * @default true
   */
  readonly defaultAlarms?: boolean;

  /**
   * Roll back a deployment whose tasks fail to reach a steady state (ECS deployment circuit
   * breaker with rollback).
   * @default true
   */
  readonly circuitBreaker?: boolean;

  /**
   * How many failed tasks the circuit breaker tolerates before it fails the deployment.
   * @default - ECS's default, CircuitBreakerThreshold.boundedPercent(50)
   */
  readonly circuitBreakerThreshold?: CircuitBreakerThreshold;

  /**
   * Whether a task that becomes healthy resets the circuit breaker's failure count.
   * @default - ECS's default (true)
   */
  readonly circuitBreakerResetOnHealthyTask?: boolean;

  /**
   * The container and port that receive traffic.
   * @default - the task definition's default (first essential) container and its first port mapping
   */
  readonly container?: ContainerTarget;

  /**
   * Number of tasks.
   * @default 1
   */
  readonly desiredCount?: number;

  /**
   * Lower limit of running tasks during a deployment, as a percentage of desiredCount (0–100).
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * Upper limit of running tasks during a deployment, as a percentage of desiredCount (100–200
   * and above the minimum).
   * @default 200
   */
  readonly maxHealthyPercent?: number;

  /**
   * Capacity provider strategies (e.g. FARGATE_SPOT).
   * @default - the cluster's default strategy, or the launch type
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * Subnets of the tasks (awsvpc network mode).
   * @default - private subnets of the cluster's VPC
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the tasks (awsvpc network mode).
   * @default - a new security group that the load balancer may reach
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Give the tasks public IP addresses (Fargate).
   * @default false
   */
  readonly assignPublicIp?: boolean;

  /**
   * Name of the ECS service: up to 255 letters, digits, hyphens and underscores.
   * @default - generated by CloudFormation
   */
  readonly serviceName?: string;

  /**
   * Fargate platform version (Fargate task definitions only).
   * @default - LATEST
   */
  readonly platformVersion?: ecs.FargatePlatformVersion;

  /**
   * How long ECS ignores failing load balancer and container health checks of a new task,
   * whole seconds.
   * @default - 60 seconds behind a load balancer, otherwise none
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Allow `aws ecs execute-command` into the tasks (adds the SSM messages permissions to the
   * task role, and logging as the cluster's execute command configuration says).
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Copy the tags of the service or of the task definition to the tasks.
   * @default PropagatedTagSource.NONE
   */
  readonly propagateTags?: ecs.PropagatedTagSource;

  /**
   * Tag the tasks with the cluster and service names (ECS managed tags).
   * @default false
   */
  readonly enableECSManagedTags?: boolean;

  /**
   * Task placement constraints (EC2 task definitions only; at most 10, counting the task
   * definition's own).
   * @default - none
   */
  readonly placementConstraints?: ecs.PlacementConstraint[];

  /**
   * Task placement strategies (EC2 task definitions only; at most 5 rules).
   * @default - ECS spreads tasks across Availability Zones
   */
  readonly placementStrategies?: ecs.PlacementStrategy[];

  /**
   * Volumes configured at deployment: an Amazon EBS volume that ECS creates for each task (one
   * per service; its name must be a volume of the task definition with `configuredAtLaunch`).
   * @default - none
   */
  readonly volumeConfigurations?: ecs.ServiceManagedVolume[];

  /**
   * Which revision of the task definition the service runs: a number, or `LATEST` (the newest
   * ACTIVE revision of the family).
   * @default - the revision this stack deploys
   */
  readonly taskDefinitionRevision?: ecs.TaskDefinitionRevision;

  /**
   * Let ECS move tasks to rebalance them across Availability Zones. ENABLED needs
   * `maxHealthyPercent` above 100 and, on EC2, an Availability Zone spread as first placement
   * strategy (if any) and no placement constraint on `attribute:ecs.availability-zone`.
   * @default - ECS's default for a new service (ENABLED)
   */
  readonly availabilityZoneRebalancing?: ecs.AvailabilityZoneRebalancing;

  /**
   * Add CfnOutputs with the production and test URLs.
   * @default false
   */
  readonly outputs?: boolean;

  /**
   * Notify a team of this service's deployments: EventBridge rules on its ECS deployment, service
   * action and lifecycle hook events, each delivering a readable text message (an input transformer)
   * to `notifications.target`. A PAUSE hook's message carries the hook ID and the
   * `ecs-blue-green continue` and `aws ecs continue-service-deployment` commands. One rule per kind
   * of message (up to 4), for this service only (see docs/PERFORMANCE.md for the cost).
   * @default - no notifications
   */
  readonly notifications?: DeploymentNotifications;

  /**
   * Create a CloudWatch dashboard for this service's deployments: requests, target 5xx, p99 latency
   * and healthy hosts of the blue and green target groups side by side (ALB; NLB: healthy and
   * unhealthy hosts), running and desired task counts (Container Insights metrics: turn Container
   * Insights on for the cluster) and the state of the rollback alarms. One resource.
   * @default false
   */
  readonly dashboard?: boolean;
}

/** The resources of one load balancer exposure of a blue/green service. */
export interface LoadBalancerExposure {
  /** Target group that serves production traffic when the service is created. */
  readonly blueTargetGroup: elbv2.ITargetGroup;

  /** Target group ECS deploys the next revision into. */
  readonly greenTargetGroup: elbv2.ITargetGroup;

  /** The blue target group, behind an ALB. @default - not behind an ALB */
  readonly blueApplicationTargetGroup?: elbv2.IApplicationTargetGroup;

  /** The green target group, behind an ALB. @default - not behind an ALB */
  readonly greenApplicationTargetGroup?: elbv2.IApplicationTargetGroup;

  /** The blue target group, behind an NLB. @default - not behind an NLB */
  readonly blueNetworkTargetGroup?: elbv2.INetworkTargetGroup;

  /** The green target group, behind an NLB. @default - not behind an NLB */
  readonly greenNetworkTargetGroup?: elbv2.INetworkTargetGroup;

  /** The ALB production rule ECS flips. @default - not behind an ALB */
  readonly productionRule?: WeightedListenerRule;

  /** The ALB test rule (test listener or header). @default - no ALB test traffic */
  readonly testRule?: WeightedListenerRule;

  /** URL of the production endpoint (load balancer DNS name and port). @default - unknown */
  readonly productionUrl?: string;

  /** URL that reaches green before production traffic moves. @default - no test endpoint */
  readonly testUrl?: string;
}
