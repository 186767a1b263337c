import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { CleanupPrecondition, IntegrationCheck } from './cleanup-precondition';
import { admitsGroup } from './load-balancer-access';
import { serviceRef } from './migration-context';
import { ApiGatewayRoutingOptions, MigrationPhase } from './migration-option';
import { replaceRefs } from './replace-refs';
import { movedIn, RoutingLayerPhase } from './routing-layer-phase';
import { BlueGreenValidationError } from '../errors';
import { refersTo } from '../private/same-ref';

/** The two load balancers and their production listeners, old and new. @internal */
export interface LoadBalancerSwitch {
  readonly oldLoadBalancer: elbv2.IApplicationLoadBalancer;
  readonly oldListener: elbv2.IApplicationListener;
  readonly newLoadBalancer: elbv2.ApplicationLoadBalancer;
  readonly newListener: elbv2.IApplicationListener;
  /** Whether this phase points the API at the new load balancer (CUTOVER, CLEANUP). */
  readonly moved: boolean;
  /** The phase; in ROLLBACK the checks that protect the move forward only warn. */
  readonly phase?: MigrationPhase;
}

/** What the migration needs from an API Gateway routing layer. @internal */
export interface ApiGatewaySwitched {
  /** The path of the API, for the plan. */
  readonly name: string;
  /** How many integrations point at the load balancers. */
  readonly count: number;
  /** What the CLEANUP check reads. */
  readonly checks: IntegrationCheck[];
}

/**
 * Option 3 with API Gateway: every integration of the API that names the old load balancer (its
 * DNS name, ARN or production listener) names the new one instead from CUTOVER on; the stage
 * is redeployed (HTTP APIs by `autoDeploy`, REST APIs by a new deployment). A VPC link's security
 * groups may reach the new load balancer's production port.
 * @internal
 */
export function switchApiGateway(scope: Construct, options: ApiGatewayRoutingOptions, lb: LoadBalancerSwitch): ApiGatewaySwitched {
  if ((options.httpApi === undefined) === (options.restApi === undefined)) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `RoutingLayer.apiGateway needs exactly one of httpApi and restApi, got ${options.httpApi && options.restApi ? 'both' : 'neither'}`);
  }
  const stack = Stack.of(scope);
  const oldCfnLb = lb.oldLoadBalancer.node.defaultChild as elbv2.CfnLoadBalancer;
  const newCfnLb = lb.newLoadBalancer.node.defaultChild as elbv2.CfnLoadBalancer;
  const pairs = [
    { from: lb.oldLoadBalancer.loadBalancerDnsName, to: lb.newLoadBalancer.loadBalancerDnsName },
    { from: oldCfnLb.attrDnsName, to: newCfnLb.attrDnsName },
    { from: lb.oldLoadBalancer.loadBalancerArn, to: lb.newLoadBalancer.loadBalancerArn },
    { from: lb.oldListener.listenerArn, to: lb.newListener.listenerArn },
  ].map((p) => ({ from: JSON.stringify(stack.resolve(p.from)), to: stack.resolve(p.to) }));
  const api = (options.httpApi ?? options.restApi)!;
  return options.httpApi ? httpApi(scope, options.httpApi, pairs, lb) : restApi(scope, options.restApi!, pairs, lb, api.node.path);
}

type Pairs = Array<{ from: string; to: unknown }>;

function httpApi(scope: Construct, api: apigwv2.IHttpApi, pairs: Pairs, lb: LoadBalancerSwitch): ApiGatewaySwitched {
  const stack = Stack.of(scope);
  const all = stack.node.findAll();
  const integrations = all.filter((c): c is apigwv2.CfnIntegration => c instanceof apigwv2.CfnIntegration && refersTo(c, c.apiId, stack, api.apiId))
    .map((integration) => ({ integration, ...replaceRefs(stack.resolve(integration.integrationUri), pairs) }))
    .filter((i) => i.hit);
  if (integrations.length === 0) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `the HTTP API ${api.node.path} has no integration that points at the old load balancer ${lb.oldLoadBalancer.node.path} ` +
      '(an HTTP proxy integration to its DNS name, or a private integration to its production listener)');
  }
  const stages = all.filter((c): c is apigwv2.CfnStage => c instanceof apigwv2.CfnStage && refersTo(c, c.apiId, stack, api.apiId));
  const manual = stages.filter((s) => stack.resolve(s.autoDeploy) !== true);
  if (stages.length === 0 || manual.length > 0) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `the stages of the HTTP API ${api.node.path} must deploy automatically (autoDeploy: true), so that CUTOVER and ROLLBACK take effect; ` +
      `${stages.length === 0 ? 'it has no stage' : `not so: ${manual.map((s) => s.node.path).join(', ')}`}`);
  }
  for (const i of integrations) {
    if (lb.moved) i.integration.integrationUri = Token.asString(i.value);
    allowVpcLink(scope, stack.resolve(i.integration.connectionId), lb);
  }
  return {
    name: api.node.path,
    count: integrations.length,
    checks: integrations.map((i) => ({
      api: 'HTTP', apiId: api.apiId, integrationId: i.integration.ref, expected: Token.asString(i.value),
    })),
  };
}

