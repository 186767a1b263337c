import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeServicesCommand, DescribeServicesCommandInput, ECSClient, ListServiceDeploymentsCommand, ListServiceDeploymentsCommandInput,
  ListServicesCommand, ListServicesCommandInput,
} from '@aws-sdk/client-ecs';
import {
  GetRuleCommand, GetRuleCommandInput, GetRuleResponse, ListRulesCommand, ListRulesCommandInput, RuleSummary, VPCLatticeClient,
} from '@aws-sdk/client-vpc-lattice';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { mockClient } from 'aws-sdk-client-mock';
import { BlueGreenEcsService, TrafficRouting, VpcLatticeCondition, VpcLatticeRoutingOptions } from '../../src';
import { LiveWeights } from '../../src/routing/live-weights';
import { handler, LiveWeightsEvent, RuleSpec } from '../../src/routing/live-weights.lambda';
import { checkStack, fargateTask, newStack, suppressFixtureFindings } from '../support';

/**
 * Weight-drift protection for VPC Lattice rules (issue 18). The AWS::VpcLattice::Rule schema allows
 * forward weights of 1–999 only, so a template's rule forwards to one target group with weight 1.
 * After an odd number of deployments ECS serves from green; a rule rewritten as coded (blue) would
 * send production traffic to the target group ECS drained. The live-weights reader reads the rule
 * with GetRule and the rule is rewritten forwarding to the target group it serves.
 */

const lattice = mockClient(VPCLatticeClient);
const cfn = mockClient(CloudFormationClient);
const ecsApi = mockClient(ECSClient);

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/5a0e1f30-6c6d-11ef-b8f1-0affd1a1b2c3';
const SVC = 'svc-0123456789abcdef0';
const LISTENER = 'listener-0123456789abcdef0';
const TG_ARN = 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/';
const BLUE = `${TG_ARN}tg-0b1ue000000000000`;
const GREEN = `${TG_ARN}tg-0green0000000000`;
const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/shop';
const KEY = 'W1a2b3c4';

function spec(o: Partial<RuleSpec> = {}): RuleSpec {
  return {
    Key: KEY,
    Id: 'Shop/Api/ProductionRule',
    Kind: 'lattice',
    ServiceIdentifier: SVC,
    ListenerIdentifier: LISTENER,
    Priority: 100,
    Blue: BLUE,
    Green: GREEN,
    Hash: 'h1',
    Cluster: CLUSTER,
    ...o,
  };
}

/** A Lattice listener's rules: `rules` maps rule ID to [priority, forward]. ListRules and GetRule answer by input only. */
function listenerHas(rules: Record<string, [number, Array<[string, number]>]>, service = SVC, listener = LISTENER): void {
  const items: RuleSummary[] = [
    ...Object.entries(rules).map(([id, [priority]]) => ({ id, arn: `arn:aws:vpc-lattice:us-east-1:123456789012:service/${service}/listener/${listener}/rule/${id}`, priority, isDefault: false })),
    { id: 'default', isDefault: true },
  ];
  lattice.on(ListRulesCommand, { serviceIdentifier: service, listenerIdentifier: listener } as ListRulesCommandInput).resolves({ items });
  for (const [id, [priority, forward]] of Object.entries(rules)) {
    const response: GetRuleResponse = {
      id,
      arn: items.find((i) => i.id === id)!.arn,
      priority,
      isDefault: false,
      action: { forward: { targetGroups: forward.map(([targetGroupIdentifier, weight]) => ({ targetGroupIdentifier, weight })) } },
    };
    const input: GetRuleCommandInput = { serviceIdentifier: service, listenerIdentifier: listener, ruleIdentifier: id };
    lattice.on(GetRuleCommand, input).resolves(response);
  }
}

function create(...rules: RuleSpec[]): LiveWeightsEvent {
  return { RequestType: 'Create', StackId: STACK_ID, ResourceProperties: { Rules: rules } };
}

function update(oldRules: RuleSpec[], newRules: RuleSpec[]): LiveWeightsEvent {
  return {
    RequestType: 'Update',
    StackId: STACK_ID,
    PhysicalResourceId: 'ecs-blue-green-live-weights',
    ResourceProperties: { Rules: newRules },
    OldResourceProperties: { Rules: oldRules },
  };
}

