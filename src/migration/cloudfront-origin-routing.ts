import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { CleanupPrecondition } from './cleanup-precondition';
import { serviceRef } from './migration-context';
import { CloudFrontOriginRoutingOptions, MigrationPhase } from './migration-option';
import { movedIn, RoutingLayerPhase } from './routing-layer-phase';
import { BlueGreenValidationError } from '../errors';

/**
 * Option 3 with CloudFront: the origin that points at the old load balancer points at the new one
 * from CUTOVER.
 * @internal
 */
export function cloudFrontOriginPhase(input: RoutingLayerPhase, cf: CloudFrontOriginRoutingOptions): { plan: string[] } {
  const { scope, phase, oldLoadBalancer: oldAlb, newLoadBalancer: loadBalancer } = input;
  const stack = Stack.of(scope);
  const distribution = cf.distribution.node.defaultChild as cloudfront.CfnDistribution;
  const origins: Array<{ domainName?: unknown; id?: string }> = stack.resolve(distribution.distributionConfig)?.origins ?? [];
  const oldDns = JSON.stringify(stack.resolve(oldAlb.loadBalancerDnsName));
  const index = origins.findIndex((o) => JSON.stringify(o.domainName) === oldDns);
  if (index < 0) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `the distribution ${cf.distribution.node.path} has no origin whose domain is the old load balancer ${oldAlb.node.path}; add the load balancer as an origin (origins.LoadBalancerV2Origin)`);
  }
  if (movedIn(phase)) distribution.addPropertyOverride(`DistributionConfig.Origins.${index}.DomainName`, loadBalancer.loadBalancerDnsName);
  if (phase === MigrationPhase.CLEANUP) {
    const check = new CleanupPrecondition(scope, 'CleanupPrecondition', {
      service: serviceRef(input.service),
      origin: { distribution, originId: String(origins[index].id), domainName: loadBalancer.loadBalancerDnsName },
    });
    // The check reads the origin before this deploy writes the distribution.
    cf.distribution.node.addDependency(check);
    input.removeOldPath();
  }
  return { plan: PLAN[phase]({ name: cf.distribution.node.path, originId: String(origins[index].id) }) };
}

/** The steps of each phase of option 3 with CloudFront. */
const PLAN: { readonly [phase in MigrationPhase]: (f: { name: string; originId: string }) => string[] } = {
  [MigrationPhase.PREPARE]: (f) => [
    `This deploy adds a new load balancer with a new ECS blue/green service; ${f.name} keeps sending every request to the old load balancer.`,
    'Next: deploy CUTOVER, which points the distribution\'s origin at the new load balancer (all traffic at once; CloudFront takes some minutes to deploy the change).',
  ],
  [MigrationPhase.CUTOVER]: (f) => [
    `This deploy points origin ${f.originId} of ${f.name} at the new load balancer: all requests move once CloudFront has deployed the change.`,
    'Verify: aws cloudfront get-distribution-config shows the new domain; the new target groups serve requests; alarms stay OK.',
    'Rollback: deploy ROLLBACK (the origin points at the old load balancer again). Next: deploy CLEANUP when stable.',
  ],
  [MigrationPhase.ROLLBACK]: (f) => [
    `This deploy points the origin of ${f.name} at the old load balancer again; the new path stays up for another try.`,
    'Verify: requests on the new load balancer drain to zero (RequestCount) once CloudFront has deployed the change.',
  ],
  [MigrationPhase.CLEANUP]: () => [
    'This deploy deletes the old load balancer, its listeners and target groups, the old service and the CodeDeploy resources.',
    'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and the distribution\'s origin already points at the new load balancer.',
    'Verify: the distribution serves from the new load balancer only.',
  ],
};