function restApi(scope: Construct, api: apigateway.RestApi, pairs: Pairs, lb: LoadBalancerSwitch, name: string): ApiGatewaySwitched {
  const stack = Stack.of(scope);
  const methods = stack.node.findAll()
    .filter((c): c is apigateway.CfnMethod => c instanceof apigateway.CfnMethod && refersTo(c, c.restApiId, stack, api.restApiId))
    .map((method) => ({ method, integration: stack.resolve(method.integration) as Record<string, unknown> | undefined }))
    .map((m) => ({ ...m, ...replaceRefs(m.integration, pairs) }))
    .filter((m) => m.hit);
  if (methods.length === 0) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `the REST API ${name} has no method whose integration points at the old load balancer ${lb.oldLoadBalancer.node.path} (its DNS name)`);
  }
  const deployment = api.latestDeployment;
  if (!deployment) {
    throw new BlueGreenValidationError(scope, 'option.routing',
      `the REST API ${name} must deploy itself (deploy: true, the default), so that CUTOVER and ROLLBACK redeploy its stage`);
  }
  refuseOtherDeployments(scope, api, deployment, name, lb.phase === MigrationPhase.ROLLBACK);
  for (const m of methods) {
    if (lb.moved) m.method.integration = m.value as apigateway.CfnMethod.IntegrationProperty;
    allowVpcLink(scope, m.integration?.connectionId, lb);
  }
  // A new deployment whenever the integrations change; none in PREPARE and ROLLBACK, whose API is the one from before.
  if (lb.moved) deployment.addToLogicalId({ 'cdk-ecs-blue-green:load-balancer': stack.resolve(lb.newLoadBalancer.loadBalancerDnsName) });
  return {
    name,
    count: methods.length,
    // Only CLEANUP reads the checks; ROLLBACK never refuses a method for the path the check would need.
    checks: lb.phase === MigrationPhase.ROLLBACK ? [] : methods.map((m) => ({
      api: 'REST',
      apiId: api.restApiId,
      path: resourcePath(scope, m.method, name),
      httpMethod: m.method.httpMethod,
      expected: Token.asString((m.value as { uri?: unknown }).uri),
    })),
  };
}

/**
 * Every stage of the REST API in this app serves `latestDeployment`, the one deployment CUTOVER and
 * ROLLBACK renew: a stage serves the deployment it names ("Deploy REST APIs in API Gateway", Amazon
 * API Gateway Developer Guide), so a stage on another deployment would stay on the old load balancer
 * after CUTOVER and the CLEANUP check would refuse. A deployment that names a stage itself
 * (`stageName`) is such a stage too.
 */
function refuseOtherDeployments(scope: Construct, api: apigateway.RestApi, deployment: apigateway.Deployment, name: string, rollback: boolean): void {
  const stack = Stack.of(scope);
  const latest = JSON.stringify(stack.resolve(deployment.deploymentId));
  const all = stack.node.findAll();
  const ofApi = (c: apigateway.CfnStage | apigateway.CfnDeployment) => refersTo(c, c.restApiId, stack, api.restApiId);
  const stages = all.filter((c): c is apigateway.CfnStage => c instanceof apigateway.CfnStage && ofApi(c))
    .filter((s) => JSON.stringify(stack.resolve(s.deploymentId)) !== latest);
  const deploying = all.filter((c): c is apigateway.CfnDeployment => c instanceof apigateway.CfnDeployment && ofApi(c))
    .filter((d) => d.stageName !== undefined && JSON.stringify(stack.resolve(d.ref)) !== latest);
  const others = [...stages, ...deploying];
  if (others.length === 0) return;
  const message = `the stages of the REST API ${name} must serve its latestDeployment, which CUTOVER and ROLLBACK redeploy (a stage on another deployment keeps ` +
    `the old load balancer); not so: ${others.map((c) => c.node.path).join(', ')}. Create them with deployment: api.latestDeployment, or remove them`;
  // A rollback must always be deployable: such a stage never left the old load balancer, so going back is safe.
  if (rollback) {
    Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:api-stage-other-deployment', message);
    return;
  }
  throw new BlueGreenValidationError(scope, 'option.routing', message);
}

