import * as crypto from 'crypto';
import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { exemptFromNag } from '../private/nag';
import { pathInStack } from '../private/path';
import {
  MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_CHARS, PageItem, ROLE_INLINE_POLICY_CHARS, arnChars, paginate,
} from '../private/policy-size';

/** The load balancer resources ECS manages for one service during its deployments. */
export interface LoadBalancerResources {
  /** Blue and green target groups: ECS registers and deregisters tasks there. */
  readonly targetGroupArns: string[];
  /** ALB listener rules whose forward weights ECS rewrites (production and test). */
  readonly listenerRuleArns: string[];
  /** Listeners: NLB listeners whose default action ECS rewrites, and the ALB rules' listeners. */
  readonly listenerArns: string[];
  /** VPC Lattice target groups: ECS registers and deregisters tasks there. */
  readonly latticeTargetGroupArns?: string[];
  /** VPC Lattice listener rules whose forward weights ECS rewrites (production and test). */
  readonly latticeRuleArns?: string[];
}

/**
 * Number of infrastructure role slots per stack. A service's slot is fixed by a hash of its
 * construct path, so it never depends on which other services exist or in which order they are
 * written. 8 slots keep a stack of 45 services within CloudFormation's 500 resources (one
 * resource per slot in use: the role carries its policy inline) while each slot's policy stays
 * far below IAM's quota for the services it gets.
 */
export const INFRASTRUCTURE_ROLE_SLOTS = 8;

const POOL_ID = 'EcsBlueGreenInfrastructureRoles';
const INLINE_POLICY_NAME = 'LoadBalancers';
/** Kept free of each policy's quota: IAM's counting of the policy name, rounding. */
const MARGIN_CHARS = 256;

const READ_LOAD_BALANCERS = {
  Sid: 'ReadLoadBalancers',
  Effect: 'Allow',
  Action: [
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ],
  Resource: '*',
};

/**
 * What ECS reads for VPC Lattice (the EC2 part of the AWS managed policy
 * AmazonECSInfrastructureRolePolicyForVpcLattice): these EC2 Describe calls do not support
 * resource-level permissions. In the role's inline policy only, and only when the slot has a
 * Lattice service.
 */
const READ_FOR_VPC_LATTICE = {
  Sid: 'ReadForVpcLattice',
  Effect: 'Allow',
  Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeInstances'],
  Resource: '*',
};
/** Lattice target group actions of the managed policy, scoped here to the services' own target groups. */
const LATTICE_TARGET_GROUP_ACTIONS = ['vpc-lattice:RegisterTargets', 'vpc-lattice:DeregisterTargets', 'vpc-lattice:GetTargetGroup', 'vpc-lattice:ListTargets'];
/** ECS reads and rewrites the forward weights of the Lattice production and test rules. */
const LATTICE_RULE_ACTIONS = ['vpc-lattice:GetRule', 'vpc-lattice:UpdateRule'];

/** The slot (0 to INFRASTRUCTURE_ROLE_SLOTS - 1) of a service, by its path in the stack. */
export function infrastructureRoleSlot(key: string): number {
  return parseInt(crypto.createHash('sha256').update(key).digest('hex').slice(0, 8), 16) % INFRASTRUCTURE_ROLE_SLOTS;
}

interface Member extends PageItem {
  readonly key: string;
  readonly resources: LoadBalancerResources;
}

/**
 * One role of the pool and the services it serves. The policy lists, per action, the resources of
 * all its services (sorted by service path, so the text does not depend on construction order).
 * It lives inline in the role; if the services' ARNs could exceed the inline quota once resolved,
 * the services sorted last spill into customer managed policies attached to the same role, so no
 * service ever changes role because of its neighbours: only policy text moves.
 */
class RoleSlot {
  public readonly role: iam.Role;
  private readonly members = new Map<string, Member>();
  private readonly spills: iam.CfnManagedPolicy[] = [];
  /** Whether a member routes through VPC Lattice (the inline policy then carries READ_FOR_VPC_LATTICE). */
  private lattice = false;

  constructor(pool: Construct, id: string) {
    this.role = new iam.Role(pool, id, {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'Lets ECS shift traffic between the blue and green target groups of its blue/green services',
    });
    // On the L1 property (not an override), so that cdk-nag and other aspects see the policy.
    (this.role.node.defaultChild as iam.CfnRole).policies = [{
      policyName: INLINE_POLICY_NAME,
      policyDocument: Lazy.any({ produce: () => this.document(0) }),
    }];
    exemptFromNag(this.role, [{
      id: 'AwsSolutions-IAM5',
      reason: 'elasticloadbalancing:Describe* do not support resource-level permissions; every other action is scoped to the services\' own target groups, rules and listeners.',
      appliesTo: ['Resource::*'],
    }]);
  }

