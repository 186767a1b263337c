import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, Listener, Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { mockClient } from 'aws-sdk-client-mock';
import { BlueGreenEcsService, DeploymentStrategy, TrafficRouting } from '../../src';
import { READ_RESERVE_MS, WAIT_MS } from '../../src/routing/live-weights-handler/rollback-wait';
import { handler, LiveWeightsEvent, RuleSpec } from '../../src/routing/live-weights.lambda';
import { WeightedListenerRule } from '../../src/routing/weighted-listener-rule';
import { albFixture, checkStack, fargateTask, newStack } from '../support';

const elb = mockClient(ElasticLoadBalancingV2Client);
const cfn = mockClient(CloudFormationClient);
const ecsApi = mockClient(ECSClient);

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/prod';
const TEST_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/test';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2';
const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1';

function spec(overrides: Partial<RuleSpec> = {}): RuleSpec {
  return { Id: 'Stack/Api/ProductionRule/Resource', Kind: 'rule', ListenerArn: LISTENER, Priority: 100, Blue: BLUE, Green: GREEN, Hash: 'h1', ...overrides };
}

function rule(priority: number | 'default', blue: number, green: number, arn = `rule-${priority}`): Rule {
  return {
    RuleArn: arn,
    Priority: String(priority),
    IsDefault: priority === 'default',
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }] } }],
  };
}

const DEFAULT_404: Rule = { RuleArn: 'default', Priority: 'default', IsDefault: true, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] };

function create(...rules: RuleSpec[]): LiveWeightsEvent {
  return { RequestType: 'Create', ResourceProperties: { Rules: rules } };
}

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/5a0e1f30-6c6d-11ef-b8f1-0affd1a1b2c3';

function update(oldRules: RuleSpec[], newRules: RuleSpec[]): LiveWeightsEvent {
  return {
    RequestType: 'Update',
    StackId: STACK_ID,
    ResourceProperties: { Rules: newRules },
    OldResourceProperties: { Rules: oldRules },
    PhysicalResourceId: 'ecs-blue-green-live-weights',
  };
}

let logs: string[];
beforeEach(() => {
  elb.reset();
  cfn.reset();
  ecsApi.reset();
  // An ordinary update (not a rollback), in a cluster without services in flight.
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date('2026-01-05T10:00:00Z') }],
  });
  ecsApi.on(ListServicesCommand).resolves({ serviceArns: [] });
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
});
afterEach(() => jest.restoreAllMocks());

