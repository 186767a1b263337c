// The live-weights reader against transient AWS errors (5xx, network, throttling) and permanent
// ones (access denied): a transient error is retried with backoff; a rollback must not turn into
// UPDATE_ROLLBACK_FAILED because of one 503 from ELB.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, LiveWeightsEvent, RuleSpec } from '../../src/routing/live-weights.lambda';

const elb = mockClient(ElasticLoadBalancingV2Client);
const cfn = mockClient(CloudFormationClient);
const ecsApi = mockClient(ECSClient);

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/5a0e1f30-6c6d-11ef-b8f1-0affd1a1b2c3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/prod';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2';

const spec = (o: Partial<RuleSpec> = {}): RuleSpec => ({ Id: 'Shop/Api/ProductionRule/Resource', Kind: 'rule', ListenerArn: LISTENER, Priority: 100, Blue: BLUE, Green: GREEN, Hash: 'h1', ...o });
const rule = (blue: number, green: number): Rule => ({
  RuleArn: 'rule-100',
  Priority: '100',
  Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }] } }],
});
const update = (old: RuleSpec[], now: RuleSpec[]): LiveWeightsEvent => ({
  RequestType: 'Update',
  StackId: STACK_ID,
  LogicalResourceId: 'LiveWeights',
  PhysicalResourceId: 'ecs-blue-green-live-weights',
  ResourceProperties: { Rules: now },
  OldResourceProperties: { Rules: old },
});
const stackStatus = (status: string) => cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
  Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: status as any, CreationTime: new Date('2026-01-05T10:00:00Z') }],
});

const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
const internal = () => Object.assign(new Error('Internal failure'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
const timedOut = () => Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { name: 'Error', code: 'ETIMEDOUT', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const denied = () => Object.assign(new Error('not authorized to perform elasticloadbalancing:DescribeRules'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

let logs: any[];
beforeEach(() => {
  elb.reset();
  cfn.reset();
  ecsApi.reset();
  ecsApi.on(ListServicesCommand).resolves({ serviceArns: [] });
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(JSON.parse(line)); });
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void) => { fn(); return 0; }) as any);
});
afterEach(() => jest.restoreAllMocks());

describe('live-weights reader, transient errors', () => {
  test.each([
    ['a 503', unavailable, 'transient error, retrying'],
    ['a 500', internal, 'transient error, retrying'],
    ['a network time-out', timedOut, 'transient error, retrying'],
    ['throttling', throttled, 'throttled, retrying'],
  ])('an update: %s from ELB, then the rule: the live weights are read', async (_what, error, message) => {
    stackStatus('UPDATE_IN_PROGRESS');
    elb.on(DescribeRulesCommand).rejectsOnce(error()).resolves({ Rules: [rule(0, 100)] });
    expect((await handler(update([spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ W0B: 0, W0G: 100 });
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(2);
    expect(logs.filter((l) => l.message === message)).toHaveLength(1);
    expect(logs.find((l) => l.message === message).error).toMatch(error().message);
  });

  test('a rollback: a 503 from ELB, then the rule: the rollback goes on with the live weights', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    elb.on(DescribeRulesCommand).rejectsOnce(unavailable()).resolves({ Rules: [rule(0, 100)] });
    expect((await handler(update([spec({ Hash: 'h2' })], [spec()]))).Data).toEqual({ W0B: 0, W0G: 100 });
  });

  test('a 503 reading the stack status is retried, so the rollback is known as one', async () => {
    cfn.on(DescribeStacksCommand).rejectsOnce(unavailable()).resolves({
      Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS', CreationTime: new Date() }],
    });
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(0, 100)] });
    await handler(update([spec({ Hash: 'h2' })], [spec()]));
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(2);
    expect(logs.some((l) => /could not read the stack status/.test(l.message))).toBe(false);
  });

  test('a 5xx that lasts fails after 5 attempts, with the error and how to continue the rollback', async () => {
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    elb.on(DescribeRulesCommand).rejects(unavailable());
    const error = await handler(update([spec({ Hash: 'h2' })], [spec()])).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^ServiceUnavailable: Service Unavailable \(while rolling back: .*continue-update-rollback --stack-name Shop/);
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(5);
  });

  test('access denied is not retried: the update fails at once with the reason', async () => {
    stackStatus('UPDATE_IN_PROGRESS');
    elb.on(DescribeRulesCommand).rejects(denied());
    await expect(handler(update([spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/not authorized to perform elasticloadbalancing:DescribeRules/);
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(1);
  });
});
