import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as fc from 'fast-check';
import {
  DurationSpec, StrategySpec, durationArb, makeStrategy, maybe, mix, strategyArb, strategyVerdict, toDuration, wholeMinutesOf,
  ExpectedStrategy,
} from './strategy-specs';
import {
  BlueGreenEcsService, CircuitBreakerThreshold, HookTimeoutAction, LifecycleHook, LifecycleHookFunction, LifecycleStage, TrafficRouting,
  WeightedListenerRule,
} from '../../src';

/**
 * Generated descriptions ("specs") of BlueGreenEcsService and WeightedListenerRule props, the
 * constructs they stand for, and an independent oracle: which props ECS, ELB and CloudFormation
 * would refuse (from their documented limits), so the construct must reject them at synth, naming
 * the prop; everything else must synthesize.
 */

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------

export type TaskKind = 'web' | 'multi' | 'udp' | 'noport' | 'ec2';
export type VpcKind = 'new' | 'imported' | 'imported-no-cidr';

export interface ContainerSpec {
  readonly name: 'main' | 'sidecar' | 'nope';
  readonly port?: 'first' | 'second' | 'unmapped' | 'nan';
}

export interface ConditionSpec {
  readonly field: 'host' | 'path' | 'header' | 'method' | 'sourceIp' | 'query';
  readonly values: number;
}

export interface HeaderSpec {
  readonly name: string;
  readonly value: string;
}

export interface AlbSpec {
  readonly kind: 'alb';
  readonly listener: 'new' | 'imported';
  readonly test: 'none' | 'listener' | 'header' | 'both' | 'same-listener';
  readonly header?: HeaderSpec;
  readonly priority?: number;
  readonly testPriority?: number;
  readonly conditions?: ConditionSpec[];
  readonly targetProtocol?: 'HTTP' | 'HTTPS' | 'TCP';
  readonly deregistrationDelaySeconds?: number;
  readonly preserveLiveWeights?: boolean;
  /** A rule of the user's on the production listener with this priority. */
  readonly existingRulePriority?: number;
}

export interface NlbSpec {
  readonly kind: 'nlb';
  /** 'match': the container's protocol (TCP or UDP); 'match-tls': TLS for TCP containers. */
  readonly protocol: 'match' | 'match-tls' | 'TCP' | 'UDP' | 'TCP_UDP';
  readonly test: 'none' | 'listener' | 'same-listener';
  readonly securityGroups: boolean;
  readonly deregistrationDelaySeconds?: number;
  readonly preserveLiveWeights?: boolean;
}

export interface ServiceConnectSpec {
  readonly kind: 'service-connect';
  readonly namespace: 'cluster' | 'explicit' | 'none';
  readonly portMappingName: string;
  readonly dnsName?: string;
  readonly port?: number;
  readonly testHeader?: HeaderSpec;
}

export type RoutingSpec = AlbSpec | NlbSpec | ServiceConnectSpec | { readonly kind: 'none' };

export type HookSpec =
  | { readonly kind: 'pause'; readonly stages: string[]; readonly timeout?: DurationSpec; readonly onTimeout?: string }
  | {
    readonly kind: 'lambda';
    readonly fn: 'inline' | 'imported';
    readonly stages: string[];
    readonly details?: DetailsSpec;
    readonly timeout?: DurationSpec;
    readonly onTimeout?: string;
  }
  | {
    readonly kind: 'smoke';
    readonly url?: string;
    readonly requests?: number;
    readonly bodyPattern?: string;
    readonly expectedStatus?: number[];
    readonly maxLatencyMs?: number;
    readonly stages?: string[];
  }
  | { readonly kind: 'approval'; readonly prefix?: string; readonly timeout?: DurationSpec; readonly onTimeout?: string; readonly stages?: string[] }
  | {
    readonly kind: 'metric';
    readonly alarms: number;
    readonly metric: boolean;
    readonly threshold?: number;
    readonly duration?: DurationSpec;
    readonly failBelow?: boolean;
    readonly stages?: string[];
  };

export type DetailsSpec =
  | { readonly kind: 'object'; readonly value: Record<string, unknown> }
  | { readonly kind: 'huge' | 'array' | 'string' | 'null' | 'bigint' | 'circular' };

export interface NetworkSpec {
  readonly vpcSubnets?: boolean;
  readonly securityGroups?: boolean;
  readonly assignPublicIp?: boolean;
}

export interface ServiceSpec {
  readonly vpc: VpcKind;
  readonly task: TaskKind;
  readonly container?: ContainerSpec;
  readonly routing: RoutingSpec;
  readonly strategy?: StrategySpec;
  readonly desiredCount?: number;
  readonly minHealthyPercent?: number;
  readonly maxHealthyPercent?: number;
  readonly hooks: HookSpec[];
  readonly alarms: number;
  readonly circuitBreaker?: boolean;
  readonly outputs?: boolean;
  readonly serviceName?: string;
  readonly network?: NetworkSpec;
  /** An internal ALB as `additionalRouting.Internal`. */
  readonly extraAlb?: boolean;
  readonly threshold?: { readonly type: 'count' | 'bounded' | 'unbounded'; readonly value: number };
  readonly gracePeriodSeconds?: number;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const STAGES = Object.values(LifecycleStage) as string[];

function intArb(min: number, max: number, bad: boolean, invalid: number[]): fc.Arbitrary<number> {
  return mix(fc.integer({ min, max }), fc.constantFrom(...invalid), bad);
}

export function stagesArb(bad: boolean): fc.Arbitrary<string[]> {
  return mix(
    fc.subarray(STAGES, { minLength: 1, maxLength: 3 }),
    fc.oneof(fc.constant<string[]>([]), fc.constantFrom<string[]>(['BOGUS'], ['post_scale_up'], ['']), fc.constantFrom(...STAGES).map((s) => [s, s])),
    bad,
  );
}

const onTimeoutArb = (bad: boolean) => maybe(mix(fc.constantFrom('ROLLBACK', 'CONTINUE'), fc.constantFrom('rollback', 'SKIP', ''), bad));

function detailsArb(bad: boolean): fc.Arbitrary<DetailsSpec> {
  const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,11}$/);
  const valid = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    .map((value): DetailsSpec => ({ kind: 'object', value: value as Record<string, unknown> }));
  const invalid = fc.constantFrom<DetailsSpec>({ kind: 'huge' }, { kind: 'array' }, { kind: 'string' }, { kind: 'null' }, { kind: 'bigint' }, { kind: 'circular' });
  return mix(valid, invalid, bad);
}

