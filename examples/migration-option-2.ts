// Migration example, option 2: a new ECS blue/green service behind new listeners of the existing
// load balancer (ports 8080/8081 until CUTOVER swaps them with 80/9000).
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { graduatedOf, phaseOf, ShopOnCodeDeploy } from './migration-option-1';
import { BlueGreenEcsService, CodeDeployToEcsMigration, DeploymentStrategy, LifecycleHook, LifecycleStage, MigrationOption, TrafficRouting } from '../src';

export class MigrationOption2Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shop = new ShopOnCodeDeploy(this, 'Shop');
    if (graduatedOf(this)) {
      graduate(shop);
      return;
    }
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

/**
 * After CLEANUP (`-c graduated=true`): the old path's code deleted, the new path written out under
 * a plain construct with the migration's ID and child IDs (README, "After CLEANUP: graduate").
 */
function graduate(shop: ShopOnCodeDeploy): void {
  // In a real app you delete this code; here it is taken out of the shared pre-migration construct.
  for (const c of [shop.service, shop.productionListener, shop.testListener, shop.blue, shop.green, shop.deploymentGroup]) {
    c.node.scope?.node.tryRemoveChild(c.node.id);
  }
  // With the old service's code goes the egress rule its attachment added to the load balancer's security group.
  const albGroup = shop.alb.connections.securityGroups[0];
  for (const rule of albGroup.node.children.filter((c) => c.node.id.includes('ServiceSecurityGroup'))) albGroup.node.tryRemoveChild(rule.node.id);
  const scope = new Construct(Stack.of(shop), 'Migration');
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  const listener = (id: string, port: number) => new elbv2.ApplicationListener(scope, id, {
    loadBalancer: shop.alb, port, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false,
  });
  const productionListener = listener('ProductionListener', 80);
  productionListener.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.20.0.0/16'), 'Testers on the office network');
  new BlueGreenEcsService(scope, 'Service', {
    cluster: shop.service.cluster,
    taskDefinition: shop.service.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: productionListener, testListener: listener('TestListener', 9000) }),
    strategy: DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', { bakeTime: Duration.minutes(15) }),
    hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(20) })],
    alarms: [shop.errors],
    desiredCount: 2,
    container: { containerName: 'web', containerPort: 80 },
  });
}

if (require.main === module) {
  const app = new App();
  new MigrationOption2Stack(app, 'ShopMigrationOption2');
  app.synth();
}
