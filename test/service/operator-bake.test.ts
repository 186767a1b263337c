import { Duration } from 'aws-cdk-lib';
import { BlueGreenEcsService, DeploymentStrategy, LifecycleHook, LifecycleStage, TrafficRouting } from '../../src';
import { albFixture, checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';

function synth(strategy: DeploymentStrategy, hooks: LifecycleHook[] = []): any {
  const stack = newStack();
  const f = albFixture(stack);
  new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    strategy,
    hooks,
  });
  const services = Object.values(checkStack(stack).findResources('AWS::ECS::Service')) as any[];
  return services[0].Properties.DeploymentConfiguration;
}

const OPERATOR_BAKE = {
  LifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
  TargetType: 'PAUSE',
  TimeoutConfiguration: { TimeoutInMinutes: 90, Action: 'CONTINUE' },
};

describe('operator bake', () => {
  test('blue/green: the bake is a PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT that continues on timeout; ECS bakes 0 minutes', () => {
    const dc = synth(DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(90), operatorBake: true }));
    expect(dc.BakeTimeInMinutes).toBe(0);
    expect(dc.LifecycleHooks).toEqual([OPERATOR_BAKE]);
  });

  test('linear and canary render it too, and it merges with the user hooks', () => {
    const user = LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] });
    const linear = synth(DeploymentStrategy.linear({ stepPercent: 50, bakeTime: Duration.minutes(90), operatorBake: true }), [user]);
    expect(linear.BakeTimeInMinutes).toBe(0);
    expect(linear.LifecycleHooks).toEqual([{ LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], TargetType: 'PAUSE' }, OPERATOR_BAKE]);
    const canary = synth(DeploymentStrategy.canary({ canaryPercent: 10, bakeTime: Duration.minutes(90), operatorBake: true }));
    expect(canary.BakeTimeInMinutes).toBe(0);
    expect(canary.LifecycleHooks).toEqual([OPERATOR_BAKE]);
  });

  test('without operatorBake nothing changes: ECS bakes, no hook', () => {
    const dc = synth(DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(90) }));
    expect(dc.BakeTimeInMinutes).toBe(90);
    expect(dc.LifecycleHooks).toBeUndefined();
  });

  test('an operator bake may be longer than ECS bake limit of 1440 minutes (within the 33-hour limit)', () => {
    const dc = synth(DeploymentStrategy.blueGreen({ bakeTime: Duration.hours(30), operatorBake: true }));
    expect(dc.LifecycleHooks[0].TimeoutConfiguration).toEqual({ TimeoutInMinutes: 30 * 60, Action: 'CONTINUE' });
  });

  test('a bake under one minute or over 20160 minutes cannot be an operator bake', () => {
    const zero = errorOf(() => synth(DeploymentStrategy.blueGreen({ bakeTime: Duration.seconds(0), operatorBake: true })));
    expect(zero.message).toMatch(/strategy\.bakeTime/);
    expect(zero.message).toMatch(/1.*20160/);
    const long = errorOf(() => synth(DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(20161), operatorBake: true })));
    expect(long.message).toMatch(/strategy\.bakeTime/);
  });

  test('the operator bake counts toward the 33-hour limit', () => {
    const strategy = DeploymentStrategy.linear({
      stepPercent: 50, stepBakeTime: Duration.minutes(10), bakeTime: Duration.hours(33), operatorBake: true,
    });
    expect(strategy.estimatedDuration().toMinutes()).toBe(33 * 60 + 10);
    expect(errorOf(() => synth(strategy)).message).toMatch(/33 hours/);
  });

  test('JavaScript callers passing a wrong type get a validation error naming the option', () => {
    const e = errorOf(() => DeploymentStrategy.blueGreen({ operatorBake: 'yes' as any }));
    expect(e.message).toMatch(/operatorBake/);
    expect(e.message).toMatch(/boolean/);
  });
});