export function hookArb(bad: boolean): fc.Arbitrary<HookSpec> {
  const stages = stagesArb(bad);
  const timeout = maybe(durationArb(1, 20160, bad));
  return fc.oneof(
    fc.record({ kind: fc.constant('pause' as const), stages, timeout, onTimeout: onTimeoutArb(bad) }, { requiredKeys: ['kind', 'stages'] }),
    fc.record({
      kind: fc.constant('lambda' as const),
      fn: fc.constantFrom('inline' as const, 'imported' as const),
      stages,
      details: maybe(detailsArb(bad)),
      timeout,
      onTimeout: onTimeoutArb(bad),
    }, { requiredKeys: ['kind', 'fn', 'stages'] }),
    fc.record({
      kind: fc.constant('smoke' as const),
      url: maybe(mix(fc.constantFrom('http://example.com', 'https://api.example.com/base/'), fc.constantFrom('ftp://x', 'example.com', ''), bad)),
      requests: maybe(intArb(1, 1000, bad, [0, 1001, 2.5, NaN])),
      bodyPattern: maybe(mix(fc.constantFrom('ok', '"status":\\s*"ok"'), fc.constantFrom('(', '[a-'), bad)),
      expectedStatus: maybe(mix(fc.subarray([200, 204, 301, 404]), fc.constantFrom<number[]>([99], [600], [200.5]), bad)),
      maxLatencyMs: maybe(mix(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom(0, 0.5, 1000.5, 60_001, 600_000), bad)),
      stages: maybe(stages),
    }, { requiredKeys: ['kind'] }),
    fc.record({
      kind: fc.constant('approval' as const),
      prefix: maybe(mix(fc.constantFrom('/ecs-blue-green/approvals', '/team-a/gates'), fc.constantFrom('approvals', '/trailing/', '/', '/has space'), bad)),
      timeout: maybe(durationArb(1, 20150, bad)),
      onTimeout: onTimeoutArb(bad),
      stages: maybe(stages),
    }, { requiredKeys: ['kind'] }),
    fc.record({
      kind: fc.constant('metric' as const),
      alarms: fc.integer({ min: bad ? 0 : 1, max: 2 }),
      metric: fc.boolean(),
      threshold: bad
        ? maybe(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(NaN, Infinity)))
        : fc.integer({ min: 0, max: 100 }),
      duration: maybe(durationArb(1, 1440, bad)),
      failBelow: maybe(fc.boolean()),
      stages: maybe(stages),
    }, { requiredKeys: ['kind', 'alarms', 'metric'] }),
  );
}

const conditionArb = (maxValues: number) => fc.record({
  field: fc.constantFrom('host' as const, 'path' as const, 'header' as const, 'method' as const, 'sourceIp' as const, 'query' as const),
  values: fc.integer({ min: 1, max: maxValues }),
});

function conditionsArb(bad: boolean): fc.Arbitrary<ConditionSpec[]> {
  const valid = fc.uniqueArray(conditionArb(2), { minLength: 1, maxLength: 2, selector: (c) => c.field });
  return mix(valid, fc.array(conditionArb(4), { maxLength: 4 }), bad);
}

function headerArb(bad: boolean, invalid: HeaderSpec[]): fc.Arbitrary<HeaderSpec> {
  return mix(
    fc.record({ name: fc.constantFrom('X-Test-Traffic', 'x-canary', 'X-Green'), value: fc.constantFrom('true', '1', 'green') }),
    fc.constantFrom(...invalid),
    bad,
  );
}

const ALB_BAD_HEADERS: HeaderSpec[] = [
  { name: '', value: 'true' }, { name: 'X-Test', value: '' }, { name: 'X Test', value: 'true' }, { name: 'X'.repeat(41), value: 'true' },
  { name: 'X-Test', value: 'v'.repeat(129) },
];

function deregistrationArb(bad: boolean) {
  return maybe(intArb(0, 3600, bad, [3601, 1.5, NaN]));
}

function albArb(bad: boolean): fc.Arbitrary<AlbSpec> {
  return fc.record({
    kind: fc.constant('alb' as const),
    listener: fc.constantFrom('new' as const, 'imported' as const),
    test: mix(fc.constantFrom('none' as const, 'listener' as const, 'header' as const), fc.constantFrom('both' as const, 'same-listener' as const), bad),
    header: headerArb(bad, ALB_BAD_HEADERS),
    priority: maybe(intArb(2, 50000, bad, [0, 1, 50001, 1.5, NaN, -3])),
    testPriority: bad ? maybe(fc.oneof(fc.integer({ min: 1, max: 50000 }), fc.constantFrom(0, 50001, 7.5, NaN))) : fc.constant(undefined),
    conditions: maybe(conditionsArb(bad)),
    targetProtocol: maybe(mix(fc.constantFrom('HTTP' as const, 'HTTPS' as const), fc.constant('TCP' as const), bad)),
    deregistrationDelaySeconds: deregistrationArb(bad),
    preserveLiveWeights: maybe(fc.boolean()),
    // Valid sets keep priority 1 taken (the default priorities are 50000 and 49999).
    existingRulePriority: maybe(bad ? fc.oneof(fc.constantFrom(50000, 49999, 1, 10), fc.integer({ min: 1, max: 50000 })) : fc.constant(1)),
  }, { requiredKeys: ['kind', 'listener', 'test', 'header'] });
}

