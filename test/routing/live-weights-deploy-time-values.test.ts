import { CfnDynamicReference, CfnDynamicReferenceService, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { BlueGreenEcsService, TrafficRouting, VpcLatticeCondition } from '../../src';
import { WeightedListenerRule } from '../../src/routing/weighted-listener-rule';
import { albFixture, checkStack, fargateTask, newStack, suppressFixtureFindings } from '../support';

/**
 * Issue 27, item 4: a rule whose priority or conditions come from a deploy-time value (a
 * CfnParameter, an SSM parameter type) changes when that value changes, with the template
 * unchanged. CloudFormation then writes the rule; if the reader did not re-run, the rule would get
 * the reader's old weights (e.g. 1/0 after ECS moved traffic to green: aws/aws-cdk#36649). The
 * reader re-runs when its own resolved properties change, so each entry carries the rule's other
 * properties with the same references. The tests resolve both templates the way CloudFormation
 * does (parameters to their values) and compare what CloudFormation compares.
 */

/** The template's values as CloudFormation resolves them: parameters from `params`, other references fake but stable. */
function resolved(value: any, params: Record<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => resolved(v, params));
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return params[value.Ref] ?? `ref:${value.Ref}`;
    if (Array.isArray(value['Fn::GetAtt'])) return `att:${value['Fn::GetAtt'].join('.')}`;
    if (Array.isArray(value['Fn::Join'])) return value['Fn::Join'][1].map((v: any) => resolved(v, params)).join(value['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, params)]));
  }
  return value;
}

function only(template: any, type: string): [string, any] {
  const found = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

/** An ALB rule with its priority from a CfnParameter and its path from an SSM parameter (a CfnParameter of type AWS::SSM::Parameter::Value<String>). */
function albStack(): { template: any; priorityParam: string; pathParam: string } {
  const stack = newStack('Shop');
  const f = albFixture(stack);
  const priority = new CfnParameter(stack, 'RulePriority', { type: 'Number', default: 100 });
  const path = ssm.StringParameter.valueForStringParameter(stack, '/shop/api/path');
  const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc: f.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
  });
  new WeightedListenerRule(stack, 'Rule', {
    listener: f.listener,
    blueTargetGroup: tg('Blue'),
    greenTargetGroup: tg('Green'),
    priority: Token.asNumber(priority.valueAsNumber),
    conditions: [elbv2.ListenerCondition.pathPatterns([path])],
  });
  const template = checkStack(stack).toJSON();
  const pathParam = Object.entries<any>(template.Parameters).find(([, p]) => p.Type === 'AWS::SSM::Parameter::Value<String>')![0];
  return { template, priorityParam: 'RulePriority', pathParam };
}

