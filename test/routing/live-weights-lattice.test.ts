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
 * Weight-drift protection for VPC Lattice rules (issue 18; issue 27: both target groups). A Lattice
 * rule forwards to blue and green with weights 0–999 like an ALB rule (VPC Lattice User Guide,
 * "Listener rules for your VPC Lattice service"; cfn-lint 1.58 agrees). After a deployment ECS has
 * moved the weights; a rule rewritten as coded (blue 1 / green 0) would send production traffic to
 * the target group ECS drained. The live-weights reader reads the rule with GetRule and the rule is
 * rewritten with the weights it has, `<Key>B` / `<Key>G`, whatever they are.
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
    Forward: 'weighted',
    ...o,
  };
}

/** An entry of a template from before both target groups were rendered (the reader answered `<Key>T`). */
function legacySpec(o: Partial<RuleSpec> = {}): RuleSpec {
  const { Forward, RuleProperties, ...rest } = spec(o);
  return rest;
}

const W = (blue: number, green: number) => ({ [`${KEY}B`]: blue, [`${KEY}G`]: green });

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
  test('create: no rule on the listener yet, so the rule starts at blue 1 / green 0', async () => {
    listenerHas({});
    const result = await handler(create(spec()));
    expect(result.Data).toEqual(W(1, 0));
  });

  test('create on a Lattice service that CloudFormation creates in the same deploy (not found): 1/0', async () => {
    lattice.on(ListRulesCommand).rejects(Object.assign(new Error('no service'), { name: 'ResourceNotFoundException' }));
    expect((await handler(create(spec()))).Data).toEqual(W(1, 0));
  });

  test('update after ECS shifted to green (weights 0/100, target groups by ARN): the rule is written 0/100', async () => {
    listenerHas({ 'rule-prod': [100, [[BLUE, 0], [GREEN, 100]]], 'rule-other': [10, [[`${TG_ARN}tg-0ther00000000000`, 1]]] });
    const result = await handler(update([spec()], [spec({ Hash: 'h2' })]));
    expect(result.Data).toEqual(W(0, 100));
    expect(logs.some((l) => JSON.parse(l).message === 'weights' && JSON.parse(l).blue === 0 && JSON.parse(l).green === 100)).toBe(true);
    // GetRule was asked for the rule at the entry's priority only.
    expect(lattice.commandCalls(GetRuleCommand).map((c) => c.args[0].input.ruleIdentifier)).toEqual(['rule-prod']);
  });

  test('target groups listed by ID, green alone: blue 0 / green 1', async () => {
    listenerHas({ 'rule-prod': [100, [['tg-0green0000000000', 1]]] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual(W(0, 1));
  });

  test('a priority change (100 -> 90): the rule is found at its old priority', async () => {
    listenerHas({ 'rule-prod': [100, [[BLUE, 0], [GREEN, 1]]] });
    const result = await handler(update([spec()], [spec({ Priority: 90, Hash: 'h2' })]));
    expect(result.Data).toEqual(W(0, 1));
  });

  test('the rule moved by hand to another priority: found as the one rule forwarding to these target groups', async () => {
    listenerHas({ 'rule-prod': [42, [[GREEN, 100], [BLUE, 0]]], 'rule-other': [10, [[`${TG_ARN}tg-0ther00000000000`, 1]]] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual(W(0, 100));
  });

  test('an update whose rule existed before and is gone fails, saying what to restore', async () => {
    listenerHas({});
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(
      /VPC Lattice rule Shop\/Api\/ProductionRule was not found on listener listener-0123456789abcdef0 of VPC Lattice service svc-0123456789abcdef0 \(priority 100\).*forwarding to .*tg-0b1ue000000000000 and .*tg-0green0000000000 with the weights ECS last set/);
  });

  test('a rollback never fails for a missing rule: it is not written by the rollback', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({});
    const result = await handler(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual(W(1, 0));
  });

  test('a rollback finds the rule where the restored template puts it and keeps its weights', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({ 'rule-prod': [100, [[GREEN, 100], [BLUE, 0]]] });
    // The failed update had moved the rule to priority 90; the rollback restores 100.
    const result = await handler(update([spec({ Priority: 90, Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual(W(0, 100));
  });

  test('split weights and no deployment under way (set by hand): the update writes the split back as it is', async () => {
    latticeServiceWith([]);
    listenerHas({ 'rule-prod': [100, [[BLUE, 90], [GREEN, 10]]] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual(W(90, 10));
  });

  test('split weights on a rollback: 40/60 is written back as 40/60, not 0/100', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({ 'rule-prod': [100, [[BLUE, 40], [GREEN, 60]]] });
    const result = await handler(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual(W(40, 60));
    expect(logs.some((l) => l.includes('heavier') || l.includes('more traffic'))).toBe(false);
  });

  test('a deployment under way of the Lattice service (found by its deployments\' Lattice target groups) fails the update', async () => {
    latticeServiceWith([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/api/abc', status: 'IN_PROGRESS' }]);
    listenerHas({ 'rule-prod': [100, [[BLUE, 90], [GREEN, 10]]] });
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(
      /ECS service api \(cluster .*cluster\/shop\) has deployment .*service-deployment\/shop\/api\/abc IN_PROGRESS.*Wait for the deployment to finish/);
  });
});

describe('upgrading from templates whose Lattice rule forwarded to one target group (<Key>T)', () => {
  test('the first deploy after upgrading keeps the traffic ECS had moved: one group (green, weight 1) becomes blue 0 / green 1', async () => {
    listenerHas({ 'rule-prod': [100, [[GREEN, 1]]] });
    const result = await handler(update([legacySpec()], [spec({ Hash: 'h2' })]));
    expect(result.Data).toEqual(W(0, 1));
  });

  test('the first deploy after upgrading, after ECS wrote both groups (blue 0 / green 100): 0/100', async () => {
    listenerHas({ 'rule-prod': [100, [[BLUE, 0], [GREEN, 100]]] });
    expect((await handler(update([legacySpec()], [spec({ Hash: 'h2' })]))).Data).toEqual(W(0, 100));
  });

  test('the rollback of that deploy restores rules that read <Key>T: the reader answers it again (the target group with the traffic)', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    listenerHas({ 'rule-prod': [100, [[BLUE, 0], [GREEN, 1]]] });
    const result = await handler(update([spec({ Hash: 'h2' })], [legacySpec()]));
    expect(result.Data).toEqual({ [`${KEY}T`]: 'tg-0green0000000000' });
  });
});

describe('rollback: the reader waits while ECS is moving the Lattice service\'s traffic', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  /** ECS rolling back the failed update: ROLLBACK_IN_PROGRESS for `forMs`, the rule at 40/60 then 100/0. */
  function ecsRollingBack(forMs: number): void {
    const start = Date.now();
    const moving = () => Date.now() - start < forMs;
    const serviceArn = 'arn:aws:ecs:us-east-1:123456789012:service/shop/api';
    ecsApi.on(ListServicesCommand).resolves({ serviceArns: [serviceArn] });
    ecsApi.on(DescribeServicesCommand).resolves({
      services: [{
        serviceArn,
        serviceName: 'api',
        deploymentController: { type: 'ECS' },
        loadBalancers: [],
        deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', vpcLatticeConfigurations: [{ roleArn: 'r', portName: 'web', targetGroupArn: BLUE }] }],
      }],
    });
    ecsApi.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
      serviceDeployments: moving() && input.status!.includes('ROLLBACK_IN_PROGRESS')
        ? [{ serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/api/rb1', status: 'ROLLBACK_IN_PROGRESS' }] : [],
    }));
    lattice.on(ListRulesCommand).resolves({ items: [{ id: 'rule-prod', priority: 100, isDefault: false }] });
    lattice.on(GetRuleCommand).callsFake(() => ({
      id: 'rule-prod',
      priority: 100,
      action: {
        forward: {
          targetGroups: [{ targetGroupIdentifier: BLUE, weight: moving() ? 40 : 100 }, { targetGroupIdentifier: GREEN, weight: moving() ? 60 : 0 }],
        },
      },
    }));
  }

  async function run(event: LiveWeightsEvent, remainingMs = 15 * 60_000) {
    const started = Date.now();
    let settled = false;
    const result = handler(event, { getRemainingTimeInMillis: () => remainingMs - (Date.now() - started) });
    void result.finally(() => { settled = true; }).catch(() => undefined);
    // The fake clock moves 5 s at a time until the handler has answered (at most an hour).
    for (let i = 0; i < 720 && !settled; i++) await jest.advanceTimersByTimeAsync(5_000);
    return result;
  }

  test('ECS rolls back for 2 minutes: the reader reads after it, 100/0 (not the 40/60 of the moment the rollback began)', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecsRollingBack(2 * 60_000);
    const result = await run(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual(W(100, 0));
    const lines = logs.map((l) => JSON.parse(l));
    expect(lines.some((l) => /waiting for ECS deployments/.test(l.message))).toBe(true);
    expect(lines.some((l) => /no ECS deployment is moving traffic any more/.test(l.message))).toBe(true);
  });

  test('ECS still rolling back after the wait (10 minutes): reads what is there and logs the deployments', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecsRollingBack(60 * 60_000);
    const started = Date.now();
    const result = await run(update([spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual(W(40, 60));
    expect(Date.now() - started).toBeLessThanOrEqual(10 * 60_000);
    const timedOut = logs.map((l) => JSON.parse(l)).find((l) => /still moving traffic after the wait/.test(l.message));
    expect(timedOut.deployments[0]).toMatchObject({ serviceName: 'api', status: 'ROLLBACK_IN_PROGRESS' });
  });

  test('the wait leaves the last 3 minutes of the invocation for reading', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecsRollingBack(60 * 60_000);
    const started = Date.now();
    await run(update([spec({ Hash: 'h2' })], [spec()]), 5 * 60_000);
    expect(Date.now() - started).toBeLessThanOrEqual(2 * 60_000);
  });

  test('an ordinary update does not wait: a deployment under way fails it at once', async () => {
    ecsRollingBack(60 * 60_000);
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/has deployment .*rb1 ROLLBACK_IN_PROGRESS/);
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

/** The target groups and weights CloudFormation writes into a rule's forward, given the reader's data. */
function writtenForward(ruleProps: any, data: Record<string, number | string>): Array<[string, number | string]> {
  return deployed(ruleProps.Action.Forward.TargetGroups).map((g: any) => [g.TargetGroupIdentifier, data[g.Weight.split('.')[1]]]);
}

describe('templates', () => {
  test('the rules forward to blue and green with the weights the reader reports, keyed by each rule\'s path; the reader knows service, listener, priority and target groups', () => {
    const { template } = app({ testHeader: { name: 'x-green', value: '1' } });
    const t = Template.fromJSON(template);
    const reader = Object.values<any>(t.findResources('Custom::EcsBlueGreenLiveWeights'))[0];
    const readerId = Object.keys(t.findResources('Custom::EcsBlueGreenLiveWeights'))[0];
    const rules = latticeRules(template);
    expect(Object.keys(rules)).toHaveLength(2);
    const entries = reader.Properties.Rules;
    expect(entries).toHaveLength(2);
    for (const [id, props] of Object.entries<any>(rules)) {
      const [blue, green] = props.Action.Forward.TargetGroups;
      expect(blue.TargetGroupIdentifier).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiBlueTargetGroup/), 'Id'] });
      expect(green.TargetGroupIdentifier).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiGreenTargetGroup/), 'Id'] });
      const [att, attr] = blue.Weight['Fn::GetAtt'];
      expect(att).toBe(readerId);
      const entry = entries.find((e: any) => `${e.Key}B` === attr);
      expect(green.Weight).toEqual({ 'Fn::GetAtt': [readerId, `${entry.Key}G`] });
      expect(entry).toMatchObject({
        Kind: 'lattice',
        Id: expect.stringMatching(id.startsWith('ApiProductionRule') ? /\/ProductionRule$/ : /\/TestRule$/),
        ServiceIdentifier: props.ServiceIdentifier,
        ListenerIdentifier: props.ListenerIdentifier,
        Priority: props.Priority,
        Blue: { 'Fn::GetAtt': [expect.stringMatching(/^ApiBlueTargetGroup/), 'Arn'] },
        Green: { 'Fn::GetAtt': [expect.stringMatching(/^ApiGreenTargetGroup/), 'Arn'] },
        Cluster: { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] },
        Forward: 'weighted',
        // The rule's other properties, resolved by CloudFormation like the rule's (issue 27, item 4).
        RuleProperties: {
          ServiceIdentifier: props.ServiceIdentifier, ListenerIdentifier: props.ListenerIdentifier, Priority: props.Priority, Match: props.Match,
        },
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

  test('preserveLiveWeights: false: the rule forwards to blue 1 / green 0 by ID and no reader is created', () => {
    const { template } = app({ preserveLiveWeights: false });
    expect(resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights')).toHaveLength(0);
    const [rule] = Object.values<any>(latticeRules(template));
    expect(rule.Action.Forward.TargetGroups).toEqual([
      { TargetGroupIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/^ApiBlueTargetGroup/), 'Id'] }, Weight: 1 },
      { TargetGroupIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/^ApiGreenTargetGroup/), 'Id'] }, Weight: 0 },
    ]);
  });
});

describe('deploy sequence: create -> ECS flips to green -> a condition change writes green', () => {
  test('the rewritten production and test rules forward 0/100, the weights after the deployment', async () => {
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
    const [blueId, greenId] = [blue.split('/').pop()!, green.split('/').pop()!];
    expect(writtenForward(rules1[prodId], created.Data!)).toEqual([[blueId, 1], [greenId, 0]]);
    expect(writtenForward(rules1[testId], created.Data!)).toEqual([[blueId, 1], [greenId, 0]]);

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
    expect(writtenForward(rules2[prodId], updated.Data!)).toEqual([[blueId, 0], [greenId, 100]]);
    expect(writtenForward(rules2[testId], updated.Data!)).toEqual([[blueId, 0], [greenId, 100]]);
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
        action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-0b1ue000000000000', weight: 1 }, { targetGroupIdentifier: 'tg-0green0000000000', weight: 0 }] } },
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

  test('a Lattice entry answers two weights like an ALB entry: 100 fit, 101 do not', () => {
    expect(() => Template.fromStack(stackWithLatticeRules(100))).not.toThrow();
    expect(() => Template.fromStack(stackWithLatticeRules(101))).toThrow(/keeps the weights of 101 rules and listeners; .*at most 100\. Spread/);
  });
});
