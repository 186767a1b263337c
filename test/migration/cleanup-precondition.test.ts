import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { DescribeServicesCommand, DescribeServicesCommandOutput, ECSClient, Service } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { Check, handler } from '../../src/migration/cleanup-precondition.lambda';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const r53 = mockClient(Route53Client);
const cfn = mockClient(CloudFormationClient);
const cf = mockClient(CloudFrontClient);

const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/green/2';
const OLD = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/old/3';
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/alb/1/2/3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb/1/2';

const onEcs: Check = { Type: 'ServiceOnEcs', Cluster: 'prod', Service: 'shop' };
const rule: Check = { Type: 'RuleForwardsTo', ListenerArn: LISTENER, RuleArn: RULE, TargetGroups: [BLUE, GREEN] };
const listener: Check = { Type: 'ListenerOnPort', ListenerArn: LISTENER, Port: 80 };
const record: Check = { Type: 'RecordDrained', HostedZoneId: 'Z1', RecordName: 'shop.example.com', SetIdentifier: 'codedeploy' };

const create = (...checks: Check[]) => handler({ RequestType: 'Create', ResourceProperties: { Checks: checks } });
const service = (o: Record<string, unknown> = {}): Partial<DescribeServicesCommandOutput> => ({
  services: [{ status: 'ACTIVE', deploymentController: { type: 'ECS' }, runningCount: 2, desiredCount: 2, ...o } as Service],
});
const forward = (...groups: Array<[string, number]>) => ({
  Rules: [{ RuleArn: RULE, Actions: [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }] }],
});

beforeEach(() => {
  ecs.reset();
  elb.reset();
  r53.reset();
  cfn.reset();
  cf.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('CLEANUP precondition handler', () => {
  test('option 1 holds: service on ECS with running tasks, rule forwarding to blue/green (after ECS flipped it)', async () => {
    ecs.on(DescribeServicesCommand, { cluster: 'prod', services: ['shop'] }).resolves(service());
    elb.on(DescribeRulesCommand, { RuleArns: [RULE] }).resolves(forward([BLUE, 0], [GREEN, 100]));
    await expect(create(onEcs, rule)).resolves.toEqual({ PhysicalResourceId: 'ecs-blue-green-cleanup-precondition' });
  });

  test.each([
    ['still on CODE_DEPLOY', service({ deploymentController: { type: 'CODE_DEPLOY' } }), /service shop is still on the CODE_DEPLOY deployment controller/],
    ['not running', service({ runningCount: 0 }), /service shop has no running task/],
    ['gone', { services: [], failures: [{ reason: 'MISSING' }] }, /service shop is not active/],
    ['draining', service({ status: 'DRAINING' }), /service shop is not active/],
  ])('fails when the service is %s', async (_name, answer, message) => {
    ecs.on(DescribeServicesCommand).resolves(answer as any);
    await expect(create(onEcs)).rejects.toThrow(message);
  });

  test('fails when the rule still sends traffic to another target group, and says nothing was deleted', async () => {
    ecs.on(DescribeServicesCommand).resolves(service());
    elb.on(DescribeRulesCommand).resolves(forward([OLD, 1], [GREEN, 0]));
    await expect(create(onEcs, rule)).rejects.toThrow(
      `CLEANUP refused, production traffic may still depend on the CodeDeploy path: listener rule ${RULE} still forwards to ${OLD}. ` +
      'Deploy CUTOVER (or fix the live state) and try CLEANUP again; nothing was deleted.');
  });

  test('option 2: the new listener must hold the production port', async () => {
    ecs.on(DescribeServicesCommand).resolves(service());
    elb.on(DescribeListenersCommand, { ListenerArns: [LISTENER] }).resolves({ Listeners: [{ ListenerArn: LISTENER, Port: 80 }] });
    await expect(create(onEcs, listener)).resolves.toBeDefined();
    elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, Port: 8080 }] });
    await expect(create(onEcs, listener)).rejects.toThrow(/new production listener is on port 8080, not 80: the port swap \(CUTOVER\) has not happened/);
  });

  test('option 3: the old weighted record must be drained', async () => {
    ecs.on(DescribeServicesCommand).resolves(service());
    // The old record and the new one of its weighted group (the check reads both: the group must answer with the new one).
    const answer = (weight: number) => ({
      ResourceRecordSets: [
        { Name: 'shop.example.com.', Type: 'A' as const, SetIdentifier: 'codedeploy', Weight: weight },
        { Name: 'shop.example.com.', Type: 'A' as const, SetIdentifier: 'ecs-blue-green', Weight: 100 - weight },
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    r53.on(ListResourceRecordSetsCommand, { HostedZoneId: 'Z1', StartRecordName: 'shop.example.com.' }).resolves(answer(0));
    await expect(create(onEcs, record)).resolves.toBeDefined();
    r53.on(ListResourceRecordSetsCommand).resolves(answer(10));
    await expect(create(onEcs, record)).rejects.toThrow(/old A record shop.example.com. \(codedeploy\) still has weight 10: deploy CUTOVER with cutoverPercent 100 first/);
  });

  test('option 3 with CloudFront: the origin must already point at the new load balancer', async () => {
    const origin: Check = { Type: 'OriginPointsTo', StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/shop/1', DistributionLogicalId: 'Cdn1', OriginId: 'origin1', DomainName: 'new-alb.elb.amazonaws.com' };
    ecs.on(DescribeServicesCommand).resolves(service());
    cfn.on(DescribeStackResourceCommand, { LogicalResourceId: 'Cdn1' }).resolves({ StackResourceDetail: { PhysicalResourceId: 'E2ABC', LogicalResourceId: 'Cdn1', ResourceType: 'AWS::CloudFront::Distribution', LastUpdatedTimestamp: new Date(), ResourceStatus: 'UPDATE_COMPLETE' } });
    const config = (domain: string) => ({ DistributionConfig: { Origins: { Quantity: 1, Items: [{ Id: 'origin1', DomainName: domain }] } } as any });
    cf.on(GetDistributionConfigCommand, { Id: 'E2ABC' }).resolves(config('NEW-alb.elb.amazonaws.com'));
    await expect(create(onEcs, origin)).resolves.toBeDefined();
    cf.on(GetDistributionConfigCommand).resolves(config('old-alb.elb.amazonaws.com'));
    await expect(create(onEcs, origin)).rejects.toThrow(/origin origin1 of distribution E2ABC still points at old-alb.elb.amazonaws.com: deploy CUTOVER first/);
  });

  test('every failing check is reported at once', async () => {
    ecs.on(DescribeServicesCommand).resolves(service({ deploymentController: { type: 'CODE_DEPLOY' } }));
    elb.on(DescribeRulesCommand).resolves({ Rules: [] });
    await expect(create(onEcs, rule)).rejects.toThrow(/CODE_DEPLOY deployment controller; listener rule .* does not exist/);
  });

  test('throttling is retried; other API errors fail the deploy', async () => {
    jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void) => { fn(); return 0; }) as any);
    ecs.on(DescribeServicesCommand).rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })).resolves(service());
    await expect(create(onEcs)).resolves.toBeDefined();
    ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(create(onEcs)).rejects.toThrow('not authorized');
  });

  test('no checks is a failure, delete never checks', async () => {
    await expect(create()).rejects.toThrow(/no checks were given/);
    await expect(handler({ RequestType: 'Delete', ResourceProperties: { Checks: [onEcs] }, PhysicalResourceId: 'x' })).resolves.toEqual({ PhysicalResourceId: 'x' });
    expect(ecs.calls()).toHaveLength(0);
  });
});
