import { CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { MANAGED_POLICY_CHARS, MAX_ELB_ARN_CHARS, PageItem, ROLE_INLINE_POLICY_CHARS, paginate } from '../../src/private/policy-size';
import { INFRASTRUCTURE_ROLE_SLOTS, LoadBalancerResources, infrastructureRoleFor, infrastructureRoleSlot } from '../../src/service/infrastructure-role';
import { checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';

/**
 * The pooled infrastructure roles: a service's role is fixed by its path (slot); a slot whose
 * policy could outgrow IAM's inline quota spills statements into managed policies attached to the
 * same role, so that no service ever changes role because of its neighbours.
 */

/** `count` construct IDs whose paths fall into `slot`. */
function idsInSlot(slot: number, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) if (infrastructureRoleSlot(`S${i}`) === slot) ids.push(`S${i}`);
  return ids;
}

/** A token standing for an ARN CloudFormation resolves at deploy time (an import here). */
const ref = (id: string) => Fn.importValue(id);

/** Two target groups and two rules of the service, and the two listeners every service shares (the same tokens, as a listener's listenerArn is). */
function resourcesOf(id: string, listeners: string[]): LoadBalancerResources {
  return { targetGroupArns: [ref(`${id}Blue`), ref(`${id}Green`)], listenerRuleArns: [ref(`${id}Prod`), ref(`${id}Test`)], listenerArns: listeners };
}

interface Built { readonly stack: Stack; readonly template: any; readonly roleOf: Record<string, string> }

function build(ids: string[]): Built {
  const stack = newStack();
  const roleOf: Record<string, string> = {};
  const listeners = [ref('ProdListener'), ref('TestListener')];
  const services: Array<[string, Construct]> = ids.map((id) => [id, new Construct(stack, id)]);
  for (const [id, scope] of services) {
    const role = infrastructureRoleFor(scope, resourcesOf(id, listeners));
    roleOf[id] = stack.resolve((role.node.defaultChild as CfnResource).logicalId);
    // Like the ECS service: it depends on the role (and so on every policy of the role).
    new CfnResource(scope, 'Service', { type: 'AWS::SNS::Topic' }).node.addDependency(role);
  }
  return { stack, template: checkStack(stack).toJSON(), roleOf };
}

/** Every policy document of a role: inline, then the managed policies attached to it. */
function documentsOf(template: any, roleId: string): any[] {
  const inline = template.Resources[roleId].Properties.Policies.map((p: any) => p.PolicyDocument);
  const managed = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
    .map((r) => r.Properties.PolicyDocument);
  return [...inline, ...managed];
}

/** The document's length once resolved, with every reference replaced by the longest ARN of its kind. */
function worstCaseLength(doc: any): number {
  const kind = (id: string) => (/(Prod|Test)$/.test(id) ? 'listenerRule' : /Listener$/.test(id) ? 'listener' : 'targetGroup');
  return JSON.stringify(doc).replace(/\{"Fn::ImportValue":"([A-Za-z0-9]+)"\}/g, (_m, id) => `"${'x'.repeat(MAX_ELB_ARN_CHARS[kind(id) as keyof typeof MAX_ELB_ARN_CHARS])}"`).length;
}

describe('role slots', () => {
  test('a service\'s slot depends on its path only, and spreads over all slots', () => {
    const slots = Array.from({ length: 400 }, (_, i) => infrastructureRoleSlot(`Svc${i}`));
    expect(new Set(slots).size).toBe(INFRASTRUCTURE_ROLE_SLOTS);
    expect(infrastructureRoleSlot('Svc7')).toBe(infrastructureRoleSlot('Svc7'));
    // No slot gets more than twice its share of 400 services.
    for (let s = 0; s < INFRASTRUCTURE_ROLE_SLOTS; s++) expect(slots.filter((x) => x === s).length).toBeLessThan(2 * 400 / INFRASTRUCTURE_ROLE_SLOTS);
  });

  test('roles exist only for slots in use, named by the slot', () => {
    const ids = [...idsInSlot(2, 2), ...idsInSlot(5, 1)];
    const { template } = build(ids);
    const roles = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::IAM::Role');
    expect(roles.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['EcsBlueGreenInfrastructureRolesRole3', 'EcsBlueGreenInfrastructureRolesRole6']);
    // The policy is inline: no AWS::IAM::Policy resource.
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
  });

  test('the policy text does not depend on the order services are written in', () => {
    const ids = idsInSlot(1, 6);
    const a = build(ids);
    const b = build([...ids].reverse());
    expect(b.template).toEqual(a.template);
  });
});

describe('a slot too full for the inline policy', () => {
  const ids = idsInSlot(4, 40);
  const full = build(ids);
  const roleId = full.roleOf[ids[0]];

  test('every service keeps the one role of its slot; the last ones spill into managed policies attached to it', () => {
    expect(new Set(Object.values(full.roleOf))).toEqual(new Set([roleId]));
    const docs = documentsOf(full.template, roleId);
    expect(docs.length).toBeGreaterThan(2);
    // Each page fits its quota even with the longest possible ARNs.
    expect(worstCaseLength(docs[0])).toBeLessThanOrEqual(ROLE_INLINE_POLICY_CHARS);
    for (const doc of docs.slice(1)) expect(worstCaseLength(doc)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    // Each service's target groups and rules are granted exactly once, on one page, in path order.
    const granted = docs.flatMap((d) => d.Statement.filter((x: any) => x.Sid !== 'ReadLoadBalancers' && x.Action !== 'elasticloadbalancing:ModifyListener')
      .flatMap((x: any) => x.Resource.map((r: any) => r['Fn::ImportValue'])));
    const sorted = [...ids].sort();
    expect(granted.sort()).toEqual(sorted.flatMap((id) => [`${id}Blue`, `${id}Green`, `${id}Prod`, `${id}Test`]).sort());
    // The read statement is once, in the inline policy; each page names the listeners its services use.
    expect(docs.map((d) => d.Statement.filter((x: any) => x.Sid === 'ReadLoadBalancers').length)).toEqual([1, ...docs.slice(1).map(() => 0)]);
    for (const doc of docs) {
      expect(doc.Statement.find((x: any) => x.Action === 'elasticloadbalancing:ModifyListener').Resource)
        .toEqual([{ 'Fn::ImportValue': 'ProdListener' }, { 'Fn::ImportValue': 'TestListener' }]);
    }
  });

  test('a service waits for every policy of its role', () => {
    const spills = Object.keys(full.template.Resources).filter((id) => full.template.Resources[id].Type === 'AWS::IAM::ManagedPolicy');
    const service = Object.entries<any>(full.template.Resources).find(([id]) => id.startsWith(`${ids[0]}Service`))![1];
    expect(service.DependsOn).toEqual(expect.arrayContaining([roleId, ...spills]));
  });

  test('removing or adding services moves statements between pages, never a service to another role', () => {
    const fewer = build(ids.slice(5));
    const more = build([...ids, ...idsInSlot(4, 45).slice(40)]);
    for (const id of ids.slice(5)) expect(fewer.roleOf[id]).toBe(roleId);
    for (const id of ids) expect(more.roleOf[id]).toBe(roleId);
  });

  test('fails at synth, naming the role, when a slot would need more managed policies than IAM attaches to a role', () => {
    const stack = newStack();
    const scopes = idsInSlot(0, 200).map((id) => new Construct(stack, id));
    const listeners = [ref('ProdListener'), ref('TestListener')];
    const error = errorOf(() => scopes.forEach((s) => infrastructureRoleFor(s, resourcesOf(s.node.id, listeners))));
    expect(error.prop).toBe('routing');
    expect(error.message).toMatch(/services sharing infrastructure role Role1 need 11 managed policies besides the inline one; IAM attaches at most 10 to a role/);
  });
});

describe('paginate', () => {
  const item = (chars: number, ...shared: string[]): PageItem => ({ chars, shared: shared.map((s) => [s, 10] as const) });

  test('fills each page before opening the next; a shared ARN counts once per page', () => {
    expect(paginate([item(40, 'L'), item(40, 'L'), item(40, 'L')], 100, 60)).toEqual([0, 0, 1]);
    expect(paginate([item(40), item(40), item(40)], 100, 60)).toEqual([0, 0, 1]);
    expect(paginate([item(45, 'L'), item(45, 'M')], 100, 100)).toEqual([0, 1]);
  });

  test('adding an item never reduces the number of pages (so a policy that fits keeps fitting when a service leaves)', () => {
    const arb = fc.record({
      items: fc.array(fc.record({ chars: fc.integer({ min: 1, max: 50 }), shared: fc.subarray(['A', 'B', 'C']) }), { maxLength: 30 }),
      extra: fc.record({ chars: fc.integer({ min: 1, max: 50 }), shared: fc.subarray(['A', 'B', 'C']) }),
      at: fc.nat(),
    });
    fc.assert(fc.property(arb, ({ items, extra, at }) => {
      const toItem = (x: { chars: number; shared: string[] }) => item(x.chars, ...x.shared);
      const before = paginate(items.map(toItem), 120, 80);
      const withExtra = [...items.map(toItem)];
      withExtra.splice(at % (items.length + 1), 0, toItem(extra));
      const after = paginate(withExtra, 120, 80);
      expect(Math.max(0, ...after)).toBeGreaterThanOrEqual(Math.max(0, ...before));
    }), { seed: 20250611, numRuns: 300 });
  });
});
