// The same blue/green service written with aws-cdk-lib's native L2 (deploymentStrategy,
// AlternateTarget, DeploymentLifecycleLambdaTarget) and with BlueGreenEcsService renders the same
// ECS semantics on AWS::ECS::Service; ours adds validation, scoping and fewer resources.
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BlueGreenEcsService, DeploymentStrategy, LifecycleHook, LifecycleStage, TrafficRouting } from '../../src';
import { albFixture, checkStack, newStack } from '../support';

function serviceProps(template: Template): any {
  return (Object.values(template.findResources('AWS::ECS::Service'))[0] as any).Properties;
}

function shape(value: any): any {
  // Keys and literal values; references reduced to their kind.
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && ['Ref', 'Fn::GetAtt'].includes(keys[0])) return '<ref>';
    return Object.fromEntries(keys.sort().map((k) => [k, shape(value[k])]));
  }
  return value;
}

function hookFn(stack: Stack) {
  return new lambda.Function(stack, 'HookFn', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
  });
}

test('same AWS::ECS::Service semantics as aws-cdk-lib\'s native L2', () => {
  // Native
  const nativeStack = newStack('Native');
  const n = albFixture(nativeStack);
  const tg = (id: string) => new elbv2.ApplicationTargetGroup(nativeStack, id, {
    vpc: n.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
  });
  const blue = tg('Blue');
  const green = tg('Green');
  const forward = elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 1 }, { targetGroup: green, weight: 0 }]);
  const prod = new elbv2.ApplicationListenerRule(nativeStack, 'Prod', {
    listener: n.listener, priority: 50000, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])], action: forward,
  });
  const test = new elbv2.ApplicationListenerRule(nativeStack, 'TestRule', {
    listener: n.testListener, priority: 50000, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])], action: forward,
  });
  const native = new ecs.FargateService(nativeStack, 'Service', {
    cluster: n.cluster,
    taskDefinition: n.taskDefinition,
    deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    bakeTime: Duration.minutes(5),
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { rollback: true },
  });
  native.addLifecycleHook(new ecs.DeploymentLifecycleLambdaTarget(hookFn(nativeStack), 'Hook', {
    lifecycleStages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT],
  }));
  native.loadBalancerTarget({
    containerName: 'web',
    containerPort: 80,
    alternateTarget: new ecs.AlternateTarget('Alt', {
      alternateTargetGroup: green,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(prod),
      testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(test),
    }),
  }).attachToApplicationTargetGroup(blue);
  const nativeTemplate = Template.fromStack(nativeStack);

  // Ours
  const ourStack = newStack('Ours');
  const o = albFixture(ourStack);
  new BlueGreenEcsService(ourStack, 'Api', {
    cluster: o.cluster,
    taskDefinition: o.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: o.listener, testListener: o.testListener }),
    strategy: DeploymentStrategy.blueGreen(),
    hooks: [LifecycleHook.lambda(hookFn(ourStack), { stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] })],
  });
  const ourTemplate = checkStack(ourStack);

  const theirs = serviceProps(nativeTemplate);
  const ours = serviceProps(ourTemplate);
  for (const key of ['DeploymentController', 'LaunchType', 'TaskDefinition', 'NetworkConfiguration']) {
    expect(shape(ours[key])).toEqual(shape(theirs[key]));
  }
  // The L2 omits the controller (ECS is the default); we render it explicitly.
  expect(ours.DeploymentController).toEqual({ Type: 'ECS' });
  expect(theirs.DeploymentController ?? { Type: 'ECS' }).toEqual({ Type: 'ECS' });
  const dcKeys = ['Strategy', 'BakeTimeInMinutes', 'MinimumHealthyPercent', 'MaximumPercent', 'DeploymentCircuitBreaker'];
  for (const key of dcKeys) expect(ours.DeploymentConfiguration[key]).toEqual(theirs.DeploymentConfiguration[key]);
  expect(shape(ours.LoadBalancers)).toEqual(shape(theirs.LoadBalancers));
  // Hooks: same target, role and stages; we also state the target type explicitly.
  const [ourHook] = ours.DeploymentConfiguration.LifecycleHooks;
  const [theirHook] = theirs.DeploymentConfiguration.LifecycleHooks;
  expect(ourHook.LifecycleStages).toEqual(theirHook.LifecycleStages);
  expect(shape({ HookTargetArn: ourHook.HookTargetArn, RoleArn: ourHook.RoleArn }))
    .toEqual(shape({ HookTargetArn: theirHook.HookTargetArn, RoleArn: theirHook.RoleArn }));
  expect(ourHook.TargetType).toBe('AWS_LAMBDA');

  // What we add: scoped roles instead of account-wide ones.
  const managed = JSON.stringify(nativeTemplate.toJSON()).includes('AmazonECSInfrastructureRolePolicyForLoadBalancers');
  expect(managed).toBe(true);
  expect(JSON.stringify(ourTemplate.toJSON())).not.toContain('AmazonECSInfrastructureRolePolicyForLoadBalancers');
});
