import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  CodeDeployToEcsMigration, LifecycleHook, LifecycleHookFunction, LifecycleStage, MigrationOption, MigrationPhase,
} from '../../src';
import { checkStack, newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';
import { albServiceWithHooks, ecsServiceOf } from '../support/hook-service';

const INVOKE_ROLE = /^EcsBlueGreenHookInvokeRole[0-9A-F]{8}$/;
const INVOKE_POLICY = /^EcsBlueGreenHookInvokeRoleDefaultPolicy[0-9A-F]{8}$/;
const INFRA_ROLE = /^EcsBlueGreenInfrastructureRolesRole[1-8][0-9A-F]{8}$/;

const service = (stack: Stack, hooks: LifecycleHook[] = []) => albServiceWithHooks(stack, 'Api', hooks);
const dependsOnOf = (template: Template): string[] => ecsServiceOf(template).DependsOn ?? [];

const inlineHook = (stack: Stack, id = 'Check') =>
  new LifecycleHookFunction(stack, id, { code: lambda.Code.fromInline('exports.handler=async()=>({hookStatus:"SUCCEEDED"})') });

describe('the service waits for the hook invoke role', () => {
  test('it depends on the invoke role and its policy, as on the infrastructure role', () => {
    const stack = newStack();
    service(stack, [inlineHook(stack).toHook({ stages: [LifecycleStage.POST_SCALE_UP] })]);
    const dependsOn = dependsOnOf(checkStack(stack, { nag: true }));
    expect(dependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(INVOKE_ROLE), expect.stringMatching(INVOKE_POLICY), expect.stringMatching(INFRA_ROLE),
    ]));
  });

  test('a hook added later with addLifecycleHook is waited for too', () => {
    const stack = newStack();
    const api = service(stack);
    api.addLifecycleHook(inlineHook(stack).toHook({ stages: [LifecycleStage.POST_SCALE_UP] }));
    expect(dependsOnOf(checkStack(stack))).toEqual(expect.arrayContaining([expect.stringMatching(INVOKE_POLICY)]));
  });

  test('PAUSE hooks need no role: no invoke role, no dependency', () => {
    const stack = newStack();
    service(stack, [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] })]);
    const template = checkStack(stack);
    expect(dependsOnOf(template).filter((d) => INVOKE_ROLE.test(d) || INVOKE_POLICY.test(d))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => INVOKE_ROLE.test(id))).toEqual([]);
  });

  test('the in-place migration\'s service waits for the invoke role\'s policy when it switches', () => {
    const stack = newStack();
    const f = codeDeployFixture(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.inPlace(),
      phase: MigrationPhase.CUTOVER,
      runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42',
      hooks: [inlineHook(stack).toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] })],
    });
    const dependsOn = dependsOnOf(checkStack(stack));
    expect(dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(INVOKE_ROLE), expect.stringMatching(INVOKE_POLICY)]));
  });
});

describe('the invoke grant', () => {
  test('an alias is granted as it is (no :* after its qualifier)', () => {
    const stack = newStack();
    const fn = inlineHook(stack);
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.function.currentVersion });
    service(stack, [LifecycleHook.lambda(alias, { stages: [LifecycleStage.POST_SCALE_UP] })]);
    const template = checkStack(stack, { nag: true });
    const [policyId] = Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => INVOKE_POLICY.test(id));
    const statement = (template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement as any[])[0];
    expect(statement).toEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: stack.getLogicalId(alias.node.defaultChild as any) } });
  });
});

describe('a hook function that refers back to the service', () => {
  test('fails at synthesis naming the cycle (an alarm on the service\'s CPU in a metricCheck)', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const api = service(stack);
    const cpu = new cloudwatch.Alarm(stack, 'Cpu', { metric: api.service.metricCpuUtilization(), threshold: 90, evaluationPeriods: 1 });
    const watch = LifecycleHookFunction.metricCheck(stack, 'Watch', { alarms: [cpu], duration: Duration.minutes(5) });
    api.addLifecycleHook(watch.toHook());
    expect(() => app.synth()).toThrow(
      /\[TestStack\/Api\] invalid hooks: the service must wait for the hook invoke role .*EcsBlueGreenHookInvokeRole.* \(EcsBlueGreenHookInvokeRoleDefaultPolicy\w+ → Watch\w*Function\w+ → Watch\w*RoleDefaultPolicy\w+ → Cpu\w+ → Api\w+\): CloudFormation would reject the circular dependency/);
  });

  test('an alarm on a target group (which does not depend on the service) is fine', () => {
    const stack = newStack();
    const api = service(stack);
    const unhealthy = new cloudwatch.Alarm(stack, 'Unhealthy', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensionsMap: { TargetGroup: api.blueTargetGroup!.targetGroupArn } }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    api.addLifecycleHook(LifecycleHookFunction.metricCheck(stack, 'Watch', { alarms: [unhealthy] }).toHook());
    expect(dependsOnOf(checkStack(stack))).toEqual(expect.arrayContaining([expect.stringMatching(INVOKE_POLICY)]));
  });
});
