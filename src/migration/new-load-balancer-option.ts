import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { apiGatewayPhase } from './api-gateway-routing';
import { cloudFrontOriginPhase } from './cloudfront-origin-routing';
import { listenerSettings } from './listener-copy';
import { admitOldSources, checkLoadBalancerAccess, copyWebAcl, LoadBalancerAccessInput } from './load-balancer-access';
import { codeDeployResources, MigrationContext, MigrationOptionResult, portOf } from './migration-context';
import { MigrationPhase, RoutingLayerKind } from './migration-option';
import { buildNewService } from './new-service';
import { route53WeightedPhase } from './route53-weighted-routing';
import { RoutingLayerPhase } from './routing-layer-phase';
import { BlueGreenValidationError } from '../errors';
import { exemptFromNag } from '../private/nag';
import { removeFromApp } from '../private/remove';
import { integerInRange } from '../private/validate';
import { TrafficRouting } from '../service/traffic-routing';

/**
 * Option 3, a new service behind a new load balancer: the routing layer in front of both load
 * balancers (Route 53, CloudFront or API Gateway, each in its own file) moves the traffic.
 * @internal
 */
export function newServiceNewLoadBalancer(ctx: MigrationContext): MigrationOptionResult {
  const p = ctx.props;
  const scope = ctx.scope;
  const o = p.option.newLoadBalancer!;
  const oldAlb = p.productionListener.loadBalancer;
  const oldProd = p.productionListener.node.defaultChild as elbv2.CfnListener;
  const oldCfnAlb = oldAlb.node.defaultChild as elbv2.CfnLoadBalancer | undefined;
  if (!oldAlb.vpc || !oldCfnAlb) {
    throw new BlueGreenValidationError(scope, 'productionListener',
      `must belong to a load balancer defined in this app (the new load balancer goes into its VPC), got ${oldAlb.node.path}: for an imported load ` +
      'balancer (fromLookup, fromApplicationLoadBalancerAttributes) its scheme and security group ingress cannot be read at synth time, ' +
      'nor can CLEANUP delete it: define it in the app');
  }
  const percent = integerInRange(scope, 'cutoverPercent', p.cutoverPercent ?? 100, 0, 100);
  if (o.routing.kind !== RoutingLayerKind.ROUTE53_WEIGHTED && percent !== 100) {
    const factory = o.routing.kind === RoutingLayerKind.CLOUDFRONT_ORIGIN ? 'RoutingLayer.cloudFrontOrigin (an origin' : 'RoutingLayer.apiGateway (an integration';
    throw new BlueGreenValidationError(scope, 'cutoverPercent',
      `must be 100 with ${factory} moves all traffic at once), got ${percent}; use RoutingLayer.route53Weighted to move in steps`);
  }
  const testPort = integerInRange(scope, 'option.testPort', o.testPort ?? 9000, 1, 65535);
  const prodPort = portOf(ctx, oldProd, 'productionListener');
  if (testPort === prodPort) {
    throw new BlueGreenValidationError(scope, 'option.testPort', `must differ from the production port ${prodPort}`);
  }

  const access: LoadBalancerAccessInput = {
    scope,
    oldLoadBalancer: oldAlb,
    oldCfnLoadBalancer: oldCfnAlb,
    oldListener: p.productionListener,
    productionPort: prodPort,
    securityGroups: o.securityGroups,
    conditions: o.conditions,
    behindRoutingLayer: o.routing.kind !== RoutingLayerKind.ROUTE53_WEIGHTED,
  };
  checkLoadBalancerAccess(access);

  const internetFacing = Stack.of(scope).resolve(oldCfnAlb.scheme) !== 'internal';
  const [securityGroup, ...moreGroups] = o.securityGroups ?? [];
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc: oldAlb.vpc, internetFacing, securityGroup });
  moreGroups.forEach((g) => loadBalancer.addSecurityGroup(g));
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  const prodSettings = listenerSettings(p.productionListener);
  // Closed: the old load balancer's ingress on the production port is copied instead (or the given groups used).
  const listener = loadBalancer.addListener('Production', {
    port: prodPort, protocol: prodSettings.protocol, defaultAction: notFound, certificates: prodSettings.certificates, open: false,
  });
  prodSettings.apply(listener);
  exemptFromNag(loadBalancer, [
    { id: 'AwsSolutions-ELB2', reason: 'Access logs need a bucket of the user\'s: enable them with migration.newLoadBalancer.logAccessLogs(bucket).' },
  ]);
  const copied = o.securityGroups ? undefined : admitOldSources(access, loadBalancer);
  if (copied?.everyone) {
    exemptFromNag(loadBalancer.connections.securityGroups[0], [
      { id: 'AwsSolutions-EC23', reason: 'The new load balancer replaces a public one: its production port is open to clients like the old one\'s.' },
    ]);
  }
  const oldWebAcl = copyWebAcl(scope, oldAlb, loadBalancer);
  const testListener = loadBalancer.addListener('Test', {
    port: testPort, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false,
  });
  const built = buildNewService(ctx, TrafficRouting.applicationLoadBalancer({ listener, testListener, conditions: o.conditions }),
    [{ from: oldCfnAlb.attrLoadBalancerFullName, to: loadBalancer.loadBalancerFullName }]);
  const input: RoutingLayerPhase = {
    scope,
    phase: p.phase,
    oldLoadBalancer: oldAlb,
    oldListener: p.productionListener,
    newLoadBalancer: loadBalancer,
    newListener: listener,
    service: built.service.service,
    percent,
    removeOldPath: () => removeFromApp(scope, 'phase', [p.service, oldAlb, ...oldWebAcl, p.blueTargetGroup, p.greenTargetGroup,
      ...built.oldPathAlarms, ...codeDeployResources(ctx)]),
  };
  const routed = o.routing.kind === RoutingLayerKind.CLOUDFRONT_ORIGIN
    ? cloudFrontOriginPhase(input, o.routing.cloudFront!)
    : o.routing.kind === RoutingLayerKind.API_GATEWAY
      ? apiGatewayPhase(input, o.routing.api!)
      : route53WeightedPhase(input, o.routing.route53!);
  // In PREPARE, testing the new path comes before the step to the next phase.
  const [first, ...rest] = routed.plan;
  const admits = copied
    ? `only what the old one admits there (${copied.count} source(s) copied from its security groups)`
    : 'what the security groups given in option.securityGroups admit';
  const extras = [oldWebAcl.length > 0 ? 'the old load balancer\'s WAF web ACL is associated with it too' : '',
    o.conditions ? 'the new service\'s rule demands option.conditions' : ''].filter((x) => x).join('; ');
  const plan = p.phase === MigrationPhase.PREPARE
    ? [first, `Test the new path on the new load balancer's DNS name (port ${prodPort}, test traffic on ${testPort}) and run one ECS deployment there.`,
      `The new load balancer admits on port ${prodPort} ${admits}${extras ? `; ${extras}` : ''}; port ${testPort} admits nobody. To test from ` +
        'elsewhere, allow your address on migration.newLoadBalancer.connections for the test and remove it afterwards.', ...rest]
    : p.phase === MigrationPhase.CLEANUP ? [...routed.plan, graduation()] : routed.plan;
  return { newService: built.service, newLoadBalancer: loadBalancer, plan: [...plan, ...built.alarmNotes] };
}

/** The last step of CLEANUP: the app without the migration (README, "After CLEANUP: graduate"). */
function graduation(): string {
  return 'Then graduate: replace this construct with the BlueGreenEcsService it built, written out under a plain construct with the same ID and child IDs ' +
    '(the load balancer LoadBalancer with listeners Production and Test, and what the routing layer kept), and delete the old path\'s code ' +
    '(README, "After CLEANUP: graduate"); keep the load balancer\'s access as this phase renders it (both listeners open: false, the same ingress ' +
    'rules on its security group and the WebAclAssociation if there is one), or clients are cut off or the load balancer is opened wider.';
}
