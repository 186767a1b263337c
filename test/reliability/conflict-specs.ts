import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import * as fc from 'fast-check';
import { makeVpc, newFuzzStack } from './service-specs';
import { BlueGreenEcsService, LifecycleHook, LifecycleStage, TrafficRouting } from '../../src';

/**
 * Generated cross-construct scenarios ("conflict specs"): several services, listeners and Lattice
 * resources in one app, each valid on its own, and an independent oracle of the combinations
 * ECS, ELB or VPC Lattice refuse, each with the construct that must be rejected and the props that
 * may be named:
 *  - VPC Lattice: two rules with one priority on one listener (CreateRule; "HTTP listeners for VPC
 *    Lattice services": a listener cannot have several rules with the same priority), a test
 *    listener of another Lattice service ("Create a VPC Lattice target group": listeners sharing a
 *    target group belong to one service), a latticeService that is not the listener's, GRPC target
 *    groups over HTTP;
 *  - NLB: a listener that already has a default action (set by the user, or by another service);
 *  - hooks: a PAUSE hook at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT (ECS API reference,
 *    DeploymentLifecycleHook).
 */

const STAGES = Object.values(LifecycleStage) as string[];
const NO_PAUSE = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];
const LATTICE_ARN = 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0';
const OTHER_LATTICE_ARN = 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0fedcba9876543210/listener/listener-0fedcba987654321f';

/** How one service names its Lattice production listener: the app's L1, its ARN attribute, or a literal ARN of an imported listener. */
export type LatticeListenerUse = 'cfn' | 'attrArn' | 'arn';

export interface LatticeServiceSpec {
  readonly listener: LatticeListenerUse;
  readonly priority: number;
  /** Test traffic: none, a header on the production listener, or the shared test listener. */
  readonly test: 'none' | 'header' | 'listener';
  readonly testPriority?: number;
  /** Which Lattice service the test listener belongs to (with test 'listener'). */
  readonly testListenerOf: 'same' | 'other';
  /** latticeService: none, the listener's, or another one. */
  readonly latticeService: 'none' | 'same' | 'other';
  readonly targetProtocol?: 'HTTP' | 'HTTPS';
  readonly protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
  /** A PAUSE hook at these stages. */
  readonly pauseStages?: string[];
}

export interface NlbServiceSpec {
  /** Index of the NLB listener (shared by services with the same index). */
  readonly listener: number;
  /** Index of the test listener, if any (never the production one). */
  readonly testListener?: number;
  readonly pauseStages?: string[];
}

export type ConflictSpec =
  | { readonly kind: 'lattice'; readonly userRulePriority?: number; readonly services: LatticeServiceSpec[] }
  | { readonly kind: 'nlb'; readonly listenersWithDefault: boolean[]; readonly services: NlbServiceSpec[] };

const ALLOWED_PAUSE = STAGES.filter((st) => !NO_PAUSE.includes(st));

function pauseArb(bad: boolean): fc.Arbitrary<string[] | undefined> {
  return fc.option(fc.subarray(bad ? STAGES : ALLOWED_PAUSE, { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 2 });
}

/** With `bad`, a few priorities so that collisions are frequent; otherwise any. */
function priorityArb(bad: boolean): fc.Arbitrary<number> {
  return bad ? fc.constantFrom(2, 3, 10, 11, 50, 100) : fc.integer({ min: 2, max: 100 });
}

function latticeServiceArb(bad: boolean): fc.Arbitrary<LatticeServiceSpec> {
  return fc.record({
    listener: fc.constantFrom<LatticeListenerUse>('cfn', 'attrArn', 'arn'),
    priority: priorityArb(bad),
    test: fc.constantFrom('none' as const, 'header' as const, 'listener' as const),
    testPriority: bad ? fc.option(priorityArb(bad), { nil: undefined }) : fc.constant(undefined),
    testListenerOf: bad ? fc.constantFrom('same' as const, 'other' as const) : fc.constant('same' as const),
    latticeService: bad ? fc.constantFrom('none' as const, 'same' as const, 'other' as const) : fc.constantFrom('none' as const, 'same' as const),
    targetProtocol: fc.option(fc.constantFrom('HTTP' as const, 'HTTPS' as const), { nil: undefined }),
    protocolVersion: bad ? fc.option(fc.constantFrom('HTTP1' as const, 'HTTP2' as const, 'GRPC' as const), { nil: undefined })
      : fc.option(fc.constantFrom('HTTP1' as const, 'HTTP2' as const), { nil: undefined }),
    pauseStages: pauseArb(bad),
  }, { requiredKeys: ['listener', 'priority', 'test', 'testListenerOf', 'latticeService'] });
}

/** Scenarios; with `bad`, conflicts are likely, otherwise they are rare (priorities may still collide). */
export function conflictArb(bad: boolean): fc.Arbitrary<ConflictSpec> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('lattice' as const),
      userRulePriority: bad ? fc.option(priorityArb(bad), { nil: undefined }) : fc.constant(undefined),
      services: fc.array(latticeServiceArb(bad), { minLength: 1, maxLength: bad ? 3 : 2 }),
    }, { requiredKeys: ['kind', 'services'] }),
    bad
      ? fc.record({
        kind: fc.constant('nlb' as const),
        listenersWithDefault: fc.array(fc.boolean(), { minLength: 2, maxLength: 3 }),
        services: fc.array(fc.record({
          listener: fc.nat(2),
          testListener: fc.option(fc.nat(2), { nil: undefined }),
          pauseStages: pauseArb(bad),
        }, { requiredKeys: ['listener'] }), { minLength: 1, maxLength: 3 }),
      })
      // One listener per service; the last listener is the first service's test listener, if any.
      : fc.record({ count: fc.integer({ min: 1, max: 2 }), test: fc.boolean(), pause: pauseArb(bad) })
        .map(({ count, test, pause }): ConflictSpec => ({
          kind: 'nlb',
          listenersWithDefault: Array.from({ length: count + 1 }, () => false),
          services: Array.from({ length: count }, (_, i) => ({ listener: i, testListener: test && i === 0 ? count : undefined, pauseStages: pause })),
        })),
  );
}

