import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenEcsService, LifecycleHook, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../../src';

/**
 * A platform team's stack: many blue/green services on one ALB (production + test listener) and
 * one NLB, sharing a hook function. Each service is described by a small record so that tests can
 * add, remove, reorder and change services between two synthesized templates (two deploys).
 */

/** One service of the platform stack. */
export interface PlatformService {
  /** Number of the service: construct ID `Svc<n>`, host `svc<n>.example.com`, priorities from it. */
  readonly n: number;
  /** How test traffic reaches it: a rule on the test listener, a header rule, or an NLB listener pair. */
  readonly routing: 'test-listener' | 'test-header' | 'nlb';
  /** Lifecycle hook: the shared Lambda hook function, a pause hook, or none. */
  readonly hook: 'lambda' | 'pause' | 'none';
  /** Image tag (an app change: a new ECS deployment of this service only). */
  readonly tag: string;
  /** Desired count. */
  readonly desiredCount: number;
  /** Moves the production rule to another priority / host (a routing change of this service). */
  readonly moved: boolean;
}

/** A synthesized platform stack and where each service's resources are in it. */
export interface PlatformTemplate {
  readonly template: any;
  /** Logical IDs of the resources each service owns (its construct subtree and its NLB listeners), by `Svc<n>`. */
  readonly owned: Record<string, string[]>;
  /** Construct paths of those resources, by `Svc<n>` (the reader's entries are named by them). */
  readonly ownedPaths: Record<string, string[]>;
  readonly stack: Stack;
}

/** Builds the stack with the services in the given (construction) order and synthesizes it. */
export function synthPlatform(services: readonly PlatformService[]): PlatformTemplate {
  const app = new App();
  const stack = new Stack(app, 'Platform');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const notFound = elbv2.ListenerAction.fixedResponse(404);
  const listener = alb.addListener('Production', { port: 80, defaultAction: notFound });
  const testListener = alb.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  const hookFunction = new LifecycleHookFunction(stack, 'Hook', {
    code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
    defaultStages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
  });

  const scopes = new Map<string, IConstruct[]>();
  for (const s of services) {
    const id = `Svc${s.n}`;
    const scope = new Construct(stack, id);
    const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry(`public.ecr.aws/nginx/nginx:${s.tag}`),
      portMappings: [{ containerPort: 80 }],
    });
    const owned: IConstruct[] = [scope];
    new BlueGreenEcsService(scope, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: s.desiredCount,
      routing: routingOf(s, nlb, listener, testListener, owned),
      hooks: s.hook === 'lambda' ? [hookFunction.toHook()]
        : s.hook === 'pause' ? [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] })] : [],
    });
    scopes.set(id, owned);
  }
  const template = Template.fromStack(stack).toJSON();
  const owned: Record<string, string[]> = {};
  const ownedPaths: Record<string, string[]> = {};
  for (const [id, roots] of scopes) {
    const resources = roots.flatMap((root) => root.node.findAll()).filter((c): c is CfnResource => c instanceof CfnResource);
    owned[id] = resources.map((r) => stack.resolve(r.logicalId) as string).sort();
    ownedPaths[id] = resources.map((r) => r.node.path).sort();
  }
  return { template, owned, ownedPaths, stack };
}

function routingOf(s: PlatformService, nlb: elbv2.NetworkLoadBalancer, listener: elbv2.ApplicationListener,
  testListener: elbv2.ApplicationListener, owned: IConstruct[]): TrafficRouting {
  if (s.routing === 'nlb') {
    const prod = nlb.addListener(`Svc${s.n}Prod`, { port: 10000 + 2 * s.n + (s.moved ? 1000 : 0) });
    const test = nlb.addListener(`Svc${s.n}Test`, { port: 10001 + 2 * s.n });
    owned.push(prod, test);
    return TrafficRouting.networkLoadBalancer({ listener: prod, testListener: test });
  }
  // Even priorities for production rules, odd ones (priority - 1) for header test rules: unique per listener.
  const priority = (s.moved ? 20000 : 100) + 2 * s.n;
  const conditions = [elbv2.ListenerCondition.hostHeaders([`svc${s.n}${s.moved ? '-v2' : ''}.example.com`])];
  return s.routing === 'test-listener'
    ? TrafficRouting.applicationLoadBalancer({ listener, testListener, priority, conditions })
    : TrafficRouting.applicationLoadBalancer({ listener, testHeader: { name: 'X-Test-Traffic', value: 'true' }, priority, conditions });
}

/** A plain service behind the ALB with a test listener rule and the shared Lambda hook. */
export function platformService(n: number, o: Partial<PlatformService> = {}): PlatformService {
  return { n, routing: 'test-listener', hook: 'lambda', tag: '1.27', desiredCount: 2, moved: false, ...o };
}

/** The live weights reader's entries, by construct path. */
export function readerEntries(template: any): Record<string, any> {
  const reader = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::EcsBlueGreenLiveWeights');
  return Object.fromEntries((reader?.Properties.Rules ?? []).map((e: any) => [e.Id, e]));
}

/**
 * What changed for service `id` between two templates: the resources it owns that differ (or
 * exist in only one), and whether its reader entries differ. Empty when the deploy leaves it alone.
 */
export function differencesOf(id: string, before: PlatformTemplate, after: PlatformTemplate): string[] {
  const found: string[] = [];
  const ids = new Set([...before.owned[id] ?? [], ...after.owned[id] ?? []]);
  for (const logicalId of ids) {
    const a = canonical(before.template.Resources[logicalId]);
    const b = canonical(after.template.Resources[logicalId]);
    if (a !== b) found.push(`${logicalId} (${before.template.Resources[logicalId]?.Type ?? after.template.Resources[logicalId]?.Type})`);
  }
  const entriesBefore = readerEntries(before.template);
  const entriesAfter = readerEntries(after.template);
  for (const p of new Set([...before.ownedPaths[id] ?? [], ...after.ownedPaths[id] ?? []])) {
    if (canonical(entriesBefore[p]) !== canonical(entriesAfter[p])) found.push(`reader entry ${p}`);
  }
  return found;
}

/** The infrastructure role (logical ID) a service's ECS service uses. */
export function roleOf(id: string, t: PlatformTemplate): string | undefined {
  const service = t.owned[id].map((l) => t.template.Resources[l]).find((r) => r.Type === 'AWS::ECS::Service');
  return service?.Properties.LoadBalancers?.[0]?.AdvancedConfiguration?.RoleArn?.['Fn::GetAtt']?.[0];
}

/**
 * JSON with object keys sorted: CloudFormation compares values, not key order (the order of a
 * template's Resources follows construction order), while array order counts.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
