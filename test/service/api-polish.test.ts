// API details: factory errors, typed properties, JavaScript callers without type checking, and
// lifecycle hooks the user attached through the L2.
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  BlueGreenEcsService, DeploymentStrategy, LifecycleHook, LifecycleStage, LifecycleStages, TrafficRouting, ValidationErrors,
} from '../../src';
import { albFixture, checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';

describe('static factories throw BlueGreenValidationError, naming the factory', () => {
  test.each([
    ['DeploymentStrategy.fromCodeDeployConfig', 'name', () => DeploymentStrategy.fromCodeDeployConfig('Nope')],
    ['DeploymentStrategy.fromCodeDeployTrafficRouting', 'type', () => DeploymentStrategy.fromCodeDeployTrafficRouting('Sideways')],
    ['DeploymentStrategy.fromCodeDeployTrafficRouting', 'percentage', () => DeploymentStrategy.fromCodeDeployTrafficRouting('TimeBasedCanary')],
    ['DeploymentStrategy.estimatedDuration', 'bakeTime', () => DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(Infinity) }).estimatedDuration()],
    ['LifecycleStages.fromCodeDeployEvent', 'name', () => LifecycleStages.fromCodeDeployEvent('ApplicationStart')],
  ])('%s (%s)', (path, prop, fn) => {
    const e = errorOf(fn);
    expect(e.constructPath).toBe(path);
    expect(e.prop).toBe(prop);
    expect(e.message.startsWith(`[${path}] invalid ${prop}: `)).toBe(true);
    expect(ValidationErrors.isValidationError(e)).toBe(true);
  });
});

describe('typed public properties', () => {
  test('strategy has the type of props.strategy; its rendered settings are strategyConfig', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const strategy = DeploymentStrategy.canary({ canaryPercent: 10 });
    const api = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none(), strategy,
    });
    expect(api.strategy).toBe(strategy);
    expect(api.strategyConfig).toEqual({ strategy: 'CANARY', bakeTimeInMinutes: 5, canaryPercent: 10, canaryBakeTimeInMinutes: 5 });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 } }),
    });
  });

  test('ALB target groups are IApplicationTargetGroup, with their metrics at hand', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const api = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
    });
    expect(api.blueApplicationTargetGroup).toBeInstanceOf(elbv2.ApplicationTargetGroup);
    expect(api.greenApplicationTargetGroup).toBe(api.greenTargetGroup);
    expect(api.blueNetworkTargetGroup).toBeUndefined();
    expect(api.blueApplicationTargetGroup!.metrics.unhealthyHostCount().metricName).toBe('UnHealthyHostCount');
  });
});

describe('JavaScript callers get our errors, not TypeErrors', () => {
  const fixture = () => {
    const stack = newStack();
    return { stack, f: albFixture(stack) };
  };
  test.each([
    ['routing', (f: any) => ({ cluster: f.cluster, taskDefinition: f.taskDefinition }), /invalid routing: is required: pass a TrafficRouting/],
    ['taskDefinition', (f: any) => ({ cluster: f.cluster, routing: TrafficRouting.none() }), /invalid taskDefinition: is required/],
    ['cluster', (f: any) => ({ taskDefinition: f.taskDefinition, routing: TrafficRouting.none() }), /invalid cluster: is required/],
    ['hooks[0]', (f: any) => ({ cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none(), hooks: [undefined] }),
      /invalid hooks\[0\]: is required: pass a LifecycleHook .*, got undefined/],
    ['alarms[1]', (f: any) => ({ cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none(), alarms: [cloudwatch.Alarm.fromAlarmArn(f.vpc, 'A', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a'), null] }),
      /invalid alarms\[1\]: is required: pass a cloudwatch.IAlarm .*, got null/],
    ['routing (no factory)', (f: any) => ({ cluster: f.cluster, taskDefinition: f.taskDefinition, routing: { listener: f.listener } }),
      /invalid routing: expected a TrafficRouting \(e.g. TrafficRouting.applicationLoadBalancer\(\{ listener \}\) .*\), got an object/],
    ['additionalRouting.Internal', (f: any) => ({
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      additionalRouting: { Internal: undefined },
    }), /invalid additionalRouting.Internal: is required: pass a TrafficRouting/],
  ])('%s', (_, props, message) => {
    const { stack, f } = fixture();
    expect(errorOf(() => new BlueGreenEcsService(stack, 'Api', props(f) as any)).message).toMatch(message);
  });

  test('no props at all, and addLifecycleHook(undefined)', () => {
    const { stack, f } = fixture();
    expect(errorOf(() => new (BlueGreenEcsService as any)(stack, 'Api')).message).toMatch(/\[TestStack\/Api\] invalid props: expected an object with cluster, taskDefinition, routing, got undefined/);
    const api = new BlueGreenEcsService(stack, 'Api2', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none() });
    expect(errorOf(() => api.addLifecycleHook(undefined as any)).message).toMatch(/invalid hook: must be a LifecycleHook/);
  });
});

test('lifecycle hooks added through the L2 are kept next to ours', () => {
  const stack = newStack();
  const f = albFixture(stack);
  const fn = new lambda.Function(stack, 'HookFn', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" })'),
  });
  const api = new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
    hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_SCALE_UP], timeout: Duration.hours(2) })],
  });
  api.service.addLifecycleHook(new ecs.DeploymentLifecycleLambdaTarget(fn, 'L2Hook', { lifecycleStages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP] }));
  const template: Template = checkStack(stack);
  template.hasResourceProperties('AWS::ECS::Service', {
    DeploymentConfiguration: Match.objectLike({
      LifecycleHooks: [
        { HookTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HookFn'), 'Arn'] }, RoleArn: Match.anyValue(), LifecycleStages: ['PRE_SCALE_UP'] },
        { TargetType: 'PAUSE', LifecycleStages: ['POST_SCALE_UP'], TimeoutConfiguration: { TimeoutInMinutes: 120 } },
      ],
    }),
  });
});
