// Integ test: one BlueGreenEcsService behind an internet-facing ALB (production + test listener)
// and an internal ALB (additionalRouting), BLUE_GREEN. One ECS deployment shifts both.
// Deployed, it asserts that ECS reports both load balancer entries, each with its alternate target
// group, production rule and the shared infrastructure role, and that both production endpoints
// answer; here it is verified from its snapshot (`npm run integ`).
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, TrafficRouting } from '../src';
import { integApp } from './support/integ-app';

const { app, stack, vpc, cluster, listener, testListener, taskDefinition } = integApp('cdk-ecs-blue-green-integ-two-albs');
const internalAlb = new elbv2.ApplicationLoadBalancer(stack, 'InternalAlb', { vpc, internetFacing: false });
NagSuppressions.addResourceSuppressions(internalAlb, [
  { id: 'AwsSolutions-ELB2', reason: 'Integ fixture ALB: access logs need a bucket the application owner chooses.' },
], true);
const internalListener = internalAlb.addListener('Http', {
  port: 80,
  protocol: elbv2.ApplicationProtocol.HTTP,
  open: false,
  defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' }),
});
internalListener.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'), 'clients inside the VPC');

const service = new BlueGreenEcsService(stack, 'Web', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.applicationLoadBalancer({ listener, testListener, healthCheck: { path: '/' } }),
  additionalRouting: {
    Internal: TrafficRouting.applicationLoadBalancer({ listener: internalListener, healthCheck: { path: '/' } }),
  },
  outputs: true,
});
const internal = service.additionalExposures.Internal;

const integ = new IntegTest(app, 'TwoAlbs', { testCases: [stack], diffAssets: false });
// ECS accepted two load balancer entries with their own AdvancedConfiguration under BLUE_GREEN.
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [service.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [{
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: { strategy: 'BLUE_GREEN' },
      loadBalancers: Match.arrayWith([
        Match.objectLike({
          targetGroupArn: service.blueTargetGroup!.targetGroupArn,
          advancedConfiguration: Match.objectLike({ alternateTargetGroupArn: service.greenTargetGroup!.targetGroupArn }),
        }),
        Match.objectLike({
          targetGroupArn: internal.blueTargetGroup.targetGroupArn,
          advancedConfiguration: Match.objectLike({ alternateTargetGroupArn: internal.greenTargetGroup.targetGroupArn }),
        }),
      ]),
    }],
  }));
// Tasks are registered in the internal blue target group too (the case that used to get none).
integ.assertions.awsApiCall('ELBv2', 'describeTargetHealth', { TargetGroupArn: internal.blueTargetGroup.targetGroupArn })
  .expect(ExpectedResult.objectLike({ TargetHealthDescriptions: Match.arrayWith([Match.objectLike({ TargetHealth: { State: 'healthy' } })]) }));
integ.assertions.httpApiCall(service.productionUrl!).expect(ExpectedResult.objectLike({ status: 200 }));