function nlbArb(bad: boolean): fc.Arbitrary<NlbSpec> {
  return fc.record({
    kind: fc.constant('nlb' as const),
    protocol: mix(fc.constantFrom('match' as const, 'match-tls' as const), fc.constantFrom('TCP' as const, 'UDP' as const, 'TCP_UDP' as const), bad),
    test: mix(fc.constantFrom('none' as const, 'listener' as const), fc.constant('same-listener' as const), bad),
    securityGroups: fc.boolean(),
    deregistrationDelaySeconds: deregistrationArb(bad),
    preserveLiveWeights: maybe(fc.boolean()),
  }, { requiredKeys: ['kind', 'protocol', 'test', 'securityGroups'] });
}

function serviceConnectArb(bad: boolean): fc.Arbitrary<ServiceConnectSpec> {
  return fc.record({
    kind: fc.constant('service-connect' as const),
    namespace: mix(fc.constantFrom('cluster' as const, 'explicit' as const), fc.constant('none' as const), bad),
    portMappingName: mix(fc.constant('web'), fc.constantFrom('admin', 'nope', ''), bad),
    dnsName: maybe(fc.constantFrom('api', 'api.internal')),
    port: maybe(intArb(1, 65535, bad, [0, 65536, 80.5, NaN])),
    testHeader: maybe(headerArb(bad, [{ name: '', value: 'yes' }, { name: 'x-canary', value: '' }])),
  }, { requiredKeys: ['kind', 'namespace', 'portMappingName'] });
}

function containerArb(bad: boolean): fc.Arbitrary<ContainerSpec | undefined> {
  return maybe(mix(
    fc.record({ name: fc.constant('main' as const), port: maybe(fc.constant('first' as const)) }, { requiredKeys: ['name'] }),
    fc.record({
      name: fc.constantFrom('main' as const, 'sidecar' as const, 'nope' as const),
      port: maybe(fc.constantFrom('first' as const, 'second' as const, 'unmapped' as const, 'nan' as const)),
    }, { requiredKeys: ['name'] }),
    bad,
  ));
}

/** Service specs; with `bad`, each prop is sometimes out of range, wrong or conflicting. */
export function serviceArb(bad: boolean): fc.Arbitrary<ServiceSpec> {
  const tasks = (valid: TaskKind[]) => mix(fc.constantFrom(...valid), fc.constantFrom<TaskKind>('web', 'multi', 'udp', 'noport', 'ec2'), bad);
  const routed = (routing: fc.Arbitrary<RoutingSpec>, valid: TaskKind[]) => fc.record({ routing, task: tasks(valid) });
  const lbTasks: TaskKind[] = ['web', 'web', 'web', 'multi', 'ec2'];
  const routingAndTask = fc.oneof(
    { weight: 4, arbitrary: routed(albArb(bad), lbTasks) },
    { weight: 2, arbitrary: routed(nlbArb(bad), [...lbTasks, 'udp']) },
    { weight: 2, arbitrary: routed(serviceConnectArb(bad), lbTasks) },
    { weight: 1, arbitrary: routed(fc.constant({ kind: 'none' as const }), ['web', 'noport', 'udp', 'multi']) },
  );
  return fc.record({
    routingAndTask,
    vpc: mix(fc.constantFrom('new' as const, 'imported' as const), fc.constant('imported-no-cidr' as const), bad),
    container: containerArb(bad),
    strategy: maybe(strategyArb(bad)),
    desiredCount: maybe(mix(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(100000)), fc.constantFrom(-1, 100001, 1.5, NaN), bad)),
    minHealthyPercent: maybe(intArb(0, 100, bad, [-1, 101, 50.5, NaN])),
    maxHealthyPercent: maybe(intArb(101, 200, bad, [99, 100, 201, 150.5, NaN])),
    hooks: fc.array(hookArb(bad), { maxLength: bad ? 3 : 2 }),
    alarms: fc.integer({ min: 0, max: 2 }),
    circuitBreaker: maybe(fc.boolean()),
    outputs: maybe(fc.boolean()),
    serviceName: maybe(mix(fc.constantFrom('api', 'orders-service_2'), fc.constantFrom('bad name!', 'x'.repeat(256), ''), bad)),
    network: maybe(fc.record({ vpcSubnets: maybe(fc.boolean()), securityGroups: maybe(fc.boolean()), assignPublicIp: maybe(fc.boolean()) })),
    extraAlb: maybe(fc.boolean()),
    threshold: maybe(fc.record({ type: fc.constantFrom('count' as const, 'bounded' as const, 'unbounded' as const), value: intArb(1, 200, bad, [0, -3, 1.5]) })),
    gracePeriodSeconds: maybe(intArb(0, 3600, bad, [0.5, 1.25])),
  }, { requiredKeys: ['routingAndTask', 'vpc', 'hooks', 'alarms'] })
    .map(({ routingAndTask: rt, ...rest }) => ({ ...rest, routing: rt.routing, task: rt.task }));
}