describe('live weights handler', () => {
  test('first create: the rule does not exist yet, so it starts at blue 1 / green 0', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: LISTENER }).resolves({ Rules: [DEFAULT_404] });
    const result = await handler(create(spec()));
    expect(result).toEqual({ PhysicalResourceId: 'ecs-blue-green-live-weights', Data: { W0B: 1, W0G: 0 } });
  });

  test('first create on a listener that CloudFormation creates in the same deploy: 1/0', async () => {
    elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('not found'), { name: 'ListenerNotFoundException' }));
    expect((await handler(create(spec()))).Data).toEqual({ W0B: 1, W0G: 0 });
  });

  test('after a blue→green deployment the update keeps green 100 / blue 0', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(100, 0, 100), DEFAULT_404] });
    const result = await handler(update([spec()], [spec({ Hash: 'h2' })]));
    expect(result.Data).toEqual({ W0B: 0, W0G: 100 });
    expect(logs.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ message: 'weights', blue: 0, green: 100, source: 'rule rule-100' }));
  });

  test('after a second deployment (green→blue) the update keeps blue 100 / green 0', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(100, 100, 0)] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 100, W0G: 0 });
  });

  test('mid-deployment weights (linear step) are kept as they are', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(100, 70, 30)] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 70, W0G: 30 });
  });

  test('a production rule and a test rule on another listener are read each from its own listener', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: LISTENER }).resolves({ Rules: [rule(100, 0, 100, 'prod')] });
    elb.on(DescribeRulesCommand, { ListenerArn: TEST_LISTENER }).resolves({ Rules: [rule(50000, 0, 100, 'test')] });
    const prod = spec();
    const test = spec({ Id: 'Stack/Api/TestRule/Resource', ListenerArn: TEST_LISTENER, Priority: 50000 });
    const result = await handler(update([prod, test], [{ ...prod, Hash: 'h2' }, test]));
    expect(result.Data).toEqual({ W0B: 0, W0G: 100, W1B: 0, W1G: 100 });
  });

  test('a header test rule on the same listener is found by its own priority; the listener is described once', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(99, 1, 0, 'test'), rule(100, 0, 100, 'prod')] });
    const prod = spec();
    const test = spec({ Id: 'Stack/Api/TestRule/Resource', Priority: 99 });
    const result = await handler(update([prod, test], [prod, { ...test, Hash: 'h2' }]));
    expect(result.Data).toEqual({ W0B: 0, W0G: 100, W1B: 1, W1G: 0 });
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(1);
  });

  test('a priority change reads the rule where it was before the update', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(100, 0, 100)] });
    const result = await handler(update([spec({ Priority: 100 })], [spec({ Priority: 10, Hash: 'h2' })]));
    expect(result.Data).toEqual({ W0B: 0, W0G: 100 });
  });

  test('when the old priority holds another rule, the one rule forwarding to both target groups is used', async () => {
    const other: Rule = { RuleArn: 'other', Priority: '100', Actions: [{ Type: 'forward', TargetGroupArn: 'arn:other' }] };
    elb.on(DescribeRulesCommand).resolves({ Rules: [other, rule(7, 0, 100, 'ours')] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 0, W0G: 100 });
  });

  test('a rule that is new in this update starts at 1/0 while known rules keep their weights', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(100, 0, 100)] });
    const added = spec({ Id: 'Stack/Other/ProductionRule/Resource', Priority: 200, Blue: 'arn:b2', Green: 'arn:g2' });
    const result = await handler(update([spec()], [spec(), added]));
    expect(result.Data).toEqual({ W0B: 0, W0G: 100, W1B: 1, W1G: 0 });
  });

  test('pages through the listener\'s rules', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: LISTENER, Marker: undefined }).resolves({ Rules: [DEFAULT_404], NextMarker: 'p2' });
    elb.on(DescribeRulesCommand, { ListenerArn: LISTENER, Marker: 'p2' }).resolves({ Rules: [rule(100, 0, 100)] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 0, W0G: 100 });
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(2);
  });

  describe('throttling', () => {
    beforeEach(() => {
      jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void) => { fn(); return 0; }) as any);
    });
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });

    test('retries throttled calls and logs each retry', async () => {
      elb.on(DescribeRulesCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ Rules: [rule(100, 0, 100)] });
      expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 0, W0G: 100 });
      expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(3);
      expect(logs.filter((l) => l.includes('throttled, retrying'))).toHaveLength(2);
    });

    test('fails the deploy after 5 throttled attempts rather than guessing', async () => {
      elb.on(DescribeRulesCommand).rejects(throttled());
      await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow('Rate exceeded');
      expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(5);
    });
  });

  test('a rule that existed before and is gone fails the update with a clear message', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [DEFAULT_404] });
    const error = await handler(update([spec()], [spec({ Hash: 'h2' })])).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^listener rule Stack\/Api\/ProductionRule\/Resource was not found on .*listener\/app\/alb\/1\/prod \(priority 100\), /);
    expect((error as Error).message).toMatch(/Refusing to guess the weights production traffic needs: restore it on .*prod \(priority 100\), forwarding to .*blue\/1 and .*green\/2/);
    expect((error as Error).message).not.toMatch(/preserveLiveWeights/);
  });

  test('a listener that existed before and is gone fails the update (no silent 1/0)', async () => {
    elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('gone'), { name: 'ListenerNotFoundException' }));
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/listener rule .* was not found on .*listener\/app\/alb\/1\/prod \(priority 100\)/);
  });

  test('delete reads nothing and keeps the physical id', async () => {
    const result = await handler({ RequestType: 'Delete', ResourceProperties: { Rules: [spec()] }, PhysicalResourceId: 'ecs-blue-green-live-weights' });
    expect(result).toEqual({ PhysicalResourceId: 'ecs-blue-green-live-weights' });
    expect(elb.calls()).toHaveLength(0);
  });

  describe('NLB listeners', () => {
    const nlb = (o: Partial<RuleSpec> = {}) => spec({ Id: 'Stack/Nlb/Prod/Resource', Kind: 'listener', ListenerArn: undefined, Priority: undefined, LoadBalancerArn: LB, Port: 80, ...o });
    const listener = (port: number, blue: number, green: number): Listener => ({
      ListenerArn: `listener-${port}`,
      Port: port,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }] } }],
    });

    test('create on a new load balancer: 1/0', async () => {
      elb.on(DescribeListenersCommand).rejects(Object.assign(new Error('nf'), { name: 'LoadBalancerNotFoundException' }));
      expect((await handler(create(nlb()))).Data).toEqual({ W0B: 1, W0G: 0 });
    });

    test('update after a shift keeps the listener\'s live weights, found by its old port', async () => {
      elb.on(DescribeListenersCommand, { LoadBalancerArn: LB }).resolves({ Listeners: [listener(8080, 1, 0), listener(80, 0, 100)] });
      const result = await handler(update([nlb()], [nlb({ Port: 443, Hash: 'h2' })]));
      expect(result.Data).toEqual({ W0B: 0, W0G: 100 });
    });

    test('a listener that is gone fails the update', async () => {
      elb.on(DescribeListenersCommand).resolves({ Listeners: [] });
      await expect(handler(update([nlb()], [nlb({ Hash: 'h2' })]))).rejects.toThrow(/listener Stack\/Nlb\/Prod\/Resource was not found on port 80 of .*loadbalancer\/net\/nlb\/1, /);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Deploy sequence: the templates of two deploys, with "ECS flips the weights" in between.
// ---------------------------------------------------------------------------------------------

interface AppOptions {
  readonly conditions?: string[];
  readonly image?: string;
  readonly environment?: Record<string, string>;
  readonly cpu?: number;
  readonly desiredCount?: number;
  readonly strategy?: DeploymentStrategy;
}

/** The user's app: an ALB service with a path rule and a test listener. */
function app(o: AppOptions = {}): { stack: Stack; template: any } {
  const stack = newStack('Shop');
  const f = albFixture(stack);
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: o.cpu ?? 256, memoryLimitMiB: (o.cpu ?? 256) * 2 });
  taskDefinition.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry(o.image ?? 'public.ecr.aws/nginx/nginx:1.27'),
    portMappings: [{ containerPort: 80, name: 'web' }],
    environment: o.environment,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
  });
  new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition,
    desiredCount: o.desiredCount ?? 2,
    strategy: o.strategy,
    routing: TrafficRouting.applicationLoadBalancer({
      listener: f.listener,
      testListener: f.testListener,
      priority: 100,
      conditions: [elbv2.ListenerCondition.pathPatterns(o.conditions ?? ['/*'])],
    }),
  });
  return { stack, template: checkStack(stack).toJSON() };
}

