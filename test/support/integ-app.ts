// Shared pieces of the integ tests: an app with one stack holding a VPC, a cluster, an internal
// ALB (production :80, test :9000) and a Fargate task definition, cdk-nag applied.
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { applyNag } from './nag';

export interface IntegApp {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly taskDefinition: ecs.FargateTaskDefinition;
}

export function integApp(stackName: string): IntegApp {
  const app = new App();
  const stack = new Stack(app, stackName);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' });
  const listener = alb.addListener('Production', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound });
  const testListener = alb.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDef', { cpu: 256, memoryLimitMiB: 512 });
  taskDefinition.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    portMappings: [{ containerPort: 80, name: 'web' }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
  });
  NagSuppressions.addResourceSuppressions(vpc, [
    { id: 'AwsSolutions-VPC7', reason: 'Integ fixture VPC: flow logs are the application owner\'s choice, not part of this library.' },
  ], true);
  NagSuppressions.addResourceSuppressions(alb, [
    { id: 'AwsSolutions-ELB2', reason: 'Integ fixture ALB: access logs need a bucket the application owner chooses.' },
    { id: 'AwsSolutions-EC23', reason: 'Integ fixture ALB: the integ test calls the public endpoints over HTTP from outside the VPC.' },
  ], true);
  NagSuppressions.addResourceSuppressions(taskDefinition, [
    { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib task execution role: log stream wildcard generated for the awslogs driver.' },
  ], true);
  applyNag(stack);
  return { app, stack, vpc, cluster, alb, listener, testListener, taskDefinition };
}
