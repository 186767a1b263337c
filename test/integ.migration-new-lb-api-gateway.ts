// Integ test: CodeDeployToEcsMigration option 3 with an API Gateway HTTP API as routing layer, one stack per phase.
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { MigrationOption, RoutingLayer } from '../src';
import { migrationInteg } from './support/integ-migration';

migrationInteg('new-lb-api-gateway', (stack) => {
  const alb = stack.node.findChild('Alb') as elbv2.ApplicationLoadBalancer;
  // The user's HTTP API: its default route proxies every request to the old load balancer.
  const httpApi = new apigwv2.HttpApi(stack, 'Api', {
    defaultIntegration: new integrations.HttpUrlIntegration('Shop', `http://${alb.loadBalancerDnsName}`),
  });
  NagSuppressions.addResourceSuppressions(httpApi, [
    { id: 'AwsSolutions-APIG1', reason: 'Integ fixture API: access logging is the application owner\'s choice.' },
    { id: 'AwsSolutions-APIG4', reason: 'Integ fixture API: the shop is public, as before the migration.' },
  ], true);
  return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.apiGateway({ httpApi }) });
});
