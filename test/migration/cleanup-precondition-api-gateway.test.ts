import { APIGatewayClient, GetExportCommand, GetIntegrationCommand as GetRestIntegrationCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetIntegrationCommand, GetStagesCommand as GetHttpStagesCommand } from '@aws-sdk/client-apigatewayv2';
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
const restCheck: Check = { Type: 'IntegrationPointsTo', Api: 'REST', ApiId: 'r1', Path: '/', HttpMethod: 'ANY', Uri: 'http://new.elb.amazonaws.com/' };
/** What GetExport (oas30, extensions=integrations) returns for a stage whose deployment sends ANY / to `uri`. */
const exported = (uri: string, path = '/') => ({
  body: new TextEncoder().encode(JSON.stringify({
    openapi: '3.0.1',
    paths: { [path]: { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri } } } },
  })) as any,
});
const restStages = (...stages: Array<[string, string]>) => ({ item: stages.map(([stageName, deploymentId]) => ({ stageName, deploymentId })) });
const create = (...checks: Check[]) => handler({ RequestType: 'Create', ResourceProperties: { Checks: checks } });

beforeEach(() => {
  ecs.reset();
  http.reset();
  rest.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  ecs.on(DescribeServicesCommand, { cluster: 'prod', services: ['shop'] })
    .resolves({ services: [{ status: 'ACTIVE', deploymentController: { type: 'ECS' }, runningCount: 2, desiredCount: 2 } as Service] });
  http.on(GetHttpStagesCommand, { ApiId: 'a1' }).resolves({ Items: [{ StageName: '$default', AutoDeploy: true, DeploymentId: 'd9' }] });
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

  test('REST API: holds when every stage serves the method with the new load balancer, read from each stage\'s export', async () => {
    rest.on(GetStagesCommand, { restApiId: 'r1' }).resolves(restStages(['prod', 'd2'], ['beta', 'd2']));
    rest.on(GetExportCommand).resolves(exported('http://new.elb.amazonaws.com/'));
    await expect(create(onEcs, restCheck)).resolves.toBeDefined();
    expect(rest.commandCalls(GetExportCommand).map((c) => c.args[0].input)).toEqual(['prod', 'beta'].map((stageName) => ({
      restApiId: 'r1', stageName, exportType: 'oas30', accepts: 'application/json', parameters: { extensions: 'integrations' },
    })));
    // The API's working copy (what GetIntegration reads) is not what callers reach.
    expect(rest.commandCalls(GetRestIntegrationCommand)).toHaveLength(0);
  });

  test('REST API: fails when a stage on its own deployment still sends the method to the old load balancer, though the API itself points at the new one', async () => {
    rest.on(GetRestIntegrationCommand).resolves({ uri: 'http://new.elb.amazonaws.com/' });
    rest.on(GetStagesCommand, { restApiId: 'r1' }).resolves(restStages(['prod', 'd2'], ['legacy', 'd1']));
    rest.on(GetExportCommand, { stageName: 'prod' }).resolves(exported('http://new.elb.amazonaws.com/'));
    rest.on(GetExportCommand, { stageName: 'legacy' }).resolves(exported('http://old.elb.amazonaws.com/'));
    await expect(create(onEcs, { ...restCheck, ResourceId: 'res1' } as Check)).rejects.toThrow(
      'stage legacy of REST API r1 (deployment d1) still sends ANY / to http://old.elb.amazonaws.com/, not the new load balancer (http://new.elb.amazonaws.com/)');
  });

  test('REST API: fails when a stage does not serve the method at all, or the API has no stage', async () => {
    rest.on(GetStagesCommand, { restApiId: 'r1' }).resolves(restStages(['prod', 'd2']));
    rest.on(GetExportCommand).resolves(exported('http://new.elb.amazonaws.com/', '/other'));
    await expect(create(onEcs, restCheck)).rejects.toThrow(/stage prod of REST API r1 \(deployment d2\) does not serve ANY \//);
    rest.on(GetStagesCommand, { restApiId: 'r1' }).resolves({ item: [] });
    await expect(create(onEcs, restCheck)).rejects.toThrow(/REST API r1 has no stage/);
  });

  test('REST API: several methods share one stage list and one export per stage', async () => {
    rest.on(GetStagesCommand).resolves(restStages(['prod', 'd2']));
    rest.on(GetExportCommand).resolves(exported('http://new.elb.amazonaws.com/'));
    await expect(create(onEcs, restCheck, restCheck)).resolves.toBeDefined();
    expect(rest.commandCalls(GetStagesCommand)).toHaveLength(1);
    expect(rest.commandCalls(GetExportCommand)).toHaveLength(1);
  });

  test('HTTP API: fails when a stage does not deploy automatically (it keeps serving the deployment it names)', async () => {
    http.on(GetIntegrationCommand, { ApiId: 'a1', IntegrationId: 'i1' }).resolves({ IntegrationUri: NEW_LISTENER });
    http.on(GetHttpStagesCommand, { ApiId: 'a1' }).resolves({
      Items: [{ StageName: '$default', AutoDeploy: true, DeploymentId: 'd9' }, { StageName: 'pinned', AutoDeploy: false, DeploymentId: 'd1' }],
    });
    await expect(create(onEcs, httpCheck)).rejects.toThrow(/stage\(s\) pinned \(deployment d1\) of HTTP API a1 do not deploy automatically/);
  });

  test('an integration the API does not have fails the check, not the handler', async () => {
    // The mock answers only for another integration: this one reads as missing.
    http.on(GetIntegrationCommand, { ApiId: 'a1', IntegrationId: 'other' }).resolves({ IntegrationUri: NEW_LISTENER });
    await expect(create(onEcs, httpCheck)).rejects.toThrow(/integration i1 of HTTP API a1 points at nothing/);
  });
});
