// Integ test: BlueGreenEcsService behind an ALB with a separate test listener, BLUE_GREEN.
// Deployed, it asserts that ECS reports the ECS controller with the BLUE_GREEN strategy and that the
// test endpoint answers; here it is verified from its snapshot (`npm run integ`).
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import { BlueGreenEcsService, DeploymentStrategy, TrafficRouting } from '../src';
import { integApp } from './support/integ-app';

const { app, stack, cluster, listener, testListener, taskDefinition } = integApp('cdk-ecs-blue-green-integ-alb-blue-green');
const service = new BlueGreenEcsService(stack, 'Web', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.applicationLoadBalancer({ listener, testListener, healthCheck: { path: '/' } }),
  strategy: DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(5) }),
  outputs: true,
});

const integ = new IntegTest(app, 'AlbBlueGreen', { testCases: [stack], diffAssets: false });
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [service.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [{ deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 } }],
  }));
integ.assertions.httpApiCall(service.testUrl!).expect(ExpectedResult.objectLike({ status: 200 }));
