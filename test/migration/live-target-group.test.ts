import { DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase } from '../../src';
import { handler, ProductionLiveCheck } from '../../src/migration/cleanup-precondition.lambda';
import { checkStack, newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

const elb = mockClient(ElasticLoadBalancingV2Client);
const TG_A = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-a/1';
const TG_B = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-b/2';
const OTHER_TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/other/3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb/1/2';
const OTHER_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb/1/9';

/**
 * The live load balancer: the production listener's default action forwards to `live` (where
 * CodeDeploy's last deployment left it), and, once CUTOVER ran, the weighted rule at priority
 * 50000 has the weights ECS left. Another listener has other rules. Answers by request only.
 */
function liveLoadBalancer(live: string, rule?: { weights: [number, number] }) {
  elb.on(DescribeListenersCommand, { ListenerArns: [LISTENER] }).resolves({
    Listeners: [{ ListenerArn: LISTENER, Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: live, ForwardConfig: { TargetGroups: [{ TargetGroupArn: live, Weight: 1 }] } }] }],
  });
  elb.on(DescribeListenersCommand, { ListenerArns: [OTHER_LISTENER] }).resolves({ Listeners: [{ ListenerArn: OTHER_LISTENER, DefaultActions: [{ Type: 'forward', TargetGroupArn: OTHER_TG }] }] });
  const rules: Rule[] = [
    { RuleArn: `${LISTENER}/r/10`, Priority: '10', Actions: [{ Type: 'forward', TargetGroupArn: OTHER_TG }] },
    ...(rule ? [{
      RuleArn: `${LISTENER}/r/50000`,
      Priority: '50000',
      Actions: [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_A, Weight: rule.weights[0] }, { TargetGroupArn: TG_B, Weight: rule.weights[1] }] } }],
    }] : []),
    { RuleArn: `${LISTENER}/r/default`, Priority: 'default', IsDefault: true, Actions: [{ Type: 'forward', TargetGroupArn: live }] },
  ];
  // Two pages, to see the marker followed.
  elb.on(DescribeRulesCommand, { ListenerArn: LISTENER }).resolves({ Rules: rules.slice(0, 1), NextMarker: 'page2' });
  elb.on(DescribeRulesCommand, { ListenerArn: LISTENER, Marker: 'page2' }).resolves({ Rules: rules.slice(1) });
}

/** The app names `blue` as blueTargetGroup. */
const check = (blue: string, green: string, rulePriority?: number): ProductionLiveCheck => ({
  Type: 'ProductionLive', ListenerArn: LISTENER, Blue: blue, Green: green, BlueName: 'Shop/BlueTG', GreenName: 'Shop/GreenTG', RulePriority: rulePriority,
});
const run = (refusal: 'CUTOVER' | 'ROLLBACK', c: ProductionLiveCheck) => handler({ RequestType: 'Create', ResourceProperties: { Refusal: refusal, Checks: [c] } });

