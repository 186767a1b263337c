// What a deploy from one template to the next does to the resources that carry traffic, as
// @aws-cdk/cloudformation-diff computes it (the same diff `cdk diff` prints). Used by every test
// that backs a "nothing is replaced" claim of the README or an example (graduation after CLEANUP).
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';

/** What CloudFormation does to each resource going from `before` to `after`: `<type> <logical ID>` -> impact. */
export function impacts(before: any, after: any): Record<string, string> {
  const out: Record<string, string> = {};
  fullDiff(before, after).resources.forEachDifference((id, change) => {
    let impact: string = change.changeImpact;
    // cloudformation-diff's spec marks DeploymentController as replacing; ECS updates it in place
    // (see code-deploy-to-ecs-migration.test.ts). Only Cluster and ServiceName replace a service here.
    if (change.resourceType === 'AWS::ECS::Service' && Object.keys(change.propertyUpdates).every((k) => k !== 'Cluster' && k !== 'ServiceName')) {
      impact = impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE ? 'WILL_UPDATE' : impact;
    }
    out[`${change.oldResourceType ?? change.newResourceType} ${id}`] = impact;
  });
  return out;
}

/**
 * Resource types whose change cuts clients off or reroutes them: security groups and their rules
 * (an ingress rule gone closes a port to clients), listeners, their certificates and rules.
 */
const CLIENT_FACING = /^AWS::EC2::(SecurityGroup|SecurityGroupIngress|SecurityGroupEgress)$|^AWS::ElasticLoadBalancingV2::(Listener|ListenerRule|ListenerCertificate)$/;

/**
 * The ways `before` -> `after` could hurt traffic: every resource CloudFormation would replace
 * (or may replace), and every security group, security group rule, listener, listener
 * certificate or listener rule that would be created, deleted or have a property changed
 * (a difference in `Metadata` only, e.g. cdk-nag reasons, is not a change CloudFormation makes
 * to the resource). An empty list is what a graduation must produce.
 */
export function trafficHazards(before: any, after: any): string[] {
  const hazards: string[] = [];
  for (const [resource, impact] of Object.entries(impacts(before, after))) {
    const [type, id] = resource.split(' ');
    if (impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE) {
      hazards.push(`${resource} ${impact}`);
      continue;
    }
    if (!CLIENT_FACING.test(type) || impact === ResourceImpact.NO_CHANGE) continue;
    const [was, is] = [before.Resources?.[id], after.Resources?.[id]];
    if (was === undefined || is === undefined) {
      hazards.push(`${resource} ${impact}`);
    } else if (JSON.stringify(was.Properties) !== JSON.stringify(is.Properties)) {
      hazards.push(`${resource} ${impact}: Properties ${JSON.stringify(was.Properties)} -> ${JSON.stringify(is.Properties)}`);
    }
  }
  return hazards.sort();
}
