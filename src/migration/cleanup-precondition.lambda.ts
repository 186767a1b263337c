// Custom resource handler: the precondition of a migration's CLEANUP deploy. It runs before the
// deploy deletes the CodeDeploy path and fails the deploy (so CloudFormation rolls it back, and
// deletes nothing) unless production traffic no longer depends on that path.
//
// Properties: { Checks: Check[] }, each check one of
//   { Type: 'ServiceOnEcs', Cluster, Service }            the service runs on the ECS controller, with running tasks
//   { Type: 'RuleForwardsTo', ListenerArn, RuleArn, TargetGroups: [arn, arn] }  the rule forwards only to these target groups
//   { Type: 'ListenerOnPort', ListenerArn, Port }         the (new) production listener holds the production port
//   { Type: 'RecordDrained', HostedZoneId, RecordName, SetIdentifier, RecordTypes }  the old weighted records are found and get
//     no traffic (weight 0, another record of their group above 0, no other record of the name on the old target): cleanup-precondition-handler/record-drained.ts
//   { Type: 'OriginPointsTo', StackId, DistributionLogicalId, OriginId, DomainName }  the CloudFront origin already points at
//     the new load balancer (the distribution is found by its logical ID: it waits for this check, so it cannot be referenced)
//   { Type: 'IntegrationPointsTo', Api: 'HTTP' | 'REST', ApiId, IntegrationId | Path + HttpMethod, Uri }  what the API's stages
//     serve already has the new load balancer's URI: HTTP API, the integration and every stage deploying automatically; REST API,
//     the method in every stage's deployment (cleanup-precondition-handler/api-stages.ts)
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetIntegrationCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { Action, DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { httpStagesAutoDeploy, ReadCache, restStagesPointTo } from './cleanup-precondition-handler/api-stages';
import { normalizeDnsName, recordDrained, RecordDrainedCheck } from './cleanup-precondition-handler/record-drained';
import { decodePinState, describePin, encodePinState, nextPinState, PinProperties } from './pin-state';
import { logRetry, paged } from '../private/paging';
import { handlerClientConfig, withRetry } from '../private/retry';

export type Check =
  | { Type: 'ServiceOnEcs'; Cluster: string; Service: string }
  | { Type: 'RuleForwardsTo'; ListenerArn: string; RuleArn: string; TargetGroups: string[] }
  | { Type: 'ListenerOnPort'; ListenerArn: string; Port: string | number }
  | RecordDrainedCheck
  | { Type: 'OriginPointsTo'; StackId: string; DistributionLogicalId: string; OriginId: string; DomainName: string }
  | { Type: 'IntegrationPointsTo'; Api: 'HTTP' | 'REST'; ApiId: string; IntegrationId?: string; Path?: string; HttpMethod?: string; Uri: string }
  | ProductionLiveCheck;

/**
 * Option 1, CUTOVER and ROLLBACK: which target group is live. CodeDeploy alternates the two, so
 * the `blueTargetGroup` of the app may be idle. CUTOVER (no RulePriority): the production
 * listener's default action must forward to Blue, as the weighted rule it creates starts at
 * blue 1 / green 0. ROLLBACK (RulePriority): where the weighted rule (found by listener, priority
 * and its two target groups) sends production must be where the listener's default action, which
 * production falls back to once the rule is gone, forwards.
 */
export interface ProductionLiveCheck {
  Type: 'ProductionLive';
  ListenerArn: string;
  Blue: string;
  Green: string;
  /** Construct paths of the two target groups, for the message. */
  BlueName: string;
  GreenName: string;
  RulePriority?: string | number;
}

export interface PreconditionEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  /** Refusal: the phase the checks guard, for the message (default CLEANUP). */
  ResourceProperties: { Checks?: Check[]; TaskDefinitionPin?: PinProperties; Refusal?: 'CUTOVER' | 'ROLLBACK' | 'CLEANUP' };
  OldResourceProperties?: { Checks?: Check[]; TaskDefinitionPin?: PinProperties };
  PhysicalResourceId?: string;
}

export interface PreconditionResult {
  PhysicalResourceId: string;
  /** The pin resource's answer: `TaskDefinitionArn`. */
  Data?: { TaskDefinitionArn: string };
}

const PHYSICAL_ID = 'ecs-blue-green-cleanup-precondition';
const ecs = new ECSClient(handlerClientConfig());
const elbv2 = new ElasticLoadBalancingV2Client(handlerClientConfig());
const route53 = new Route53Client(handlerClientConfig());
const cloudfront = new CloudFrontClient(handlerClientConfig());
const cloudformation = new CloudFormationClient(handlerClientConfig());
const apigwv2 = new ApiGatewayV2Client(handlerClientConfig());
const apigw = new APIGatewayClient(handlerClientConfig());