// ---------------------------------------------------------------------------------------------
// Task definitions as data (what the oracle and the builder agree on)
// ---------------------------------------------------------------------------------------------

interface PortModel { readonly port: number; readonly protocol: 'tcp' | 'udp'; readonly name?: string }
interface ContainerModel { readonly name: string; readonly ports: PortModel[] }

const TASKS: Record<TaskKind, { main: ContainerModel; sidecar?: ContainerModel; ec2?: boolean }> = {
  web: { main: { name: 'web', ports: [{ port: 80, protocol: 'tcp', name: 'web' }, { port: 8080, protocol: 'tcp', name: 'alt' }] } },
  multi: {
    main: { name: 'web', ports: [{ port: 80, protocol: 'tcp', name: 'web' }] },
    sidecar: { name: 'sidecar', ports: [{ port: 9000, protocol: 'tcp', name: 'admin' }, { port: 9001, protocol: 'tcp' }] },
  },
  udp: { main: { name: 'dns', ports: [{ port: 53, protocol: 'udp' }] } },
  noport: { main: { name: 'worker', ports: [] } },
  ec2: { main: { name: 'web', ports: [{ port: 80, protocol: 'tcp', name: 'web' }] }, ec2: true },
};

function containerName(spec: ServiceSpec): string {
  const task = TASKS[spec.task];
  if (!spec.container) return task.main.name;
  return { main: task.main.name, sidecar: 'sidecar', nope: 'nope' }[spec.container.name];
}

function containerPort(spec: ServiceSpec): number | undefined {
  const c = spec.container?.port;
  if (c === undefined) return undefined;
  const model = modelOf(spec);
  return { first: model?.ports[0]?.port ?? 80, second: model?.ports[1]?.port ?? 8081, unmapped: 1234, nan: NaN }[c];
}

function modelOf(spec: ServiceSpec): ContainerModel | undefined {
  const task = TASKS[spec.task];
  const name = containerName(spec);
  return [task.main, task.sidecar].find((c) => c?.name === name);
}

// ---------------------------------------------------------------------------------------------
// Oracle
// ---------------------------------------------------------------------------------------------

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/;

function conditionProblems(conditions: ConditionSpec[], extraValues: number): boolean {
  if (conditions.length === 0) return true;
  if (conditions.some((c) => c.values > 3)) return true;
  if (conditions.reduce((n, c) => n + c.values, 0) + extraValues > 5) return true;
  const single = conditions.filter((c) => ['host', 'path', 'method', 'sourceIp'].includes(c.field)).map((c) => c.field);
  return new Set(single).size !== single.length;
}

function integerIn(v: number | undefined, min: number, max: number): boolean {
  return v === undefined || (Number.isInteger(v) && v >= min && v <= max);
}

function stageProblems(stages: string[] | undefined): boolean {
  if (stages === undefined) return false;
  return stages.length === 0 || stages.some((s) => !STAGES.includes(s)) || new Set(stages).size !== stages.length;
}

