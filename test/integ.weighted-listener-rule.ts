// Integ test: an ALB production listener whose catch-all rule forwards to a blue (weight 1) and a
// green (weight 0) target group, plus a header-matched test rule on the same listener.
// Verified from its snapshot by `npm run integ`; never deployed in CI.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { WeightedListenerRule } from '../src';
import { applyNag } from './support/nag';

const app = new App();
const stack = new Stack(app, 'cdk-ecs-blue-green-integ-weighted-rule');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
const listener = alb.addListener('Http', {
  port: 80,
  open: false,
  defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' }),
});
const tgProps: elbv2.ApplicationTargetGroupProps = {
  vpc,
  port: 80,
  protocol: elbv2.ApplicationProtocol.HTTP,
  targetType: elbv2.TargetType.IP,
  healthCheck: { path: '/health' },
};
const blue = new elbv2.ApplicationTargetGroup(stack, 'Blue', tgProps);
const green = new elbv2.ApplicationTargetGroup(stack, 'Green', tgProps);

new WeightedListenerRule(stack, 'Production', { listener, blueTargetGroup: blue, greenTargetGroup: green });
new WeightedListenerRule(stack, 'Test', {
  listener,
  blueTargetGroup: blue,
  greenTargetGroup: green,
  priority: 10,
  conditions: [elbv2.ListenerCondition.httpHeader('X-Test-Traffic', ['true'])],
});

NagSuppressions.addResourceSuppressions(vpc, [
  { id: 'AwsSolutions-VPC7', reason: 'Integ fixture VPC: flow logs are the user\'s choice, not part of this library.' },
], true);
NagSuppressions.addResourceSuppressions(alb, [
  { id: 'AwsSolutions-ELB2', reason: 'Integ fixture ALB: access logs need a user-owned bucket, not part of this library.' },
], true);
applyNag(stack);

new IntegTest(app, 'WeightedListenerRule', { testCases: [stack], diffAssets: false });
