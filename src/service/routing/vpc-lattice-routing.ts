import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './bind-contract';
import { VpcLatticeCondition } from './vpc-lattice-condition';
import { PriorityClaim, checkLatticeService, checkTestListenerService, claimPriorities, latticeListenerOf } from './vpc-lattice-conflicts';
import type { VpcLatticeRoutingOptions } from './vpc-lattice-options';
import { forwardTo, latticeTestEndpoint, renderMatch, renderVpcLatticeConfiguration } from './vpc-lattice-render';
import {
  ListenerRef, MAX_PRIORITY, MIN_PRIORITY, listenerRef, sameListener, validateConditions, validateOptions, validateTestHeader,
} from './vpc-lattice-validation';
import { BlueGreenValidationError } from '../../errors';
import { integerInRange } from '../../private/validate';
import { LiveWeights } from '../../routing/live-weights';

/** The VPC Lattice resources ECS manages for one service during its deployments. @internal */
export interface VpcLatticeResources {
  readonly targetGroupArns: string[];
  readonly ruleArns: string[];
}

/** What a Lattice routing adds to the bind result. @internal */
export interface VpcLatticeBinding {
  readonly blueTargetGroup: vpclattice.CfnTargetGroup;
  readonly greenTargetGroup: vpclattice.CfnTargetGroup;
  readonly productionRule: vpclattice.CfnRule;
  readonly testRule?: vpclattice.CfnRule;
  readonly latticeService?: vpclattice.CfnService;
}

const DEFAULT_PRIORITY = 100;
/**
 * VPC Lattice sends requests to targets from the link-local range of its managed prefix list
 * (`com.amazonaws.<region>.vpc-lattice`); the tasks admit it on the container port.
 */
const LATTICE_IPV4_RANGE = '169.254.171.0/24';

/**
 * Binds a VPC Lattice routing: the blue and green IP target groups, the production rule (blue 1,
 * green 0), the optional test rule, the Lattice service and listener when none is given, and the
 * service's `VpcLatticeConfigurations` entry with its AdvancedConfiguration (through a property
 * override: aws-cdk-lib 2.257's L1 has no AdvancedConfiguration).
 * @internal
 */
