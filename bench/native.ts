// The baseline of the benchmarks: N blue/green services written by hand with aws-cdk-lib's own
// L2 (deploymentStrategy BLUE_GREEN, AlternateTarget, DeploymentLifecycleLambdaTarget), with the
// same features as bench/ours.ts: ALB production rule + test listener rule, one lifecycle hook.
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BenchFixture, serviceTaskDefinition } from './fixture';

export function nativeServices(stack: Stack, fixture: BenchFixture, n: number): void {
  // One hook function for the stack, as a careful user would write it.
  const hook = new lambda.Function(stack, 'HookFn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
  });
  for (let i = 0; i < n; i++) {
    const taskDefinition = serviceTaskDefinition(stack, `Svc${i}`);
    const tgProps: elbv2.ApplicationTargetGroupProps = {
      vpc: fixture.vpc,
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { path: '/' },
    };
    const blue = new elbv2.ApplicationTargetGroup(stack, `Svc${i}Blue`, tgProps);
    const green = new elbv2.ApplicationTargetGroup(stack, `Svc${i}Green`, tgProps);
    const forward = elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 1 }, { targetGroup: green, weight: 0 }]);
    const host = [elbv2.ListenerCondition.hostHeaders([`svc${i}.example.com`])];
    const prodRule = new elbv2.ApplicationListenerRule(stack, `Svc${i}Prod`, {
      listener: fixture.listener, priority: 1000 + i, conditions: host, action: forward,
    });
    const testRule = new elbv2.ApplicationListenerRule(stack, `Svc${i}Test`, {
      listener: fixture.testListener, priority: 1000 + i, conditions: host, action: forward,
    });
    const service = new ecs.FargateService(stack, `Svc${i}`, {
      cluster: fixture.cluster,
      taskDefinition,
      desiredCount: 2,
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(5),
      circuitBreaker: { rollback: true },
    });
    service.addLifecycleHook(new ecs.DeploymentLifecycleLambdaTarget(hook, `Svc${i}Hook`, {
      lifecycleStages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT],
    }));
    const target = service.loadBalancerTarget({
      containerName: 'web',
      containerPort: 80,
      alternateTarget: new ecs.AlternateTarget(`Svc${i}Alt`, {
        alternateTargetGroup: green,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(prodRule),
        testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
      }),
    });
    target.attachToApplicationTargetGroup(blue);
  }
}