describe('the reader re-runs when a deploy-time value changes one of its rules', () => {
  test('ALB rule: a new priority (CfnParameter) changes the reader\'s resolved properties, as it changes the rule\'s', () => {
    const { template, priorityParam, pathParam } = albStack();
    const [, rule] = only(template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const [, reader] = only(template, 'Custom::EcsBlueGreenLiveWeights');
    const before = { [priorityParam]: '100', [pathParam]: '/shop/*' };
    const after = { [priorityParam]: '90', [pathParam]: '/shop/*' };
    // The rule is written by CloudFormation: its resolved properties differ.
    expect(resolved(rule.Properties, after)).not.toEqual(resolved(rule.Properties, before));
    // ...and so are the reader's, so CloudFormation runs it first and the rule gets the live weights.
    expect(resolved(reader.Properties, after)).not.toEqual(resolved(reader.Properties, before));
  });

  test('ALB rule: a new path from the SSM parameter changes the reader\'s resolved properties too', () => {
    const { template, priorityParam, pathParam } = albStack();
    const [, rule] = only(template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const [, reader] = only(template, 'Custom::EcsBlueGreenLiveWeights');
    const before = { [priorityParam]: '100', [pathParam]: '/shop/*' };
    const after = { [priorityParam]: '100', [pathParam]: '/store/*' };
    expect(resolved(rule.Properties, after)).not.toEqual(resolved(rule.Properties, before));
    expect(resolved(reader.Properties, after)).not.toEqual(resolved(reader.Properties, before));
  });

  test('the entry carries the rule\'s properties except its forward action, with the same references', () => {
    const { template } = albStack();
    const [, rule] = only(template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const [, reader] = only(template, 'Custom::EcsBlueGreenLiveWeights');
    const { Actions, ...rest } = rule.Properties;
    expect(Actions).toBeDefined();
    expect(reader.Properties.Rules[0].RuleProperties).toEqual(rest);
  });

  test('VPC Lattice rule: a new priority (CfnParameter) changes the reader\'s resolved properties', () => {
    const stack = newStack('Shop');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = fargateTask(stack);
    suppressFixtureFindings(vpc, undefined, taskDefinition);
    const priority = new CfnParameter(stack, 'RulePriority', { type: 'Number', default: 50 });
    new BlueGreenEcsService(stack, 'Api', {
      cluster,
      taskDefinition,
      routing: TrafficRouting.vpcLattice({ priority: Token.asNumber(priority.valueAsNumber), conditions: [VpcLatticeCondition.pathPrefix('/api')] }),
    });
    const template = checkStack(stack).toJSON();
    const [, rule] = only(template, 'AWS::VpcLattice::Rule');
    const [, reader] = only(template, 'Custom::EcsBlueGreenLiveWeights');
    expect(resolved(rule.Properties, { RulePriority: '40' })).not.toEqual(resolved(rule.Properties, { RulePriority: '50' }));
    expect(resolved(reader.Properties, { RulePriority: '40' })).not.toEqual(resolved(reader.Properties, { RulePriority: '50' }));
    const { Action, ...rest } = rule.Properties;
    expect(reader.Properties.Rules[0].RuleProperties).toEqual(rest);
  });

  test('VPC Lattice rule: a header value from a CfnParameter changes the reader\'s resolved properties', () => {
    const stack = newStack('Shop');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = fargateTask(stack);
    suppressFixtureFindings(vpc, undefined, taskDefinition);
    const tenant = new CfnParameter(stack, 'Tenant', { type: 'String', default: 'blue-team' });
    new BlueGreenEcsService(stack, 'Api', {
      cluster,
      taskDefinition,
      routing: TrafficRouting.vpcLattice({ conditions: [VpcLatticeCondition.pathPrefix('/api'), VpcLatticeCondition.header('x-tenant', tenant.valueAsString)] }),
    });
    const template = checkStack(stack).toJSON();
    const [, rule] = only(template, 'AWS::VpcLattice::Rule');
    const [, reader] = only(template, 'Custom::EcsBlueGreenLiveWeights');
    expect(resolved(rule.Properties, { Tenant: 'red-team' })).not.toEqual(resolved(rule.Properties, { Tenant: 'blue-team' }));
    expect(resolved(reader.Properties, { Tenant: 'red-team' })).not.toEqual(resolved(reader.Properties, { Tenant: 'blue-team' }));
  });

  test('a dynamic reference stays out of the entry (CloudFormation re-resolves it only when its text changes, which the hash covers)', () => {
    const hashAndEntry = (version: string) => {
      const stack = newStack('Shop');
      const f = albFixture(stack);
      const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
        vpc: f.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
      });
      const secret = new CfnDynamicReference(CfnDynamicReferenceService.SECRETS_MANAGER, `origin:SecretString:header::${version}`);
      new WeightedListenerRule(stack, 'Rule', {
        listener: f.listener,
        blueTargetGroup: tg('Blue'),
        greenTargetGroup: tg('Green'),
        conditions: [elbv2.ListenerCondition.httpHeader('X-Origin-Verify', [Token.asString(secret)])],
      });
      const [, reader] = only(checkStack(stack).toJSON(), 'Custom::EcsBlueGreenLiveWeights');
      return reader.Properties.Rules[0];
    };
    const v1 = hashAndEntry('v1');
    const v2 = hashAndEntry('v2');
    expect(JSON.stringify(v1)).not.toContain('{{resolve:');
    expect(JSON.stringify(v1.RuleProperties.Conditions)).toContain('X-Origin-Verify');
    expect(v2.Hash).not.toEqual(v1.Hash);
  });

  test('ordinary stacks: the entry of a rule without deploy-time values is stable across syntheses', () => {
    const entry = () => {
      const stack = new Stack(undefined, 'Shop');
      const f = albFixture(stack);
      new BlueGreenEcsService(stack, 'Api', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }) });
      return only(checkStack(stack).toJSON(), 'Custom::EcsBlueGreenLiveWeights')[1].Properties.Rules;
    };
    expect(entry()).toEqual(entry());
  });
});