export function bindVpcLattice(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions): RoutingBindResult {
  const scope = ctx.scope;
  const prop = ctx.prop;
  validateOptions(ctx, o);
  const mapping = ctx.container.portMappings.find((m) => m.containerPort === ctx.containerPort);
  if (ctx.containerPort === 0 || !mapping) {
    throw new BlueGreenValidationError(scope, 'container',
      `container ${ctx.container.containerName} has no port mapping for VPC Lattice to reach; add one or set container`);
  }
  if (!mapping.name) {
    throw new BlueGreenValidationError(scope, 'container',
      `port ${ctx.containerPort} of container ${ctx.container.containerName} has no name; ECS registers a VPC Lattice target by port ` +
      'mapping name (VpcLatticeConfigurations[].PortName): add name to the port mapping, e.g. { containerPort: 80, name: \'web\' }');
  }
  if ((mapping.protocol ?? ecs.Protocol.TCP) !== ecs.Protocol.TCP) {
    throw new BlueGreenValidationError(scope, 'container',
      `port ${ctx.containerPort} of container ${ctx.container.containerName} is ${mapping.protocol}; VPC Lattice forwards HTTP(S) over TCP only`);
  }
  if (ctx.taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC) {
    throw new BlueGreenValidationError(scope, 'taskDefinition',
      `uses the ${ctx.taskDefinition.networkMode} network mode; VPC Lattice blue/green needs IP targets, i.e. the awsvpc network mode`);
  }
  const priority = integerInRange(scope, `${prop}.priority`, o.priority ?? DEFAULT_PRIORITY, MIN_PRIORITY, MAX_PRIORITY);
  const conditions = o.conditions ?? [VpcLatticeCondition.pathPrefix('/')];
  validateConditions(ctx, `${prop}.conditions`, conditions, 'the production rule');
  const testListenerGiven = o.testListener !== undefined || o.testListenerArn !== undefined;
  let testPriority: number | undefined;
  if (o.testHeader) {
    validateTestHeader(ctx, o.testHeader);
    validateConditions(ctx, `${prop}.conditions`, [...conditions, VpcLatticeCondition.header(o.testHeader.name, o.testHeader.value)],
      'the test header rule (routing.conditions plus the test header)');
    testPriority = o.testPriority ?? priority - 1;
    if (testPriority !== undefined && !Token.isUnresolved(testPriority)) {
      integerInRange(scope, `${prop}.testPriority`, testPriority, MIN_PRIORITY, MAX_PRIORITY,
        o.testPriority === undefined ? `(priority ${priority} leaves no lower priority for the test header rule; set priority to 2 or more, or set testPriority)` : undefined);
      if (!Token.isUnresolved(priority) && testPriority >= priority) {
        throw new BlueGreenValidationError(scope, `${prop}.testPriority`,
          `must be lower than the production rule's priority (${priority}) so the header rule is evaluated first, got ${testPriority}`);
      }
    }
  } else if (testListenerGiven) {
    testPriority = integerInRange(scope, `${prop}.testPriority`, o.testPriority ?? priority, MIN_PRIORITY, MAX_PRIORITY);
  }

  const userListener = o.listener !== undefined || o.listenerArn !== undefined;
  if (testListenerGiven && !userListener) checkTestListenerService(ctx, o, undefined, undefined);

  // The Lattice service and listener: the user's, or created here. A listener ARN that is a
  // listener of this app (`listener.attrArn`) is that listener.
  let latticeService = o.latticeService;
  let production: ListenerRef;
  if (userListener) {
    production = listenerRef(ctx, `${prop}.${o.listener ? 'listener' : 'listenerArn'}`, o.listener ?? latticeListenerOf(o.listenerArn), o.listenerArn);
  } else {
    latticeService = new vpclattice.CfnService(scope, 'LatticeService', { authType: o.authType ?? 'AWS_IAM' });
    const port = integerInRange(scope, `${prop}.listenerPort`, o.listenerPort ?? 80, 1, 65535);
    const listener = new vpclattice.CfnListener(scope, 'LatticeListener', {
      serviceIdentifier: latticeService.attrId,
      protocol: 'HTTP',
      port,
      defaultAction: { fixedResponse: { statusCode: 404 } },
    });
    if (o.serviceNetworkIdentifier) {
      new vpclattice.CfnServiceNetworkServiceAssociation(scope, 'LatticeServiceNetworkAssociation', {
        serviceIdentifier: latticeService.attrId,
        serviceNetworkIdentifier: o.serviceNetworkIdentifier,
      });
    }
    production = { listenerIdentifier: listener.attrId, serviceIdentifier: latticeService.attrId, arn: listener.attrArn, cfn: listener, port, scheme: 'http' };
  }
  const test = testListenerGiven
    ? listenerRef(ctx, `${prop}.${o.testListener ? 'testListener' : 'testListenerArn'}`, o.testListener ?? latticeListenerOf(o.testListenerArn), o.testListenerArn)
    : undefined;
  if (test && sameListener(production, test, o)) {
    throw new BlueGreenValidationError(scope, `${prop}.testListener`,
      'must differ from the production listener; for test traffic on the production listener use testHeader');
  }
  checkTestListenerService(ctx, o, production, test);
  checkLatticeService(ctx, o, production);
  if (userListener) {
    // Other services' rules (and the user's) on the same listeners: one priority each.
    const claims: PriorityClaim[] = [{ where: production, priority, prop: `${prop}.priority`, ruleId: 'ProductionRule' }];
    const testWhere = o.testHeader ? production : test;
    if (testWhere) claims.push({ where: testWhere, priority: testPriority!, prop: `${prop}.testPriority`, ruleId: 'TestRule' });
    claimPriorities(ctx, claims);
  }

  const targetGroupProps = (): vpclattice.CfnTargetGroupProps => ({
    type: 'IP',
    config: {
      port: ctx.containerPort,
      protocol: o.targetProtocol ?? 'HTTP',
      protocolVersion: o.protocolVersion ?? 'HTTP1',
      ipAddressType: 'IPV4',
      vpcIdentifier: ctx.cluster.vpc.vpcId,
      healthCheck: o.healthCheck,
    },
  });
  const blue = new vpclattice.CfnTargetGroup(scope, 'BlueTargetGroup', targetGroupProps());
  const green = new vpclattice.CfnTargetGroup(scope, 'GreenTargetGroup', targetGroupProps());
  const preserve = o.preserveLiveWeights ?? true;
  const rule = (id: string, where: ListenerRef, rulePriority: number, ruleConditions: VpcLatticeCondition[]) => {
    const cfn = new vpclattice.CfnRule(scope, id, {
      serviceIdentifier: where.serviceIdentifier,
      listenerIdentifier: where.listenerIdentifier,
      priority: rulePriority,
      match: { httpMatch: renderMatch(ruleConditions) },
      // Blue 1 / green 0, both listed as in an ALB rule (weights 0–999: see forwardTo).
      action: forwardTo(blue.attrId, green.attrId, 1, 0),
    });
    if (preserve) {
      // Once ECS has shifted, a rewrite of the rule writes the weights live then. Upgrading from a
      // version whose rule listed one target group (the reader's <Key>T): the first deploy reads
      // that rule (one group with weight 1, or the two ECS wrote) and writes the same traffic split
      // with both groups; a rollback of it gets <Key>T again (live-weights.lambda.ts).
      const weights = LiveWeights.of(scope).registerLattice({
        kind: 'lattice',
        resource: cfn,
        serviceIdentifier: where.serviceIdentifier,
        listenerIdentifier: where.listenerIdentifier,
        listenerArn: where.arn,
        priority: rulePriority,
        blueTargetGroupArn: blue.attrArn,
        greenTargetGroupArn: green.attrArn,
        cluster: ctx.cluster,
      });
      cfn.action = forwardTo(blue.attrId, green.attrId, weights.blue, weights.green);
    }
    return cfn;
  };
  const productionRule = rule('ProductionRule', production, priority, conditions);
  let testRule: vpclattice.CfnRule | undefined;
  if (o.testHeader) {
    testRule = rule('TestRule', production, testPriority!, [...conditions, VpcLatticeCondition.header(o.testHeader.name, o.testHeader.value)]);
  } else if (test) {
    testRule = rule('TestRule', test, testPriority!, conditions);
  }

  // Lattice reaches the tasks from its link-local range.
  ctx.service.connections.allowFrom(ec2.Peer.ipv4(LATTICE_IPV4_RANGE), ec2.Port.tcp(ctx.containerPort), 'from VPC Lattice');

  const dnsName = latticeService?.attrDnsEntryDomainName;
  const url = (where: ListenerRef | undefined) => (dnsName && where?.port !== undefined
    ? `${where.scheme ?? 'http'}://${dnsName}:${where.port}` : undefined);
  const testWhere = o.testHeader ? production : test;
  const testUrl = testRule ? url(testWhere) : undefined;
  // A Lattice service's auth type defaults to NONE; the one created here to AWS_IAM.
  const authType = latticeService === undefined ? undefined
    : (o.listener || o.listenerArn) ? (latticeService.authType ?? 'NONE') : (o.authType ?? 'AWS_IAM');
  const cfnService = ctx.service.node.defaultChild as ecs.CfnService;
  const portName = mapping.name;

  return {
    networkLoadBalancer: false,
    vpcLattice: { blueTargetGroup: blue, greenTargetGroup: green, productionRule, testRule, latticeService },
    loadBalancer: {
      resources: {
        targetGroupArns: [],
        listenerRuleArns: [],
        listenerArns: [],
        latticeTargetGroupArns: [blue.attrArn, green.attrArn],
        latticeRuleArns: [productionRule.attrArn, ...(testRule ? [testRule.attrArn] : [])],
      },
      productionListenerRule: productionRule.attrArn,
      testListenerRule: testRule?.attrArn,
      attach: (roleArn) => renderVpcLatticeConfiguration(ctx, cfnService, {
        portName,
        roleArn,
        targetGroupArn: blue.attrArn,
        alternateTargetGroupArn: green.attrArn,
        productionListenerRule: productionRule.attrArn,
        testListenerRule: testRule?.attrArn,
      }),
    },
    productionUrl: url(production),
    testUrl,
    testHeader: o.testHeader,
    testEndpoint: testUrl && dnsName && testWhere?.port !== undefined
      ? latticeTestEndpoint(ctx, dnsName, testWhere.port, testWhere.scheme ?? 'http', conditions, authType)
      : undefined,
  };
}

/** `TrafficRouting.vpcLattice()`: a Lattice listener rule whose weights ECS shifts. @internal */
export class VpcLatticeRouting implements RoutingKind {
  constructor(private readonly options: VpcLatticeRoutingOptions) {}

  public _kind(): string {
    return 'vpc-lattice';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    return bindVpcLattice(ctx, this.options ?? {});
  }
}
