// Integ test: BlueGreenEcsService behind an NLB (production and test listeners), LINEAR.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, DeploymentStrategy, TrafficRouting } from '../src';
import { integApp } from './support/integ-app';

const { app, stack, vpc, cluster, taskDefinition } = integApp('cdk-ecs-blue-green-integ-nlb-linear');
const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
NagSuppressions.addResourceSuppressions(nlb, [
  { id: 'AwsSolutions-ELB2', reason: 'Integ fixture NLB: access logs need a bucket the application owner chooses.' },
], true);
const service = new BlueGreenEcsService(stack, 'Tcp', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.networkLoadBalancer({
    listener: nlb.addListener('Production', { port: 80 }),
    testListener: nlb.addListener('Test', { port: 8080 }),
  }),
  strategy: DeploymentStrategy.linear({ stepPercent: 25, stepBakeTime: Duration.minutes(2) }),
});

const integ = new IntegTest(app, 'NlbLinear', { testCases: [stack], diffAssets: false });
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [service.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [{ deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25 } } }],
  }));