/** What CloudFormation would pass: Refs and GetAtts of the template replaced by fake physical values. */
function deployed(value: any): any {
  if (Array.isArray(value)) return value.map(deployed);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return `arn:fake:${value.Ref}`;
    if (Array.isArray(value['Fn::GetAtt'])) return `arn:fake:${value['Fn::GetAtt'].join('.')}`;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
  }
  return value;
}

function resourcesOf(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
}

function liveWeightsProps(template: any): { Rules: RuleSpec[] } {
  const [[, cr]] = resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights');
  const { ServiceToken, ...props } = cr.Properties;
  return deployed(props);
}

function rulesOf(template: any): Record<string, any> {
  return Object.fromEntries(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([id, r]) => [id, r.Properties]));
}

/** The weights CloudFormation writes into a rule, given the custom resource's data. */
function writtenWeights(ruleProps: any, data: Record<string, number | string>): number[] {
  return ruleProps.Actions[0].ForwardConfig.TargetGroups.map((g: any) => {
    const [, attr] = g.Weight['Fn::GetAtt'];
    return data[attr];
  });
}

describe('deploy sequence: a stack update after an ECS deployment keeps the live weights', () => {
  test('deploy 1 creates 1/0; ECS shifts to green; deploy 2 with a changed condition writes green 100 / blue 0', async () => {
    const first = app();
    const p1 = liveWeightsProps(first.template);
    expect(p1.Rules.map((r) => r.Kind)).toEqual(['rule', 'rule']);

    // Deploy 1: no rule exists yet on either listener.
    elb.on(DescribeRulesCommand).resolves({ Rules: [DEFAULT_404] });
    const created = await handler(create(...p1.Rules));
    const prodId = Object.keys(rulesOf(first.template)).find((id) => id.startsWith('ApiProductionRule'))!;
    const testId = Object.keys(rulesOf(first.template)).find((id) => id.startsWith('ApiTestRule'))!;
    expect(writtenWeights(rulesOf(first.template)[prodId], created.Data!)).toEqual([1, 0]);
    expect(writtenWeights(rulesOf(first.template)[testId], created.Data!)).toEqual([1, 0]);

    // ECS deploys a new revision and flips both rules to green.
    const [prodSpec, testSpec] = p1.Rules;
    elb.reset();
    elb.on(DescribeRulesCommand, { ListenerArn: prodSpec.ListenerArn }).resolves({
      Rules: [{ ...rule(100, 0, 100), Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: prodSpec.Blue, Weight: 0 }, { TargetGroupArn: prodSpec.Green, Weight: 100 }] } }] }],
    });
    elb.on(DescribeRulesCommand, { ListenerArn: testSpec.ListenerArn }).resolves({
      Rules: [{ ...rule(50000, 0, 100), Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: testSpec.Blue, Weight: 0 }, { TargetGroupArn: testSpec.Green, Weight: 100 }] } }] }],
    });

    // Deploy 2: the production rule's condition changes, so CloudFormation will write that rule.
    const second = app({ conditions: ['/shop/*'] });
    expect(rulesOf(second.template)[prodId].Conditions).not.toEqual(rulesOf(first.template)[prodId].Conditions);
    const p2 = liveWeightsProps(second.template);
    // The custom resource's properties change too (the rule's hash), so CloudFormation updates it
    // first (the rule references its attributes) and the rule is written with what it read.
    // The test rule mirrors the production conditions on the test listener: it changes as well.
    expect(p2.Rules[0].Hash).not.toEqual(p1.Rules[0].Hash);
    expect(p2.Rules[1].Hash).not.toEqual(p1.Rules[1].Hash);
    // Otherwise the entries differ only in the copy of the rule's conditions (issue 27, item 4).
    expect({ ...p2.Rules[0], Hash: '', RuleProperties: { ...(p2.Rules[0].RuleProperties as any), Conditions: [] } })
      .toEqual({ ...p1.Rules[0], Hash: '', RuleProperties: { ...(p1.Rules[0].RuleProperties as any), Conditions: [] } });
    expect((p2.Rules[0].RuleProperties as any).Conditions).toEqual(deployed(rulesOf(second.template)[prodId].Conditions));
    const updated = await handler(update(p1.Rules, p2.Rules));
    expect(writtenWeights(rulesOf(second.template)[prodId], updated.Data!)).toEqual([0, 100]);
    expect(writtenWeights(rulesOf(second.template)[testId], updated.Data!)).toEqual([0, 100]);
  });

  test('ordinary app changes (image, environment, CPU/memory, desired count, strategy) leave the rules and the reader untouched', () => {
    const before = app();
    const after = app({
      image: 'public.ecr.aws/nginx/nginx:1.28',
      environment: { FEATURE: 'on' },
      cpu: 512,
      desiredCount: 4,
      strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(5) }),
    });
    expect(rulesOf(after.template)).toEqual(rulesOf(before.template));
    expect(liveWeightsProps(after.template)).toEqual(liveWeightsProps(before.template));
    // The service's load balancer entry (target group, alternate target group, rules, role) is stable too.
    const lbOf = (t: any) => resourcesOf(t, 'AWS::ECS::Service')[0][1].Properties.LoadBalancers;
    expect(lbOf(after.template)).toEqual(lbOf(before.template));
    // ...while the task definition did change.
    const taskOf = (t: any) => resourcesOf(t, 'AWS::ECS::TaskDefinition').find(([id]) => /^Task[0-9A-F]{8}$/.test(id))![1].Properties;
    expect(taskOf(after.template)).not.toEqual(taskOf(before.template));
  });

  test('synthesis is deterministic: the same app gives the same template', () => {
    expect(app().template).toEqual(app().template);
  });

  test('a priority change re-reads the rule (new hash)', () => {
    const a = new Map<number, string>();
    for (const priority of [100, 101]) {
      const stack = newStack();
      const f = albFixture(stack);
      new BlueGreenEcsService(stack, 'Api', {
        cluster: f.cluster,
        taskDefinition: f.taskDefinition,
        routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, priority, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])] }),
      });
      a.set(priority, liveWeightsProps(checkStack(stack).toJSON()).Rules[0].Hash!);
    }
    expect(a.get(100)).not.toEqual(a.get(101));
  });

  test('the reader is one custom resource per stack for all rules, with read permissions scoped as far as the APIs allow', () => {
    const stack = newStack();
    const f = albFixture(stack);
    for (const [id, priority] of [['A', 10], ['B', 20]] as const) {
      new BlueGreenEcsService(stack, id, {
        cluster: f.cluster,
        taskDefinition: fargateTask(stack, `${id}Task`),
        routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, priority, conditions: [elbv2.ListenerCondition.pathPatterns([`/${id}/*`])] }),
      });
    }
    const template = checkStack(stack, { nag: true }).toJSON();
    expect(resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights')).toHaveLength(1);
    const entries = liveWeightsProps(template).Rules;
    expect(entries.map((r) => r.Id).sort()).toEqual(['TestStack/A/ProductionRule/Resource', 'TestStack/B/ProductionRule/Resource']);
    // Entries are in key order (not construction order), each rule reads the attributes of its own key.
    expect(entries.map((r) => r.Key)).toEqual(entries.map((r) => r.Key).sort());
    for (const entry of entries) {
      const [, ruleProps] = Object.entries(rulesOf(template)).find(([id]) => id.startsWith(entry.Id.split('/')[1]))!;
      expect(ruleProps.Actions[0].ForwardConfig.TargetGroups.map((g: any) => g.Weight['Fn::GetAtt'][1])).toEqual([`${entry.Key}B`, `${entry.Key}G`]);
    }
    const clusterId = Object.keys(resourcesOf(template, 'AWS::ECS::Cluster').reduce((o, [id]) => ({ ...o, [id]: 1 }), {}))[0];
    const role = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('EcsBlueGreenLiveWeightsProvider'))![1];
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'], Resource: '*' },
      // Its own stack's status only (a rollback is told from an update by it).
      { Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
      // ListServices cannot be scoped to resources: the ecs:cluster condition limits it to the services' cluster.
      { Effect: 'Allow', Action: 'ecs:ListServices', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': [{ 'Fn::GetAtt': [clusterId, 'Arn'] }] } } },
      {
        Effect: 'Allow',
        Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'],
        Resource: [{
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':service/', { Ref: clusterId }, '/*']],
        }],
      },
    ]);
    // Each entry names the cluster of its service, where the reader looks for deployments under way.
    expect(resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights')[0][1].Properties.Rules.map((r: any) => r.Cluster))
      .toEqual([{ 'Fn::GetAtt': [clusterId, 'Arn'] }, { 'Fn::GetAtt': [clusterId, 'Arn'] }]);
  });

  test('the reader\'s function may run 15 minutes, Lambda\'s maximum: the rollback wait (at most 10) and the reads fit in one invocation', () => {
    const stack = newStack();
    const f = albFixture(stack);
    new BlueGreenEcsService(stack, 'Api', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }) });
    const [, fn] = resourcesOf(checkStack(stack).toJSON(), 'AWS::Lambda::Function').find(([id]) => id.startsWith('EcsBlueGreenLiveWeightsProvider'))!;
    expect(fn.Properties.Timeout).toBe(900);
    expect(WAIT_MS + READ_RESERVE_MS).toBeLessThan(900_000);
  });

  test('preserveLiveWeights: false writes literal 1/0 and creates no reader', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
      vpc: f.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
    });
    const r = new WeightedListenerRule(stack, 'Rule', { listener: f.listener, blueTargetGroup: tg('Blue'), greenTargetGroup: tg('Green'), preserveLiveWeights: false });
    const template = checkStack(stack).toJSON();
    expect(r.preservesLiveWeights).toBe(false);
    expect(resourcesOf(template, 'Custom::EcsBlueGreenLiveWeights')).toHaveLength(0);
    const [[, props]] = Object.entries(rulesOf(template));
    expect(props.Actions[0].ForwardConfig.TargetGroups.map((g: any) => g.Weight)).toEqual([1, 0]);
  });
});

