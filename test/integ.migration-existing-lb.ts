// Integ test: CodeDeployToEcsMigration option 2 (new service, existing load balancer), one stack per phase.
import { MigrationOption } from '../src';
import { migrationInteg } from './support/integ-migration';

migrationInteg('existing-lb', () => MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }));
