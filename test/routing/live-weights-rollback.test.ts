import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, Listener, Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, LiveWeightsEvent, RuleSpec } from '../../src/routing/live-weights.lambda';

/**
 * The reader on CloudFormation's rollback path (issue #14, item 2). When an update fails after the
 * reader ran, CloudFormation rolls the reader back with an Update whose ResourceProperties are the
 * OLD template's (what the rollback restores) and whose OldResourceProperties are the failed
 * update's. The rule may then be where either says; the reader must find it there and never fail a
 * rollback while the rule exists where ResourceProperties says.
 */

const elb = mockClient(ElasticLoadBalancingV2Client);
const cfn = mockClient(CloudFormationClient);

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/5a0e1f30-6c6d-11ef-b8f1-0affd1a1b2c3';
const L1 = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/l1';
const L2 = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/l2';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2';
const LB1 = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1';
const LB2 = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/2';
const KEY = 'W3f9a2c1';

function spec(o: Partial<RuleSpec> & Record<string, unknown> = {}): RuleSpec {
  return { Key: KEY, Id: 'Shop/Api/Service/ProductionRule/Resource', Kind: 'rule', ListenerArn: L1, Priority: 100, Blue: BLUE, Green: GREEN, Hash: 'h1', ...o } as RuleSpec;
}

function rule(priority: number, blue: number, green: number, arn = `rule-${priority}`): Rule {
  return {
    RuleArn: arn,
    Priority: String(priority),
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }] } }],
  };
}
const DEFAULT_404: Rule = { RuleArn: 'default', Priority: 'default', IsDefault: true, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] };

/** The Update CloudFormation sends: ResourceProperties = `properties`, OldResourceProperties = `old`. */
function updateEvent(old: RuleSpec[], properties: RuleSpec[]): LiveWeightsEvent {
  return {
    RequestType: 'Update',
    StackId: STACK_ID,
    LogicalResourceId: 'EcsBlueGreenLiveWeights99C61D63',
    PhysicalResourceId: 'ecs-blue-green-live-weights',
    ResourceProperties: { Rules: properties },
    OldResourceProperties: { Rules: old },
  } as LiveWeightsEvent;
}

/** The rollback of an update from `restored` to `failed`: properties swapped. */
function rollbackEvent(restored: RuleSpec[], failed: RuleSpec[]): LiveWeightsEvent {
  return updateEvent(failed, restored);
}

function stackStatus(status: string): void {
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: status as any, CreationTime: new Date('2026-01-05T10:00:00Z') }],
  });
}

const notFound = (name: string) => Object.assign(new Error(`${name}: not found`), { name });

