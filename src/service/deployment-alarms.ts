import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { HookLoadBalancerTargets } from '../hooks/hook-facts';

/**
 * The default deployment alarm's thresholds. A one-minute period is the finest ELB metrics have;
 * two breaching minutes in a row keep a single bad minute (a cold start, one flaky request burst)
 * from rolling a deployment back.
 */
const PERIOD = Duration.minutes(1);
const EVALUATION_PERIODS = 2;
/** Target 5xx responses in one minute at or above which a target group counts as failing... */
const MIN_5XX = 10;
/** ...if they are also at least this fraction of its requests (so busy services are judged by rate). */
const MAX_5XX_RATE = 0.05;

/**
 * One CloudWatch alarm per load balancer in front of a service, for the deployment's alarm-based
 * rollback: metric math over the service's own blue and green target groups (either may hold the
 * new revision), in ALARM after two one-minute periods in a row in which a target group
 *  - (ALB) answered at least 10 target 5xx responses that were at least 5 % of its requests, or
 *  - had at least one unhealthy target (ALB and NLB; NLBs have no HTTP status metrics).
 * Metric math (CloudWatch User Guide, "Metric math syntax and functions"): FILL(m, 0) counts a
 * minute without datapoints (no 5xx, no requests) as 0; IF(condition, 1, 0) with comparison and
 * AND/OR operators yields 1 in a failing minute. UnHealthyHostCount is read as its Maximum: any
 * unhealthy target in the minute counts.
 * The alarm reads the target groups and the load balancer by name only: it does not reference the
 * service, so the service can reference the alarm (no dependency cycle). One alarm holds up to 10
 * metrics: 6 for an ALB (5xx, requests and unhealthy hosts of two target groups), 2 for an NLB.
 * @internal
 */
export function defaultDeploymentAlarms(scope: Construct, targets: HookLoadBalancerTargets[]): cloudwatch.Alarm[] {
  return targets.map((t, i) => new cloudwatch.Alarm(scope, i === 0 ? 'DeploymentAlarm' : `DeploymentAlarm${i + 1}`, {
    metric: t.networkLoadBalancer ? nlbHealth(t) : albHealth(t),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: EVALUATION_PERIODS,
    datapointsToAlarm: EVALUATION_PERIODS,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: t.networkLoadBalancer
      ? `Rolls back ECS deployments of ${scope.node.path}: a target group has an unhealthy target for ${EVALUATION_PERIODS} minutes in a row.`
      : `Rolls back ECS deployments of ${scope.node.path}: a target group answers at least ${MIN_5XX} 5xx responses a minute that are at least ` +
        `${MAX_5XX_RATE * 100} % of its requests, or has an unhealthy target, for ${EVALUATION_PERIODS} minutes in a row.`,
  }));
}

function albHealth(t: HookLoadBalancerTargets): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const terms = t.targetGroupFullNames.map((tg, i) => {
    const m = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      statistic,
      period: PERIOD,
      dimensionsMap: { TargetGroup: tg, LoadBalancer: t.loadBalancerFullName },
    });
    usingMetrics[`e${i}`] = m('HTTPCode_Target_5XX_Count', 'Sum');
    usingMetrics[`r${i}`] = m('RequestCount', 'Sum');
    usingMetrics[`u${i}`] = m('UnHealthyHostCount', 'Maximum');
    return `(FILL(e${i}, 0) >= ${MIN_5XX} AND FILL(e${i}, 0) >= ${MAX_5XX_RATE} * FILL(r${i}, 0)) OR FILL(u${i}, 0) >= 1`;
  });
  return new cloudwatch.MathExpression({
    expression: `IF(${terms.join(' OR ')}, 1, 0)`,
    usingMetrics,
    period: PERIOD,
    label: 'target group failing (1) or not (0)',
  });
}

function nlbHealth(t: HookLoadBalancerTargets): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const terms = t.targetGroupFullNames.map((tg, i) => {
    usingMetrics[`u${i}`] = new cloudwatch.Metric({
      namespace: 'AWS/NetworkELB',
      metricName: 'UnHealthyHostCount',
      statistic: 'Maximum',
      period: PERIOD,
      dimensionsMap: { TargetGroup: tg, LoadBalancer: t.loadBalancerFullName },
    });
    return `FILL(u${i}, 0) >= 1`;
  });
  return new cloudwatch.MathExpression({ expression: `IF(${terms.join(' OR ')}, 1, 0)`, usingMetrics, period: PERIOD, label: 'target group unhealthy (1) or not (0)' });
}
