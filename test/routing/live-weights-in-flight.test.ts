import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeServicesCommand, DescribeServicesCommandInput, ECSClient, ListServiceDeploymentsCommand, ListServiceDeploymentsCommandInput,
  ListServicesCommand, ListServicesCommandInput, Service, ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, LiveWeightsEvent, RuleSpec } from '../../src/routing/live-weights.lambda';

/**
 * The in-flight guard (issue #14, item 3). The reader reads weights and CloudFormation writes the
 * rule afterwards; if ECS is mid-deployment, the written weight is stale and ECS then drains the
 * target group traffic was just sent back to. So before reporting weights for an update, the
 * reader looks up the ECS services behind the rules (by the rules' target groups, in the cluster
 * the entry names) and fails the update while one of them has a deployment under way.
 *
 * The ECS fake answers from its own data according to the request, as ECS does: ListServices pages
 * by maxResults/nextToken per cluster, DescribeServices takes at most 10 services and reports
 * unknown ones as failures, ListServiceDeployments filters by service and status. Response shapes
 * are those of the ECS API reference (ListServices, DescribeServices, ListServiceDeployments).
 */

const elb = mockClient(ElasticLoadBalancingV2Client);
const ecs = mockClient(ECSClient);
const cfn = mockClient(CloudFormationClient);

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';
const CLUSTER = `${ACCOUNT}:cluster/platform`;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/5a0e1f30-6c6d-11ef-b8f1-0affd1a1b2c3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/prod';
const tg = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const KEY = 'W0c4e5d7';

function spec(o: Partial<RuleSpec> & Record<string, unknown> = {}): RuleSpec {
  return {
    Key: KEY,
    Id: 'Shop/Api/Service/ProductionRule/Resource',
    Kind: 'rule',
    ListenerArn: LISTENER,
    Priority: 100,
    Blue: tg('api-blue'),
    Green: tg('api-green'),
    Hash: 'h1',
    Cluster: CLUSTER,
    ...o,
  } as RuleSpec;
}

function rule(s: RuleSpec, blue: number, green: number): Rule {
  return {
    RuleArn: `rule-${s.Priority}`,
    Priority: String(s.Priority),
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: s.Blue, Weight: blue }, { TargetGroupArn: s.Green, Weight: green }] } }],
  };
}

function event(type: 'Create' | 'Update', old: RuleSpec[], properties: RuleSpec[]): LiveWeightsEvent {
  return {
    RequestType: type,
    StackId: STACK_ID,
    LogicalResourceId: 'EcsBlueGreenLiveWeights99C61D63',
    ResourceProperties: { Rules: properties },
    ...(type === 'Update' ? { OldResourceProperties: { Rules: old }, PhysicalResourceId: 'ecs-blue-green-live-weights' } : {}),
  } as LiveWeightsEvent;
}

/** An ECS service as DescribeServices returns it, behind `blue` (and `green` as alternate target group). */
function ecsService(name: string, blue: string, green: string, o: Partial<Service> = {}): Service {
  return {
    serviceArn: `${ACCOUNT}:service/platform/${name}`,
    serviceName: name,
    clusterArn: CLUSTER,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    deploymentController: { type: 'ECS' },
    loadBalancers: [{
      targetGroupArn: blue,
      containerName: 'web',
      containerPort: 80,
      advancedConfiguration: {
        alternateTargetGroupArn: green,
        productionListenerRule: `${LISTENER.replace(':listener/', ':listener-rule/')}/0123456789abcdef`,
        roleArn: 'arn:aws:iam::123456789012:role/Shop-EcsBlueGreenInfrastructureRolesRole1',
      },
    }],
    deployments: [{ id: `ecs-svc/${name}1`, status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2 }],
    ...o,
  };
}

