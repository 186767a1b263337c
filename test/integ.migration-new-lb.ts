// Integ test: CodeDeployToEcsMigration option 3 (new service, new load balancer, Route 53 weighted), one stack per phase.
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MigrationOption, RoutingLayer } from '../src';
import { migrationInteg } from './support/integ-migration';

migrationInteg('new-lb', (stack) => MigrationOption.newServiceNewLoadBalancer({
  routing: RoutingLayer.route53Weighted({
    zone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'shop.example.com' }),
    recordName: 'www',
  }),
}));
