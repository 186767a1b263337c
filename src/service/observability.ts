import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { HookLoadBalancerTargets } from '../hooks/hook-facts';
import { deploymentDashboard } from '../observability/deployment-dashboard';
import { DeploymentEvent } from '../observability/deployment-event';
import { DeploymentNotifications } from '../observability/deployment-notifications';
import { NotificationKind } from '../observability/ecs-events';
import { notificationRule } from '../observability/notification-rule';

/** The rules of `notifications` and the dashboard of `dashboard`, for one service. @internal */
export interface ServiceObservability {
  readonly rules: events.Rule[];
  readonly dashboard?: cloudwatch.Dashboard;
}

/** What the service knows once its routing and alarms exist. @internal */
export interface ObservedService {
  readonly service: ecs.BaseService;
  readonly loadBalancerTargets: HookLoadBalancerTargets[];
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * `notifications`: one rule per kind of message under `<service>/Notifications` (IDs by kind, so
 * choosing more events adds rules and leaves the others as they were). `dashboard`: one dashboard,
 * `<service>/Dashboard`.
 * @internal
 */
export function wireObservability(
  scope: Construct,
  props: { notifications?: DeploymentNotifications; dashboard?: boolean },
  observed: ObservedService,
): ServiceObservability {
  const rules: events.Rule[] = [];
  if (props.notifications !== undefined) {
    const chosen = checkNotifications(scope, props.notifications);
    const container = new Construct(scope, 'Notifications');
    for (const kind of Object.values(NotificationKind)) {
      const ofKind = chosen.filter((e) => e._kind === kind);
      if (ofKind.length === 0) continue;
      rules.push(notificationRule(container, kind, kind, {
        service: observed.service,
        eventNames: ofKind.map((e) => e.eventName),
        target: props.notifications.target,
      }));
    }
  }
  const dashboard = props.dashboard ? deploymentDashboard(scope, 'Dashboard', {
    serviceName: observed.service.serviceName,
    clusterName: observed.service.cluster.clusterName,
    title: scope.node.path,
    loadBalancers: observed.loadBalancerTargets,
    alarms: observed.alarms,
  }) : undefined;
  return { rules, dashboard };
}

function checkNotifications(scope: Construct, n: DeploymentNotifications): DeploymentEvent[] {
  if (!n.target || typeof (n.target as any).bind !== 'function') {
    throw new BlueGreenValidationError(scope, 'notifications.target',
      `must be an EventBridge rule target (e.g. new targets.SnsTopic(topic)), got ${describe(n.target)}`);
  }
  const chosen = n.events ?? DeploymentEvent.all();
  if (!Array.isArray(chosen) || chosen.length === 0) {
    throw new BlueGreenValidationError(scope, 'notifications.events',
      `must list at least one DeploymentEvent (or be left out for DeploymentEvent.all()), got ${describe(chosen)}`);
  }
  chosen.forEach((e, i) => {
    if (!(e instanceof DeploymentEvent)) {
      throw new BlueGreenValidationError(scope, `notifications.events[${i}]`,
        `must be a DeploymentEvent (STARTED, COMPLETED, FAILED, ROLLBACK_TRIGGERED, HOOK_FAILED, HOOK_TIMED_OUT or PAUSE_AWAITING_ACTION), got ${describe(e)}`);
    }
  });
  return chosen;
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `[${x.length} item${x.length === 1 ? '' : 's'}]`;
  return typeof x === 'string' ? JSON.stringify(x) : String(x);
}