  add(scope: IConstruct, key: string, resources: LoadBalancerResources): void {
    const previous = this.members.get(key)?.resources;
    const merged: LoadBalancerResources = previous ? {
      targetGroupArns: unique([...previous.targetGroupArns, ...resources.targetGroupArns]),
      listenerRuleArns: unique([...previous.listenerRuleArns, ...resources.listenerRuleArns]),
      listenerArns: unique([...previous.listenerArns, ...resources.listenerArns]),
      latticeTargetGroupArns: unique([...previous.latticeTargetGroupArns ?? [], ...resources.latticeTargetGroupArns ?? []]),
      latticeRuleArns: unique([...previous.latticeRuleArns ?? [], ...resources.latticeRuleArns ?? []]),
    } : resources;
    if (hasLattice(merged) && !this.lattice) {
      this.lattice = true;
      exemptFromNag(this.role, [{
        id: 'AwsSolutions-IAM5',
        reason: 'ec2:DescribeSubnets, DescribeVpcs and DescribeInstances (read by ECS for VPC Lattice) do not support resource-level permissions; ' +
          'the vpc-lattice actions are scoped to the services\' own Lattice target groups and rules.',
        appliesTo: ['Resource::*'],
      }]);
    }
    const member: Member = { key, resources: merged, ...charsOf(merged) };
    const alone = member.chars + member.shared.reduce((n, [, chars]) => n + chars, 0);
    if (alone > MANAGED_POLICY_CHARS - MARGIN_CHARS - skeletonChars(false)) {
      throw new BlueGreenValidationError(scope, 'routing',
        `its ${merged.targetGroupArns.length + merged.listenerRuleArns.length + merged.listenerArns.length
          + (merged.latticeTargetGroupArns?.length ?? 0) + (merged.latticeRuleArns?.length ?? 0)} target groups, rules and listeners ` +
        `need up to ${alone} characters of IAM policy, more than a managed policy holds (${MANAGED_POLICY_CHARS})`);
    }
    this.members.set(key, member);
    const pages = this.pages();
    const needed = Math.max(...pages.values());
    if (needed > MANAGED_POLICIES_PER_ROLE) {
      throw new BlueGreenValidationError(scope, 'routing',
        `the ${this.members.size} services sharing infrastructure role ${this.role.node.id} need ${needed} managed policies besides the inline one; ` +
        `IAM attaches at most ${MANAGED_POLICIES_PER_ROLE} to a role. Spread the services over more stacks`);
    }
    while (this.spills.length < needed) {
      const page = this.spills.length + 1;
      this.spills.push(new iam.CfnManagedPolicy(this.role, `Spill${page}`, {
        description: 'Load balancer permissions of the ECS blue/green services whose statements do not fit in the role\'s inline policy',
        roles: [this.role.roleName],
        policyDocument: Lazy.any({ produce: () => this.document(page) }),
      }));
    }
  }

  /** The page (0: the inline policy; n: managed policy Spill<n>) of each member, members in key order. */
  private pages(): Map<string, number> {
    const members = this.sorted();
    const latticeRead = this.lattice ? JSON.stringify(READ_FOR_VPC_LATTICE).length + 1 : 0;
    const inline = ROLE_INLINE_POLICY_CHARS - MARGIN_CHARS - skeletonChars(true) - latticeRead;
    const managed = MANAGED_POLICY_CHARS - MARGIN_CHARS - skeletonChars(false);
    const pages = paginate(members, inline, managed);
    return new Map(members.map((m, i) => [m.key, pages[i]]));
  }

  private document(page: number): unknown {
    const pages = this.pages();
    return documentOf(this.sorted().filter((m) => pages.get(m.key) === page).map((m) => m.resources), page === 0, this.lattice);
  }

