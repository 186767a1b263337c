import { App, Stack } from 'aws-cdk-lib';
import { MigrationOption1Stack } from '../../examples/migration-option-1';
import { MigrationOption2Stack } from '../../examples/migration-option-2';
import { MigrationOption3Stack } from '../../examples/migration-option-3';
import { MigrationPhase } from '../../src';
import { checkStack } from '../support';

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

  test('an unknown phase is refused with the allowed values', () => {
    expect(() => new MigrationOption1Stack(new App({ context: { phase: 'LATER' } }), 'Example'))
      .toThrow('-c phase=LATER: expected one of PREPARE, CUTOVER, CLEANUP, ROLLBACK');
  });
});