function stackStatus(status: string): void {
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: status as any, CreationTime: new Date('2026-01-05T10:00:00Z') }],
  });
}

/** One ECS service in the cluster, behind the Lattice target groups, with `inFlight` service deployments. */
function latticeServiceWith(inFlight: Array<{ arn: string; status: string }>, targetGroupArn = BLUE): void {
  const serviceArn = 'arn:aws:ecs:us-east-1:123456789012:service/shop/api';
  ecsApi.on(ListServicesCommand).callsFake((input: ListServicesCommandInput) => ({ serviceArns: input.cluster === CLUSTER ? [serviceArn] : [] }));
  ecsApi.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: input.cluster === CLUSTER && input.services?.includes(serviceArn) ? [{
      serviceArn,
      serviceName: 'api',
      deploymentController: { type: 'ECS' },
      loadBalancers: [],
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', vpcLatticeConfigurations: [{ roleArn: 'r', portName: 'web', targetGroupArn }] }],
    }] : [],
  }));
  ecsApi.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
    serviceDeployments: input.service === serviceArn ? inFlight.map((d) => ({ serviceDeploymentArn: d.arn, status: d.status as any })) : [],
  }));
}

let logs: string[];
beforeEach(() => {
  lattice.reset();
  cfn.reset();
  ecsApi.reset();
  stackStatus('UPDATE_IN_PROGRESS');
  ecsApi.on(ListServicesCommand).resolves({ serviceArns: [] });
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
});
afterEach(() => jest.restoreAllMocks());