  private sorted(): Member[] {
    return [...this.members.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** The policy document of a page: the read statement (inline policy only), then one statement per action group. */
function documentOf(members: LoadBalancerResources[], withRead: boolean, withLatticeRead = false): unknown {
  const statement = (action: string | string[], resources: string[]) =>
    (resources.length > 0 ? [{ Effect: 'Allow', Action: action, Resource: resources }] : []);
  return {
    Version: '2012-10-17',
    Statement: [
      ...(withRead ? [READ_LOAD_BALANCERS] : []),
      ...(withRead && withLatticeRead ? [READ_FOR_VPC_LATTICE] : []),
      ...statement(['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], members.flatMap((m) => m.targetGroupArns)),
      ...statement('elasticloadbalancing:ModifyRule', members.flatMap((m) => m.listenerRuleArns)),
      ...statement('elasticloadbalancing:ModifyListener', unique(members.flatMap((m) => m.listenerArns))),
      ...statement(LATTICE_TARGET_GROUP_ACTIONS, members.flatMap((m) => m.latticeTargetGroupArns ?? [])),
      ...statement(LATTICE_RULE_ACTIONS, members.flatMap((m) => m.latticeRuleArns ?? [])),
    ],
  };
}

/** Characters of a page's document without its ARNs (each statement with one placeholder ARN, its cost included per member). */
function skeletonChars(withRead: boolean): number {
  return JSON.stringify(documentOf([{ targetGroupArns: [''], listenerRuleArns: [''], listenerArns: [''] }], withRead)).length;
}

/** Characters of the two Lattice statements without ARNs, charged to each Lattice service (an upper bound: a page has them once). */
const LATTICE_STATEMENT_CHARS = JSON.stringify([
  { Effect: 'Allow', Action: LATTICE_TARGET_GROUP_ACTIONS, Resource: [] },
  { Effect: 'Allow', Action: LATTICE_RULE_ACTIONS, Resource: [] },
]).length;

function hasLattice(r: LoadBalancerResources): boolean {
  return (r.latticeTargetGroupArns?.length ?? 0) + (r.latticeRuleArns?.length ?? 0) > 0;
}

/** Upper bounds of the characters a service's ARNs add to a policy once resolved; its listeners may be shared with other services. */
function charsOf(r: LoadBalancerResources): PageItem {
  const sum = (arns: string[], kind: Parameters<typeof arnChars>[2]) =>
    arns.reduce((n, arn) => n + arnChars(arn, Token.isUnresolved(arn), kind), 0);
  return {
    chars: sum(r.targetGroupArns, 'targetGroup') + sum(r.listenerRuleArns, 'listenerRule')
      + sum(r.latticeTargetGroupArns ?? [], 'latticeTargetGroup') + sum(r.latticeRuleArns ?? [], 'latticeRule')
      + (hasLattice(r) ? LATTICE_STATEMENT_CHARS : 0),
    shared: r.listenerArns.map((arn) => [arn, arnChars(arn, Token.isUnresolved(arn), 'listener')] as const),
  };
}

/**
 * The infrastructure roles ECS assumes to shift traffic on load balancers, pooled per stack in
 * INFRASTRUCTURE_ROLE_SLOTS slots: a role exists for each slot that has services, and each
 * service's statements are scoped to exactly its own target groups, rules and listeners.
 * Compared with the AWS managed policy AmazonECSInfrastructureRolePolicyForLoadBalancers (which
 * allows the same actions on every target group, listener and rule of the account), only the
 * four Describe* calls stay on `*`: ELBv2 does not support resource-level permissions for them.
 */
class InfrastructureRolePool extends Construct {
  static of(scope: IConstruct): InfrastructureRolePool {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(POOL_ID) as InfrastructureRolePool | undefined) ?? new InfrastructureRolePool(stack, POOL_ID);
  }

  private readonly slots = new Map<number, RoleSlot>();

  add(scope: IConstruct, key: string, resources: LoadBalancerResources): iam.Role {
    const slot = infrastructureRoleSlot(key);
    let roleSlot = this.slots.get(slot);
    if (!roleSlot) {
      // Role1 is the ID the first pooled role had before slots were keyed by path.
      roleSlot = new RoleSlot(this, `Role${slot + 1}`);
      this.slots.set(slot, roleSlot);
    }
    roleSlot.add(scope, key, resources);
    return roleSlot.role;
  }
}

/**
 * An infrastructure role for load balancers that ECS can assume for one service, scoped to that
 * service's target groups, listener rules and listeners. Roles are pooled per stack (several
 * services share one role) to keep the resource count low; the role of `scope` is chosen by its
 * construct path in the stack, never by the other services.
 * @internal
 */
export function infrastructureRoleFor(scope: IConstruct, resources: LoadBalancerResources): iam.IRole {
  return InfrastructureRolePool.of(scope).add(scope, pathInStack(scope), {
    targetGroupArns: unique(resources.targetGroupArns),
    listenerRuleArns: unique(resources.listenerRuleArns),
    listenerArns: unique(resources.listenerArns),
    ...(hasLattice(resources) ? {
      latticeTargetGroupArns: unique(resources.latticeTargetGroupArns ?? []),
      latticeRuleArns: unique(resources.latticeRuleArns ?? []),
    } : {}),
  });
}

function unique(arns: string[]): string[] {
  return [...new Set(arns)];
}
