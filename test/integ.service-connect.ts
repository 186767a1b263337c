// Integ test: a Service Connect blue/green service with a test-traffic header rule, and a headless
// queue worker (no routing) deployed blue/green in the same cluster.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, DeploymentStrategy, TrafficRouting } from '../src';
import { integApp } from './support/integ-app';

const { app, stack, cluster, taskDefinition } = integApp('cdk-ecs-blue-green-integ-service-connect');
cluster.addDefaultCloudMapNamespace({ name: 'shop.internal', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true });

const api = new BlueGreenEcsService(stack, 'Api', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.serviceConnect({ portMappingName: 'web', dnsName: 'api', testTrafficHeader: { name: 'x-green', value: 'yes' } }),
});

const workerTask = new ecs.FargateTaskDefinition(stack, 'WorkerTask', { cpu: 256, memoryLimitMiB: 512 });
workerTask.addContainer('worker', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.36'),
  command: ['sh', '-c', 'while true; do sleep 60; done'],
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker' }),
});
NagSuppressions.addResourceSuppressions(workerTask, [
  { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib task execution role: log stream wildcard generated for the awslogs driver.' },
], true);
const worker = new BlueGreenEcsService(stack, 'Worker', {
  cluster,
  taskDefinition: workerTask,
  routing: TrafficRouting.none(),
  strategy: DeploymentStrategy.blueGreen(),
});

const integ = new IntegTest(app, 'ServiceConnect', { testCases: [stack], diffAssets: false });
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [api.service.serviceArn, worker.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [
      { deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'BLUE_GREEN' } },
      { deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'BLUE_GREEN' } },
    ],
  }));
