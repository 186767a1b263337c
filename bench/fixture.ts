// What every benchmark app starts from: one VPC, cluster and ALB with a production and a test
// listener, shared by all N services (as in a real platform stack).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

export interface BenchFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly listener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
}

export function benchFixture(outdir: string): BenchFixture {
  // The 500-resource check is lifted so that N = 50 can be measured for both implementations;
  // the report computes how many services fit under the limit.
  const app = new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const notFound = elbv2.ListenerAction.fixedResponse(404);
  const listener = alb.addListener('Prod', { port: 80, defaultAction: notFound });
  const testListener = alb.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false });
  return { app, stack, vpc, cluster, listener, testListener };
}

/** One service's task definition: a `web` container on port 80 with awslogs. */
export function serviceTaskDefinition(stack: Stack, id: string): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { cpu: 256, memoryLimitMiB: 512 });
  taskDefinition.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    portMappings: [{ containerPort: 80, name: 'web' }],
  });
  return taskDefinition;
}
