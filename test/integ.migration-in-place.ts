// Integ test: CodeDeployToEcsMigration option 1 (in place), one stack per phase.
import { MigrationOption } from '../src';
import { migrationInteg } from './support/integ-migration';

migrationInteg('in-place', () => MigrationOption.inPlace(), {
  runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42',
});
