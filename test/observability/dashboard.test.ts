// `dashboard` on BlueGreenEcsService: one CloudWatch dashboard whose widgets read the service's own
// target groups and load balancer (blue and green side by side), its task counts and its rollback
// alarms. The body is checked as it reads once deployed (intrinsics replaced by their targets' IDs).
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, TrafficRouting } from '../../src';
import { albFixture, checkStack, newStack } from '../support';

const lid = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

/** The dashboard body with every intrinsic written as `${LogicalId}` or `${LogicalId.Attribute}`, parsed. */
function body(template: Template): any {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const text = (v: any): string => typeof v === 'string' ? v
    : v.Ref ? `\${${v.Ref}}`
      : v['Fn::GetAtt'] ? `\${${v['Fn::GetAtt'].join('.')}}`
        : v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  return JSON.parse(text(dashboards[0].Properties.DashboardBody));
}

/** Each metric widget's title → its metrics as `Namespace/MetricName {dimensions, sorted} statistic label`. */
function metricWidgets(b: any): Record<string, string[]> {
  return Object.fromEntries(b.widgets.filter((w: any) => w.type === 'metric' && w.properties.metrics).map((w: any) => [
    w.properties.title,
    w.properties.metrics.map((m: any[]) => {
      const options = typeof m[m.length - 1] === 'object' ? m[m.length - 1] : {};
      const [ns, name, ...dims] = m.filter((x) => typeof x === 'string');
      const pairs = [];
      for (let i = 0; i < dims.length; i += 2) pairs.push(`${dims[i]}=${dims[i + 1]}`);
      return `${ns}/${name} {${pairs.sort().join(' ')}} ${options.stat ?? 'Average (the default)'} ${options.label}`;
    }),
  ]));
}

describe('dashboard', () => {
  test('ALB: requests, 5xx, p99 and healthy hosts of the service\'s own blue and green target groups; tasks; rollback alarms', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const mine = new cloudwatch.Alarm(stack, 'Errors', {
      metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    });
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
      alarms: [mine],
      dashboard: true,
    });
    const template = checkStack(stack, { nag: true });
    expect(service.dashboard).toBeDefined();
    const b = body(template);
    const lb = `LoadBalancer=\${${lid(stack, f.alb)}.LoadBalancerFullName}`;
    const blue = `TargetGroup=\${${lid(stack, service.blueTargetGroup!)}.TargetGroupFullName}`;
    const green = `TargetGroup=\${${lid(stack, service.greenTargetGroup!)}.TargetGroupFullName}`;
    const side = (metric: string, stat: string) => [`AWS/ApplicationELB/${metric} {${lb} ${blue}} ${stat} blue`, `AWS/ApplicationELB/${metric} {${lb} ${green}} ${stat} green`];
    const serviceDims = `ClusterName=\${${lid(stack, f.cluster)}} ServiceName=\${${lid(stack, service.service)}.Name}`;
    expect(metricWidgets(b)).toEqual({
      'Requests per target group (production and test)': side('RequestCount', 'Sum'),
      'Target 5xx per target group': side('HTTPCode_Target_5XX_Count', 'Sum'),
      'p99 target response time (s)': side('TargetResponseTime', 'p99'),
      'Healthy hosts per target group': side('HealthyHostCount', 'Minimum'),
      'Running tasks (Container Insights)': [
        `ECS/ContainerInsights/RunningTaskCount {${serviceDims}} Average (the default) running`,
        `ECS/ContainerInsights/DesiredTaskCount {${serviceDims}} Average (the default) desired`,
      ],
    });
    const alarmWidget = b.widgets.find((w: any) => w.type === 'alarm');
    expect(alarmWidget.properties.alarms).toEqual([`\${${lid(stack, mine)}.Arn}`, `\${${lid(stack, service.defaultAlarms[0])}.Arn}`]);
    // Layout: header; the four traffic graphs in one row (blue and green in each); tasks beside alarms.
    expect(b.widgets.map((w: any) => `${w.type}@${w.x},${w.y} ${w.width}x${w.height}`)).toEqual([
      'text@0,0 24x2', 'metric@0,2 6x6', 'metric@6,2 6x6', 'metric@12,2 6x6', 'metric@18,2 6x6', 'metric@0,8 12x6', 'alarm@12,8 12x6',
    ]);
  });

  test('NLB: healthy and unhealthy hosts of its target groups from AWS/NetworkELB, and no ALB metric', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
    NagSuppressions.addResourceSuppressions(nlb, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs need a user-owned bucket.' }]);
    const service = new BlueGreenEcsService(stack, 'Tcp', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Prod', { port: 80 }) }),
      dashboard: true,
    });
    const b = body(checkStack(stack, { nag: true }));
    const lb = `LoadBalancer=\${${lid(stack, nlb)}.LoadBalancerFullName}`;
    const tg = (t: elbv2.ITargetGroup) => `TargetGroup=\${${lid(stack, t)}.TargetGroupFullName}`;
    const widgets = metricWidgets(b);
    expect(widgets['Healthy hosts per target group']).toEqual([
      `AWS/NetworkELB/HealthyHostCount {${lb} ${tg(service.blueTargetGroup!)}} Minimum blue`,
      `AWS/NetworkELB/HealthyHostCount {${lb} ${tg(service.greenTargetGroup!)}} Minimum green`,
    ]);
    expect(widgets['Unhealthy hosts per target group']).toHaveLength(2);
    expect(JSON.stringify(b)).not.toContain('AWS/ApplicationELB');
    expect(b.widgets.filter((w: any) => w.type === 'text').map((w: any) => w.properties.markdown).join('\n')).toMatch(/NLB reports no request count/);
  });

  test('two load balancers: one row each, each reading its own load balancer', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const internal = new elbv2.ApplicationLoadBalancer(stack, 'Internal', { vpc: f.vpc });
    NagSuppressions.addResourceSuppressions(internal, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture ALB: access logs need a user-owned bucket.' }]);
    const listener = internal.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      additionalRouting: { Internal: TrafficRouting.applicationLoadBalancer({ listener }) },
      dashboard: true,
    });
    const widgets = metricWidgets(body(checkStack(stack)));
    expect(widgets['Requests per target group (production and test) (load balancer 1)'][0]).toContain(`\${${lid(stack, f.alb)}.LoadBalancerFullName}`);
    const second = widgets['Requests per target group (production and test) (load balancer 2)'];
    expect(second[0]).toContain(`\${${lid(stack, internal)}.LoadBalancerFullName}`);
    expect(second[1]).toContain(`\${${lid(stack, service.additionalExposures.Internal.greenTargetGroup)}.TargetGroupFullName}`);
  });

  test('headless service without alarms: task counts and a note instead of the alarm widget; none without the prop', () => {
    const stack = newStack();
    const f = albFixture(stack);
    new BlueGreenEcsService(stack, 'Worker', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none(), dashboard: true });
    const b = body(checkStack(stack));
    expect(Object.keys(metricWidgets(b))).toEqual(['Running tasks (Container Insights)']);
    expect(b.widgets.map((w: any) => w.type)).toEqual(['text', 'metric', 'text']);
    expect(b.widgets[2].properties.markdown).toMatch(/No rollback alarms/);

    const other = newStack();
    const g = albFixture(other);
    const plain = new BlueGreenEcsService(other, 'Api', { cluster: g.cluster, taskDefinition: g.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: g.listener }) });
    Template.fromStack(other).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(plain.dashboard).toBeUndefined();
  });
});
