import * as fc from 'fast-check';
import { checkProperty, runsFor, timeoutFor } from './fuzz-config';
import { PlatformService, PlatformTemplate, canonical, differencesOf, platformService, roleOf, synthPlatform } from '../support/platform';

/**
 * Property: a platform team changes one thing at a time in a stack of up to 20 blue/green services
 * with hooks (add a service, remove one, reorder the code, change one service). After each deploy,
 * every service the step did not touch has byte-identical resources in the template (ECS service,
 * target groups, listener rules or NLB listeners, security groups, task definition) and the same
 * reader entries, so CloudFormation updates nothing of it: no new ECS deployment, no rule
 * rewrite, same infrastructure role. Only the shared resources (the pooled roles' policy text,
 * the reader's list of entries) may change.
 *
 * Each run is a random first stack plus 4 steps; FUZZ_RUNS scales the run count (5 by default, so
 * that `npm test` stays short), FUZZ_SEED the seed.
 */

const MAX_SERVICES = 20;
const STEPS = 4;
const RUNS = runsFor(1 / 3);

type Change = 'tag' | 'desiredCount' | 'moved' | 'hook';
type Step =
  | { readonly kind: 'add'; readonly routing: PlatformService['routing']; readonly hook: PlatformService['hook'] }
  | { readonly kind: 'remove'; readonly pick: number }
  | { readonly kind: 'reorder'; readonly seed: number }
  | { readonly kind: 'change'; readonly pick: number; readonly change: Change };

const routingArb = fc.constantFrom<PlatformService['routing']>('test-listener', 'test-header', 'nlb');
const hookArb = fc.constantFrom<PlatformService['hook']>('lambda', 'pause', 'none');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), routing: routingArb, hook: hookArb }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reorder' as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), change: fc.constantFrom<Change>('tag', 'desiredCount', 'moved', 'hook') }),
);
const scenarioArb = fc.record({
  first: fc.array(fc.record({ routing: routingArb, hook: hookArb }), { minLength: 1, maxLength: MAX_SERVICES }),
  steps: fc.array(stepArb, { minLength: STEPS, maxLength: STEPS }),
});

/** Applies a step to the list of services; returns the new list and the service it changed, if any. */
function apply(services: PlatformService[], step: Step, nextN: number): { services: PlatformService[]; touched?: number } {
  switch (step.kind) {
    case 'add':
      if (services.length >= MAX_SERVICES) return { services };
      return { services: [...services, platformService(nextN, { routing: step.routing, hook: step.hook })], touched: nextN };
    case 'remove': {
      if (services.length <= 1) return { services };
      const i = step.pick % services.length;
      return { services: services.filter((_, j) => j !== i), touched: services[i].n };
    }
    case 'reorder':
      return { services: shuffled(services, step.seed) };
    case 'change': {
      const i = step.pick % services.length;
      const s = services[i];
      const changed: PlatformService = {
        ...s,
        ...(step.change === 'tag' ? { tag: s.tag === '1.27' ? '1.28' : '1.27' } : {}),
        ...(step.change === 'desiredCount' ? { desiredCount: s.desiredCount + 1 } : {}),
        ...(step.change === 'moved' ? { moved: !s.moved } : {}),
        ...(step.change === 'hook' ? { hook: s.hook === 'lambda' ? 'pause' : s.hook === 'pause' ? 'none' : 'lambda' } : {}),
      };
      return { services: services.map((x, j) => (j === i ? changed : x)), touched: s.n };
    }
  }
}

/** A permutation that depends on the seed only (a small LCG drives Fisher-Yates). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = (seed % 2147483647) + 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 48271) % 2147483647;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The policy documents that apply to a role: its inline policies and the policies attached to it. */
function policiesOf(template: any, roleId: string): string {
  const docs: unknown[] = [...template.Resources[roleId]?.Properties?.Policies ?? []];
  for (const r of Object.values<any>(template.Resources)) {
    const attached = (r.Properties?.Roles ?? []).some((x: any) => x?.Ref === roleId);
    if (attached && (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')) docs.push(r.Properties.PolicyDocument);
  }
  return JSON.stringify(docs);
}

function checkStep(before: PlatformTemplate, after: PlatformTemplate, services: PlatformService[], step: Step, touched?: number): void {
  const problems: string[] = [];
  for (const s of services) {
    const id = `Svc${s.n}`;
    const role = roleOf(id, after);
    // Every service's role exists and grants it its own target groups.
    const blue = after.owned[id].find((l) => after.template.Resources[l].Type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && l.includes('Blue'));
    if (!role || !policiesOf(after.template, role).includes(JSON.stringify({ Ref: blue }))) {
      problems.push(`${id}: role ${role} does not grant its target group ${blue}`);
    }
    if (s.n === touched || before.owned[id] === undefined) continue;
    problems.push(...differencesOf(id, before, after).map((d) => `${id} changed: ${d}`));
    if (roleOf(id, before) !== role) problems.push(`${id}: role moved from ${roleOf(id, before)} to ${role}`);
  }
  if (step.kind === 'reorder' && canonical(before.template) !== canonical(after.template)) {
    problems.push('reordering the services in the code changed the template');
  }
  if (problems.length > 0) throw new Error(`after ${JSON.stringify(step)}:\n  ${problems.join('\n  ')}`);
}

test(`stack updates touch only what changed: ${RUNS} random sequences of ${STEPS} steps on up to ${MAX_SERVICES} services`, () => {
  checkProperty('stack-updates', scenarioArb, ({ first, steps }) => {
    let services = first.map((s, n) => platformService(n, s));
    let nextN = services.length;
    let template = synthPlatform(services);
    for (const step of steps) {
      const next = apply(services, step, nextN);
      if (step.kind === 'add' && next.touched !== undefined) nextN++;
      const after = synthPlatform(next.services);
      checkStep(template, after, next.services, step, next.touched);
      services = next.services;
      template = after;
    }
  }, RUNS, 'test/reliability/stack-updates.test.ts');
}, timeoutFor(RUNS * (STEPS + 1), 3_000));