function deployment(service: Service, status: ServiceDeploymentBrief['status'], id = '6sZcN8Ahq3E1dPyvQfEkg'): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: `${ACCOUNT}:service-deployment/platform/${service.serviceName}/${id}`,
    serviceArn: service.serviceArn,
    clusterArn: CLUSTER,
    createdAt: new Date('2026-03-02T09:14:00Z'),
    startedAt: new Date('2026-03-02T09:14:05Z'),
    targetServiceRevisionArn: `${ACCOUNT}:service-revision/platform/${service.serviceName}/4980306466373577095`,
    status,
  };
}

/** ECS answering from `services` and `deployments`, per request, as the API does. */
function fakeEcs(services: Service[], deployments: ServiceDeploymentBrief[] = []): void {
  ecs.on(ListServicesCommand).callsFake((input: ListServicesCommandInput) => {
    if (input.cluster !== CLUSTER) throw Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' });
    const arns = services.map((s) => s.serviceArn!);
    const start = Number(input.nextToken ?? 0);
    const end = start + (input.maxResults ?? 10);
    return { serviceArns: arns.slice(start, end), nextToken: end < arns.length ? String(end) : undefined };
  });
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    const wanted = input.services ?? [];
    if (wanted.length > 10) throw Object.assign(new Error('services can have at most 10 items'), { name: 'InvalidParameterException' });
    const found = services.filter((s) => wanted.includes(s.serviceArn!) || wanted.includes(s.serviceName!));
    const missing = wanted.filter((x) => !found.some((s) => s.serviceArn === x || s.serviceName === x));
    return { services: found, failures: missing.map((arn) => ({ arn, reason: 'MISSING' })) };
  });
  ecs.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
    serviceDeployments: deployments.filter((d) => (d.serviceArn === input.service || d.serviceArn!.endsWith(`/${input.service}`))
      && (!input.status || input.status.includes(d.status!))),
  }));
}

function stackStatus(status: string): void {
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackName: 'Shop', StackId: STACK_ID, StackStatus: status as any, CreationTime: new Date('2026-01-05T10:00:00Z') }],
  });
}

const api = ecsService('shop-api', tg('api-blue'), tg('api-green'));
const other = ecsService('shop-cart', tg('cart-blue'), tg('cart-green'));

beforeEach(() => {
  elb.reset();
  ecs.reset();
  cfn.reset();
  jest.spyOn(console, 'log').mockImplementation(() => {});
  elb.on(DescribeRulesCommand).resolves({ Rules: [rule(spec(), 0, 100)] });
  stackStatus('UPDATE_IN_PROGRESS');
});
afterEach(() => jest.restoreAllMocks());

