import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { BlueGreenEcsService, LifecycleHookFunction, TrafficRouting } from '../../src';
import { BlueGreenValidationError } from '../../src/errors';
import { albFixture } from '../support';

/**
 * Errors this library finds in the construct tree's validation phase (node.addValidation: what is
 * only known once the whole app is built) reach the user as the BlueGreenValidationError they are,
 * with the construct path printed once. aws-cdk-lib wraps validation messages returned as strings
 * in an UnscopedValidationError ("Validation failed with the following errors: [path] message"),
 * which printed our own `[path] invalid prop:` prefix a second time.
 */

function synthError(build: (stack: Stack) => void): unknown {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  build(stack);
  try {
    app.synth();
  } catch (e) {
    return e;
  }
  throw new Error('expected synthesis to fail');
}

function expectOurs(err: unknown, path: string, prop: string, text: RegExp): void {
  expect((err as Error).name).toBe('BlueGreenValidationError');
  expect(BlueGreenValidationError.isBlueGreenValidationError(err)).toBe(true);
  const e = err as BlueGreenValidationError;
  expect({ path: e.constructPath, prop: e.prop }).toEqual({ path, prop });
  expect(e.message.startsWith(`[${path}] invalid ${prop}: `)).toBe(true);
  expect(e.message.split(path).length - 1).toBe(1);
  expect(e.message).toMatch(text);
}

function service(stack: Stack, props: Partial<ConstructorParameters<typeof BlueGreenEcsService>[2]> = {}): BlueGreenEcsService {
  const f = albFixture(stack);
  return new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    ...props,
  });
}

describe('errors found at validation are our BlueGreenValidationError, with the path once', () => {
  test('a volume the task definition does not configure at launch', () => {
    const err = synthError((stack) => {
      const volume = new ecs.ServiceManagedVolume(stack, 'Data', { name: 'data', managedEBSVolume: { size: Size.gibibytes(20) } });
      service(stack, { volumeConfigurations: [volume] });
    });
    expectOurs(err, 'TestStack/Api', 'volumeConfigurations', /'data' is no volume of the task definition configured at launch/);
  });

  test('several errors of one construct: the first, with the others in its message', () => {
    const err = synthError((stack) => {
      const volume = new ecs.ServiceManagedVolume(stack, 'Data', { name: 'data', managedEBSVolume: { size: Size.gibibytes(20) } });
      const api = service(stack, { volumeConfigurations: [volume] });
      api.service.attachToApplicationTargetGroup(new elbv2.ApplicationTargetGroup(stack, 'Extra', { vpc: api.service.cluster.vpc, port: 80, targetType: elbv2.TargetType.IP }));
    });
    expectOurs(err, 'TestStack/Api', 'LoadBalancers',
      /target group TestStack\/Extra is attached .*\n  and 1 more: invalid volumeConfigurations: 'data' is no volume/s);
  });

  test('a target group the L2 attached without an alternate target group', () => {
    const err = synthError((stack) => {
      const api = service(stack);
      const vpc = api.service.cluster.vpc;
      api.service.attachToApplicationTargetGroup(new elbv2.ApplicationTargetGroup(stack, 'Extra', { vpc, port: 80, targetType: elbv2.TargetType.IP }));
    });
    expectOurs(err, 'TestStack/Api', 'LoadBalancers', /target group TestStack\/Extra is attached to the service without an alternate target group/);
  });

  test('a hook function that refers back to the service (a dependency cycle)', () => {
    const err = synthError((stack) => {
      const api = service(stack);
      const cpu = new cloudwatch.Alarm(stack, 'Cpu', { metric: api.service.metricCpuUtilization(), threshold: 90, evaluationPeriods: 1 });
      api.addLifecycleHook(LifecycleHookFunction.metricCheck(stack, 'Watch', { alarms: [cpu], duration: Duration.minutes(5) }).toHook());
    });
    expectOurs(err, 'TestStack/Api', 'hooks', /the service must wait for the hook invoke role .* CloudFormation would reject the circular dependency/);
  });
});