/** The first service the oracle expects to be rejected, and the props its error may name. */
export interface Verdict {
  readonly index?: number;
  readonly props: string[];
}

function pauseProblems(stages: string[] | undefined): string[] {
  return stages && stages.some((s) => NO_PAUSE.includes(s)) ? ['hooks.stages'] : [];
}

/**
 * Services are built in order; the first one with a fault is rejected (anything built after it
 * is not reached). Per service, any of its faults may be the one named.
 */
export function verdictOf(spec: ConflictSpec): Verdict {
  if (spec.kind === 'nlb') {
    const hasDefault = [...spec.listenersWithDefault];
    for (const [i, s] of spec.services.entries()) {
      const p: string[] = [];
      const prod = s.listener % hasDefault.length;
      const test = s.testListener === undefined ? undefined : s.testListener % hasDefault.length;
      if (test === prod) {p.push('routing.testListener');} else {
        if (hasDefault[prod]) p.push('routing.listener');
        if (test !== undefined && hasDefault[test]) p.push('routing.testListener');
      }
      p.push(...pauseProblems(s.pauseStages));
      if (p.length > 0) return { index: i, props: p };
      hasDefault[prod] = true;
      if (test !== undefined) hasDefault[test] = true;
    }
    return { props: [] };
  }
  // Lattice: the app's listener (used as L1 or by its ARN attribute) and the imported one (literal
  // ARN) are different registries; the test listener is shared by every service that uses it.
  const taken = new Map<string, Set<number>>([['app', new Set()], ['imported', new Set()], ['test-same', new Set()], ['test-other', new Set()]]);
  if (spec.userRulePriority !== undefined) taken.get('app')!.add(spec.userRulePriority);
  for (const [i, s] of spec.services.entries()) {
    const p: string[] = [];
    const where = s.listener === 'arn' ? 'imported' : 'app';
    const headerPriority = s.testPriority ?? s.priority - 1;
    if (s.test === 'header' && headerPriority >= s.priority) p.push('routing.testPriority');
    if (s.test === 'header' && headerPriority < 1) p.push('routing.testPriority');
    if ((s.targetProtocol ?? 'HTTP') === 'HTTP' && s.protocolVersion === 'GRPC') p.push('routing.protocolVersion');
    // The test listener belongs to the app's Lattice service ('same') or to another one; next to an
    // imported production listener (svc-0123...) both are other services' unless literal ARNs match.
    const testOther = s.test === 'listener' && (s.testListenerOf === 'other' || s.listener === 'arn');
    if (testOther) p.push(s.listener === 'arn' ? 'routing.testListenerArn' : 'routing.testListener');
    // latticeService must be the production listener's (checked for the app's listener; the
    // imported one's service is a literal ID, not comparable with an L1).
    if (s.latticeService === 'other' && s.listener !== 'arn') p.push('routing.latticeService');
    const claims: Array<[string, number, string]> = [[where, s.priority, 'routing.priority']];
    if (s.test === 'header') claims.push([where, headerPriority, 'routing.testPriority']);
    if (s.test === 'listener' && !testOther) claims.push([`test-${s.testListenerOf}`, s.testPriority ?? s.priority, 'routing.testPriority']);
    for (const [w, n, prop] of claims) if (taken.get(w)!.has(n)) p.push(prop);
    p.push(...pauseProblems(s.pauseStages));
    if (p.length > 0) return { index: i, props: p };
    for (const [w, n] of claims) taken.get(w)!.add(n);
  }
  return { props: [] };
}

