// Migration example, option 3: a new ECS blue/green service behind a new load balancer; Route 53
// weighted records move clients of shop.example.com from the old load balancer to the new one
// (`-c phase=CUTOVER -c cutoverPercent=10`, then 50, then 100). With `-c routing=apiGateway` the
// clients come through an API Gateway HTTP API instead, whose integration CUTOVER points at the
// new load balancer (all at once). After CLEANUP, `-c graduated=true` shows the Route 53 app
// without the migration.
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { graduatedOf, phaseOf, ShopKept, ShopOnCodeDeploy } from './migration-option-1';
import {
  BlueGreenEcsService, CodeDeployToEcsMigration, DeploymentStrategy, LifecycleHook, LifecycleStage, MigrationOption, RoutingLayer, TrafficRouting,
} from '../src';

export class MigrationOption3Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const viaApi = this.node.tryGetContext('routing') === 'apiGateway';
    if (graduatedOf(this)) {
      if (viaApi) throw new Error('this example graduates the Route 53 variant only: drop -c routing=apiGateway with -c graduated=true');
      graduate(ShopKept.graduated(this, 'Shop', { loadBalancer: false }), this.zone());
      return;
    }
    const shop = new ShopOnCodeDeploy(this, 'Shop');
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
    return RoutingLayer.route53Weighted({ zone: this.zone(), recordName: 'shop' });
  }

  /** The public zone of shop.example.com (the Route 53 variant and its graduated app). */
  private zone(): route53.PublicHostedZone {
    return new route53.PublicHostedZone(this, 'Zone', { zoneName: 'example.com' });
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

/**
 * After CLEANUP (`-c graduated=true`): the old path's code deleted (the app holds only what it kept), the new load balancer, service
 * and weighted record written out under a plain construct with the migration's ID and child IDs.
 */
function graduate(shop: ShopKept, zone: route53.IHostedZone): void {
  const scope = new Construct(Stack.of(shop), 'Migration');
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc: shop.vpc, internetFacing: true });
  NagSuppressions.addResourceSuppressions(loadBalancer, [{ id: 'AwsSolutions-ELB2', reason: 'Example ALB: access logs need a bucket the application owner chooses.' }]);
  NagSuppressions.addResourceSuppressions(loadBalancer.connections.securityGroups[0], [{ id: 'AwsSolutions-EC23', reason: 'Example ALB: a public web endpoint on its production port.' }]);
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  const listener = loadBalancer.addListener('Production', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: true });
  const testListener = loadBalancer.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false });
  new BlueGreenEcsService(scope, 'Service', {
    cluster: shop.cluster,
    taskDefinition: shop.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener, testListener }),
    strategy: DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', { bakeTime: Duration.minutes(15) }),
    hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(20) })],
    alarms: [shop.errors],
    desiredCount: 2,
    container: { containerName: 'web', containerPort: 80 },
  });
  // Stays weighted (one member at 100): a simple record of that name would replace it.
  new route53.ARecord(scope, 'NewRecord', {
    zone,
    recordName: 'shop',
    target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
    weight: 100,
    setIdentifier: 'ecs-blue-green',
  });
}

if (require.main === module) {
  const app = new App();
  new MigrationOption3Stack(app, 'ShopMigrationOption3');
  app.synth();
}
