import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(1);
const LABELS = ['blue', 'green'];

/** One load balancer in front of the service, as its metrics name it. @internal */
export interface DashboardLoadBalancer {
  /** NLB (AWS/NetworkELB) rather than ALB (AWS/ApplicationELB). */
  readonly networkLoadBalancer: boolean;
  /** The `LoadBalancer` dimension (`app/<name>/<id>`, `net/<name>/<id>`). */
  readonly loadBalancerFullName: string;
  /** The `TargetGroup` dimensions of the blue and green target groups, in that order. */
  readonly targetGroupFullNames: string[];
}

/** What the dashboard shows. @internal */
export interface DeploymentDashboardProps {
  /** The ECS service's name and its cluster's, the dimensions of the task counts. */
  readonly serviceName: string;
  readonly clusterName: string;
  /** A label for the header (the construct path). */
  readonly title: string;
  /** The load balancers (one row of widgets each). */
  readonly loadBalancers: DashboardLoadBalancer[];
  /** The alarms the deployment rolls back on. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * A CloudWatch dashboard for one service's deployments:
 *  - a header naming the service;
 *  - per ALB: requests, target 5xx, p99 target response time and healthy hosts, each with the blue
 *    and the green target group side by side (the ALB counts requests per target group, not per
 *    listener rule: before the production traffic shift, the target group being deployed into
 *    receives the test traffic only, so its line is the test traffic);
 *  - per NLB: healthy and unhealthy hosts per target group (AWS/NetworkELB has no request count,
 *    HTTP status or latency metrics per target group);
 *  - running and desired task counts (ECS/ContainerInsights: they need Container Insights on the
 *    cluster) and the state of the rollback alarms.
 * @internal
 */
export function deploymentDashboard(scope: Construct, id: string, props: DeploymentDashboardProps): cloudwatch.Dashboard {
  const rows: cloudwatch.IWidget[][] = [[new cloudwatch.TextWidget({
    markdown: `## Deployments of ECS service ${props.serviceName} (cluster ${props.clusterName})\n` +
      `${props.title}: blue and green target groups side by side; the traffic shift moves requests from one line to the other.`,
    width: 24,
    height: 2,
  })]];
  props.loadBalancers.forEach((lb, i) => {
    const suffix = props.loadBalancers.length > 1 ? ` (load balancer ${i + 1})` : '';
    rows.push(lb.networkLoadBalancer ? nlbRow(lb, suffix) : albRow(lb, suffix));
  });
  const task = (metricName: string, label: string) => new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: props.clusterName, ServiceName: props.serviceName },
    statistic: 'Average',
    period: PERIOD,
    label,
  });
  rows.push([
    new cloudwatch.GraphWidget({
      title: 'Running tasks (Container Insights)',
      left: [task('RunningTaskCount', 'running'), task('DesiredTaskCount', 'desired')],
      width: 12,
      height: 6,
    }),
    props.alarms.length > 0
      ? new cloudwatch.AlarmStatusWidget({ title: 'Alarms the deployment rolls back on', alarms: props.alarms, width: 12, height: 6 })
      : new cloudwatch.TextWidget({ markdown: 'No rollback alarms: only the deployment circuit breaker guards this service.', width: 12, height: 6 }),
  ]);
  return new cloudwatch.Dashboard(scope, id, { widgets: rows });
}

function tgMetrics(lb: DashboardLoadBalancer, namespace: string, metricName: string, statistic: string): cloudwatch.IMetric[] {
  return lb.targetGroupFullNames.map((tg, i) => new cloudwatch.Metric({
    namespace,
    metricName,
    statistic,
    period: PERIOD,
    dimensionsMap: { TargetGroup: tg, LoadBalancer: lb.loadBalancerFullName },
    label: LABELS[i] ?? `target group ${i + 1}`,
  }));
}

function albRow(lb: DashboardLoadBalancer, suffix: string): cloudwatch.IWidget[] {
  const ns = 'AWS/ApplicationELB';
  const graph = (title: string, metrics: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title: title + suffix, left: metrics, width: 6, height: 6 });
  return [
    graph('Requests per target group (production and test)', tgMetrics(lb, ns, 'RequestCount', 'Sum')),
    graph('Target 5xx per target group', tgMetrics(lb, ns, 'HTTPCode_Target_5XX_Count', 'Sum')),
    graph('p99 target response time (s)', tgMetrics(lb, ns, 'TargetResponseTime', 'p99')),
    graph('Healthy hosts per target group', tgMetrics(lb, ns, 'HealthyHostCount', 'Minimum')),
  ];
}

function nlbRow(lb: DashboardLoadBalancer, suffix: string): cloudwatch.IWidget[] {
  const ns = 'AWS/NetworkELB';
  return [
    new cloudwatch.GraphWidget({ title: 'Healthy hosts per target group' + suffix, left: tgMetrics(lb, ns, 'HealthyHostCount', 'Minimum'), width: 9, height: 6 }),
    new cloudwatch.GraphWidget({ title: 'Unhealthy hosts per target group' + suffix, left: tgMetrics(lb, ns, 'UnHealthyHostCount', 'Maximum'), width: 9, height: 6 }),
    new cloudwatch.TextWidget({
      markdown: 'An NLB reports no request count, HTTP status or latency per target group: watch the hosts, and the rollback alarms below.',
      width: 6,
      height: 6,
    }),
  ];
}
