import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';

/** One `cdk deploy` of a migration: deploy the same app with the next phase. */
export enum MigrationPhase {
  /** Build what the new path needs without moving traffic; the CodeDeploy path stays as it is. */
  PREPARE = 'PREPARE',
  /** Move production traffic to the ECS blue/green path. */
  CUTOVER = 'CUTOVER',
  /** Remove the CodeDeploy path (deployment group, application, its role; old service and listeners). */
  CLEANUP = 'CLEANUP',
  /** Put production traffic back on the CodeDeploy path, as it was before the migration. */
  ROLLBACK = 'ROLLBACK',
}

/** The three ways to migrate. */
export enum MigrationOptionKind {
  /** Switch the existing service's deployment controller to ECS. */
  IN_PLACE = 'IN_PLACE',
  /** A new service behind new listeners of the existing load balancer; ports swap at cutover. */
  NEW_SERVICE_EXISTING_LOAD_BALANCER = 'NEW_SERVICE_EXISTING_LOAD_BALANCER',
  /** A new service behind a new load balancer; a routing layer moves the traffic. */
  NEW_SERVICE_NEW_LOAD_BALANCER = 'NEW_SERVICE_NEW_LOAD_BALANCER',
}

/** Options of `MigrationOption.newServiceExistingLoadBalancer()`. */
export interface ExistingLoadBalancerOptions {
  /** Port of the new production listener until cutover (free on the load balancer). */
  readonly temporaryProductionPort: number;

  /**
   * Port of the new test listener until cutover.
   * @default - temporaryProductionPort + 1, when the deployment group has a test listener
   */
  readonly temporaryTestPort?: number;

  /**
   * Port the old production listener moves to at cutover, so that the new listener can take the
   * original port in the same deploy (two listeners cannot share a port). Must be free.
   * @default temporaryProductionPort + 2
   */
  readonly parkingProductionPort?: number;

  /**
   * Port the old test listener moves to at cutover.
   * @default temporaryProductionPort + 3
   */
  readonly parkingTestPort?: number;
}

/** Options of `RoutingLayer.route53Weighted()`. */
export interface Route53WeightedRoutingOptions {
  /** The hosted zone of the record clients resolve. */
  readonly zone: route53.IHostedZone;

  /**
   * The record name clients use (relative to the zone, or fully qualified). The migration owns
   * its two weighted alias records; the app must not also define a simple record of that name.
   */
  readonly recordName: string;
}

/** Options of `RoutingLayer.cloudFrontOrigin()`. */
export interface CloudFrontOriginRoutingOptions {
  /**
   * The distribution clients reach. One of its origins points at the old load balancer; CUTOVER
   * points it at the new one (all traffic at once: CloudFront has no weights).
   */
  readonly distribution: cloudfront.Distribution;
}

/** Options of `RoutingLayer.apiGateway()`: exactly one of `httpApi` and `restApi`. */
export interface ApiGatewayRoutingOptions {
  /**
   * An HTTP API of this app whose integrations point at the old load balancer: HTTP proxy
   * integrations to its DNS name, or private integrations (VPC link) to its production listener.
   * Its stages must deploy automatically (`autoDeploy`, the default of `HttpApi`'s default stage).
   * @default - a REST API (`restApi`)
   */
  readonly httpApi?: apigwv2.IHttpApi;

  /**
   * A REST API of this app whose methods' integrations point at the old load balancer (HTTP or
   * HTTP_PROXY to its DNS name, also through a VPC link). It must deploy itself (`deploy`, the
   * default): CUTOVER and ROLLBACK give it a new deployment of its stage.
   * @default - an HTTP API (`httpApi`)
   */
  readonly restApi?: apigateway.RestApi;
}

/** How a routing layer moves traffic. */
export enum RoutingLayerKind {
  /** Two weighted alias records; traffic can move in steps. */
  ROUTE53_WEIGHTED = 'ROUTE53_WEIGHTED',
  /** A CloudFront origin switched from one load balancer to the other. */
  CLOUDFRONT_ORIGIN = 'CLOUDFRONT_ORIGIN',
  /** The integrations of an API Gateway HTTP or REST API switched from one load balancer to the other. */
  API_GATEWAY = 'API_GATEWAY',
}

/** The layer in front of two load balancers that moves traffic between them (option 3). */
export class RoutingLayer {
  /** Route 53 weighted alias records, one per load balancer: traffic moves in steps (`cutoverPercent`). */
  public static route53Weighted(options: Route53WeightedRoutingOptions): RoutingLayer {
    return new RoutingLayer(RoutingLayerKind.ROUTE53_WEIGHTED, options, undefined);
  }

  /** The origin of a CloudFront distribution, switched to the new load balancer at CUTOVER. */
  public static cloudFrontOrigin(options: CloudFrontOriginRoutingOptions): RoutingLayer {
    return new RoutingLayer(RoutingLayerKind.CLOUDFRONT_ORIGIN, undefined, options);
  }

