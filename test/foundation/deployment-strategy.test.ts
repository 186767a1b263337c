import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BlueGreenValidationError } from '../../src/errors';
import { DeploymentStrategy, DeploymentStrategyType } from '../../src/service/deployment-strategy';
import { newStack } from '../support';

function scope(): Construct {
  return new Construct(newStack() as Stack, 'Svc');
}

function bindError(strategy: DeploymentStrategy, nlb = false): BlueGreenValidationError {
  try {
    strategy.bind(scope(), { networkLoadBalancer: nlb });
  } catch (e) {
    if (BlueGreenValidationError.isBlueGreenValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a BlueGreenValidationError');
}

describe('DeploymentStrategy', () => {
  test('blueGreen defaults to a 5-minute bake time', () => {
    expect(DeploymentStrategy.blueGreen().bind(scope())).toEqual({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
  });

  test('linear renders step percent and step bake time', () => {
    const config = DeploymentStrategy.linear({ stepPercent: 12.5, stepBakeTime: Duration.minutes(2), bakeTime: Duration.minutes(0) }).bind(scope());
    expect(config).toEqual({ strategy: 'LINEAR', bakeTimeInMinutes: 0, linearStepPercent: 12.5, linearStepBakeTimeInMinutes: 2 });
  });

  test('canary renders canary percent and canary bake time', () => {
    const config = DeploymentStrategy.canary({ canaryPercent: 0.1, canaryBakeTime: Duration.minutes(1440) }).bind(scope());
    expect(config).toEqual({ strategy: 'CANARY', bakeTimeInMinutes: 5, canaryPercent: 0.1, canaryBakeTimeInMinutes: 1440 });
  });

  test.each([
    ['bake time above 1440', DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(1441) }), 'strategy.bakeTime', /0–1440 minutes/],
    ['bake time in seconds', DeploymentStrategy.blueGreen({ bakeTime: Duration.seconds(90) }), 'strategy.bakeTime', /whole number of minutes/],
    ['linear step below 3', DeploymentStrategy.linear({ stepPercent: 2.9 }), 'strategy.stepPercent', /from 3 to 100/],
    ['linear step above 100', DeploymentStrategy.linear({ stepPercent: 100.1 }), 'strategy.stepPercent', /from 3 to 100/],
    ['linear step not a tenth', DeploymentStrategy.linear({ stepPercent: 10.05 }), 'strategy.stepPercent', /multiple of 0.1/],
    ['linear step NaN', DeploymentStrategy.linear({ stepPercent: NaN }), 'strategy.stepPercent', /from 3 to 100/],
    ['canary below 0.1', DeploymentStrategy.canary({ canaryPercent: 0.05 }), 'strategy.canaryPercent', /from 0.1 to 100/],
    ['canary not a tenth', DeploymentStrategy.canary({ canaryPercent: 5.55 }), 'strategy.canaryPercent', /multiple of 0.1/],
    ['canary bake above 1440', DeploymentStrategy.canary({ canaryPercent: 5, canaryBakeTime: Duration.days(2) }), 'strategy.canaryBakeTime', /0–1440/],
    ['step bake negative-like', DeploymentStrategy.linear({ stepPercent: 10, stepBakeTime: Duration.minutes(1441) }), 'strategy.stepBakeTime', /0–1440/],
  ])('rejects %s, naming the prop', (_name, strategy, prop, message) => {
    const error = bindError(strategy);
    expect(error.prop).toBe(prop);
    expect(error.constructPath).toBe('TestStack/Svc');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('[TestStack/Svc]');
  });

  test('boundaries are accepted', () => {
    expect(() => DeploymentStrategy.linear({ stepPercent: 3 }).bind(scope())).not.toThrow();
    expect(() => DeploymentStrategy.linear({ stepPercent: 100 }).bind(scope())).not.toThrow();
    expect(() => DeploymentStrategy.canary({ canaryPercent: 100 }).bind(scope())).not.toThrow();
    expect(() => DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(0) }).bind(scope())).not.toThrow();
    expect(() => DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(1440) }).bind(scope())).not.toThrow();
  });

  test('rejects a linear deployment longer than 33 hours', () => {
    // 34 steps of 3 % -> 33 step bakes of 60 minutes + 5 = 1985 minutes > 1980.
    const error = bindError(DeploymentStrategy.linear({ stepPercent: 3, stepBakeTime: Duration.minutes(60) }));
    expect(error.prop).toBe('strategy');
    expect(error.message).toMatch(/1985 minutes.*1980 minutes \(33 hours\)/);
  });

  test('an NLB adds 10 minutes per traffic shift to the 33-hour budget', () => {
    // 10 steps: 9 * 200 + 5 = 1805 minutes behind an ALB, + 100 behind an NLB = 1905 (still ok);
    // 9 * 210 + 5 = 1895 + 100 = 1995 fails only behind an NLB.
    const strategy = DeploymentStrategy.linear({ stepPercent: 10, stepBakeTime: Duration.minutes(210) });
    expect(() => strategy.bind(scope())).not.toThrow();
    expect(bindError(strategy, true).message).toMatch(/NLB/);
    expect(strategy.estimatedDuration(true).toMinutes()).toBe(1995);
  });

  test.each([
    ['CodeDeployDefault.ECSAllAtOnce', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }],
    ['CodeDeployDefault.ECSLinear10PercentEvery1Minutes', { strategy: 'LINEAR', bakeTimeInMinutes: 5, linearStepPercent: 10, linearStepBakeTimeInMinutes: 1 }],
    ['CodeDeployDefault.ECSLinear10PercentEvery3Minutes', { strategy: 'LINEAR', bakeTimeInMinutes: 5, linearStepPercent: 10, linearStepBakeTimeInMinutes: 3 }],
    ['CodeDeployDefault.ECSCanary10Percent5Minutes', { strategy: 'CANARY', bakeTimeInMinutes: 5, canaryPercent: 10, canaryBakeTimeInMinutes: 5 }],
    ['CodeDeployDefault.ECSCanary10Percent15Minutes', { strategy: 'CANARY', bakeTimeInMinutes: 5, canaryPercent: 10, canaryBakeTimeInMinutes: 15 }],
  ])('maps %s', (name, expected) => {
    expect(DeploymentStrategy.fromCodeDeployConfig(name).bind(scope())).toEqual(expected);
    // The prefix is optional.
    expect(DeploymentStrategy.fromCodeDeployConfig(name.replace('CodeDeployDefault.', '')).bind(scope())).toEqual(expected);
  });

  test('fromCodeDeployConfig carries the bake time', () => {
    const s = DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.ECSAllAtOnce', { bakeTime: Duration.minutes(60) });
    expect(s.type).toBe(DeploymentStrategyType.BLUE_GREEN);
    expect(s.bind(scope()).bakeTimeInMinutes).toBe(60);
  });

  test('fromCodeDeployConfig rejects unknown names and lists the allowed ones', () => {
    expect(() => DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.LambdaAllAtOnce')).toThrow(
      /not a predefined CodeDeploy ECS deployment configuration; allowed: CodeDeployDefault.ECSAllAtOnce, .*fromCodeDeployTrafficRouting/,
    );
    expect(() => DeploymentStrategy.fromCodeDeployConfig('toString')).toThrow(/not a predefined/);
  });

  test('fromCodeDeployTrafficRouting maps custom configurations', () => {
    expect(DeploymentStrategy.fromCodeDeployTrafficRouting('TimeBasedCanary', 20, Duration.minutes(10)).bind(scope()))
      .toEqual({ strategy: 'CANARY', bakeTimeInMinutes: 5, canaryPercent: 20, canaryBakeTimeInMinutes: 10 });
    expect(DeploymentStrategy.fromCodeDeployTrafficRouting('TimeBasedLinear', 25, Duration.minutes(4)).bind(scope()))
      .toEqual({ strategy: 'LINEAR', bakeTimeInMinutes: 5, linearStepPercent: 25, linearStepBakeTimeInMinutes: 4 });
    expect(DeploymentStrategy.fromCodeDeployTrafficRouting('AllAtOnce').type).toBe(DeploymentStrategyType.BLUE_GREEN);
    expect(() => DeploymentStrategy.fromCodeDeployTrafficRouting('TimeBasedLinear')).toThrow(/needs percentage and interval/);
    expect(() => DeploymentStrategy.fromCodeDeployTrafficRouting('Sideways')).toThrow(/allowed: AllAtOnce, TimeBasedCanary, TimeBasedLinear/);
  });
});
