import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { mapAlarmsToNewPath, PathPair, warnOldPathAlarms } from './alarm-mapping';
import { loadBalancerEntry } from './ecs-controller-switch';
import { MigrationContext } from './migration-context';
import { snsTriggerRules } from './sns-trigger-rules';
import { BlueGreenEcsService } from '../service/blue-green-ecs-service';
import { TrafficRouting } from '../service/traffic-routing';

/** The new service of options 2 and 3, with what its alarms replaced on the old path. @internal */
export interface NewService {
  readonly service: BlueGreenEcsService;
  /** The app's alarms on the old path, copied onto the new one; CLEANUP deletes them. */
  readonly oldPathAlarms: IConstruct[];
  /** Lines for the plan about the alarms. */
  readonly alarmNotes: string[];
}

/**
 * The new service of options 2 and 3 (`Service` under the migration): same task definition,
 * cluster and size as the old one, with the migration's strategy and hooks, and the alarms of the
 * old path mapped onto its target groups and load balancers (`loadBalancerPairs`: old → new).
 * @internal
 */
export function buildNewService(ctx: MigrationContext, routing: TrafficRouting, loadBalancerPairs: PathPair[]): NewService {
  const p = ctx.props;
  const scope = ctx.scope;
  const lb = loadBalancerEntry(scope, ctx.cfnService, 'attach it to blueTargetGroup as CodeDeploy requires');
  const desiredCount = Stack.of(scope).resolve(ctx.cfnService.desiredCount);
  const service = new BlueGreenEcsService(scope, 'Service', {
    cluster: p.service.cluster,
    taskDefinition: p.service.taskDefinition,
    routing,
    strategy: ctx.strategy,
    hooks: ctx.hooks,
    alarms: ctx.newServiceAlarms,
    desiredCount: typeof desiredCount === 'number' ? desiredCount : undefined,
    container: { containerName: lb.containerName, containerPort: lb.containerPort },
  });
  // The new target groups exist once the service does; it reads its alarm list at synthesis.
  // A target group's metrics name it and its first load balancer (read from its listener's ARN).
  const pairs: PathPair[] = [];
  for (const [from, to] of [[p.blueTargetGroup, service.blueTargetGroup], [p.greenTargetGroup, service.greenTargetGroup]]) {
    const [old, created] = [from as elbv2.ApplicationTargetGroup, to as elbv2.ApplicationTargetGroup];
    pairs.push({ from: old.targetGroupFullName, to: created.targetGroupFullName },
      { from: old.firstLoadBalancerFullName, to: created.firstLoadBalancerFullName });
  }
  pairs.push(...loadBalancerPairs);
  let oldPathAlarms: IConstruct[] = [];
  let alarmNotes: string[] = [];
  if (p.alarms) {
    warnOldPathAlarms(scope, p.alarms, pairs);
    ctx.newServiceAlarms.push(...p.alarms);
  } else {
    const mapped = mapAlarmsToNewPath(scope, ctx.mapping?.alarmNames ?? [], pairs);
    ctx.newServiceAlarms.push(...mapped.alarms);
    oldPathAlarms = mapped.replaced;
    alarmNotes = mapped.notes;
  }
  snsTriggerRules(scope, ctx.mapping, service.service);
  return { service, oldPathAlarms, alarmNotes };
}
