// Migration example, option 2: a new ECS blue/green service behind new listeners of the existing
// load balancer (ports 8080/8081 until CUTOVER swaps them with 80/9000).
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { phaseOf, ShopOnCodeDeploy } from './migration-option-1';
import { CodeDeployToEcsMigration, MigrationOption } from '../src';

export class MigrationOption2Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shop = new ShopOnCodeDeploy(this, 'Shop');
    const migration = new CodeDeployToEcsMigration(this, 'Migration', {
      ...shop.codeDeployPath(),
      option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }),
      phase: phaseOf(this),
      planOutput: true,
    });
    // Testers reach the temporary listener from the office network only.
    migration.newProductionListener?.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.20.0.0/16'), 'Testers on the office network');
  }
}

if (require.main === module) {
  const app = new App();
  new MigrationOption2Stack(app, 'ShopMigrationOption2');
  app.synth();
}
