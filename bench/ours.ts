// N blue/green services built with this library: BlueGreenEcsService behind the shared ALB with a
// production rule and a test listener rule, and one POST_TEST_TRAFFIC_SHIFT hook served by one
// shared hook function, and (by default) the default deployment alarm. Loaded from the compiled
// library (lib/), as users load it. With `sharedSecurityGroup`, every service's tasks use that one
// security group (`securityGroups`) instead of a group of their own.
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BenchFixture, serviceTaskDefinition } from './fixture';
import { BlueGreenEcsService, DeploymentEvent, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../lib';

/** Variants of the benchmark's services. */
export interface OurServicesOptions {
  /** One security group for every service's tasks. */
  readonly sharedSecurityGroup?: ec2.ISecurityGroup;
  /** The default deployment alarm (BlueGreenEcsService's default: on). */
  readonly defaultAlarms?: boolean;
  /** `notifications` with every DeploymentEvent, to one SNS topic of the stack. */
  readonly notifications?: boolean;
  /** `dashboard: true`. */
  readonly dashboard?: boolean;
  /**
   * The design not taken, for comparison: one rule per kind of message for the whole stack,
   * listing every service's ARN (the same patterns as `notifications`, without messages).
   */
  readonly stackWideRules?: boolean;
}

export function ourServices(stack: Stack, fixture: BenchFixture, n: number, options: OurServicesOptions = {}): void {
  const hook = new LifecycleHookFunction(stack, 'HookFn', {
    code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
    defaultStages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
  });
  const topic = options.notifications || options.stackWideRules ? new sns.Topic(stack, 'Deployments') : undefined;
  const services: BlueGreenEcsService[] = [];
  for (let i = 0; i < n; i++) {
    services.push(new BlueGreenEcsService(stack, `Svc${i}`, {
      cluster: fixture.cluster,
      taskDefinition: serviceTaskDefinition(stack, `Svc${i}`),
      desiredCount: 2,
      routing: TrafficRouting.applicationLoadBalancer({
        listener: fixture.listener,
        testListener: fixture.testListener,
        priority: 1000 + i,
        conditions: [elbv2.ListenerCondition.hostHeaders([`svc${i}.example.com`])],
        healthCheck: { path: '/' },
      }),
      hooks: [hook.toHook()],
      securityGroups: options.sharedSecurityGroup ? [options.sharedSecurityGroup] : undefined,
      defaultAlarms: options.defaultAlarms ?? true,
      notifications: options.notifications ? { target: new targets.SnsTopic(topic!), events: DeploymentEvent.all() } : undefined,
      dashboard: options.dashboard,
    }));
  }
  if (options.stackWideRules && n > 0) {
    const arns = services.map((s) => s.service.serviceArn);
    const kinds: Array<[string, events.EventPattern]> = [
      ['Deployment', { source: ['aws.ecs'], detailType: ['ECS Deployment State Change'], resources: arns }],
      ['ServiceAction', { source: ['aws.ecs'], detailType: ['ECS Service Action'], resources: arns, detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] } }],
      ['Hook', { source: ['aws.ecs'], detailType: ['ECS Hook State Change'], detail: { serviceArn: arns, eventName: ['HOOK_FAILED', 'HOOK_TIMED_OUT'] } }],
      ['Pause', { source: ['aws.ecs'], detailType: ['ECS Hook State Change'], detail: { serviceArn: arns, eventName: ['HOOK_AWAITING_ACTION'] } }],
    ];
    for (const [id, eventPattern] of kinds) new events.Rule(stack, `StackWide${id}`, { eventPattern, targets: [new targets.SnsTopic(topic!)] });
  }
}