function hookProblems(h: HookSpec, testUrl: boolean, reach: string[]): string[] {
  const p: string[] = [];
  const timeout = (d: DurationSpec | undefined, prop: string, max = 20160) => {
    if (d && wholeMinutesOf(d, 1, max) === undefined) p.push(prop);
  };
  const onTimeout = (v: string | undefined, ...props: string[]) => {
    if (v !== undefined && v !== 'ROLLBACK' && v !== 'CONTINUE') p.push(...props);
  };
  if (stageProblems(h.stages)) p.push('hooks.stages');
  switch (h.kind) {
    case 'pause':
      // ECS API reference, DeploymentLifecycleHook: no PAUSE hook at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.
      if (h.stages.some((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT')) p.push('hooks.stages');
      timeout(h.timeout, 'hooks.timeout');
      onTimeout(h.onTimeout, 'hooks.onTimeout');
      break;
    case 'lambda':
      timeout(h.timeout, 'hooks.timeout');
      onTimeout(h.onTimeout, 'hooks.onTimeout');
      if (h.details && h.details.kind !== 'object') p.push('hooks.details');
      if (h.details?.kind === 'object' && Buffer.byteLength(JSON.stringify(h.details.value)) > 8192) p.push('hooks.details');
      break;
    case 'smoke':
      if (!integerIn(h.requests, 1, 1000)) p.push('httpSmokeTest.requests');
      if (h.bodyPattern !== undefined) {
        try {
          new RegExp(h.bodyPattern);
        } catch {
          p.push('httpSmokeTest.bodyPattern');
        }
      }
      if ((h.expectedStatus ?? []).some((s) => !integerIn(s, 100, 599))) p.push('httpSmokeTest.expectedStatus');
      if (h.url !== undefined && !/^https?:\/\//.test(h.url)) p.push('httpSmokeTest.url');
      if (h.url === undefined && !testUrl) p.push('httpSmokeTest.url');
      if (h.url === undefined && testUrl) p.push(...reach);
      if (!integerIn(h.maxLatencyMs, 1, 60_000)) p.push('httpSmokeTest.maxLatency');
      break;
    case 'approval':
      if (h.prefix !== undefined && !/^\/[A-Za-z0-9_.\-/]+[^/]$/.test(h.prefix)) p.push('approvalGate.parameterPrefix');
      timeout(h.timeout, 'approvalGate.timeout', 20150);
      onTimeout(h.onTimeout, 'approvalGate.onTimeout');
      break;
    case 'metric':
      if (h.alarms === 0 && !h.metric) p.push('metricCheck.alarms');
      if (h.metric && (h.threshold === undefined || !Number.isFinite(h.threshold))) p.push('metricCheck.threshold');
      if (!h.metric && h.threshold !== undefined && !Number.isFinite(h.threshold)) p.push('metricCheck.threshold');
      timeout(h.duration, 'metricCheck.duration', 1440);
      break;
  }
  return p;
}

/**
 * What the smoke test's default URL check refuses for a routing (hooks run outside any VPC here):
 * the ALB is internet-facing with a closed test listener, so only a header route on the open
 * production listener is reachable, and a path condition never matches the default path `/`; the
 * NLB is internal (unreachable from outside the VPC), TLS needs a host name, UDP is not HTTP.
 */
function smokeReachProblems(r: RoutingSpec, containerProtocol: 'tcp' | 'udp' | undefined): string[] {
  if (r.kind === 'alb') {
    const path = r.conditions?.some((c) => c.field === 'path') ? ['httpSmokeTest.path'] : [];
    return r.test === 'listener' ? [...path, 'httpSmokeTest.url'] : path;
  }
  if (r.kind === 'nlb') {
    const protocol = nlbProtocol(r, containerProtocol ?? 'tcp');
    if (protocol === elbv2.Protocol.UDP || protocol === elbv2.Protocol.TCP_UDP) return ['httpSmokeTest.url'];
    return protocol === elbv2.Protocol.TLS ? ['httpSmokeTest.hostHeader'] : ['httpSmokeTest.vpc'];
  }
  return [];
}

/** Whether the routing gives hooks a test endpoint URL (a test listener, or a test header on a listener of this app). */
function hasTestUrl(r: RoutingSpec): boolean {
  if (r.kind === 'alb') return r.test === 'listener' || (r.test === 'header' && r.listener === 'new');
  if (r.kind === 'nlb') return r.test === 'listener';
  return false;
}

/** The props a synth-time check must reject (any of them may be named); empty when the spec is valid. */
export function serviceProblems(spec: ServiceSpec): string[] {
  const p: string[] = [];
  const model = modelOf(spec);
  if (!model) p.push('container.containerName');
  const port = containerPort(spec);
  if (model && port !== undefined && !model.ports.some((m) => m.port === port)) p.push('container.containerPort');
  const mapping = model && (port === undefined ? model.ports[0] : model.ports.find((m) => m.port === port));

  if (!integerIn(spec.desiredCount, 0, 100000)) p.push('desiredCount');
  if (!integerIn(spec.minHealthyPercent, 0, 100)) p.push('minHealthyPercent');
  if (!integerIn(spec.maxHealthyPercent, 100, 200) || (spec.maxHealthyPercent ?? 200) <= (spec.minHealthyPercent ?? 100)) p.push('maxHealthyPercent');
  const ec2Task = TASKS[spec.task].ec2 === true;
  if (ec2Task && spec.network && (spec.network.vpcSubnets || spec.network.securityGroups || spec.network.assignPublicIp !== undefined)) {
    p.push('vpcSubnets');
  }
  if (spec.serviceName !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(spec.serviceName)) p.push('serviceName');

  const r = spec.routing;
  const lb = r.kind === 'alb' || r.kind === 'nlb';
  if (lb && model && !mapping) p.push('container');
  if (r.kind === 'alb') {
    if (r.test === 'both') p.push('routing.testHeader');
    if (r.test === 'same-listener') p.push('routing.testListener');
    if (mapping?.protocol === 'udp') p.push('container');
    if (r.targetProtocol === 'TCP') p.push('routing.targetProtocol');
    if (!integerIn(r.deregistrationDelaySeconds, 0, 3600)) p.push('routing.deregistrationDelay');
    const priorityOk = integerIn(r.priority, 1, 50000);
    if (!priorityOk) p.push('routing.priority');
    const priority = r.priority ?? 50000;
    if (r.test !== 'none' && !integerIn(r.testPriority, 1, 50000)) p.push('routing.testPriority');
    const header = r.test === 'header' || r.test === 'both';
    if (r.conditions && conditionProblems(r.conditions, 0)) p.push('routing.conditions');
    if (header && r.conditions && conditionProblems(r.conditions, 1)) p.push('routing.conditions', 'routing.testHeader');
    if (priorityOk && r.existingRulePriority === priority) p.push('priority');
    if (r.test === 'header') {
      const h = r.header!;
      if (!h.name || !h.value || !HEADER_NAME.test(h.name) || h.value.length > 128) p.push('routing.testHeader');
      const testPriority = r.testPriority ?? priority - 1;
      if (priorityOk && testPriority >= priority) p.push('routing.testPriority');
      if (priorityOk && testPriority < 1) p.push('routing.testPriority');
      if (priorityOk && r.existingRulePriority === testPriority) p.push('priority');
    }
  }
  if (r.kind === 'nlb') {
    if (r.test === 'same-listener') p.push('routing.testListener');
    if (!integerIn(r.deregistrationDelaySeconds, 0, 3600)) p.push('routing.deregistrationDelay');
    if (mapping) {
      const protocol = nlbProtocol(r, mapping.protocol);
      if (protocol === 'TCP_UDP') p.push('routing.listener', 'routing.testListener');
      else if ((protocol === 'UDP') !== (mapping.protocol === 'udp')) p.push('routing.listener', 'routing.testListener');
    }
    if (!r.securityGroups && spec.vpc === 'imported-no-cidr') p.push('cluster');
  }
  if (r.kind === 'service-connect') {
    if (r.namespace === 'none') p.push('routing.namespace');
    if (model && !model.ports.some((m) => m.name !== undefined && m.name === r.portMappingName)) p.push('routing.portMappingName');
    if (r.testHeader && (!r.testHeader.name || !r.testHeader.value)) p.push('routing.testTrafficHeader');
    if (!integerIn(r.port, 1, 65535)) p.push('routing.port');
  }

  if (spec.extraAlb) {
    if (!lb) p.push('additionalRouting');
    else if (mapping?.protocol === 'udp') p.push('container');
  }
  if (spec.threshold && (spec.circuitBreaker === false || !integerIn(spec.threshold.value, 1, 2147483647))) p.push('circuitBreakerThreshold');
  if (!integerIn(spec.gracePeriodSeconds, 0, 2147483647)) p.push('healthCheckGracePeriod');

  if (spec.strategy) {
    const verdict = strategyVerdict(spec.strategy, r.kind === 'nlb');
    if (verdict.factoryError) throw new Error(`service specs use valid factory calls only: ${verdict.factoryError}`);
    p.push(...verdict.problems);
  }
  for (const h of spec.hooks) p.push(...hookProblems(h, hasTestUrl(r), smokeReachProblems(r, mapping?.protocol)));
  return [...new Set(p)];
}

function nlbProtocol(r: NlbSpec, container: 'tcp' | 'udp'): elbv2.Protocol {
  switch (r.protocol) {
    case 'match': return container === 'udp' ? elbv2.Protocol.UDP : elbv2.Protocol.TCP;
    case 'match-tls': return container === 'udp' ? elbv2.Protocol.UDP : elbv2.Protocol.TLS;
    default: return elbv2.Protocol[r.protocol];
  }
}

/** What an accepted spec renders on AWS::ECS::Service (checked on the template). */
export interface ExpectedService {
  readonly strategy: ExpectedStrategy;
  readonly loadBalanced: boolean;
  readonly loadBalancers: number;
  readonly hooks: number;
  readonly desiredCount: number;
}

export function expectedService(spec: ServiceSpec): ExpectedService {
  const strategy = spec.strategy ? strategyVerdict(spec.strategy, spec.routing.kind === 'nlb').expected! : { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 5 };
  return {
    strategy,
    loadBalanced: spec.routing.kind === 'alb' || spec.routing.kind === 'nlb',
    loadBalancers: spec.extraAlb ? 2 : 1,
    hooks: spec.hooks.length,
    desiredCount: spec.desiredCount ?? 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/existing/50dc6c495c0c9188/f2f7dc8efc522ab2';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

export function newFuzzStack(): Stack {
  // Launch templates for the EC2 capacity (launch configurations are cfn-lint W3697).
  return new Stack(new App({ context: { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true } }), 'Fuzz');
}

export function makeVpc(stack: Stack, kind: VpcKind): ec2.IVpc {
  if (kind === 'new') {
    return new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
  }
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
    vpcCidrBlock: kind === 'imported' ? '10.0.0.0/16' : undefined,
  });
}

function makeTask(stack: Stack, kind: TaskKind): ecs.TaskDefinition {
  const task = TASKS[kind];
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
  const td = task.ec2 ? new ecs.Ec2TaskDefinition(stack, 'Task') : new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
  for (const c of [task.main, task.sidecar]) {
    if (!c) continue;
    td.addContainer(c.name, {
      image,
      memoryLimitMiB: task.ec2 ? 256 : undefined,
      essential: c === task.main,
      portMappings: c.ports.map((m) => ({
        containerPort: m.port,
        hostPort: task.ec2 ? 0 : undefined,
        name: m.name,
        protocol: m.protocol === 'udp' ? ecs.Protocol.UDP : ecs.Protocol.TCP,
      })),
    });
  }
  return td;
}

function toCondition(c: ConditionSpec, i: number): elbv2.ListenerCondition {
  const n = Array.from({ length: c.values }, (_, j) => j);
  switch (c.field) {
    case 'host': return elbv2.ListenerCondition.hostHeaders(n.map((j) => `h${i}-${j}.example.com`));
    case 'path': return elbv2.ListenerCondition.pathPatterns(n.map((j) => `/p${i}/${j}/*`));
    case 'header': return elbv2.ListenerCondition.httpHeader(`X-C${i}`, n.map((j) => `v${j}`));
    case 'method': return elbv2.ListenerCondition.httpRequestMethods(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].slice(0, c.values));
    case 'sourceIp': return elbv2.ListenerCondition.sourceIps(n.map((j) => `10.${i}.${j}.0/24`));
    case 'query': return elbv2.ListenerCondition.queryStrings(n.map((j) => ({ key: `k${j}`, value: `v${j}` })));
  }
}

function makeRouting(stack: Stack, vpc: ec2.IVpc, cluster: ecs.Cluster, spec: ServiceSpec): TrafficRouting {
  const r = spec.routing;
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  switch (r.kind) {
    case 'alb': {
      let alb: elbv2.ApplicationLoadBalancer | undefined;
      const lb = () => alb ?? (alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true }));
      const listener: elbv2.IApplicationListener = r.listener === 'imported'
        ? elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
          listenerArn: LISTENER_ARN,
          securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'ListenerSg', 'sg-0123456789abcdef0'),
        })
        : lb().addListener('Production', { port: 80, defaultAction: notFound });
      if (r.existingRulePriority !== undefined) {
        listener.addAction('Existing', {
          priority: r.existingRulePriority,
          conditions: [elbv2.ListenerCondition.pathPatterns(['/existing/*'])],
          action: elbv2.ListenerAction.fixedResponse(200),
        });
      }
      const testListener = r.test === 'listener' || r.test === 'both'
        ? lb().addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false })
        : r.test === 'same-listener' ? listener : undefined;
      return TrafficRouting.applicationLoadBalancer({
        listener,
        testListener,
        testHeader: r.test === 'header' || r.test === 'both' ? r.header : undefined,
        priority: r.priority,
        testPriority: r.testPriority,
        conditions: r.conditions?.map(toCondition),
        targetProtocol: r.targetProtocol as elbv2.ApplicationProtocol | undefined,
        deregistrationDelay: r.deregistrationDelaySeconds === undefined ? undefined : Duration.seconds(r.deregistrationDelaySeconds),
        preserveLiveWeights: r.preserveLiveWeights,
      });
    }
    case 'nlb': {
      const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
        vpc,
        securityGroups: r.securityGroups ? [new ec2.SecurityGroup(stack, 'NlbSg', { vpc })] : undefined,
      });
      const protocol = nlbProtocol(r, modelOf(spec)?.ports[0]?.protocol ?? 'tcp');
      const listenerAt = (id: string, port: number) => nlb.addListener(id, {
        port,
        protocol,
        certificates: protocol === elbv2.Protocol.TLS ? [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)] : undefined,
      });
      const listener = listenerAt('Prod', 80);
      const testListener = r.test === 'listener' ? listenerAt('Test', 8080) : r.test === 'same-listener' ? listener : undefined;
      return TrafficRouting.networkLoadBalancer({
        listener,
        testListener,
        deregistrationDelay: r.deregistrationDelaySeconds === undefined ? undefined : Duration.seconds(r.deregistrationDelaySeconds),
        preserveLiveWeights: r.preserveLiveWeights,
      });
    }
    case 'service-connect':
      if (r.namespace === 'cluster') {
        cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
      }
      return TrafficRouting.serviceConnect({
        namespace: r.namespace === 'explicit' ? 'svc.local' : undefined,
        portMappingName: r.portMappingName,
        dnsName: r.dnsName,
        port: r.port,
        testTrafficHeader: r.testHeader,
      });
    default:
      return TrafficRouting.none();
  }
}

