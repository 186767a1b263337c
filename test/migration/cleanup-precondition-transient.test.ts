// The CLEANUP precondition against transient AWS errors (5xx, network) and permanent ones: a
// transient error is retried with backoff instead of refusing the deploy; access denied fails it
// at once with the reason.
import { DescribeServicesCommand, ECSClient, Service } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { Check, handler } from '../../src/migration/cleanup-precondition.lambda';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);

const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/green/2';
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/alb/1/2/3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb/1/2';
const onEcs: Check = { Type: 'ServiceOnEcs', Cluster: 'prod', Service: 'shop' };
const rule: Check = { Type: 'RuleForwardsTo', ListenerArn: LISTENER, RuleArn: RULE, TargetGroups: [BLUE, GREEN] };
const create = (...checks: Check[]) => handler({ RequestType: 'Create', ResourceProperties: { Checks: checks } });
const service = { services: [{ status: 'ACTIVE', deploymentController: { type: 'ECS' }, runningCount: 2, desiredCount: 2 } as Service] };

const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
const hangUp = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

let logs: any[];
beforeEach(() => {
  ecs.reset();
  elb.reset();
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(JSON.parse(line)); });
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void) => { fn(); return 0; }) as any);
});
afterEach(() => jest.restoreAllMocks());

describe('CLEANUP precondition, transient errors', () => {
  test('a 503 from ECS and a dropped connection to ELB, then answers: the checks pass', async () => {
    ecs.on(DescribeServicesCommand).rejectsOnce(unavailable()).resolves(service);
    elb.on(DescribeRulesCommand).rejectsOnce(hangUp()).resolves({
      Rules: [{ RuleArn: RULE, Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }] } }] }],
    });
    await expect(create(onEcs, rule)).resolves.toEqual({ PhysicalResourceId: 'ecs-blue-green-cleanup-precondition' });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(2);
    expect(logs.filter((l) => l.message === 'transient error, retrying')).toHaveLength(2);
  });

  test('a 5xx that lasts fails the deploy after 5 attempts with the error', async () => {
    ecs.on(DescribeServicesCommand).rejects(unavailable());
    await expect(create(onEcs)).rejects.toThrow('Service Unavailable');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(5);
  });

  test('access denied is not retried', async () => {
    ecs.on(DescribeServicesCommand).rejects(denied());
    await expect(create(onEcs)).rejects.toThrow('not authorized');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });
});
