// The weights the production and test rules hold now, as `status` reads them: ALB listener rules
// (DescribeRules), NLB listeners (DescribeListeners) and VPC Lattice rules (GetRule), each by the
// ARN ECS names in the service's advancedConfiguration; a rule that cannot be read is "unknown".
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRuleCommand, VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
import { mockClient } from 'aws-sdk-client-mock';
import {
  Capture, LATTICE_RULE, LATTICE_TG_A, LATTICE_TG_B, NLB_LISTENER, PROD_RULE, TEST_RULE, TG_A, TG_B, inProgress, serve, serveLatticeRule,
  serveRules, serveService, testClients, testEnv,
} from './fixtures';
import { status } from '../../src/cli/commands/status';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const lattice = mockClient(VPCLatticeClient);
const clients = testClients();
beforeEach(() => {
  ecs.reset();
  elb.reset();
  lattice.reset();
});

async function run(args: string[]) {
  const out = new Capture();
  const { env, err } = testEnv();
  const code = await status.run(args, clients, out, env);
  return { code, out: out.text, err: err.text };
}

describe('status: rule weights', () => {
  test('ALB: the production and test listener rules, by the ARNs in advancedConfiguration, with each target group\'s share', async () => {
    serve(ecs, inProgress());
    serveService(ecs, { alb: true });
    serveRules(elb, [[900, 100]], [0, 1]);
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toContain([
      'Rules (weights now)',
      '  production  listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee  web-a 90% (primary), web-b 10% (alternate)',
      '  test        listener-rule/app/web/50dc6c495c0c9188/0467ef3c8400ae65/2ed3d1d7d8e0e4a1  web-a 0% (primary), web-b 100% (alternate)',
    ].join('\n'));
    expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: 'prod', services: ['web'] });
    expect(elb.commandCalls(DescribeRulesCommand)[0].args[0].input).toEqual({ RuleArns: [PROD_RULE, TEST_RULE] });
    const json = JSON.parse((await run(['prod', 'web', '--output', 'json'])).out);
    expect(json.trafficRules[0]).toEqual({
      traffic: 'production',
      kind: 'elb-listener-rule',
      arn: PROD_RULE,
      targetGroups: [
        { arn: TG_A, weight: 900, percent: 90, role: 'primary' },
        { arn: TG_B, weight: 100, percent: 10, role: 'alternate' },
      ],
      error: null,
    });
  });

  test('NLB: the production listener\'s default action (DescribeListeners)', async () => {
    serve(ecs, inProgress());
    serveService(ecs, { nlb: true });
    serveRules(elb, [[3, 1]]);
    const r = await run(['prod', 'web']);
    expect(r.out).toMatch(/^ {2}production +listener\/net\/web-nlb\/7a0b9c6d5e4f3a21\/1b2c3d4e5f6a7b8c +web-nlb-a 75% \(primary\), web-nlb-b 25% \(alternate\)$/m);
    expect(elb.commandCalls(DescribeListenersCommand)[0].args[0].input).toEqual({ ListenerArns: [NLB_LISTENER] });
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(0);
  });

  test('VPC Lattice: GetRule with the service, listener and rule IDs from the rule ARN; target groups given by ID or ARN matched', async () => {
    serve(ecs, inProgress());
    serveService(ecs, { lattice: true });
    serveLatticeRule(lattice, [[80, 20]]);
    const r = await run(['prod', 'web', '--output', 'json']);
    expect(lattice.commandCalls(GetRuleCommand)[0].args[0].input).toEqual({
      serviceIdentifier: 'svc-0123456789abcdef0', listenerIdentifier: 'listener-0fedcba9876543210', ruleIdentifier: 'rule-0aa11bb22cc33dd44',
    });
    expect(JSON.parse(r.out).trafficRules).toEqual([{
      traffic: 'production',
      kind: 'vpc-lattice-rule',
      arn: LATTICE_RULE,
      targetGroups: [
        { arn: 'tg-0a1b2c3d4e5f60718', weight: 80, percent: 80, role: 'primary' },
        { arn: LATTICE_TG_B, weight: 20, percent: 20, role: 'alternate' },
      ],
      error: null,
    }]);
    expect(LATTICE_TG_A.endsWith('tg-0a1b2c3d4e5f60718')).toBe(true);
  });

  test('VPC Lattice rule as the library creates it (blue 1 / green 0, both listed): 100 % and 0 %, both target groups shown', async () => {
    serve(ecs, inProgress());
    serveService(ecs, { lattice: true });
    serveLatticeRule(lattice, [[1, 0]]);
    const json = JSON.parse((await run(['prod', 'web', '--output', 'json'])).out);
    expect(json.trafficRules[0].targetGroups).toEqual([
      { arn: 'tg-0a1b2c3d4e5f60718', weight: 1, percent: 100, role: 'primary' },
      { arn: LATTICE_TG_B, weight: 0, percent: 0, role: 'alternate' },
    ]);
    const text = await run(['prod', 'web']);
    expect(text.out).toMatch(/^ {2}production +service\/svc-0123456789abcdef0\/listener\/listener-0fedcba9876543210\/rule\/rule-0aa11bb22cc33dd44 +tg-0a1b2c3d4e5f60718 100% \(primary\), tg-0f9e8d7c6b5a49382 0% \(alternate\)$/m);
  });

  test('a rule that cannot be read is unknown, with the reason; the rest of the status still shows, exit 0', async () => {
    serve(ecs, inProgress());
    serveService(ecs, { alb: true, lattice: true });
    elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:DescribeRules'), { name: 'AccessDenied' }));
    serveLatticeRule(lattice, [[0, 100]]);
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}production +listener-rule\/\S+ +unknown \(AccessDenied: User is not authorized to perform: elasticloadbalancing:DescribeRules\)$/m);
    expect(r.out).toMatch(/^ {2}production +service\/svc-0123456789abcdef0\/listener\/listener-0fedcba9876543210\/rule\/rule-0aa11bb22cc33dd44 +tg-0a1b2c3d4e5f60718 0% \(primary\), tg-0f9e8d7c6b5a49382 100% \(alternate\)$/m);
    expect(r.out).toMatch(/^Production +green 10%, blue 90%$/m);
  });

  test('DescribeServices failing leaves the rules unknown, not the command failed', async () => {
    serve(ecs, inProgress());
    ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('not authorized to perform: ecs:DescribeServices'), { name: 'AccessDeniedException' }));
    const r = await run(['prod', 'web', '--output', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.trafficRules).toEqual([]);
    expect(json.trafficRulesError).toBe('AccessDeniedException: not authorized to perform: ecs:DescribeServices');
  });

  test('a service without advancedConfiguration (no blue/green rules) shows no rules and reads none', async () => {
    serve(ecs, inProgress());
    const r = await run(['prod', 'web']);
    expect(r.out).not.toContain('Rules');
    expect(elb.calls()).toHaveLength(0);
    expect(lattice.calls()).toHaveLength(0);
  });
});
