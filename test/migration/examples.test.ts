import { App, Stack } from 'aws-cdk-lib';
import { MigrationOption1Stack } from '../../examples/migration-option-1';
import { MigrationOption2Stack } from '../../examples/migration-option-2';
import { MigrationOption3Stack } from '../../examples/migration-option-3';
import { MigrationPhase } from '../../src';
import { checkStack } from '../support';
import { trafficHazards } from '../support/graduation-diff';

const EXAMPLES: Array<[string, new (scope: App, id: string) => Stack]> = [
  ['option 1', MigrationOption1Stack], ['option 2', MigrationOption2Stack], ['option 3', MigrationOption3Stack],
];

describe('migration examples synthesize at every phase, cfn-lint and cdk-nag clean', () => {
  test.each(EXAMPLES.flatMap(([name, cls]) => Object.values(MigrationPhase).map((phase) => [name, phase, cls] as const)))(
    '%s %s', (_name, phase, cls) => {
      const stack = new cls(new App({ context: { phase } }), 'Example');
      const template = checkStack(stack, { nag: true }).toJSON();
      const plan = Object.entries<any>(template.Outputs).find(([id]) => id.startsWith('MigrationPlan'))![1];
      expect(plan.Description).toMatch(new RegExp(` ${phase}: steps of this phase$`));
      const controllers = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service').map((r) => r.Properties.DeploymentController.Type);
      expect(controllers).toContain(phase === MigrationPhase.PREPARE || phase === MigrationPhase.ROLLBACK ? 'CODE_DEPLOY' : 'ECS');
    });

  test('option 1 graduates: -c graduated=true after CLEANUP replaces no service, listener, target group or rule', () => {
    const cleanup = checkStack(new MigrationOption1Stack(new App({ context: { phase: MigrationPhase.CLEANUP } }), 'Example'), { nag: true }).toJSON();
    const graduated = checkStack(new MigrationOption1Stack(new App({ context: { graduated: 'true' } }), 'Example'), { nag: true }).toJSON();
    const traffic = Object.keys(cleanup.Resources).filter((id) => /^AWS::ElasticLoadBalancingV2::|^Custom::EcsBlueGreenLiveWeights$/.test(cleanup.Resources[id].Type));
    expect(traffic.length).toBeGreaterThan(4);
    for (const id of traffic) expect({ id, resource: graduated.Resources[id] }).toEqual({ id, resource: cleanup.Resources[id] });
    const svc = (t: any) => Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'AWS::ECS::Service')!;
    const [id, before] = svc(cleanup);
    const [id2, after] = svc(graduated);
    expect(id2).toBe(id);
    const { TaskDefinition: _t1, ...rest1 } = before.Properties;
    const { TaskDefinition: _t2, ...rest2 } = after.Properties;
    expect(rest2).toEqual(rest1);
    const gone = Object.keys(cleanup.Resources).filter((r) => !(r in graduated.Resources)).map((r) => cleanup.Resources[r].Type).sort();
    expect(gone).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'Custom::EcsBlueGreenCleanupPrecondition', 'Custom::EcsBlueGreenTaskDefinitionPin']);
    expect(trafficHazards(cleanup, graduated)).toEqual([]);
  });

  test('option 2 graduates: -c graduated=true after CLEANUP changes no service, listener, target group or rule', () => {
    expectGraduationKeepsTraffic(MigrationOption2Stack, /^AWS::(ECS::Service|ElasticLoadBalancingV2::.*|EC2::SecurityGroup)$|^Custom::EcsBlueGreenLiveWeights$/);
  });

  test('option 3 graduates: -c graduated=true after CLEANUP changes no load balancer, listener, service, target group, rule or record', () => {
    expectGraduationKeepsTraffic(MigrationOption3Stack,
      /^AWS::(ECS::Service|ElasticLoadBalancingV2::.*|EC2::SecurityGroup|Route53::RecordSet)$|^Custom::EcsBlueGreenLiveWeights$/);
  });

  test('an unknown phase is refused with the allowed values', () => {
    expect(() => new MigrationOption1Stack(new App({ context: { phase: 'LATER' } }), 'Example'))
      .toThrow('-c phase=LATER: expected one of PREPARE, CUTOVER, CLEANUP, ROLLBACK');
  });
});

test('options 1 and 2 in one app (as npm run example builds it): option 2\'s CLEANUP leaves option 1\'s rules alone', () => {
  // Both stacks build the same ShopOnCodeDeploy, so their old listeners share a logical ID; a rule
  // of the option 1 stack must not pass for a rule on option 2's old listener.
  const app = new App({ context: { phase: MigrationPhase.CLEANUP } });
  const one = new MigrationOption1Stack(app, 'ShopMigrationOption1');
  new MigrationOption2Stack(app, 'ShopMigrationOption2');
  const template = checkStack(one).toJSON();
  const rules = Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule');
  expect(rules.map(([id]) => id)).toEqual([expect.stringMatching(/^MigrationProductionRule/), expect.stringMatching(/^MigrationTestRule/)]);
});

/**
 * From the example's CLEANUP to its graduated app: the resources whose type matches `traffic` keep
 * their properties, only the migration's CLEANUP check (its function and role) goes, nothing is added.
 */
function expectGraduationKeepsTraffic(cls: typeof MigrationOption2Stack | typeof MigrationOption3Stack, traffic: RegExp): void {
  const cleanup = checkStack(new cls(new App({ context: { phase: MigrationPhase.CLEANUP } }), 'Example'), { nag: true }).toJSON();
  const graduated = checkStack(new cls(new App({ context: { graduated: 'true' } }), 'Example'), { nag: true }).toJSON();
  const kept = Object.keys(cleanup.Resources).filter((id) => traffic.test(cleanup.Resources[id].Type));
  expect(kept.length).toBeGreaterThan(5);
  for (const id of kept) {
    expect({ id, resource: graduated.Resources[id]?.Properties }).toEqual({ id, resource: cleanup.Resources[id].Properties });
  }
  const gone = Object.keys(cleanup.Resources).filter((r) => !(r in graduated.Resources)).map((r) => cleanup.Resources[r].Type).sort();
  expect(gone).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'Custom::EcsBlueGreenCleanupPrecondition']);
  expect(Object.keys(graduated.Resources).filter((r) => !(r in cleanup.Resources))).toEqual([]);
  // cloudformation-diff: nothing replaced, no security group, rule or listener changed (clients keep their way in).
  expect(trafficHazards(cleanup, graduated)).toEqual([]);
}
