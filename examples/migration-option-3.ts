// Migration example, option 3: a new ECS blue/green service behind a new load balancer; Route 53
// weighted records move clients of shop.example.com from the old load balancer to the new one
// (`-c phase=CUTOVER -c cutoverPercent=10`, then 50, then 100). With `-c routing=apiGateway` the
// clients come through an API Gateway HTTP API instead, whose integration CUTOVER points at the
// new load balancer (all at once).
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { phaseOf, ShopOnCodeDeploy } from './migration-option-1';
import { CodeDeployToEcsMigration, MigrationOption, RoutingLayer } from '../src';

export class MigrationOption3Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shop = new ShopOnCodeDeploy(this, 'Shop');
    const viaApi = this.node.tryGetContext('routing') === 'apiGateway';
    new CodeDeployToEcsMigration(this, 'Migration', {
      ...shop.codeDeployPath(),
      option: MigrationOption.newServiceNewLoadBalancer({ routing: viaApi ? this.api(shop) : this.dns() }),
      phase: phaseOf(this),
      cutoverPercent: viaApi ? undefined : Number(this.node.tryGetContext('cutoverPercent') ?? 100),
      planOutput: true,
    });
  }

  /** Route 53: the migration owns two weighted records for shop.example.com. */
  private dns(): RoutingLayer {
    const zone = new route53.PublicHostedZone(this, 'Zone', { zoneName: 'example.com' });
    return RoutingLayer.route53Weighted({ zone, recordName: 'shop' });
  }

  /** API Gateway: the shop's HTTP API proxies every request to the load balancer. */
  private api(shop: ShopOnCodeDeploy): RoutingLayer {
    const httpApi = new apigwv2.HttpApi(this, 'Api', {
      defaultIntegration: new integrations.HttpUrlIntegration('Shop', `http://${shop.alb.loadBalancerDnsName}`),
    });
    NagSuppressions.addResourceSuppressions(httpApi, [
      { id: 'AwsSolutions-APIG1', reason: 'Example API: access logging is the shop owner\'s choice.' },
      { id: 'AwsSolutions-APIG4', reason: 'Example API: the shop is public, as before the migration.' },
    ], true);
    return RoutingLayer.apiGateway({ httpApi });
  }
}

if (require.main === module) {
  const app = new App();
  new MigrationOption3Stack(app, 'ShopMigrationOption3');
  app.synth();
}
