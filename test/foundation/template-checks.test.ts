import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { WeightedListenerRule } from '../../src/routing/weighted-listener-rule';
import { albFixture, applyNag, checkStack, flushTemplateChecks, nagFindings, newStack, runCfnLint } from '../support';

/** A small valid stack: the fixture plus one weighted rule. */
function fixtureTemplate() {
  const stack = newStack();
  const { vpc, listener } = albFixture(stack);
  const props = { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP };
  new WeightedListenerRule(stack, 'Prod', {
    listener,
    blueTargetGroup: new elbv2.ApplicationTargetGroup(stack, 'Blue', props),
    greenTargetGroup: new elbv2.ApplicationTargetGroup(stack, 'Green', props),
  });
  return { stack, template: Template.fromStack(stack).toJSON() };
}

describe('template checks catch broken templates', () => {
  test('a valid template has no cfn-lint findings', () => {
    expect(runCfnLint({ valid: fixtureTemplate().template })).toEqual([]);
  });

  test('an invalid property injected into a fixture fails cfn-lint', () => {
    const stack = newStack();
    const { cluster } = albFixture(stack);
    const service = new ecs.CfnService(stack, 'Broken', { cluster: cluster.clusterName });
    // Neither a property of AWS::ECS::Service nor a valid strategy value.
    service.addPropertyOverride('DeploymentConfiguration.Strategy', 'SIDEWAYS');
    service.addPropertyOverride('NotAProperty', true);
    const findings = runCfnLint({ broken: Template.fromStack(stack).toJSON() });
    const rules = findings.map((f) => f.rule);
    expect(rules).toContain('E3002'); // additional property not allowed
    expect(rules).toContain('E3030'); // value not in the enum
    expect(findings.filter((f) => f.level === 'Error').length).toBeGreaterThanOrEqual(2);
  });

  test('a broken template queued twice by checkStack is linted once and still fails the file, naming both', () => {
    const broken = () => {
      const stack = newStack('Twice');
      const { cluster } = albFixture(stack);
      new ecs.CfnService(stack, 'Broken', { cluster: cluster.clusterName }).addPropertyOverride('NotAProperty', true);
      return stack;
    };
    checkStack(broken());
    checkStack(broken());
    checkStack(fixtureTemplate().stack);
    expect(() => flushTemplateChecks()).toThrow(/cfn-lint findings in 1 template\(s\):\n.*E3002 \d+-.*Twice-and-1-more/);
    // The queue is empty afterwards: the file's own afterAll check sees nothing left.
    expect(() => flushTemplateChecks()).not.toThrow();
  });

  test('an out-of-range value fails cfn-lint', () => {
    const { template } = fixtureTemplate();
    const rule = Object.values((template as any).Resources).find((r: any) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule') as any;
    rule.Properties.Priority = 0;
    expect(runCfnLint({ prio: template }).map((f) => f.rule)).toContain('E3034');
  });

  test('cdk-nag reports an unsuppressed finding', () => {
    const stack = newStack();
    const { cluster } = albFixture(stack);
    // A task definition whose container has no log configuration (AwsSolutions-ECS7).
    const td = new ecs.FargateTaskDefinition(stack, 'Unlogged', { cpu: 256, memoryLimitMiB: 512 });
    td.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
    void cluster;
    applyNag(stack);
    Template.fromStack(stack);
    expect(nagFindings(stack).some((f) => f.includes('AwsSolutions-ECS'))).toBe(true);
  });
});
