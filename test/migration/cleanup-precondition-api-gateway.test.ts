import { APIGatewayClient, GetIntegrationCommand as GetRestIntegrationCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetIntegrationCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeServicesCommand, ECSClient, Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { Check, handler } from '../../src/migration/cleanup-precondition.lambda';

const ecs = mockClient(ECSClient);
const http = mockClient(ApiGatewayV2Client);
const rest = mockClient(APIGatewayClient);

const NEW_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/new/1/2';
const OLD_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/old/3/4';
const onEcs: Check = { Type: 'ServiceOnEcs', Cluster: 'prod', Service: 'shop' };
const httpCheck: Check = { Type: 'IntegrationPointsTo', Api: 'HTTP', ApiId: 'a1', IntegrationId: 'i1', Uri: NEW_LISTENER };
const restCheck: Check = { Type: 'IntegrationPointsTo', Api: 'REST', ApiId: 'r1', ResourceId: 'res1', HttpMethod: 'ANY', Uri: 'http://new.elb.amazonaws.com/' };
const create = (...checks: Check[]) => handler({ RequestType: 'Create', ResourceProperties: { Checks: checks } });

beforeEach(() => {
  ecs.reset();
  http.reset();
  rest.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  ecs.on(DescribeServicesCommand, { cluster: 'prod', services: ['shop'] })
    .resolves({ services: [{ status: 'ACTIVE', deploymentController: { type: 'ECS' }, runningCount: 2, desiredCount: 2 } as Service] });
});
afterEach(() => jest.restoreAllMocks());

describe('CLEANUP precondition: API Gateway integrations', () => {
  test('HTTP API: holds when the live integration names the new listener, fails naming both when it names the old one', async () => {
    http.on(GetIntegrationCommand, { ApiId: 'a1', IntegrationId: 'i1' }).resolves({ IntegrationUri: NEW_LISTENER });
    await expect(create(onEcs, httpCheck)).resolves.toBeDefined();
    http.on(GetIntegrationCommand, { ApiId: 'a1', IntegrationId: 'i1' }).resolves({ IntegrationUri: OLD_LISTENER });
    await expect(create(onEcs, httpCheck)).rejects.toThrow(
      `integration i1 of HTTP API a1 points at ${OLD_LISTENER}, not the new load balancer (${NEW_LISTENER}): deploy CUTOVER first`);
  });

  test("REST API: reads the method's integration by API, resource and verb", async () => {
    rest.on(GetRestIntegrationCommand, { restApiId: 'r1', resourceId: 'res1', httpMethod: 'ANY' }).resolves({ uri: 'http://new.elb.amazonaws.com/' });
    await expect(create(onEcs, restCheck)).resolves.toBeDefined();
    rest.on(GetRestIntegrationCommand, { restApiId: 'r1', resourceId: 'res1', httpMethod: 'ANY' }).resolves({ uri: 'http://old.elb.amazonaws.com/' });
    await expect(create(onEcs, restCheck)).rejects.toThrow(/ANY integration of resource res1 of REST API r1 points at http:\/\/old.elb.amazonaws.com\/, not the new load balancer/);
  });

  test('an integration the API does not have fails the check, not the handler', async () => {
    // The mock answers only for another integration: this one reads as missing.
    http.on(GetIntegrationCommand, { ApiId: 'a1', IntegrationId: 'other' }).resolves({ IntegrationUri: NEW_LISTENER });
    await expect(create(onEcs, httpCheck)).rejects.toThrow(/integration i1 of HTTP API a1 points at nothing/);
  });
});
