import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/** A request header that routes test traffic to the green revision. */
export interface TestTrafficHeader {
  /** Header name, e.g. `X-Test-Traffic`. */
  readonly name: string;
  /** Exact header value, e.g. `true`. */
  readonly value: string;
}

/** Options of `TrafficRouting.applicationLoadBalancer()`. */
export interface ApplicationLoadBalancerRoutingOptions {
  /** The production listener. The service's production rule is added to it. */
  readonly listener: elbv2.IApplicationListener;

  /**
   * A separate listener (e.g. port 9000, not open to the internet) that reaches the green
   * revision before production traffic moves. Mutually exclusive with `testHeader`.
   * @default - no test listener
   */
  readonly testListener?: elbv2.IApplicationListener;

  /**
   * Test traffic on the production listener: requests carrying this header reach green.
   * Mutually exclusive with `testListener`.
   * @default - no header-based test traffic
   */
  readonly testHeader?: TestTrafficHeader;

  /**
   * Conditions of the production rule (host, path, header, ...). Services that share a listener
   * need distinct conditions and priorities.
   * @default - path-pattern /* (every request)
   */
  readonly conditions?: elbv2.ListenerCondition[];

  /**
   * Priority of the production rule on its listener, 1–50000.
   * @default 50000 - evaluated last
   */
  readonly priority?: number;

  /**
   * Priority of the test rule: on the test listener, or on the production listener when
   * `testHeader` is used (where it must be lower than `priority`, so it is evaluated first).
   * @default - `priority` on a test listener; `priority - 1` for a header rule
   */
  readonly testPriority?: number;

  /**
   * Health check of the blue and green target groups.
   * @default - ALB defaults (HTTP GET / on the traffic port)
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * Protocol between the ALB and the tasks.
   * @default ApplicationProtocol.HTTP
   */
  readonly targetProtocol?: elbv2.ApplicationProtocol;

  /**
   * How long the target groups wait for in-flight requests before deregistering a task.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Keep the weights ECS has set when a stack update rewrites the rules (see
   * `WeightedListenerRuleProps.preserveLiveWeights`).
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}

/** Options of `TrafficRouting.networkLoadBalancer()`. */
export interface NetworkLoadBalancerRoutingOptions {
  /**
   * The production listener; it must have no default action yet: the routing sets it to a
   * weighted forward to blue (1) and green (0), which ECS rewrites by listener ARN. A listener
   * with a default action (defaultAction, defaultTargetGroups, a DefaultActions override, or
   * another service's routing) is refused at synth. One listener serves one service.
   */
  readonly listener: elbv2.NetworkListener;

  /**
   * A separate listener for test traffic, also without a default action (checked at synth).
   * @default - no test listener
   */
  readonly testListener?: elbv2.NetworkListener;

  /**
   * Health check of the blue and green target groups.
   * @default - NLB defaults (TCP on the traffic port)
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * How long the target groups wait before deregistering a task.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Keep the weights ECS has set on the listeners' default actions when a stack update rewrites
   * the listeners (read at deploy time by one custom resource per stack).
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}

/** Options of `TrafficRouting.serviceConnect()`. */
export interface ServiceConnectRoutingOptions {
  /**
   * Name of the port mapping (in the task definition) that Service Connect exposes.
   */
  readonly portMappingName: string;

  /**
   * Cloud Map namespace (name or ARN).
   * @default - the cluster's default Cloud Map namespace
   */
  readonly namespace?: string;

  /**
   * DNS name clients use.
   * @default - the port mapping name
   */
  readonly dnsName?: string;

  /**
   * Port clients use.
   * @default - the container port of the port mapping
   */
  readonly port?: number;

  /**
   * Requests with this header reach the green revision during a deployment (on every service
   * this routing advertises).
   * @default - no test traffic rule
   */
  readonly testTrafficHeader?: TestTrafficHeader;

  /**
   * More ports of the task that Service Connect advertises, each with its own discovery name and
   * client alias (e.g. an admin or gRPC port next to the main one). ECS shifts them together.
   * @default - only `portMappingName`
   */
  readonly additionalServices?: ecs.ServiceConnectService[];
}