  /**
   * The integrations of an API Gateway HTTP or REST API that point at the old load balancer,
   * pointed at the new one at CUTOVER (all traffic at once) with a new deployment of the stage.
   */
  public static apiGateway(options: ApiGatewayRoutingOptions): RoutingLayer {
    return new RoutingLayer(RoutingLayerKind.API_GATEWAY, undefined, undefined, options);
  }

  /** Which routing layer. */
  public readonly kind: RoutingLayerKind;

  /** The Route 53 settings. @default - not Route 53 */
  public readonly route53?: Route53WeightedRoutingOptions;

  /** The CloudFront settings. @default - not CloudFront */
  public readonly cloudFront?: CloudFrontOriginRoutingOptions;

  /** The API Gateway settings (`RoutingLayer.apiGateway()`). @default - not API Gateway */
  public readonly api?: ApiGatewayRoutingOptions;

  private constructor(kind: RoutingLayerKind, route53Options?: Route53WeightedRoutingOptions, cloudFrontOptions?: CloudFrontOriginRoutingOptions,
    apiGatewayOptions?: ApiGatewayRoutingOptions) {
    this.kind = kind;
    this.route53 = route53Options;
    this.cloudFront = cloudFrontOptions;
    this.api = apiGatewayOptions;
  }
}

/** Options of `MigrationOption.newServiceNewLoadBalancer()`. */
export interface NewLoadBalancerOptions {
  /** How traffic moves between the old and the new load balancer. */
  readonly routing: RoutingLayer;

  /**
   * Port of the new load balancer's test listener.
   * @default 9000
   */
  readonly testPort?: number;

  /**
   * Security groups of the new load balancer. Required when the old load balancer has a security
   * group that is not defined in this stack (imported with `fromSecurityGroupId` or `fromLookup`),
   * whose ingress cannot be read at synth time. A group of the old load balancer itself is refused
   * (`CLEANUP` deletes it); behind CloudFront or API Gateway, a group open to 0.0.0.0/0 or ::/0 on
   * the production port is refused unless the old load balancer was open to it too.
   * @default - a new security group that admits, on the production port, exactly the sources the
   * old load balancer's security groups admit there (CIDR ranges, prefix lists such as CloudFront's
   * origin-facing list, other security groups), copied from their rules in this stack
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Conditions of the new service's production rule on the new listener. Required when a rule
   * of the old production listener has an `http-header` condition (e.g. the secret header a
   * CloudFront origin or an API Gateway integration adds so that only it reaches the load
   * balancer): give the same header here, so that the new load balancer demands it too. The
   * routing layer keeps sending it: `CUTOVER` changes only where its origin or integration points.
   * @default - path-pattern /* (every request), when no old rule has a header condition
   */
  readonly conditions?: elbv2.ListenerCondition[];
}

/** Which of the three migrations to run (see the README's comparison table). */
export class MigrationOption {
  /**
   * Option 1: the existing service switches to the ECS deployment controller; its listeners get
   * a weighted rule to the existing blue and green target groups. Simple, no extra cost, no
   * downtime; no parallel setup to test first.
   */
  public static inPlace(): MigrationOption {
    return new MigrationOption(MigrationOptionKind.IN_PLACE, {});
  }

  /**
   * Option 2: a new ECS blue/green service with new target groups behind new listeners of the
   * existing load balancer on temporary ports; cutover swaps the ports.
   */
  public static newServiceExistingLoadBalancer(options: ExistingLoadBalancerOptions): MigrationOption {
    return new MigrationOption(MigrationOptionKind.NEW_SERVICE_EXISTING_LOAD_BALANCER, { existingLoadBalancer: options });
  }

  /**
   * Option 3: a new ECS blue/green service behind a new load balancer; a routing layer (Route 53
   * weighted records) moves the traffic, in steps if wanted.
   */
  public static newServiceNewLoadBalancer(options: NewLoadBalancerOptions): MigrationOption {
    return new MigrationOption(MigrationOptionKind.NEW_SERVICE_NEW_LOAD_BALANCER, { newLoadBalancer: options });
  }

  /** Which option this is. */
  public readonly kind: MigrationOptionKind;

  /** Settings of option 2. @default - not option 2 */
  public readonly existingLoadBalancer?: ExistingLoadBalancerOptions;

  /** Settings of option 3. @default - not option 3 */
  public readonly newLoadBalancer?: NewLoadBalancerOptions;

  private constructor(kind: MigrationOptionKind,
    settings: { existingLoadBalancer?: ExistingLoadBalancerOptions; newLoadBalancer?: NewLoadBalancerOptions }) {
    this.kind = kind;
    this.existingLoadBalancer = settings.existingLoadBalancer;
    this.newLoadBalancer = settings.newLoadBalancer;
  }
}
