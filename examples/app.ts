// The example app of the README: an ALB production listener with a weighted blue/green rule.
// `npm run example` synthesizes it into examples/cdk.out and prints a summary.
import { App, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { WeightedListenerRule } from '../src';

/** One web service's traffic path: ALB, blue and green target groups, the weighted rule. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true });
    const listener = alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' }),
    });
    const tg = (id_: string) => new elbv2.ApplicationTargetGroup(this, id_, {
      vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
    });
    new WeightedListenerRule(this, 'Production', { listener, blueTargetGroup: tg('Blue'), greenTargetGroup: tg('Green') });

    NagSuppressions.addResourceSuppressions(vpc, [
      { id: 'AwsSolutions-VPC7', reason: 'Example VPC: flow logs are the application owner\'s choice.' },
    ], true);
    NagSuppressions.addResourceSuppressions(alb, [
      { id: 'AwsSolutions-ELB2', reason: 'Example ALB: access logs need a bucket the application owner chooses.' },
      { id: 'AwsSolutions-EC23', reason: 'Example ALB: a public web endpoint accepts 0.0.0.0/0 on port 80 by design.' },
    ], true);
  }
}

/** Builds the example app, with cdk-nag's AwsSolutions checks applied to every stack. */
export function buildExampleApp(outdir: string): App {
  const app = new App({ outdir });
  new ExampleStack(app, 'EcsBlueGreenExample');
  Aspects.of(app).add(new AwsSolutionsChecks());
  return app;
}