function makeDetails(d: DetailsSpec | undefined): any {
  if (!d) return undefined;
  switch (d.kind) {
    case 'object': return d.value;
    case 'huge': return { blob: 'x'.repeat(10_000) };
    case 'array': return [1, 2];
    case 'string': return 'details';
    case 'null': return null;
    case 'bigint': return { n: BigInt(1) };
    case 'circular': {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    }
  }
}

function makeHook(stack: Stack, i: number, h: HookSpec): LifecycleHook {
  const stages = h.stages as LifecycleStage[] | undefined;
  const onTimeout = (h as { onTimeout?: string }).onTimeout as HookTimeoutAction | undefined;
  switch (h.kind) {
    case 'pause':
      return LifecycleHook.pause({ stages: stages!, timeout: h.timeout && toDuration(h.timeout), onTimeout });
    case 'lambda': {
      const fn = h.fn === 'imported'
        ? lambda.Function.fromFunctionArn(stack, `HookFn${i}`, `arn:aws:lambda:us-east-1:123456789012:function:hook-${i}`)
        : new lambda.Function(stack, `HookFn${i}`, {
          runtime: lambda.Runtime.NODEJS_22_X,
          handler: 'index.handler',
          code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
        });
      return LifecycleHook.lambda(fn, { stages: stages!, details: makeDetails(h.details), timeout: h.timeout && toDuration(h.timeout), onTimeout });
    }
    case 'smoke':
      return LifecycleHookFunction.httpSmokeTest(stack, `Hook${i}`, {
        url: h.url,
        requests: h.requests,
        bodyPattern: h.bodyPattern,
        expectedStatus: h.expectedStatus,
        maxLatency: h.maxLatencyMs === undefined ? undefined : Duration.millis(h.maxLatencyMs),
        stages,
      }).toHook();
    case 'approval':
      return LifecycleHookFunction.approvalGate(stack, `Hook${i}`, { parameterPrefix: h.prefix, timeout: h.timeout && toDuration(h.timeout), onTimeout, stages })
        .toHook();
    case 'metric': {
      const alarms = Array.from({ length: h.alarms }, (_, j) => new cloudwatch.Alarm(stack, `HookAlarm${i}x${j}`, {
        metric: new cloudwatch.Metric({ namespace: 'App', metricName: `Errors${j}` }), threshold: 1, evaluationPeriods: 1,
      }));
      return LifecycleHookFunction.metricCheck(stack, `Hook${i}`, {
        alarms,
        metric: h.metric ? new cloudwatch.Metric({ namespace: 'App', metricName: 'Latency', dimensionsMap: { Service: 'api' } }) : undefined,
        threshold: h.threshold,
        failBelowThreshold: h.failBelow,
        duration: h.duration && toDuration(h.duration),
        stages,
      }).toHook();
    }
  }
}

