// N blue/green services built with this library: BlueGreenEcsService behind the shared ALB with a
// production rule and a test listener rule, and one POST_TEST_TRAFFIC_SHIFT hook served by one
// shared hook function, and (by default) the default deployment alarm. Loaded from the compiled
// library (lib/), as users load it. With `sharedSecurityGroup`, every service's tasks use that one
// security group (`securityGroups`) instead of a group of their own.
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BenchFixture, serviceTaskDefinition } from './fixture';
import { BlueGreenEcsService, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../lib';

/** Variants of the benchmark's services. */
export interface OurServicesOptions {
  /** One security group for every service's tasks. */
  readonly sharedSecurityGroup?: ec2.ISecurityGroup;
  /** The default deployment alarm (BlueGreenEcsService's default: on). */
  readonly defaultAlarms?: boolean;
}

export function ourServices(stack: Stack, fixture: BenchFixture, n: number, options: OurServicesOptions = {}): void {
  const hook = new LifecycleHookFunction(stack, 'HookFn', {
    code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
    defaultStages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
  });
  for (let i = 0; i < n; i++) {
    new BlueGreenEcsService(stack, `Svc${i}`, {
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
    });
  }
}
