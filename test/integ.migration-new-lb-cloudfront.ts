// Integ test: CodeDeployToEcsMigration option 3 with a CloudFront origin as routing layer, one stack per phase.
// The old load balancer admits only CloudFront's origin-facing servers (the managed prefix list
// com.amazonaws.global.cloudfront.origin-facing, pl-3b927c52 in us-east-1, where this test runs);
// the new one must admit the same and nobody else.
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { MigrationOption, RoutingLayer } from '../src';
import { migrationInteg } from './support/integ-migration';

migrationInteg('new-lb-cloudfront', (stack) => {
  const alb = stack.node.findChild('Alb') as elbv2.ApplicationLoadBalancer;
  alb.connections.allowFrom(ec2.Peer.prefixList('pl-3b927c52'), ec2.Port.tcp(80), 'CloudFront origin-facing servers');
  const distribution = new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: { origin: new origins.LoadBalancerV2Origin(alb, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
  });
  NagSuppressions.addResourceSuppressions(distribution, ['CFR1', 'CFR2', 'CFR3', 'CFR4', 'CFR5'].map((id) => ({
    id: `AwsSolutions-${id}`, reason: 'Integ fixture distribution: geo restriction, WAF, logging, viewer and origin TLS policies are the application owner\'s choice.',
  })));
  return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.cloudFrontOrigin({ distribution }) });
}, {}, { openProduction: false });
