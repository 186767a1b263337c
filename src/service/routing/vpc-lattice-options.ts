import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { TestTrafficHeader } from './options';
import type { VpcLatticeCondition } from './vpc-lattice-condition';

/** Options of `TrafficRouting.vpcLattice()`. */
export interface VpcLatticeRoutingOptions {
  /**
   * The production listener of an existing VPC Lattice service (HTTP or HTTPS), as an L1
   * resource. It must name its service (`serviceIdentifier`). The production rule is added to it.
   * Mutually exclusive with `listenerArn`.
   * @default - `listenerArn`, or a Lattice service and HTTP listener created for the service
   */
  readonly listener?: vpclattice.CfnListener;

  /**
   * ARN of the production listener of an existing VPC Lattice service
   * (`arn:aws:vpc-lattice:<region>:<account>:service/svc-.../listener/listener-...`).
   * Mutually exclusive with `listener`.
   * @default - `listener`, or a Lattice service and HTTP listener created for the service
   */
  readonly listenerArn?: string;

  /**
   * The Lattice service that `listener` or `listenerArn` belongs to, for its DNS name
   * (`productionUrl`, `testUrl`, smoke tests). Needs `listener` or `listenerArn`; when the
   * listener names a service of this app, it must be that one.
   * @default - the URLs are unknown (an imported listener)
   */
  readonly latticeService?: vpclattice.CfnService;

  /**
   * Service network (ID or ARN) that the Lattice service created for you is associated with.
   * Clients reach the service from the VPCs associated with that network.
   * @default - the created service is not associated with a network (associate it yourself)
   */
  readonly serviceNetworkIdentifier?: string;

  /**
   * Auth type of the Lattice service created for you: `AWS_IAM` (requests are SigV4-signed and
   * checked against an auth policy) or `NONE`.
   * @default 'AWS_IAM'
   */
  readonly authType?: string;

  /**
   * Port of the HTTP listener created for you.
   * @default 80
   */
  readonly listenerPort?: number;

  /**
   * Conditions of the production rule. Services sharing a listener need distinct conditions and
   * priorities. At most one path and one method condition, and at most 5 header conditions.
   * @default - path prefix `/` (every request)
   */
  readonly conditions?: VpcLatticeCondition[];

  /**
   * Priority of the production rule on its listener, 1–100 (lower is evaluated first). It must be
   * free on the listener: another service's rule, or a `CfnRule` of the app on that listener,
   * holding it is refused at synth.
   * @default 100 - evaluated last
   */
  readonly priority?: number;

  /**
   * Test traffic on the production listener: requests carrying this header (exact value) reach
   * green. Mutually exclusive with `testListener` and `testListenerArn`.
   * @default - no header-based test traffic
   */
  readonly testHeader?: TestTrafficHeader;

  /**
   * A separate listener (another port of the same Lattice service) that reaches green before
   * production traffic moves. Mutually exclusive with `testHeader` and `testListenerArn`. It must
   * belong to the production listener's Lattice service, so it needs `listener` or `listenerArn`.
   * @default - no test listener
   */
  readonly testListener?: vpclattice.CfnListener;

  /**
   * ARN of a separate test listener, of the production listener's Lattice service. Mutually
   * exclusive with `testHeader` and `testListener`.
   * @default - no test listener
   */
  readonly testListenerArn?: string;

  /**
   * Priority of the test rule, 1–100: on the test listener, or on the production listener when
   * `testHeader` is used (where it must be lower than `priority`, so it is evaluated first).
   * @default - `priority` on a test listener; `priority - 1` for a header rule
   */
  readonly testPriority?: number;

  /**
   * Protocol between VPC Lattice and the tasks: `HTTP` or `HTTPS`.
   * @default 'HTTP'
   */
  readonly targetProtocol?: string;

  /**
   * Protocol version of the target groups: `HTTP1`, `HTTP2` or `GRPC` (GRPC needs
   * `targetProtocol: 'HTTPS'`).
   * @default 'HTTP1'
   */
  readonly protocolVersion?: string;

  /**
   * Health check of the blue and green target groups.
   * @default - VPC Lattice defaults (HTTP GET / on the traffic port)
   */
  readonly healthCheck?: vpclattice.CfnTargetGroup.HealthCheckConfigProperty;

  /**
   * Keep the weights ECS has set on the production and test rules when a stack update rewrites them
   * (a change of conditions or priority, for example). The rules forward to blue and green (weights
   * 0–999, as ECS expects); after an odd number of deployments ECS serves from green, and a rule
   * written as coded (blue 1 / green 0) would send traffic to the target group ECS drained. With
   * this on, the stack's live-weights reader (one custom resource per stack, as for ALB rules) reads
   * each rule with the VPC Lattice API whenever CloudFormation is about to write it, and the rule is
   * written with the weights it has then. It refuses the update while one of the service's
   * deployments is under way.
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}
