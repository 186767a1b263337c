import { Annotations, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { replaceRefs } from './replace-refs';

/** A reference of the old path (a target group's or load balancer's full name) and its counterpart on the new path. */
export interface PathPair {
  /** What the old path's metrics name (e.g. `blueTargetGroup.targetGroupFullName`). */
  readonly from: string;
  /** What the new path's metrics name instead. */
  readonly to: string;
}

/** What became of the deployment group's alarms. */
export interface MappedAlarms {
  /** The alarms the new service rolls back on: the kept ones, and the copies on the new path. */
  readonly alarms: cloudwatch.IAlarm[];
  /** Alarms of the app that watch the old path (CLEANUP deletes them with it). */
  readonly replaced: IConstruct[];
  /** One line per alarm for the plan. */
  readonly notes: string[];
}

/** The CloudFormation element of the stack with this logical ID, if the app still holds it. */
function elementOf(stack: Stack, logicalId: string): CfnElement | undefined {
  return stack.node.findAll().find((c): c is CfnElement => CfnElement.isCfnElement(c) && stack.getLogicalId(c) === logicalId);
}

/**
 * The deployment group's alarms for a new service (options 2 and 3). An alarm of this app whose
 * metrics name the old path's target groups or load balancer would judge the new service's
 * deployments by the old path's health: it is copied, with the same metric, statistic,
 * threshold and actions, onto the new path's target groups and load balancer, and the copy goes
 * to the new service. The other alarms (application metrics, imported alarms) are kept. A
 * reference to an alarm that is no longer in the app is dropped with a warning (CloudFormation
 * would reject the template).
 * @internal
 */
export function mapAlarmsToNewPath(scope: Construct, alarmNames: string[], pairs: PathPair[]): MappedAlarms {
  const stack = Stack.of(scope);
  const resolvedPairs = pairs.map((p) => ({ from: JSON.stringify(stack.resolve(p.from)), to: stack.resolve(p.to) }));
  const alarms: cloudwatch.IAlarm[] = [];
  const replaced: IConstruct[] = [];
  const notes: string[] = [];
  alarmNames.forEach((name, i) => {
    const ref = (stack.resolve(name) as { Ref?: unknown } | undefined)?.Ref;
    if (typeof ref !== 'string') {
      alarms.push(cloudwatch.Alarm.fromAlarmName(scope, `Alarm${i}`, name));
      notes.push(`Alarm ${stack.resolve(name)}: kept (not defined in this app, so its metrics are not known here)`);
      return;
    }
    const el = elementOf(stack, ref);
    if (!(el instanceof cloudwatch.CfnAlarm)) {
      if (el === undefined) {
        Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:migration-alarm-gone',
          `the deployment group names the alarm ${ref}, which is no longer in the app: the new service does not get it`);
      } else {
        alarms.push(cloudwatch.Alarm.fromAlarmName(scope, `Alarm${i}`, name));
      }
      return;
    }
    const owner = el.node.scope && el.node.scope.node.defaultChild === el ? el.node.scope : el;
    const props = stack.resolve((el as any)._toCloudFormation()).Resources[ref].Properties ?? {};
    const { AlarmName: _name, ...rest } = props;
    const { value, hit } = replaceRefs(rest, resolvedPairs);
    if (!hit) {
      alarms.push(cloudwatch.Alarm.fromAlarmName(scope, `Alarm${i}`, name));
      notes.push(`Alarm ${owner.node.path}: kept (its metrics do not name the old path's target groups or load balancer)`);
      return;
    }
    // Keyed by the original's logical ID: adding or removing another alarm leaves this one as it is.
    const copy = new CfnResource(scope, `NewPathAlarm${ref}`, { type: 'AWS::CloudWatch::Alarm', properties: value as Record<string, unknown> });
    alarms.push(cloudwatch.Alarm.fromAlarmName(scope, `NewPathAlarm${ref}Ref`, copy.ref));
    replaced.push(owner);
    notes.push(`Alarm ${owner.node.path} watches the old path: the new service gets a copy with the same metric on its own target groups ` +
      `and load balancer (${copy.node.path}); CLEANUP deletes the original with the old path`);
  });
  return { alarms, replaced, notes };
}

/**
 * Warns about alarms given explicitly (`alarms`) that watch the old path: the new service would
 * roll back, or not, on the old path's health.
 * @internal
 */
export function warnOldPathAlarms(scope: Construct, alarms: cloudwatch.IAlarm[], pairs: PathPair[]): void {
  const stack = Stack.of(scope);
  const resolvedPairs = pairs.map((p) => ({ from: JSON.stringify(stack.resolve(p.from)), to: null }));
  for (const alarm of alarms) {
    const cfn = alarm.node.defaultChild;
    if (!(cfn instanceof cloudwatch.CfnAlarm)) continue;
    if (replaceRefs(stack.resolve(cfn.dimensions ?? null), resolvedPairs).hit || replaceRefs(stack.resolve(cfn.metrics ?? null), resolvedPairs).hit) {
      Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:migration-alarm-old-path',
        `alarms: ${alarm.node.path} watches the old path's target groups or load balancer, so the new service would roll back on the old ` +
        'path\'s health; alarm on migration.newService\'s target groups (or migration.newLoadBalancer) instead, or leave alarms unset to have the deployment group\'s alarms mapped');
    }
  }
}
