// The shared CodeDeploy mapping decisions that both DeploymentGroupMapping and the CLI's `plan` use.
import { predefinedConfig, strategyOfTrafficRouting } from '../../src/private/codedeploy/deployment-configs';
import { mapDeploymentReadyOption, mapTerminationWait } from '../../src/private/codedeploy/deployment-group-settings';
import { hookEvents, stageOfHookEvent } from '../../src/private/codedeploy/hook-events';
import { mapTriggerEvents } from '../../src/private/codedeploy/trigger-events';

describe('wait before re-routing', () => {
  test('STOP_DEPLOYMENT with a wait becomes a PAUSE at POST_TEST_TRAFFIC_SHIFT that rolls back on timeout', () => {
    expect(mapDeploymentReadyOption({ actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 }))
      .toEqual({ stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutInMinutes: 30, onTimeout: 'ROLLBACK' });
  });

  test('CONTINUE_DEPLOYMENT re-routes at once whatever the wait says (the wait applies only to STOP_DEPLOYMENT)', () => {
    expect(mapDeploymentReadyOption({ actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 30 })).toBeUndefined();
  });

  test('no option or no wait: no pause', () => {
    expect(mapDeploymentReadyOption(undefined)).toBeUndefined();
    expect(mapDeploymentReadyOption({ actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 0 })).toBeUndefined();
  });
});

test('the termination wait becomes the bake time, cut at 1440 minutes', () => {
  expect(mapTerminationWait(undefined)).toEqual({ minutes: 0, capped: false });
  expect(mapTerminationWait(1440)).toEqual({ minutes: 1440, capped: false });
  expect(mapTerminationWait(2880)).toEqual({ minutes: 1440, capped: true });
});

test('predefined configurations are found with or without the CodeDeployDefault. prefix', () => {
  expect(predefinedConfig('CodeDeployDefault.ECSCanary10Percent5Minutes')).toEqual({ strategy: 'CANARY', canaryPercent: 10, canaryBakeTimeInMinutes: 5 });
  expect(predefinedConfig('ECSLinear10PercentEvery3Minutes')).toEqual({ strategy: 'LINEAR', stepPercent: 10, stepBakeTimeInMinutes: 3 });
  expect(predefinedConfig('CodeDeployDefault.OneAtATime')).toBeUndefined();
  expect(predefinedConfig('toString')).toBeUndefined();
});

test('custom configurations map from their traffic routing', () => {
  expect(strategyOfTrafficRouting({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 20, linearInterval: 2 } }))
    .toEqual({ strategy: 'LINEAR', stepPercent: 20, stepBakeTimeInMinutes: 2 });
  expect(strategyOfTrafficRouting({ type: 'AllAtOnce' })).toEqual({ strategy: 'BLUE_GREEN' });
  expect(strategyOfTrafficRouting({ type: 'TimeBasedCanary' })).toBeUndefined();
});

test('hook events in deployment order, each with its stage', () => {
  expect(hookEvents()).toEqual(['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
  expect(stageOfHookEvent('BeforeAllowTraffic')).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT');
  expect(stageOfHookEvent('constructor')).toBeUndefined();
});

test('trigger events map to ECS deployment events, instance events are reported', () => {
  expect(mapTriggerEvents(['DeploymentSuccess', 'DeploymentFailure', 'DeploymentRollback', 'InstanceFailure']))
    .toEqual({ ecsEvents: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'], unmapped: ['InstanceFailure'] });
});
