// Integ test: BlueGreenEcsService behind VPC Lattice, CANARY. The routing creates the Lattice
// service (auth type NONE, so the in-VPC smoke test can call it unsigned), its HTTP listener, the
// blue and green IP target groups, the production rule (/ prefix) and a header test rule; the
// service network is the app's, associated with the cluster's VPC so the hook function reaches it.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { BlueGreenEcsService, DeploymentStrategy, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../src';
import { integApp } from './support/integ-app';

const { app, stack, vpc, cluster, taskDefinition } = integApp('cdk-ecs-blue-green-integ-vpc-lattice');
const network = new vpclattice.CfnServiceNetwork(stack, 'ServiceNetwork', { authType: 'NONE' });
new vpclattice.CfnServiceNetworkVpcAssociation(stack, 'ServiceNetworkVpc', {
  serviceNetworkIdentifier: network.attrId,
  vpcIdentifier: vpc.vpcId,
});

const service = new BlueGreenEcsService(stack, 'Api', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.vpcLattice({
    serviceNetworkIdentifier: network.attrId,
    authType: 'NONE',
    testHeader: { name: 'x-green', value: 'yes' },
  }),
  strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(2), bakeTime: Duration.minutes(1) }),
});
// The smoke test calls the Lattice test route (service DNS name, header x-green) from the VPC.
const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { vpc });
service.addLifecycleHook(smoke.toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }));

const integ = new IntegTest(app, 'VpcLattice', { testCases: [stack], diffAssets: false });
// Proves that ECS accepted the Lattice configuration with its AdvancedConfiguration under the ECS
// controller and the CANARY strategy.
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [service.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [{
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: { strategy: 'CANARY' },
      vpcLatticeConfigurations: [{ portName: 'web' }],
    }],
  }));
// Proves that the production rule forwards to both target groups, blue with weight 1 and green with
// weight 0 (VPC Lattice takes weights 0-999), once the service is stable.
integ.assertions.awsApiCall('@aws-sdk/client-vpc-lattice', 'GetRule', {
  serviceIdentifier: service.latticeService!.attrId,
  listenerIdentifier: service.latticeProductionRule!.listenerIdentifier,
  ruleIdentifier: service.latticeProductionRule!.attrId,
}).expect(ExpectedResult.objectLike({
  action: {
    forward: {
      targetGroups: [
        { targetGroupIdentifier: service.blueLatticeTargetGroup!.attrId, weight: 1 },
        { targetGroupIdentifier: service.greenLatticeTargetGroup!.attrId, weight: 0 },
      ],
    },
  },
}));