describe('live weights handler: VPC Lattice rules', () => {
  test('create: no rule on the listener yet, so the rule serves blue', async () => {
    listenerHas({});
    const result = await handler(create(spec()));
    expect(result.Data).toEqual({ [`${KEY}T`]: 'tg-0b1ue000000000000' });
  });

  test('create on a Lattice service that CloudFormation creates in the same deploy (not found): blue', async () => {
    lattice.on(ListRulesCommand).rejects(Object.assign(new Error('no service'), { name: 'ResourceNotFoundException' }));
    expect((await handler(create(spec()))).Data).toEqual({ [`${KEY}T`]: 'tg-0b1ue000000000000' });
  });

  test('update after ECS shifted to green (weights 0/100, target groups by ARN): the rule is written to green', async () => {
    listenerHas({ 'rule-prod': [100, [[BLUE, 0], [GREEN, 100]]], 'rule-other': [10, [[`${TG_ARN}tg-0ther00000000000`, 1]]] });
    const result = await handler(update([spec()], [spec({ Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}T`]: 'tg-0green0000000000' });
    expect(logs.some((l) => JSON.parse(l).message === 'weights' && JSON.parse(l).blue === 0 && JSON.parse(l).green === 100)).toBe(true);
    // GetRule was asked for the rule at the entry's priority only.
    expect(lattice.commandCalls(GetRuleCommand).map((c) => c.args[0].input.ruleIdentifier)).toEqual(['rule-prod']);
  });

  test('target groups listed by ID, green alone: green', async () => {
    listenerHas({ 'rule-prod': [100, [['tg-0green0000000000', 1]]] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data![`${KEY}T`]).toBe('tg-0green0000000000');
  });

  test('a priority change (100 -> 90): the rule is found at its old priority', async () => {
    listenerHas({ 'rule-prod': [100, [[GREEN, 1]]] });
    const result = await handler(update([spec()], [spec({ Priority: 90, Hash: 'h2' })]));
    expect(result.Data![`${KEY}T`]).toBe('tg-0green0000000000');
  });

  test('the rule moved by hand to another priority: found as the one rule forwarding to these target groups', async () => {
    listenerHas({ 'rule-prod': [42, [[GREEN, 100], [BLUE, 0]]], 'rule-other': [10, [[`${TG_ARN}tg-0ther00000000000`, 1]]] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data![`${KEY}T`]).toBe('tg-0green0000000000');
  });

  test('an update whose rule existed before and is gone fails, saying what to restore', async () => {
    listenerHas({});
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(
      /VPC Lattice rule Shop\/Api\/ProductionRule was not found on listener listener-0123456789abcdef0 of VPC Lattice service svc-0123456789abcdef0 \(priority 100\).*forwarding to the one of .*tg-0b1ue000000000000 and .*tg-0green0000000000 that serves production/);
  });

  test('a rollback never fails for a missing rule: it is not written by the rollback', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({});
    const result = await handler(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data![`${KEY}T`]).toBe('tg-0b1ue000000000000');
  });

  test('a rollback finds the rule where the restored template puts it and keeps what it serves', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({ 'rule-prod': [100, [[GREEN, 100], [BLUE, 0]]] });
    // The failed update had moved the rule to priority 90; the rollback restores 100.
    const result = await handler(update([spec({ Priority: 90, Hash: 'h2' })], [spec()]));
    expect(result.Data![`${KEY}T`]).toBe('tg-0green0000000000');
  });

  test('split weights and no deployment under way: the update fails (one target group cannot render the split)', async () => {
    latticeServiceWith([]);
    listenerHas({ 'rule-prod': [100, [[BLUE, 90], [GREEN, 10]]] });
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(
      /VPC Lattice rule Shop\/Api\/ProductionRule .* forwards to .*tg-0b1ue000000000000 with weight 90 and to .*tg-0green0000000000 with weight 10\. .*aws vpc-lattice update-rule/);
  });

  test('split weights on a rollback: the heavier target group is kept, the rollback goes on', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({ 'rule-prod': [100, [[BLUE, 10], [GREEN, 90]]] });
    const result = await handler(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data![`${KEY}T`]).toBe('tg-0green0000000000');
    expect(logs.some((l) => l.includes('keeping the heavier one'))).toBe(true);
  });

  test('a deployment under way of the Lattice service (found by its deployments\' Lattice target groups) fails the update', async () => {
    latticeServiceWith([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/api/abc', status: 'IN_PROGRESS' }]);
    listenerHas({ 'rule-prod': [100, [[BLUE, 90], [GREEN, 10]]] });
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(
      /ECS service api \(cluster .*cluster\/shop\) has deployment .*service-deployment\/shop\/api\/abc IN_PROGRESS.*Wait for the deployment to finish/);
  });

  test('a deployment under way does not fail a rollback', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    latticeServiceWith([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/api/abc', status: 'IN_PROGRESS' }]);
    listenerHas({ 'rule-prod': [100, [[GREEN, 1]]] });
    expect((await handler(update([spec({ Hash: 'h2' })], [spec()]))).Data![`${KEY}T`]).toBe('tg-0green0000000000');
  });
});

// ---------------------------------------------------------------------------------------------
// Templates, and the deploy sequence create -> ECS flips to green -> a condition change.
// ---------------------------------------------------------------------------------------------

function app(options: VpcLatticeRoutingOptions = {}): { stack: Stack; template: any } {
  const stack = newStack('Shop');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskDefinition = fargateTask(stack);
  suppressFixtureFindings(vpc, undefined, taskDefinition);
  new BlueGreenEcsService(stack, 'Api', { cluster, taskDefinition, routing: TrafficRouting.vpcLattice(options) });
  return { stack, template: checkStack(stack, { nag: true }).toJSON() };
}

/** What CloudFormation would pass: a Lattice target group's Arn ends in its Id (the logical ID here). */
function deployed(value: any): any {
  if (Array.isArray(value)) return value.map(deployed);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return `ref-${value.Ref}`;
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att)) return att[1] === 'Arn' ? `${TG_ARN}${att[0]}` : att[1] === 'Id' ? att[0] : `${att[0]}.${att[1]}`;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
  }
  return value;
}

function resourcesOf(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
}

function readerRules(template: any): RuleSpec[] {
  const [[, cr]] = resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights');
  return deployed(cr.Properties.Rules);
}

function latticeRules(template: any): Record<string, any> {
  return Object.fromEntries(resourcesOf(template, 'AWS::VpcLattice::Rule').map(([id, r]) => [id, r.Properties]));
}

/** The target group CloudFormation writes into a rule's forward, given the reader's data. */
function writtenTarget(ruleProps: any, data: Record<string, number | string>): string[] {
  return ruleProps.Action.Forward.TargetGroups.map((g: any) => {
    const [, attr] = g.TargetGroupIdentifier['Fn::GetAtt'];
    expect(g.Weight).toBe(1);
    return data[attr];
  });
}

describe('templates', () => {
  test('the rules forward to the target group the reader reports, keyed by each rule\'s path; the reader knows service, listener, priority and target groups', () => {
    const { template } = app({ testHeader: { name: 'x-green', value: '1' } });
    const t = Template.fromJSON(template);
    const reader = Object.values<any>(t.findResources('Custom::EcsBlueGreenLiveWeights'))[0];
    const readerId = Object.keys(t.findResources('Custom::EcsBlueGreenLiveWeights'))[0];
    const rules = latticeRules(template);
    expect(Object.keys(rules)).toHaveLength(2);
    const entries = reader.Properties.Rules;
    expect(entries).toHaveLength(2);
    for (const [id, props] of Object.entries<any>(rules)) {
      const [att, attr] = props.Action.Forward.TargetGroups[0].TargetGroupIdentifier['Fn::GetAtt'];
      expect(att).toBe(readerId);
      const entry = entries.find((e: any) => `${e.Key}T` === attr);
      expect(entry).toMatchObject({
        Kind: 'lattice',
        Id: expect.stringMatching(id.startsWith('ApiProductionRule') ? /\/ProductionRule$/ : /\/TestRule$/),
        ServiceIdentifier: props.ServiceIdentifier,
        ListenerIdentifier: props.ListenerIdentifier,
        Priority: props.Priority,
        Blue: { 'Fn::GetAtt': [expect.stringMatching(/^ApiBlueTargetGroup/), 'Arn'] },
        Green: { 'Fn::GetAtt': [expect.stringMatching(/^ApiGreenTargetGroup/), 'Arn'] },
        Cluster: { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] },
      });
      expect(entry.ListenerArn).toBeUndefined();
    }
  });

  test('the reader may ListRules on the rules\' listener and GetRule on that listener\'s rules, nothing wider', () => {
    const { template } = app();
    const t = Template.fromJSON(template);
    const listenerId = Object.keys(t.findResources('AWS::VpcLattice::Listener'))[0];
    const policies = Object.values<any>(t.findResources('AWS::IAM::Role'))
      .flatMap((r) => r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    const latticeStatements = policies.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('vpc-lattice:ListRules') || a === 'vpc-lattice:GetRule'));
    expect(latticeStatements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 'vpc-lattice:ListRules', Resource: [{ 'Fn::GetAtt': [listenerId, 'Arn'] }] },
      { Effect: 'Allow', Action: 'vpc-lattice:GetRule', Resource: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [listenerId, 'Arn'] }, '/rule/*']] }] },
    ]));
    // No Lattice read of the reader's on '*'.
    expect(latticeStatements.every((st: any) => ![st.Resource].flat().includes('*'))).toBe(true);
    // A stack of Lattice rules only: the reader reads no load balancers.
    const readerRole = Object.entries<any>(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('EcsBlueGreenLiveWeightsProvider'))![1];
    const actions = readerRole.Properties.Policies[0].PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('elasticloadbalancing:'))).toEqual([]);
    expect(readerRole.Properties.Policies[0].PolicyDocument.Statement.every((st: any) => st !== null)).toBe(true);
  });

  test('an imported listener ARN scopes the reads to that listener', () => {
    const arn = `arn:aws:vpc-lattice:us-east-1:123456789012:service/${SVC}/listener/${LISTENER}`;
    const stack = newStack('Shop');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = fargateTask(stack);
    suppressFixtureFindings(vpc, undefined, taskDefinition);
    new BlueGreenEcsService(stack, 'Api', { cluster, taskDefinition, routing: TrafficRouting.vpcLattice({ listenerArn: arn }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      Policies: Match.arrayWith([Match.objectLike({
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Effect: 'Allow', Action: 'vpc-lattice:ListRules', Resource: [arn] },
            { Effect: 'Allow', Action: 'vpc-lattice:GetRule', Resource: [`${arn}/rule/*`] },
          ]),
        },
      })]),
    });
  });

  test('preserveLiveWeights: false: the rule forwards to blue by ID and no reader is created', () => {
    const { template } = app({ preserveLiveWeights: false });
    expect(resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights')).toHaveLength(0);
    const [rule] = Object.values<any>(latticeRules(template));
    expect(rule.Action.Forward.TargetGroups).toEqual([{ TargetGroupIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/^ApiBlueTargetGroup/), 'Id'] }, Weight: 1 }]);
  });
});

describe('deploy sequence: create -> ECS flips to green -> a condition change writes green', () => {
  test('the rewritten production and test rules forward to green, the target group serving after the deployment', async () => {
    const first = app({ testHeader: { name: 'x-green', value: '1' } });
    const p1 = readerRules(first.template);
    expect(p1.map((r) => r.Kind)).toEqual(['lattice', 'lattice']);
    const rules1 = latticeRules(first.template);
    const prodId = Object.keys(rules1).find((id) => id.startsWith('ApiProductionRule'))!;
    const testId = Object.keys(rules1).find((id) => id.startsWith('ApiTestRule'))!;
    const [blue, green] = [p1[0].Blue, p1[0].Green];

    // Deploy 1: the Lattice service and listener are created in the same deploy.
    lattice.on(ListRulesCommand).rejects(Object.assign(new Error('no service'), { name: 'ResourceNotFoundException' }));
    const created = await handler(create(...p1));
    expect(writtenTarget(rules1[prodId], created.Data!)).toEqual([blue.split('/').pop()]);
    expect(writtenTarget(rules1[testId], created.Data!)).toEqual([blue.split('/').pop()]);

    // ECS deploys a new revision: both rules now forward green 100 / blue 0.
    lattice.reset();
    const byPriority = Object.fromEntries(p1.map((r) => [r.Priority, r]));
    const prod = p1.find((r) => r.Id.endsWith('/ProductionRule'))!;
    const testRule = p1.find((r) => r.Id.endsWith('/TestRule'))!;
    expect(byPriority[100]).toBe(prod);
    listenerHas({ 'rule-prod': [100, [[blue, 0], [green, 100]]], 'rule-test': [99, [[blue, 0], [green, 100]]] },
      prod.ServiceIdentifier, prod.ListenerIdentifier);
    latticeServiceWith([], blue);
    ecsApi.on(ListServicesCommand).resolves({ serviceArns: [] });

    // Deploy 2: the production conditions change, so CloudFormation rewrites both rules.
    const second = app({ testHeader: { name: 'x-green', value: '1' }, conditions: [VpcLatticeCondition.pathPrefix('/shop')] });
    const rules2 = latticeRules(second.template);
    expect(rules2[prodId].Match).not.toEqual(rules1[prodId].Match);
    const p2 = readerRules(second.template);
    expect(p2.find((r) => r.Id === prod.Id)!.Hash).not.toEqual(prod.Hash);
    expect(p2.find((r) => r.Id === testRule.Id)!.Hash).not.toEqual(testRule.Hash);
    const updated = await handler(update(p1, p2));
    expect(writtenTarget(rules2[prodId], updated.Data!)).toEqual([green.split('/').pop()]);
    expect(writtenTarget(rules2[testId], updated.Data!)).toEqual([green.split('/').pop()]);
  });
});

describe('the reader\'s answer stays within CloudFormation\'s 4,096 bytes', () => {
  function stackWithLatticeRules(n: number): Stack {
    const stack = newStack('Shop');
    for (let i = 0; i < n; i++) {
      const rule = new vpclattice.CfnRule(stack, `Rule${i}`, {
        serviceIdentifier: SVC,
        listenerIdentifier: LISTENER,
        priority: 1 + (i % 100),
        match: { httpMatch: { pathMatch: { match: { prefix: `/p${i}` } } } },
        action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-0b1ue000000000000', weight: 1 }] } },
      });
      LiveWeights.of(stack).registerLattice({
        kind: 'lattice',
        resource: rule,
        serviceIdentifier: SVC,
        listenerIdentifier: LISTENER,
        priority: 1 + (i % 100),
        listenerArn: `arn:aws:vpc-lattice:us-east-1:123456789012:service/${SVC}/listener/${LISTENER}`,
        blueTargetGroupArn: BLUE,
        greenTargetGroupArn: GREEN,
      });
    }
    return stack;
  }

  test('a Lattice entry (one attribute of 35 bytes) counts 35/32 of an ALB entry: 91 fit, 92 do not', () => {
    expect(() => Template.fromStack(stackWithLatticeRules(91))).not.toThrow();
    expect(() => Template.fromStack(stackWithLatticeRules(92))).toThrow(/keeps the weights of 92 rules and listeners; .*at most 100 \(VPC Lattice rules count 1\.09 each\)/);
  });
});
