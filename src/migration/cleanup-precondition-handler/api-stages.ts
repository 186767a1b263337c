// The CLEANUP check of option 3 with API Gateway, per stage (run by cleanup-precondition.lambda.ts).
// What an API serves is what its stages serve, not the API's own configuration:
// - REST API: GetIntegration reads the API as it is being edited; callers reach a change only once
//   a deployment holding it is associated with their stage, and each stage names its own deployment
//   ("Deploy REST APIs in API Gateway", "Create a deployment for a REST API in API Gateway", Amazon
//   API Gateway Developer Guide). GetDeployment's only embed, `apisummary`, gives each method's
//   authorization type and API key requirement, no integration ("GetDeployment", Amazon API Gateway
//   REST API Reference). GetExport exports the API as deployed to one stage, with its
//   x-amazon-apigateway-integration extensions when asked with `extensions=integrations`
//   ("GetExport", same reference); an ANY method is the path's `x-amazon-apigateway-any-method`
//   ("x-amazon-apigateway-any-method object", Developer Guide). So the check reads every stage
//   (GetStages) and each stage's export.
// - HTTP API: a change is live once deployed; a stage with automatic deployment releases changes
//   by itself, any other stage keeps the deployment it names ("Stages for HTTP APIs in API
//   Gateway", Developer Guide). So every stage (GetStages) must deploy automatically.
import { APIGatewayClient, GetExportCommand, GetStagesCommand, Stage } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetStagesCommand as GetHttpStagesCommand, Stage as HttpStage } from '@aws-sdk/client-apigatewayv2';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** One REST method whose integration every stage must serve with the new load balancer's URI. */
export interface RestStageCheck {
  ApiId: string;
  /** The method's resource path (`/`, `/items/{proxy+}`), as a stage's export names it. */
  Path: string;
  HttpMethod: string;
  Uri: string;
}

/** Reads shared by the checks of one handler run: one stage list and one export per stage. */
export type ReadCache = Map<string, Promise<unknown>>;

function once<T>(cache: ReadCache, key: string, make: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as Promise<T>;
}

/** The OpenAPI operation key of a REST method. */
function operationKey(httpMethod: string): string {
  return httpMethod.toUpperCase() === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
}

async function stageExport(apigw: APIGatewayClient, apiId: string, stage: string, call: Call): Promise<Record<string, any> | string> {
  const out = await call(() => apigw.send(new GetExportCommand({
    restApiId: apiId, stageName: stage, exportType: 'oas30', accepts: 'application/json', parameters: { extensions: 'integrations' },
  })));
  try {
    return JSON.parse(Buffer.from(out.body ?? new Uint8Array()).toString('utf8'));
  } catch {
    return `the export of stage ${stage} of REST API ${apiId} is not JSON`;
  }
}

/** The failure of the REST check, or undefined when every stage serves the method with `Uri`. */
export async function restStagesPointTo(apigw: APIGatewayClient, check: RestStageCheck, cache: ReadCache, call: Call): Promise<string | undefined> {
  const stages = await once(cache, `rest-stages ${check.ApiId}`,
    async () => (await call(() => apigw.send(new GetStagesCommand({ restApiId: check.ApiId })))).item ?? []) as Stage[];
  const which = `${check.HttpMethod} ${check.Path}`;
  if (stages.length === 0) return `REST API ${check.ApiId} has no stage, so nothing shows which load balancer ${which} is served from`;
  const failures: string[] = [];
  for (const stage of stages) {
    const name = stage.stageName ?? '';
    const doc = await once(cache, `rest-export ${check.ApiId} ${name}`, () => stageExport(apigw, check.ApiId, name, call));
    const served = `stage ${name} of REST API ${check.ApiId} (deployment ${stage.deploymentId ?? 'none'})`;
    if (typeof doc === 'string') {
      failures.push(doc);
      continue;
    }
    const operation = doc.paths?.[check.Path]?.[operationKey(check.HttpMethod)];
    const uri: unknown = operation?.['x-amazon-apigateway-integration']?.uri;
    if (!operation) {
      failures.push(`${served} does not serve ${which}, so the check cannot tell where it sends it: deploy the API to that stage (or delete the stage), then try CLEANUP again`);
    } else if (uri !== check.Uri) {
      failures.push(`${served} still sends ${which} to ${typeof uri === 'string' ? uri : 'nothing'}, not the new load balancer (${check.Uri}): ` +
        'a stage serves the deployment it names, so deploy the API to that stage (or delete the stage), then try CLEANUP again');
    }
  }
  return failures.length > 0 ? failures.join('; ') : undefined;
}

/** The failure of the HTTP API stage check, or undefined when every stage of the API deploys automatically. */
export async function httpStagesAutoDeploy(apigwv2: ApiGatewayV2Client, apiId: string, cache: ReadCache, call: Call): Promise<string | undefined> {
  const stages = await once(cache, `http-stages ${apiId}`, async () => {
    const all: HttpStage[] = [];
    let token: string | undefined;
    do {
      const page = await call(() => apigwv2.send(new GetHttpStagesCommand({ ApiId: apiId, NextToken: token })));
      all.push(...(page.Items ?? []));
      token = page.NextToken;
    } while (token);
    return all;
  });
  const manual = stages.filter((s) => s.AutoDeploy !== true);
  if (manual.length === 0) return undefined;
  return `stage(s) ${manual.map((s) => `${s.StageName} (deployment ${s.DeploymentId ?? 'none'})`).join(', ')} of HTTP API ${apiId} do not deploy automatically, ` +
    'so they may still serve a deployment that points at the old load balancer: deploy the API to them (or delete them), then try CLEANUP again';
}
