// Migration example, option 2: a new ECS blue/green service behind new listeners of the existing
// load balancer (ports 8080/8081 until CUTOVER swaps them with 80/9000).
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { graduatedOf, phaseOf, ShopKept, ShopOnCodeDeploy } from './migration-option-1';
import { BlueGreenEcsService, CodeDeployToEcsMigration, DeploymentStrategy, LifecycleHook, LifecycleStage, MigrationOption, TrafficRouting } from '../src';

export class MigrationOption2Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    if (graduatedOf(this)) {
      graduate(ShopKept.graduated(this, 'Shop', { loadBalancer: true }));
      return;
    }
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

/**
 * After CLEANUP (`-c graduated=true`): the old path's code deleted (the app holds only what it
 * kept), the new path written out under a plain construct with the migration's ID and child IDs
 * (README, "After CLEANUP: graduate").
 */
function graduate(shop: ShopKept): void {
  const scope = new Construct(Stack.of(shop), 'Migration');
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  // `open` as the old listener on that port had it (production: the default, open; test: closed):
  // its ingress rule is on the load balancer's security group, and `open: false` would delete it.
  const listener = (id: string, port: number, open: boolean) => new elbv2.ApplicationListener(scope, id, {
    loadBalancer: shop.loadBalancer!, port, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open,
  });
  const productionListener = listener('ProductionListener', 80, true);
  // What the migration's listener was opened to (see the stack above) is opened again.
  productionListener.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.20.0.0/16'), 'Testers on the office network');
  new BlueGreenEcsService(scope, 'Service', {
    cluster: shop.cluster,
    taskDefinition: shop.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: productionListener, testListener: listener('TestListener', 9000, false) }),
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
