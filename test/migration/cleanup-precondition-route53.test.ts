import { DescribeServicesCommand, ECSClient, Service } from '@aws-sdk/client-ecs';
import { ListResourceRecordSetsCommand, ListResourceRecordSetsCommandOutput, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { normalizeDnsName } from '../../src/migration/cleanup-precondition-handler/record-drained';
import { Check, handler } from '../../src/migration/cleanup-precondition.lambda';

const ecs = mockClient(ECSClient);
const r53 = mockClient(Route53Client);

const OLD_ALB = 'dualstack.old-alb-1.us-east-1.elb.amazonaws.com.';
const NEW_ALB = 'dualstack.new-alb-2.us-east-1.elb.amazonaws.com.';
const onEcs: Check = { Type: 'ServiceOnEcs', Cluster: 'prod', Service: 'shop' };
const check = (RecordName: string): Check => ({ Type: 'RecordDrained', HostedZoneId: 'Z1', RecordName, SetIdentifier: 'codedeploy' });
const create = (...checks: Check[]) => handler({ RequestType: 'Create', ResourceProperties: { Checks: checks } });

/** A weighted alias record as ListResourceRecordSets returns it. */
const alias = (Name: string, Type: 'A' | 'AAAA', SetIdentifier: string, Weight: number | undefined, target: string): ResourceRecordSet => ({
  Name, Type, SetIdentifier, ...(Weight === undefined ? {} : { Weight }), AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: target, EvaluateTargetHealth: false },
});
const page = (records: ResourceRecordSet[], next?: Partial<ListResourceRecordSetsCommandOutput>): ListResourceRecordSetsCommandOutput =>
  ({ ResourceRecordSets: records, IsTruncated: next !== undefined, MaxItems: 300, ...next, $metadata: {} });
/** After CUTOVER at 100: old 0, new 100, and the next name of the zone. */
const drained = (name = 'shop.example.com.') => [
  alias(name, 'A', 'codedeploy', 0, OLD_ALB),
  alias(name, 'A', 'ecs-blue-green', 100, NEW_ALB),
  alias('www.shop.example.com.', 'A', 'codedeploy', 100, OLD_ALB),
];

beforeEach(() => {
  ecs.reset();
  r53.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  ecs.on(DescribeServicesCommand).resolves({ services: [{ status: 'ACTIVE', deploymentController: { type: 'ECS' }, runningCount: 2, desiredCount: 2 } as Service] });
});
afterEach(() => jest.restoreAllMocks());

describe('Route 53 names', () => {
  test.each([
    ['Shop.Example.com', 'shop.example.com.'],
    ['SHOP.example.com.', 'shop.example.com.'],
    ['*.shop.example.com', '\\052.shop.example.com.'],
    ['\\052.Shop.example.com.', '\\052.shop.example.com.'],
  ])('%s compares equal to Route 53\'s %s', (given, stored) => {
    expect(normalizeDnsName(given)).toBe(normalizeDnsName(stored));
  });
});

