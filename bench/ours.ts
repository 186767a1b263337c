// N blue/green services built with this library: BlueGreenEcsService behind the shared ALB with a
// production rule and a test listener rule, and one POST_TEST_TRAFFIC_SHIFT hook served by one
// shared hook function, and (by default) the default deployment alarm. Loaded from the compiled
// library (lib/), as users load it.
import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BenchFixture, serviceTaskDefinition } from './fixture';
import { BlueGreenEcsService, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../lib';

export function ourServices(stack: Stack, fixture: BenchFixture, n: number, defaultAlarms = true): void {
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
      defaultAlarms,
    });
  }
}