export async function handler(event: PreconditionEvent): Promise<PreconditionResult> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
  const pin = event.ResourceProperties?.TaskDefinitionPin;
  if (pin) return pinTaskDefinition(event, pin);
  const checks = event.ResourceProperties?.Checks ?? [];
  const failures: string[] = [];
  const context: RunContext = { reads: new Map(), checkedBefore: checkedBefore(event) };
  for (const check of checks) {
    const failure = await run(check, context);
    console.log(JSON.stringify({ check: check.Type, ok: failure === undefined, failure }));
    // Checks of one API report the same stage once.
    if (failure && !failures.includes(failure)) failures.push(failure);
  }
  if (checks.length === 0) failures.push('no checks were given');
  const refusal = event.ResourceProperties?.Refusal ?? 'CLEANUP';
  if (failures.length > 0 && refusal !== 'CLEANUP') {
    throw new Error(`${refusal} refused before any traffic moved: ${failures.join('; ')}. Nothing was changed; CloudFormation rolls this deploy back.`);
  }
  if (failures.length > 0) {
    throw new Error(`CLEANUP refused, production traffic may still depend on the CodeDeploy path: ${failures.join('; ')}. ` +
      'Deploy CUTOVER (or fix the live state) and try CLEANUP again; nothing was deleted.');
  }
  return { PhysicalResourceId: PHYSICAL_ID };
}

/**
 * The in-place migration's task definition (see pin-state.ts): no API call, the state is the
 * physical ID. A changed answer changes the physical ID; CloudFormation then sends a Delete for
 * the old one, which deletes nothing.
 */
function pinTaskDefinition(event: PreconditionEvent, pin: PinProperties): PreconditionResult {
  if (typeof pin.Running !== 'string' || typeof pin.Template !== 'string' || !pin.Running || !pin.Template) {
    throw new Error(`TaskDefinitionPin needs Running and Template task definition ARNs, got ${JSON.stringify(pin)}`);
  }
  const old = event.RequestType === 'Update' ? decodePinState(event.PhysicalResourceId) : undefined;
  const state = nextPinState(pin, { props: event.OldResourceProperties?.TaskDefinitionPin, state: old });
  console.log(JSON.stringify({ pin: describePin(pin, state, old === undefined), taskDefinition: state.last }));
  return { PhysicalResourceId: encodePinState(state), Data: { TaskDefinitionArn: state.last } };
}

/** What the checks of one handler run share. */
interface RunContext {
  /** Reads of API Gateway stages and exports, made once per run. */
  readonly reads: ReadCache;
  /** Whether the resource's previous properties held the same Route 53 check (see checkedBefore). */
  readonly checkedBefore: (check: RecordDrainedCheck) => boolean;
}

/**
 * An Update of this resource comes after a deploy that created it and succeeded (a CLEANUP whose
 * Create failed is rolled back and deletes it): that deploy passed the checks, then deleted the old
 * weighted record. The Route 53 check of the same record then holds without finding it.
 */
function checkedBefore(event: PreconditionEvent): (check: RecordDrainedCheck) => boolean {
  const before = event.RequestType === 'Update' ? (event.OldResourceProperties?.Checks ?? []) : [];
  return (check) => before.some((c) => c.Type === 'RecordDrained' && c.HostedZoneId === check.HostedZoneId
    && c.SetIdentifier === check.SetIdentifier && normalizeDnsName(c.RecordName) === normalizeDnsName(check.RecordName));
}

async function run(check: Check, context: RunContext): Promise<string | undefined> {
  switch (check.Type) {
    case 'ServiceOnEcs': {
      const out = await call(() => ecs.send(new DescribeServicesCommand({ cluster: check.Cluster, services: [check.Service] })));
      const service = out.services?.[0];
      if (!service || service.status !== 'ACTIVE') return `service ${check.Service} is not active`;
      const controller = service.deploymentController?.type ?? 'ECS';
      if (controller !== 'ECS') return `service ${check.Service} is still on the ${controller} deployment controller`;
      if ((service.runningCount ?? 0) === 0 && (service.desiredCount ?? 0) > 0) return `service ${check.Service} has no running task`;
      return undefined;
    }
    case 'RuleForwardsTo': {
      const out = await call(() => elbv2.send(new DescribeRulesCommand({ RuleArns: [check.RuleArn] })));
      const rule = out.Rules?.[0];
      if (!rule) return `listener rule ${check.RuleArn} does not exist`;
      const forwarded = liveTargetGroups(rule.Actions);
      const elsewhere = forwarded.filter((arn) => !check.TargetGroups.includes(arn));
      if (forwarded.length === 0) return `listener rule ${check.RuleArn} forwards to no target group`;
      if (elsewhere.length > 0) return `listener rule ${check.RuleArn} still forwards to ${elsewhere.join(', ')}`;
      return undefined;
    }
    case 'ListenerOnPort': {
      const out = await call(() => elbv2.send(new DescribeListenersCommand({ ListenerArns: [check.ListenerArn] })));
      const port = out.Listeners?.[0]?.Port;
      if (String(port) !== String(check.Port)) return `the new production listener is on port ${port ?? 'none'}, not ${check.Port}: the port swap (CUTOVER) has not happened`;
      return undefined;
    }
    case 'RecordDrained':
      return recordDrained(route53, check, context.checkedBefore(check), call);
    case 'OriginPointsTo': {
      const resource = await call(() => cloudformation.send(new DescribeStackResourceCommand({
        StackName: check.StackId, LogicalResourceId: check.DistributionLogicalId,
      })));
      const id = resource.StackResourceDetail?.PhysicalResourceId;
      if (!id) return `distribution ${check.DistributionLogicalId} is not in the stack`;
      const out = await call(() => cloudfront.send(new GetDistributionConfigCommand({ Id: id })));
      const origin = out.DistributionConfig?.Origins?.Items?.find((o) => o.Id === check.OriginId);
      if (!origin) return `origin ${check.OriginId} of distribution ${id} does not exist`;
      if (origin.DomainName?.toLowerCase() !== check.DomainName.toLowerCase()) {
        return `origin ${check.OriginId} of distribution ${id} still points at ${origin.DomainName}: deploy CUTOVER first`;
      }
      return undefined;
    }
    case 'IntegrationPointsTo': {
      if (check.Api === 'REST') {
        if (!check.Path || !check.HttpMethod) return `REST API check ${JSON.stringify(check)} needs Path and HttpMethod`;
        return restStagesPointTo(apigw, { ApiId: check.ApiId, Path: check.Path, HttpMethod: check.HttpMethod, Uri: check.Uri }, context.reads, call);
      }
      const integration = await call(() => apigwv2.send(new GetIntegrationCommand({ ApiId: check.ApiId, IntegrationId: check.IntegrationId })));
      const uri = integration?.IntegrationUri;
      if (uri !== check.Uri) {
        return `integration ${check.IntegrationId} of HTTP API ${check.ApiId} points at ${uri ?? 'nothing'}, not the new load balancer (${check.Uri}): deploy CUTOVER first`;
      }
      return httpStagesAutoDeploy(apigwv2, check.ApiId, context.reads, call);
    }
    case 'ProductionLive':
      return productionLive(check);
    default:
      return `unknown check ${JSON.stringify(check)}`;
  }
}

