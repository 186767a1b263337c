import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { exemptFromNag } from '../private/nag';

/** The load balancer resources ECS manages for one service during its deployments. */
export interface LoadBalancerResources {
  /** Blue and green target groups: ECS registers and deregisters tasks there. */
  readonly targetGroupArns: string[];
  /** ALB listener rules whose forward weights ECS rewrites (production and test). */
  readonly listenerRuleArns: string[];
  /** Listeners: NLB listeners whose default action ECS rewrites, and the ALB rules' listeners. */
  readonly listenerArns: string[];
}

/**
 * Services one pooled role serves. Each service adds one statement of about 0.9 KB (six ARNs
 * once resolved) to the role's inline policy; IAM allows 10,240 characters of inline policy per
 * role, so 8 services (~7.5 KB with the shared read statement) leave a safe margin.
 */
export const SERVICES_PER_INFRASTRUCTURE_ROLE = 8;

const POOL_ID = 'EcsBlueGreenInfrastructureRoles';

/**
 * The infrastructure roles ECS assumes to shift traffic on load balancers, pooled per stack: one
 * role (and one inline policy) serves up to SERVICES_PER_INFRASTRUCTURE_ROLE services, each
 * service adding a statement scoped to exactly its own target groups, rules and listeners.
 * Compared with the AWS managed policy AmazonECSInfrastructureRolePolicyForLoadBalancers (which
 * allows the same actions on every target group, listener and rule of the account), only the
 * four Describe* calls stay on `*`: ELBv2 does not support resource-level permissions for them.
 */
class InfrastructureRolePool extends Construct {
  static of(scope: IConstruct): InfrastructureRolePool {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(POOL_ID) as InfrastructureRolePool | undefined) ?? new InfrastructureRolePool(stack, POOL_ID);
  }

  private readonly roles: iam.Role[] = [];
  private servicesOnLast = 0;

  add(resources: LoadBalancerResources): iam.Role {
    // A service behind several load balancers adds a statement's worth of ARNs per exposure
    // (one blue/green target group pair each), so it takes that many of the role's slots.
    const slots = Math.max(1, Math.ceil(resources.targetGroupArns.length / 2));
    if (this.roles.length === 0 || this.servicesOnLast + slots > SERVICES_PER_INFRASTRUCTURE_ROLE) {
      const role = new iam.Role(this, `Role${this.roles.length + 1}`, {
        assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
        description: 'Lets ECS shift traffic between the blue and green target groups of its blue/green services',
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadLoadBalancers',
        actions: [
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeRules',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        resources: ['*'],
      }));
      exemptFromNag(role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'elasticloadbalancing:Describe* do not support resource-level permissions; every other action is scoped to the services\' own target groups, rules and listeners.',
        appliesTo: ['Resource::*'],
      }]);
      this.roles.push(role);
      this.servicesOnLast = 0;
    }
    const role = this.roles[this.roles.length - 1];
    this.servicesOnLast += slots;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: resources.targetGroupArns,
    }));
    if (resources.listenerRuleArns.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['elasticloadbalancing:ModifyRule'],
        resources: resources.listenerRuleArns,
      }));
    }
    if (resources.listenerArns.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['elasticloadbalancing:ModifyListener'],
        resources: resources.listenerArns,
      }));
    }
    return role;
  }
}

/**
 * An infrastructure role for load balancers that ECS can assume for one service, scoped to that
 * service's target groups, listener rules and listeners. Roles are pooled per stack (several
 * services share one role and its inline policy) to keep the resource count low.
 * @internal
 */
export function infrastructureRoleFor(scope: IConstruct, resources: LoadBalancerResources): iam.IRole {
  return InfrastructureRolePool.of(scope).add({
    targetGroupArns: unique(resources.targetGroupArns),
    listenerRuleArns: unique(resources.listenerRuleArns),
    listenerArns: unique(resources.listenerArns),
  });
}

function unique(arns: string[]): string[] {
  return [...new Set(arns)];
}