describe('CLEANUP precondition: the old weighted record (Route 53)', () => {
  test('holds when the old record weighs 0 and the new one more, whatever case the app wrote the name in', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page(drained()));
    await expect(create(onEcs, check('Shop.Example.com'))).resolves.toEqual({ PhysicalResourceId: 'ecs-blue-green-cleanup-precondition' });
    // The listing starts at the name in Route 53's form, and reads every type (no start type).
    expect(r53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input).toEqual({ HostedZoneId: 'Z1', StartRecordName: 'shop.example.com.' });
  });

  test.each([
    ['capitals', 'Shop.Example.com', 'shop.example.com.'],
    ['capitals and a trailing dot', 'SHOP.example.com.', 'shop.example.com.'],
    ['a wildcard, which Route 53 returns escaped', '*.shop.example.com', '\\052.shop.example.com.'],
  ])('fails when the old record still has weight, with %s in the name', async (_what, given, stored) => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([alias(stored, 'A', 'codedeploy', 90, OLD_ALB), alias(stored, 'A', 'ecs-blue-green', 10, NEW_ALB)]));
    await expect(create(onEcs, check(given))).rejects.toThrow(
      `the old A record ${normalizeDnsName(stored)} (codedeploy) still has weight 90: deploy CUTOVER with cutoverPercent 100 first`);
  });

  test('the wildcard name is listed from its escaped form', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page(drained('\\052.shop.example.com.')));
    await expect(create(onEcs, check('*.shop.example.com'))).resolves.toBeDefined();
    expect(r53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input.StartRecordName).toBe('\\052.shop.example.com.');
  });

  test('fails when an AAAA record of the old set still has weight, though the A record is drained', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([
      ...drained().slice(0, 2),
      alias('shop.example.com.', 'AAAA', 'codedeploy', 100, OLD_ALB),
      alias('shop.example.com.', 'AAAA', 'ecs-blue-green', 0, NEW_ALB),
    ]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(/the old AAAA record shop.example.com. \(codedeploy\) still has weight 100/);
  });

  test('fails when another alias record of the name still answers with the old load balancer', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([
      ...drained().slice(0, 2),
      alias('shop.example.com.', 'AAAA', 'ipv6', undefined, OLD_ALB.toUpperCase()),
    ]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(
      `the AAAA record shop.example.com. (ipv6) still answers with the old load balancer (${OLD_ALB}): set its weight to 0 or delete it`);
  });

  test('fails when the old record is not found at all (another name, or nothing)', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([alias('www.shop.example.com.', 'A', 'codedeploy', 0, OLD_ALB)]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(
      /the old weighted A record shop.example.com. \(codedeploy\) is not in hosted zone Z1, so the check cannot tell that it receives no traffic/);
    r53.on(ListResourceRecordSetsCommand).resolves(page([]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(/is not in hosted zone Z1/);
  });

  test('fails when every record of the group weighs 0 (Route 53 then answers with all of them)', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([
      alias('shop.example.com.', 'A', 'codedeploy', 0, OLD_ALB), alias('shop.example.com.', 'A', 'ecs-blue-green', 0, NEW_ALB),
    ]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(/the old A record shop.example.com. \(codedeploy\) weighs 0, but no other A record of the name weighs more/);
  });

  test('reads on to the next page while the name continues', async () => {
    r53.on(ListResourceRecordSetsCommand, { StartRecordName: 'shop.example.com.' }).resolves(page([alias('shop.example.com.', 'A', 'ecs-blue-green', 100, NEW_ALB)], {
      NextRecordName: 'shop.example.com.', NextRecordType: 'AAAA', NextRecordIdentifier: 'codedeploy',
    }));
    r53.on(ListResourceRecordSetsCommand, { StartRecordName: 'shop.example.com.', StartRecordType: 'AAAA', StartRecordIdentifier: 'codedeploy' })
      .resolves(page([alias('shop.example.com.', 'AAAA', 'codedeploy', 5, OLD_ALB)]));
    await expect(create(onEcs, check('shop.example.com'))).rejects.toThrow(/the old weighted A record shop.example.com. \(codedeploy\) is not in hosted zone Z1, .*; the old AAAA record shop.example.com. \(codedeploy\) still has weight 5/);
    expect(r53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2);
  });

  test('an update after a CLEANUP that passed (and deleted the old record) holds without it', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves(page([alias('shop.example.com.', 'A', 'ecs-blue-green', 100, NEW_ALB)]));
    const props = { Checks: [onEcs, check('Shop.example.com')] };
    await expect(handler({ RequestType: 'Update', ResourceProperties: props, OldResourceProperties: { Checks: [onEcs, check('shop.example.com.')] }, PhysicalResourceId: 'x' }))
      .resolves.toBeDefined();
    // A first CLEANUP (or an update whose earlier deploy checked another record) still needs the record.
    await expect(handler({ RequestType: 'Update', ResourceProperties: props, OldResourceProperties: { Checks: [onEcs] }, PhysicalResourceId: 'x' }))
      .rejects.toThrow(/is not in hosted zone Z1/);
  });
});