/** The target groups an action list forwards to with a weight above 0 (a plain forward counts as weight 1). */
function liveTargetGroups(actions: Action[] | undefined): string[] {
  const groups = (actions ?? []).flatMap((a) => [
    ...(a.TargetGroupArn && !a.ForwardConfig?.TargetGroups?.length ? [{ arn: a.TargetGroupArn, weight: 1 }] : []),
    ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 })),
  ]).filter((g) => g.weight > 0).map((g) => g.arn);
  return [...new Set(groups)];
}

async function productionLive(check: ProductionLiveCheck): Promise<string | undefined> {
  const name = (arn: string) => (arn === check.Blue ? `${arn} (blueTargetGroup ${check.BlueName})` : arn === check.Green ? `${arn} (greenTargetGroup ${check.GreenName})` : arn);
  const names = (arns: string[]) => (arns.length === 0 ? 'no target group' : arns.map(name).join(' and '));
  const out = await call(() => elbv2.send(new DescribeListenersCommand({ ListenerArns: [check.ListenerArn] })));
  const listener = out.Listeners?.[0];
  if (!listener) return `the production listener ${check.ListenerArn} does not exist`;
  const fallback = liveTargetGroups(listener.DefaultActions);
  if (check.RulePriority === undefined) {
    if (fallback.length === 1 && fallback[0] === check.Blue) return undefined;
    const swap = fallback.length === 1 && fallback[0] === check.Green
      ? ': CodeDeploy\'s last deployment made green the live target group. Swap blueTargetGroup and greenTargetGroup in the app and deploy CUTOVER again'
      : ': give the live target group as blueTargetGroup and deploy CUTOVER again';
    return `the production listener ${check.ListenerArn} forwards to ${names(fallback)}, so the weighted rule (blue 1 / green 0) would send production to an idle target group${swap}`;
  }
  const rules = await paged(async (Marker) => {
    const page = await elbv2.send(new DescribeRulesCommand({ ListenerArn: check.ListenerArn, Marker }));
    return { items: page.Rules, next: page.NextMarker };
  });
  const rule = rules.find((r) => String(r.Priority) === String(check.RulePriority)
    && (r.Actions ?? []).some((a) => {
      const arns = (a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn);
      return arns.includes(check.Blue) && arns.includes(check.Green);
    }));
  // No weighted rule (CUTOVER never ran, or it is gone): production is on the default action already.
  if (!rule) return undefined;
  const live = liveTargetGroups(rule.Actions);
  if (live.length === 1 && fallback.length === 1 && live[0] === fallback[0]) return undefined;
  return `the weighted rule (priority ${check.RulePriority}) sends production to ${names(live)}, where ECS deployments left it, but the listener's default action, ` +
    `which production falls back to once ROLLBACK deletes the rule, forwards to ${names(fallback)}: point the default action at the live target group ` +
    `(aws elbv2 modify-listener --listener-arn ${check.ListenerArn} --default-actions Type=forward,TargetGroupArn=<live>) or let an ECS deployment move production back, then deploy ROLLBACK again`;
}

function call<T>(fn: () => Promise<T>): Promise<T> {
  // Throttling and transient errors (5xx, time-outs, network) are retried; see private/retry.ts.
  return withRetry(fn, 5, 200, logRetry);
}