beforeEach(() => {
  elb.reset();
  cfn.reset();
  jest.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('rollback: properties swapped', () => {
  beforeEach(() => stackStatus('UPDATE_ROLLBACK_IN_PROGRESS'));

  test('a rule moved from L1 to L2 whose creation on L2 failed is found on L1, where the rollback keeps it', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(100, 0, 100), DEFAULT_404] });
    elb.on(DescribeRulesCommand, { ListenerArn: L2 }).resolves({ Rules: [DEFAULT_404] });
    const result = await handler(rollbackEvent([spec({ ListenerArn: L1 })], [spec({ ListenerArn: L2, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('the failed update\'s listener is gone already: the rule is still found where ResourceProperties says', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(100, 0, 100)] });
    elb.on(DescribeRulesCommand, { ListenerArn: L2 }).rejects(notFound('ListenerNotFoundException'));
    const result = await handler(rollbackEvent([spec({ ListenerArn: L1 })], [spec({ ListenerArn: L2, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('a priority change applied before the failure: the rule is found at the failed update\'s priority', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(10, 0, 100), DEFAULT_404] });
    const result = await handler(rollbackEvent([spec({ Priority: 100 })], [spec({ Priority: 10, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('both the restored rule (L1) and the failed update\'s new rule (L2) exist: the one the rollback keeps is read', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(100, 0, 100, 'kept')] });
    elb.on(DescribeRulesCommand, { ListenerArn: L2 }).resolves({ Rules: [rule(100, 1, 0, 'deleted-by-rollback')] });
    const result = await handler(rollbackEvent([spec({ ListenerArn: L1 })], [spec({ ListenerArn: L2, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('a rule the failed update removed (still there: deletions wait for cleanup) keeps its weights', async () => {
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(100, 0, 100)] });
    const result = await handler(rollbackEvent([spec()], []));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('a rule gone from both locations does not fail the rollback (it writes only rules its update wrote); the log says what to restore', async () => {
    const logs: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [DEFAULT_404] });
    elb.on(DescribeRulesCommand, { ListenerArn: L2 }).resolves({ Rules: [DEFAULT_404] });
    const result = await handler(rollbackEvent([spec({ ListenerArn: L1 })], [spec({ ListenerArn: L2, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 1, [`${KEY}G`]: 0 });
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.message.startsWith('rollback:'));
    expect(line.message).toMatch(/listener rule Shop\/Api\/Service\/ProductionRule\/Resource was not found on/);
    expect(line.message).toContain(L1);
    expect(line.message).toContain(L2);
    expect(line.message).toMatch(/restore it on .*l1 \(priority 100\), forwarding to .*blue.* and .*green/);
    expect(line.message).not.toMatch(/preserveLiveWeights/);
  });

  test('an AWS error on the rollback path fails with how to continue the rollback', async () => {
    elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:DescribeRules'), { name: 'AccessDenied' }));
    const error = await handler(rollbackEvent([spec()], [spec({ Priority: 10, Hash: 'h2' })])).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/AccessDenied: User is not authorized.*while rolling back.*aws cloudformation continue-update-rollback --stack-name Shop/);
    expect((error as Error).message).not.toMatch(/preserveLiveWeights/);
  });

  test('a nested stack\'s rollback is continued on its root stack', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
      Stacks: [{
        StackName: 'Platform-ShopNested-1ABC',
        StackId: STACK_ID,
        StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS',
        CreationTime: new Date('2026-01-05T10:00:00Z'),
        RootId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Platform/00000000-1111-2222-3333-444444444444',
      }],
    });
    elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('the listener is being modified'), { name: 'ResourceInUseException' }));
    await expect(handler(rollbackEvent([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/continue-update-rollback --stack-name Platform;/);
  });

  test('an NLB listener moved to another load balancer is found on the one the rollback keeps', async () => {
    const nlb = (o: Partial<RuleSpec>) => spec({ Id: 'Shop/Nlb/Prod/Resource', Kind: 'listener', ListenerArn: undefined, Priority: undefined, ...o });
    const listener = (port: number, blue: number, green: number): Listener => ({
      ListenerArn: `listener-${port}`,
      Port: port,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }] } }],
    });
    elb.on(DescribeListenersCommand, { LoadBalancerArn: LB1 }).resolves({ Listeners: [listener(80, 0, 100)] });
    elb.on(DescribeListenersCommand, { LoadBalancerArn: LB2 }).rejects(notFound('LoadBalancerNotFoundException'));
    const result = await handler(rollbackEvent([nlb({ LoadBalancerArn: LB1, Port: 80 })], [nlb({ LoadBalancerArn: LB2, Port: 80, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });
});

describe('ordinary updates look in both locations too', () => {
  beforeEach(() => stackStatus('UPDATE_IN_PROGRESS'));

  test('a rule that existed before and is gone everywhere fails with what to restore, never advising to turn protection off', async () => {
    elb.on(DescribeRulesCommand).resolves({ Rules: [DEFAULT_404] });
    const error = await handler(updateEvent([spec()], [spec({ Hash: 'h2' })])).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/listener rule .* was not found on .*listener\/app\/alb\/1\/l1 \(priority 100/);
    expect((error as Error).message).toMatch(/restore it on .*l1 \(priority 100\), forwarding to .*blue.* and .*green/);
    expect((error as Error).message).not.toMatch(/preserveLiveWeights/);
  });

  test('the stack status cannot be read: the rule is still found in either location', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    elb.on(DescribeRulesCommand, { ListenerArn: L1 }).resolves({ Rules: [rule(100, 0, 100)] });
    elb.on(DescribeRulesCommand, { ListenerArn: L2 }).resolves({ Rules: [DEFAULT_404] });
    const result = await handler(updateEvent([spec({ ListenerArn: L2 })], [spec({ ListenerArn: L1, Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });
});
