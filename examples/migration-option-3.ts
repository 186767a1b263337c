// Migration example, option 3: a new ECS blue/green service behind a new load balancer; Route 53
// weighted records move clients of shop.example.com from the old load balancer to the new one
// (`-c phase=CUTOVER -c cutoverPercent=10`, then 50, then 100).
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { phaseOf, ShopOnCodeDeploy } from './migration-option-1';
import { CodeDeployToEcsMigration, MigrationOption, RoutingLayer } from '../src';

export class MigrationOption3Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shop = new ShopOnCodeDeploy(this, 'Shop');
    const zone = new route53.PublicHostedZone(this, 'Zone', { zoneName: 'example.com' });
    new CodeDeployToEcsMigration(this, 'Migration', {
      ...shop.codeDeployPath(),
      option: MigrationOption.newServiceNewLoadBalancer({
        routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }),
      }),
      phase: phaseOf(this),
      cutoverPercent: Number(this.node.tryGetContext('cutoverPercent') ?? 100),
      planOutput: true,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new MigrationOption3Stack(app, 'ShopMigrationOption3');
  app.synth();
}