function task(stack: Stack, id: string): ecs.FargateTaskDefinition {
  const td = new ecs.FargateTaskDefinition(stack, id, { cpu: 256, memoryLimitMiB: 512 });
  td.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), portMappings: [{ containerPort: 80, name: 'web' }] });
  return td;
}

function hooks(stages: string[] | undefined): LifecycleHook[] {
  return stages ? [LifecycleHook.pause({ stages: stages as LifecycleStage[] })] : [];
}

/** Builds the scenario's services in order (Svc0, Svc1, ...); the first rejected one throws. */
export function buildConflict(spec: ConflictSpec): Stack {
  const stack = newFuzzStack();
  const vpc = makeVpc(stack, 'imported');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const service = (i: number, routing: TrafficRouting, stages?: string[]) => new BlueGreenEcsService(stack, `Svc${i}`, {
    cluster, taskDefinition: task(stack, `Task${i}`), routing, hooks: hooks(stages),
  });
  if (spec.kind === 'nlb') {
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const other = new elbv2.NetworkTargetGroup(stack, 'Existing', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    const n = spec.listenersWithDefault.length;
    // A listener no service uses and without a default action would be invalid in aws-cdk-lib: made on first use.
    const listeners = spec.listenersWithDefault.map((d, i) => (d ? nlb.addListener(`L${i}`, { port: 8000 + i, defaultTargetGroups: [other] }) : undefined));
    const listenerAt = (i: number) => listeners[i % n] ?? (listeners[i % n] = nlb.addListener(`L${i % n}`, { port: 8000 + (i % n) }));
    spec.services.forEach((s, i) => service(i, TrafficRouting.networkLoadBalancer({
      listener: listenerAt(s.listener),
      testListener: s.testListener === undefined ? undefined : listenerAt(s.testListener),
    }), s.pauseStages));
    return stack;
  }
  const mine = new vpclattice.CfnService(stack, 'Lattice', { authType: 'NONE' });
  const theirs = new vpclattice.CfnService(stack, 'OtherLattice', { authType: 'NONE' });
  const listener = (id: string, svc: vpclattice.CfnService, port: number) => new vpclattice.CfnListener(stack, id, {
    serviceIdentifier: svc.attrId, protocol: 'HTTP', port, defaultAction: { fixedResponse: { statusCode: 404 } },
  });
  const production = listener('Listener', mine, 80);
  const tests = { same: listener('TestListener', mine, 8080), other: listener('OtherListener', theirs, 8080) };
  if (spec.userRulePriority !== undefined) {
    new vpclattice.CfnRule(stack, 'UserRule', {
      serviceIdentifier: mine.attrId,
      listenerIdentifier: production.attrId,
      priority: spec.userRulePriority,
      match: { httpMatch: { pathMatch: { match: { prefix: '/legacy' } } } },
      action: { fixedResponse: { statusCode: 410 } },
    });
  }
  spec.services.forEach((s, i) => {
    const imported = s.listener === 'arn';
    service(i, TrafficRouting.vpcLattice({
      listener: s.listener === 'cfn' ? production : undefined,
      listenerArn: s.listener === 'attrArn' ? production.attrArn : imported ? LATTICE_ARN : undefined,
      latticeService: s.latticeService === 'same' ? (imported ? undefined : mine) : s.latticeService === 'other' ? theirs : undefined,
      priority: s.priority,
      testHeader: s.test === 'header' ? { name: 'x-green', value: '1' } : undefined,
      // Next to an imported listener, the test listener is an ARN of another service.
      testListener: s.test === 'listener' && !imported ? tests[s.testListenerOf] : undefined,
      testListenerArn: s.test === 'listener' && imported ? OTHER_LATTICE_ARN : undefined,
      testPriority: s.test === 'none' ? undefined : s.testPriority,
      targetProtocol: s.targetProtocol,
      protocolVersion: s.protocolVersion,
    }), s.pauseStages);
  });
  return stack;
}