describe('an update while a service behind the rules is mid-deployment', () => {
  test.each(['IN_PROGRESS', 'PENDING', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'] as const)('fails while a deployment is %s, naming the service and the deployment', async (status) => {
    fakeEcs([other, api], [deployment(api, status)]);
    const error = await handler(event('Update', [spec()], [spec({ Hash: 'h2' })])).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('shop-api');
    expect(message).toContain(`${ACCOUNT}:service-deployment/platform/shop-api/6sZcN8Ahq3E1dPyvQfEkg`);
    expect(message).toContain(status);
    expect(message).not.toContain('shop-cart');
    expect(message).not.toMatch(/preserveLiveWeights/);
  });

  test('a service found by its alternate (green) target group counts too', async () => {
    const swapped = ecsService('shop-api', tg('api-green'), tg('api-blue'));
    fakeEcs([swapped], [deployment(swapped, 'IN_PROGRESS')]);
    await expect(handler(event('Update', [spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/shop-api/);
  });

  test('a deployment DescribeServices reports IN_PROGRESS counts even when the deployment history is empty', async () => {
    const rolling = ecsService('shop-api', tg('api-blue'), tg('api-green'), {
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 1 },
        { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2 },
      ],
    });
    fakeEcs([rolling]);
    await expect(handler(event('Update', [spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/shop-api.*ecs-svc\/2.*IN_PROGRESS/s);
  });

  test('looks at every entry\'s services, not only the rule whose template changed: CloudFormation rewrites any rule whose weights it reads anew', async () => {
    const cart = spec({ Key: 'W77aa001', Id: 'Shop/Cart/Service/ProductionRule/Resource', Priority: 200, Blue: tg('cart-blue'), Green: tg('cart-green') });
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(spec(), 0, 100), rule(cart, 1, 0)] });
    fakeEcs([other, api], [deployment(other, 'IN_PROGRESS')]);
    await expect(handler(event('Update', [spec(), cart], [spec({ Hash: 'h2' }), cart]))).rejects.toThrow(/shop-cart/);
  });
});

describe('when the guard lets the update through', () => {
  test('no deployment under way: the live weights are reported; the deployment history is asked for unfinished ones only', async () => {
    fakeEcs([other, api], [deployment(api, 'SUCCESSFUL', 'old1'), deployment(api, 'ROLLBACK_SUCCESSFUL', 'old2')]);
    const result = await handler(event('Update', [spec()], [spec({ Hash: 'h2' })]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
    const calls = ecs.commandCalls(ListServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([expect.objectContaining({ cluster: CLUSTER, service: api.serviceArn })]);
    expect(calls[0].status).toEqual(expect.arrayContaining(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']));
    expect(calls[0].status).not.toContain('SUCCESSFUL');
  });

  test('a deployment in flight for a service behind other target groups does not block', async () => {
    fakeEcs([other, api], [deployment(other, 'IN_PROGRESS')]);
    expect((await handler(event('Update', [spec()], [spec({ Hash: 'h2' })]))).Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

  test('pages through the cluster\'s services and describes them 10 at a time', async () => {
    const many = Array.from({ length: 23 }, (_, i) => ecsService(`svc-${i}`, tg(`b${i}`), tg(`g${i}`)));
    fakeEcs([...many, api], [deployment(api, 'IN_PROGRESS')]);
    await expect(handler(event('Update', [spec()], [spec({ Hash: 'h2' })]))).rejects.toThrow(/shop-api/);
    expect(ecs.commandCalls(DescribeServicesCommand).every((c) => c.args[0].input.services!.length <= 10)).toBe(true);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
  });

  test('services on the CODE_DEPLOY controller are not asked for ECS deployments', async () => {
    const codeDeploy = ecsService('shop-api', tg('api-blue'), tg('api-green'), { deploymentController: { type: 'CODE_DEPLOY' } });
    fakeEcs([codeDeploy]);
    expect((await handler(event('Update', [spec()], [spec({ Hash: 'h2' })]))).Data).toBeDefined();
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  test('a cluster that does not exist (yet) has no deployments', async () => {
    fakeEcs([api], [deployment(api, 'IN_PROGRESS')]);
    const elsewhere = `${ACCOUNT}:cluster/new-cluster`;
    expect((await handler(event('Update', [spec({ Cluster: elsewhere })], [spec({ Cluster: elsewhere, Hash: 'h2' })]))).Data).toBeDefined();
  });

  test('entries without a cluster (a WeightedListenerRule on its own) are not checked', async () => {
    fakeEcs([api], [deployment(api, 'IN_PROGRESS')]);
    expect((await handler(event('Update', [spec({ Cluster: undefined })], [spec({ Cluster: undefined, Hash: 'h2' })]))).Data).toBeDefined();
    expect(ecs.calls()).toHaveLength(0);
  });

  test('on create: no rule exists yet, nothing is checked', async () => {
    fakeEcs([api], [deployment(api, 'IN_PROGRESS')]);
    expect((await handler(event('Create', [], [spec()]))).Data).toBeDefined();
    expect(ecs.calls()).toHaveLength(0);
  });

  test('on delete: nothing is read or checked', async () => {
    fakeEcs([api], [deployment(api, 'IN_PROGRESS')]);
    const result = await handler({ RequestType: 'Delete', ResourceProperties: { Rules: [spec()] }, PhysicalResourceId: 'ecs-blue-green-live-weights' } as LiveWeightsEvent);
    expect(result).toEqual({ PhysicalResourceId: 'ecs-blue-green-live-weights' });
    expect(ecs.calls()).toHaveLength(0);
    expect(elb.calls()).toHaveLength(0);
  });

  test('on the rollback path (stack UPDATE_ROLLBACK_IN_PROGRESS) with no deployment moving traffic: weights are reported at once, nothing refused', async () => {
    cfn.reset();
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    fakeEcs([api], [deployment(api, 'PENDING'), deployment(api, 'SUCCESSFUL', 'old1')]);
    const result = await handler(event('Update', [spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
    // It looked for deployments moving traffic (PENDING ones have not touched the rules yet).
    const calls = ecs.commandCalls(ListServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0].status).toEqual(['IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
  });
});

describe('the rollback path waits while ECS moves traffic (issue 27, item 5)', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  /** Runs the handler on a fake clock that moves 5 s at a time until it answers. */
  async function run(e: LiveWeightsEvent, remainingMs = 15 * 60_000) {
    const started = Date.now();
    let settled = false;
    const result = handler(e, { getRemainingTimeInMillis: () => remainingMs - (Date.now() - started) });
    void result.finally(() => { settled = true; }).catch(() => undefined);
    for (let i = 0; i < 720 && !settled; i++) await jest.advanceTimersByTimeAsync(5_000);
    return result;
  }

  /** ECS rolling back the failed update's deployment for `forMs`: the rule at 40/60 meanwhile, 100/0 after. */
  function ecsRollingBack(status: ServiceDeploymentBrief['status'], forMs: number): void {
    const start = Date.now();
    const moving = () => Date.now() - start < forMs;
    fakeEcs([api]);
    ecs.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
      serviceDeployments: moving() && input.status!.includes(status!) ? [deployment(api, status, 'rb1')] : [],
    }));
    elb.on(DescribeRulesCommand).callsFake(() => ({ Rules: [moving() ? rule(spec(), 40, 60) : rule(spec(), 100, 0)] }));
  }

  test.each(['ROLLBACK_IN_PROGRESS', 'IN_PROGRESS'] as const)('a deployment %s for 3 minutes: the rollback reads after it (100/0), not mid-shift (40/60)', async (status) => {
    cfn.reset();
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecsRollingBack(status, 3 * 60_000);
    const started = Date.now();
    const result = await run(event('Update', [spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 100, [`${KEY}G`]: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 60_000);
  });

  test('the deployment outlasts the wait: after 10 minutes the rollback reads what is there and logs the deployment', async () => {
    const logs: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
    cfn.reset();
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecsRollingBack('ROLLBACK_IN_PROGRESS', 2 * 60 * 60_000);
    const started = Date.now();
    const result = await run(event('Update', [spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 40, [`${KEY}G`]: 60 });
    expect(Date.now() - started).toBeLessThanOrEqual(10 * 60_000);
    const line = logs.map((l) => JSON.parse(l)).find((l) => /still moving traffic after the wait/.test(l.message));
    expect(line.deployments).toEqual([expect.objectContaining({ serviceName: 'shop-api', status: 'ROLLBACK_IN_PROGRESS', deployment: expect.stringMatching(/rb1$/) })]);
  });

  test('ECS cannot be read during the rollback: it does not fail, it reads the rules', async () => {
    cfn.reset();
    stackStatus('UPDATE_ROLLBACK_IN_PROGRESS');
    ecs.on(ListServicesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const result = await run(event('Update', [spec({ Hash: 'h2' })], [spec()]));
    expect(result.Data).toEqual({ [`${KEY}B`]: 0, [`${KEY}G`]: 100 });
  });

});
