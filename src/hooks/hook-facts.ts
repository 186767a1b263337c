import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The listener that carries a service's test traffic, as a hook sees it when it is bound: enough
 * to tell at synth time whether a request from the hook function can reach the green revision.
 */
export interface HookTestEndpoint {
  /** Scheme of requests to the listener: `http`, `https` (an HTTPS or TLS listener) or `none` (UDP). */
  readonly scheme: string;

  /** DNS name of the load balancer. */
  readonly dnsName: string;

  /** Port of the listener. */
  readonly port: number;

  /**
   * Whether the load balancer is internet-facing: its DNS name then resolves to public addresses,
   * also from inside its VPC.
   * @default - unknown (an imported load balancer)
   */
  readonly internetFacing?: boolean;

  /**
   * Whether the listener's port admits every address (0.0.0.0/0 or ::/0), so that a client
   * outside the VPC, or one behind a NAT gateway, reaches it.
   * @default - unknown (a security group that was imported)
   */
  readonly openToInternet?: boolean;

  /**
   * The security groups in front of the listener, through which a hook function in the VPC is
   * admitted.
   * @default - none: nothing filters traffic to the listener (a network load balancer without security groups)
   */
  readonly connections?: ec2.Connections;

  /**
   * VPC of the load balancer.
   * @default - unknown
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Host names the test rule requires (its host-header condition; literal values, `*` and `?` as ALB wildcards).
   * @default - the rule has no host condition
   */
  readonly hostNames?: string[];

  /**
   * Path patterns the test rule requires (its path-pattern condition).
   * @default - the rule has no path condition
   */
  readonly pathPatterns?: string[];

  /**
   * Other condition fields of the test rule (e.g. `query-string`, `source-ip`), which a request
   * from a hook may not satisfy.
   * @default - none
   */
  readonly otherConditions?: string[];
}

/** A load balancer in front of the service, with the two target groups ECS moves traffic between. */
export interface HookLoadBalancerTargets {
  /** Whether it is a network load balancer (AWS/NetworkELB metrics) rather than an application load balancer (AWS/ApplicationELB). */
  readonly networkLoadBalancer: boolean;

  /** The load balancer's full name, the `LoadBalancer` dimension of its metrics (`app/<name>/<id>`, `net/<name>/<id>`). */
  readonly loadBalancerFullName: string;

  /** ARNs of the blue and green target groups (either may hold the next revision). */
  readonly targetGroupArns: string[];

  /** Full names of the target groups, their metrics' `TargetGroup` dimension (`targetgroup/<name>/<id>`), in the order of `targetGroupArns`. */
  readonly targetGroupFullNames: string[];
}