/** Builds the stack a spec describes; throws what the constructs throw. */
/** Builds the service of a spec; `override` may change its props first (the wrong-type fuzz). */
export function buildService(spec: ServiceSpec, override?: (props: any, stack: Stack) => any): { stack: Stack; service: BlueGreenEcsService } {
  const stack = newFuzzStack();
  const vpc = makeVpc(stack, spec.vpc);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  if (TASKS[spec.task].ec2) {
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), minCapacity: 1, maxCapacity: 1 });
  }
  const taskDefinition = makeTask(stack, spec.task);
  const routing = makeRouting(stack, vpc, cluster, spec);
  const hooks = spec.hooks.map((h, i) => makeHook(stack, i, h));
  const alarms = Array.from({ length: spec.alarms }, (_, i) => new cloudwatch.Alarm(stack, `Alarm${i}`, {
    metric: new cloudwatch.Metric({ namespace: 'App', metricName: `Faults${i}` }), threshold: 1, evaluationPeriods: 1,
  }));
  const port = containerPort(spec);
  const props: any = {
    cluster,
    taskDefinition,
    routing,
    strategy: spec.strategy && makeStrategy(spec.strategy),
    hooks,
    alarms,
    circuitBreaker: spec.circuitBreaker,
    container: spec.container ? { containerName: containerName(spec), containerPort: port } : undefined,
    desiredCount: spec.desiredCount,
    minHealthyPercent: spec.minHealthyPercent,
    maxHealthyPercent: spec.maxHealthyPercent,
    serviceName: spec.serviceName,
    outputs: spec.outputs,
    vpcSubnets: spec.network?.vpcSubnets ? { subnetType: ec2.SubnetType.PUBLIC } : undefined,
    securityGroups: spec.network?.securityGroups ? [new ec2.SecurityGroup(stack, 'TaskSg', { vpc })] : undefined,
    assignPublicIp: spec.network?.assignPublicIp,
    additionalRouting: spec.extraAlb ? { Internal: internalAlbRouting(stack, vpc) } : undefined,
    circuitBreakerThreshold: spec.threshold && THRESHOLDS[spec.threshold.type](spec.threshold.value),
    healthCheckGracePeriod: spec.gracePeriodSeconds === undefined ? undefined : Duration.seconds(spec.gracePeriodSeconds),
  };
  const service = new BlueGreenEcsService(stack, 'Api', override ? override(props, stack) : props);
  return { stack, service };
}