/** The path of a REST method's resource, as a stage's export names it (`/`, `/items`). */
function resourcePath(scope: Construct, method: apigateway.CfnMethod, name: string): string {
  const owner = method.node.scope;
  if (owner instanceof apigateway.Method) return owner.resource.path;
  throw new BlueGreenValidationError(scope, 'option.routing',
    `the method ${method.node.path} of the REST API ${name} must be made with addMethod (aws-cdk-lib's Method), so that the CLEANUP check knows its path`);
}

/**
 * A VPC link (HTTP API) of this stack reaches the new load balancer's production port: the routing
 * layer's own access, kept even when the old load balancer's copied ingress does not name it
 * (once only when it does).
 */
function allowVpcLink(scope: Construct, connectionId: unknown, lb: LoadBalancerSwitch): void {
  const ref = (connectionId as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string') return;
  const stack = Stack.of(scope);
  const link = stack.node.findAll().find((c): c is apigwv2.CfnVpcLink => c instanceof apigwv2.CfnVpcLink && stack.getLogicalId(c) === ref);
  const groups = link ? stack.resolve(link.securityGroupIds) : undefined;
  if (!Array.isArray(groups)) return;
  const port = Stack.of(scope).resolve((lb.newListener.node.defaultChild as elbv2.CfnListener).port);
  groups.forEach((group, i) => {
    const id = `VpcLinkPeer${stack.getLogicalId(link!)}${i}`;
    if (scope.node.tryFindChild(id) || admitsGroup(lb.newLoadBalancer, stack.resolve(group), port)) return;
    const peer = ec2.SecurityGroup.fromSecurityGroupId(scope, id, Token.asString(group), { mutable: false });
    lb.newLoadBalancer.connections.allowFrom(peer, ec2.Port.tcp(port), 'API Gateway VPC link to the production listener');
  });
}

/**
 * Option 3 with API Gateway, one phase: switches the integrations, adds the CLEANUP check, and
 * returns the phase's plan.
 * @internal
 */
export function apiGatewayPhase(input: RoutingLayerPhase, options: ApiGatewayRoutingOptions): { plan: string[] } {
  const { scope, phase } = input;
  const api = switchApiGateway(scope, options, { ...input, moved: movedIn(phase) });
  if (phase === MigrationPhase.CLEANUP) {
    new CleanupPrecondition(scope, 'CleanupPrecondition', {
      service: serviceRef(input.service),
      integrations: api.checks,
    });
    input.removeOldPath();
  }
  const redeploy = options.httpApi ? 'its auto-deployed stages publish the change' : 'a new deployment of its stage publishes the change';
  return { plan: PLAN[phase]({ name: api.name, count: api.count, redeploy }) };
}

/** What the plan of option 3 with API Gateway names. */
interface PlanFacts {
  /** The path of the API. */
  readonly name: string;
  /** How many integrations point at the load balancers. */
  readonly count: number;
  /** How the API publishes the change. */
  readonly redeploy: string;
}

/** The steps of each phase of option 3 with API Gateway. */
const PLAN: { readonly [phase in MigrationPhase]: (f: PlanFacts) => string[] } = {
  [MigrationPhase.PREPARE]: (f) => [
    `This deploy adds a new load balancer with a new ECS blue/green service; ${f.name} keeps sending every request to the old load balancer ` +
      `(${f.count} integration(s) point at it).`,
    'Next: deploy CUTOVER, which points those integrations at the new load balancer (all traffic at once).',
  ],
  [MigrationPhase.CUTOVER]: (f) => [
    `This deploy points ${f.count} integration(s) of ${f.name} at the new load balancer; ${f.redeploy}: all requests move at once.`,
    'Verify: aws apigatewayv2 get-integrations (HTTP API) or, per stage, aws apigateway get-export --export-type oas30 --parameters extensions=integrations (REST API) shows the new load balancer; ' +
      'the new target groups serve requests; alarms stay OK.',
    'Rollback: deploy ROLLBACK (the integrations point at the old load balancer again). Next: deploy CLEANUP when stable.',
  ],
  [MigrationPhase.ROLLBACK]: (f) => [
    `This deploy points the integrations of ${f.name} at the old load balancer again (${f.redeploy}); the new path stays up for another try.`,
    'Verify: requests on the new load balancer drain to zero (RequestCount).',
  ],
  [MigrationPhase.CLEANUP]: (f) => [
    'This deploy deletes the old load balancer, its listeners and target groups, the old service and the CodeDeploy resources.',
    'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and what every stage of the API serves ' +
      'already points at the new load balancer.',
    `Verify: ${f.name} serves from the new load balancer only.`,
  ],
};