beforeEach(() => {
  elb.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('which target group is live (handler)', () => {
  test.each([
    ['even number of CodeDeploy deployments: the app\'s blue is live', TG_A],
    ['odd number: CodeDeploy left the other one live', TG_B],
  ])('CUTOVER, %s', async (_name, live) => {
    liveLoadBalancer(live);
    // The app that names the live group as blue passes, whichever it is.
    await expect(run('CUTOVER', check(live, live === TG_A ? TG_B : TG_A))).resolves.toEqual({ PhysicalResourceId: expect.any(String) });
    // The app that names the idle group as blue is refused before any rule exists, naming the live one.
    await expect(run('CUTOVER', check(live === TG_A ? TG_B : TG_A, live))).rejects.toThrow(new RegExp(
      `^CUTOVER refused before any traffic moved: the production listener ${LISTENER} forwards to ${live} \\(greenTargetGroup Shop/GreenTG\\), ` +
      'so the weighted rule \\(blue 1 / green 0\\) would send production to an idle target group: CodeDeploy\'s last deployment made green the live target group. ' +
      'Swap blueTargetGroup and greenTargetGroup in the app and deploy CUTOVER again. Nothing was changed'));
  });

  test('CUTOVER refuses a default action on a third target group, naming it', async () => {
    liveLoadBalancer(OTHER_TG);
    await expect(run('CUTOVER', check(TG_A, TG_B))).rejects.toThrow(/forwards to .*targetgroup\/other\/3, .*give the live target group as blueTargetGroup/);
  });

  test.each([
    // [default action, rule weights A/B, passes]
    [TG_A, [1, 0], true],
    [TG_A, [0, 1], false],
    [TG_B, [0, 1], true],
    [TG_B, [1, 0], false],
  ] as const)('ROLLBACK with the default action on %s and rule weights %j', async (fallback, weights, passes) => {
    liveLoadBalancer(fallback, { weights: [weights[0], weights[1]] });
    const result = run('ROLLBACK', check(TG_A, TG_B, 50000));
    if (passes) {
      await expect(result).resolves.toEqual({ PhysicalResourceId: expect.any(String) });
    } else {
      const live = weights[0] > 0 ? TG_A : TG_B;
      await expect(result).rejects.toThrow(new RegExp(
        `^ROLLBACK refused before any traffic moved: the weighted rule \\(priority 50000\\) sends production to ${live} .*` +
        `the listener's default action, which production falls back to once ROLLBACK deletes the rule, forwards to ${fallback}`));
    }
  });

  test('ROLLBACK without the weighted rule (CUTOVER never ran) passes', async () => {
    liveLoadBalancer(TG_B);
    await expect(run('ROLLBACK', check(TG_A, TG_B, 50000))).resolves.toEqual({ PhysicalResourceId: expect.any(String) });
  });

  test('a missing listener fails with the reason', async () => {
    elb.on(DescribeListenersCommand).resolves({ Listeners: [] });
    await expect(run('CUTOVER', check(TG_A, TG_B))).rejects.toThrow(/CUTOVER refused before any traffic moved: the production listener .* does not exist/);
  });
});

describe('which target group is live (synth)', () => {
  function phase(p: MigrationPhase) {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: p });
    return checkStack(stack, { nag: true }).toJSON();
  }
  const checksOf = (t: any) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'Custom::EcsBlueGreenLiveTargetGroupCheck');

  test('CUTOVER: the check runs before the weighted rules are created', () => {
    const t = phase(MigrationPhase.CUTOVER);
    const [[id, c]] = checksOf(t);
    const ids = Object.keys(t.Resources);
    const idOf = (prefix: string) => ids.find((x) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(x))!;
    expect(c.Properties.Refusal).toBe('CUTOVER');
    expect(c.Properties.Checks).toEqual([{
      Type: 'ProductionLive',
      ListenerArn: { Ref: idOf('AlbProduction') },
      Blue: { Ref: idOf('BlueTG') },
      Green: { Ref: idOf('GreenTG') },
      BlueName: 'Shop/BlueTG',
      GreenName: 'Shop/GreenTG',
    }]);
    expect(t.Resources[idOf('MigrationProductionRule')].DependsOn).toContain(id);
    expect(t.Resources[idOf('MigrationTestRule')].DependsOn).toContain(id);
  });

  test('ROLLBACK: the check (with the rule priority) runs before the service switches back', () => {
    const t = phase(MigrationPhase.ROLLBACK);
    const [[id, c]] = checksOf(t);
    expect(c.Properties.Refusal).toBe('ROLLBACK');
    expect(c.Properties.Checks[0].RulePriority).toBe(50000);
    const [, svc] = Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'AWS::ECS::Service')!;
    expect(svc.DependsOn).toContain(id);
  });

  test('PREPARE and CLEANUP have no such check', () => {
    expect(checksOf(phase(MigrationPhase.PREPARE))).toEqual([]);
    expect(checksOf(phase(MigrationPhase.CLEANUP))).toEqual([]);
  });
});