const THRESHOLDS = {
  count: CircuitBreakerThreshold.count,
  bounded: CircuitBreakerThreshold.boundedPercent,
  unbounded: CircuitBreakerThreshold.unboundedPercent,
};

/** An internal ALB with a listener of its own, as a second exposure. */
function internalAlbRouting(stack: Stack, vpc: ec2.IVpc): TrafficRouting {
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'InternalAlb', { vpc, internetFacing: false });
  const listener = alb.addListener('Internal', {
    port: 8081,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(404),
  });
  return TrafficRouting.applicationLoadBalancer({ listener });
}

// ---------------------------------------------------------------------------------------------
// WeightedListenerRule
// ---------------------------------------------------------------------------------------------

export interface RuleSpec {
  readonly listener: 0 | 1;
  readonly priority?: number;
  readonly conditions?: ConditionSpec[];
  readonly sameTargetGroups: boolean;
  readonly stickinessSeconds?: number;
  readonly preserveLiveWeights?: boolean;
}

export interface RulesSpec {
  readonly vpc: 'new' | 'imported';
  readonly secondListener: 'new' | 'imported';
  readonly rules: RuleSpec[];
}

export function rulesArb(bad: boolean): fc.Arbitrary<RulesSpec> {
  const rule = fc.record({
    listener: fc.constantFrom(0 as const, 1 as const),
    priority: maybe(bad ? fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 50001, 2.5, NaN)) : fc.integer({ min: 1, max: 50000 })),
    conditions: maybe(conditionsArb(bad)),
    sameTargetGroups: bad ? fc.boolean() : fc.constant(false),
    stickinessSeconds: maybe(intArb(1, 604800, bad, [0, 604801, 1.5, NaN])),
    preserveLiveWeights: maybe(fc.boolean()),
  }, { requiredKeys: ['listener', 'sameTargetGroups'] });
  return fc.record({
    vpc: fc.constantFrom('new' as const, 'imported' as const),
    secondListener: fc.constantFrom('new' as const, 'imported' as const),
    rules: fc.array(rule, { minLength: 1, maxLength: 4 }),
  });
}

/** The first rule that must be rejected and the props it may name, or undefined when all are valid. */
export function rulesProblems(spec: RulesSpec): { index: number; props: string[] } | undefined {
  const taken = [new Set<number>(), new Set<number>()];
  for (const [index, r] of spec.rules.entries()) {
    const props: string[] = [];
    const priority = r.priority ?? 50000;
    const priorityOk = integerIn(r.priority, 1, 50000);
    if (!priorityOk) props.push('priority');
    if (r.sameTargetGroups) props.push('greenTargetGroup');
    if (r.conditions && conditionProblems(r.conditions, 0)) props.push('conditions');
    if (!integerIn(r.stickinessSeconds, 1, 604800)) props.push('stickinessDurationSeconds');
    if (priorityOk && taken[r.listener].has(priority)) props.push('priority');
    if (props.length > 0) return { index, props };
    taken[r.listener].add(priority);
  }
  return undefined;
}

/** Builds the rules a spec describes, in order; throws what the first failing rule throws. */
export function buildRules(spec: RulesSpec): { stack: Stack; rules: WeightedListenerRule[] } {
  const stack = newFuzzStack();
  const vpc = makeVpc(stack, spec.vpc);
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  const listeners: elbv2.IApplicationListener[] = [
    alb.addListener('Production', { port: 80, defaultAction: notFound }),
    spec.secondListener === 'new'
      ? alb.addListener('Second', { port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false })
      : elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Second', {
        listenerArn: LISTENER_ARN,
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'SecondSg', 'sg-0123456789abcdef0'),
      }),
  ];
  const rules = spec.rules.map((r, i) => {
    const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, `${id}${i}`, {
      vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
    });
    const blue = tg('Blue');
    return new WeightedListenerRule(stack, `Rule${i}`, {
      listener: listeners[r.listener],
      blueTargetGroup: blue,
      greenTargetGroup: r.sameTargetGroups ? blue : tg('Green'),
      priority: r.priority,
      conditions: r.conditions?.map(toCondition),
      stickinessDurationSeconds: r.stickinessSeconds,
      preserveLiveWeights: r.preserveLiveWeights,
    });
  });
  return { stack, rules };
}
