import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { CleanupPrecondition } from './cleanup-precondition';
import { serviceRef } from './migration-context';
import { MigrationPhase, Route53WeightedRoutingOptions } from './migration-option';
import { RoutingLayerPhase } from './routing-layer-phase';

/** A record name as Route 53 stores it: relative names are completed with the zone's name. */
function fullyQualified(recordName: string, zoneName: string): string {
  const name = recordName.replace(/\.$/, '');
  const zone = zoneName.replace(/\.$/, '');
  return name === zone || name.endsWith(`.${zone}`) ? name : `${name}.${zone}`;
}

/**
 * Option 3 with Route 53: two weighted alias records, the new one at `percent` from CUTOVER.
 * @internal
 */
export function route53WeightedPhase(input: RoutingLayerPhase, r53: Route53WeightedRoutingOptions): { plan: string[] } {
  const { scope, phase, percent } = input;
  const newWeight = phase === MigrationPhase.CUTOVER ? percent : phase === MigrationPhase.CLEANUP ? 100 : 0;
  const record = (id: string, target: elbv2.IApplicationLoadBalancer, weight: number) => new route53.ARecord(scope, id, {
    zone: r53.zone,
    recordName: r53.recordName,
    target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(target)),
    weight,
    setIdentifier: id === 'NewRecord' ? 'ecs-blue-green' : 'codedeploy',
  });
  const newRecord = record('NewRecord', input.newLoadBalancer, newWeight);
  if (phase === MigrationPhase.CLEANUP) {
    const check = new CleanupPrecondition(scope, 'CleanupPrecondition', {
      service: serviceRef(input.service),
      record: {
        hostedZoneId: r53.zone.hostedZoneId,
        hostedZoneArn: r53.zone.hostedZoneArn,
        recordName: fullyQualified(r53.recordName, r53.zone.zoneName),
        setIdentifier: 'codedeploy',
        // The old records are of the type the layer writes (both records are made by `record`).
        recordTypes: [(newRecord.node.defaultChild as route53.CfnRecordSet).type],
      },
    });
    // The check reads the old record's weight before this deploy changes any record.
    newRecord.node.addDependency(check);
    input.removeOldPath();
  } else {
    record('OldRecord', input.oldLoadBalancer, 100 - newWeight);
  }
  return { plan: PLAN[phase]({ recordName: r53.recordName, percent }) };
}

/** The steps of each phase of option 3 with Route 53. */
const PLAN: { readonly [phase in MigrationPhase]: (f: { recordName: string; percent: number }) => string[] } = {
  [MigrationPhase.PREPARE]: (f) => [
    `This deploy adds a new load balancer with a new ECS blue/green service, and two weighted alias records for ${f.recordName}: ` +
      'the old load balancer at 100, the new one at 0. The app must not also define a simple record of that name (Route 53 rejects the mix).',
    'Next: deploy CUTOVER with cutoverPercent 10, then 50, then 100, watching error rates between steps (allow for DNS caching: at least the alias target\'s TTL, 60 s).',
  ],
  [MigrationPhase.CUTOVER]: (f) => [
    `This deploy sends ${f.percent}% of DNS answers for ${f.recordName} to the new load balancer and ${100 - f.percent}% to the old one.`,
    'Verify: dig shows both targets in proportion; the new target groups serve requests; alarms stay OK. Clients caching DNS move gradually.',
    'Rollback: deploy ROLLBACK (back to 100/0). Next: raise cutoverPercent, then deploy CLEANUP when at 100 and stable.',
  ],
  [MigrationPhase.ROLLBACK]: (f) => [
    `This deploy sends every DNS answer for ${f.recordName} to the old load balancer again; the new path stays up for another try.`,
    'Verify: traffic on the new load balancer drains to zero (RequestCount), the old one serves it all.',
  ],
  [MigrationPhase.CLEANUP]: (f) => [
    `This deploy deletes the old load balancer, its listeners and target groups, the old service, its weighted record, and the CodeDeploy resources; ${f.recordName} resolves to the new load balancer only.`,
    'Before: keep CUTOVER at 100% for longer than the longest DNS caching you expect, and point alarms and dashboards at the new resources.',
    'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller, the old record is found with weight 0 ' +
      'while the new one weighs more, and no other record of the name answers with the old load balancer.',
    'Verify: the record answers with the new load balancer only; no requests reach the old one before it goes.',
  ],
};
