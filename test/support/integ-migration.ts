// Shared body of the migration integ tests: one stack per phase of one option, each the user's
// CodeDeploy app (test/support/codedeploy-fixture.ts) with the migration at that phase.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { codeDeployFixture, CodeDeployFixtureOptions, codeDeployPathOf } from './codedeploy-fixture';
import { applyNag } from './nag';
import { CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, MigrationOption, MigrationPhase } from '../../src';

const PHASES = [MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP, MigrationPhase.ROLLBACK];

/**
 * Builds the four phase stacks of one option and an IntegTest over them; after deployment the
 * assertion checks that the service carrying production traffic is on the ECS controller (or, for
 * PREPARE and ROLLBACK of option 1, still on CODE_DEPLOY).
 */
export function migrationInteg(name: string, option: (stack: Stack) => MigrationOption, extra: Partial<CodeDeployToEcsMigrationProps> = {},
  fixtureOptions: CodeDeployFixtureOptions = {}): void {
  const app = new App();
  const cases = PHASES.map((phase) => {
    const stack = new Stack(app, `cdk-ecs-blue-green-integ-migration-${name}-${phase.toLowerCase()}`);
    const f = codeDeployFixture(stack, fixtureOptions);
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: option(stack),
      phase,
      planOutput: true,
      ...extra,
    });
    applyNag(stack);
    return { stack, phase, fixture: f, migration };
  });
  const integ = new IntegTest(app, `Migration-${name}`, { testCases: cases.map((c) => c.stack), diffAssets: false });
  for (const c of cases) {
    const service = c.migration.newService?.service ?? (c.phase === MigrationPhase.CLEANUP ? undefined : c.fixture.service);
    if (!service) continue;
    const onEcs = c.migration.newService !== undefined || c.phase === MigrationPhase.CUTOVER;
    integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: c.fixture.cluster.clusterArn, services: [service.serviceArn] })
      .expect(ExpectedResult.objectLike({ services: [{ deploymentController: { type: onEcs ? 'ECS' : 'CODE_DEPLOY' } }] }));
  }
}
