import * as crypto from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct, IConstruct } from 'constructs';

/** Construct ID of the registry under its listener. */
const ID = 'BlueGreenListenerPriorities';

/**
 * The rule priorities taken on one listener (an ALB listener, or a VPC Lattice listener), so that
 * two rules with one priority are reported at synth rather than by CloudFormation. It is a plain
 * construct (no resource, nothing in the template) under the listener itself, so it lives in the
 * construct tree: two apps in one process, or two imports of one listener ARN in different apps,
 * never see each other's priorities.
 * @internal
 */
export class ListenerPriorities extends Construct {
  /** The registry of an ALB listener, created on first use. */
  public static of(listener: elbv2.IApplicationListener): ListenerPriorities {
    return ListenerPriorities.under(listener, ID, () => listener.node.findAll()
      .filter((c): c is elbv2.CfnListenerRule => c instanceof elbv2.CfnListenerRule)
      .map((c) => ({ priority: c.priority, path: c.node.path })));
  }

  /**
   * The registry of a VPC Lattice listener of this app, created on first use. Rules found in the
   * app whose `listenerIdentifier` is the listener's ID or ARN count as taken too.
   */
  public static ofLatticeListener(listener: vpclattice.CfnListener): ListenerPriorities {
    return ListenerPriorities.under(listener, ID, () => latticeRules(listener, [listener.attrId, listener.attrArn]));
  }

  /**
   * The registry of a VPC Lattice listener known by ARN only: one per stack and ARN (a stack does
   * not see the rules another stack adds to an imported listener). `listenerId` is the listener ID
   * that rules may name instead of the ARN.
   */
  public static ofLatticeListenerArn(scope: IConstruct, listenerArn: string, listenerId: string): ListenerPriorities {
    const stack = Stack.of(scope);
    const key = crypto.createHash('sha256').update(listenerArn).digest('hex').slice(0, 16);
    return ListenerPriorities.under(stack, `${ID}${key}`, () => latticeRules(stack, [listenerArn, listenerId]));
  }

  private static under(host: IConstruct, id: string, existing: () => Array<{ priority: unknown; path: string }>): ListenerPriorities {
    const found = host.node.tryFindChild(id) as ListenerPriorities | undefined;
    return found ?? new ListenerPriorities(host, id, existing);
  }

  /** Priority → path of the construct that holds it. */
  private readonly taken = new Map<number, string>();

  private constructor(scope: IConstruct, id: string, private readonly existing: () => Array<{ priority: unknown; path: string }>) {
    super(scope as Construct, id);
  }

  /**
   * The path of what holds `priority` on the listener: a rule registered here, or a rule resource
   * of the listener found in the construct tree (e.g. made by `listener.addAction`, or a user's L1).
   */
  public holderOf(priority: number): string | undefined {
    for (const rule of this.existing()) {
      if (typeof rule.priority === 'number' && !this.taken.has(rule.priority)) {
        this.taken.set(rule.priority, rule.path);
      }
    }
    return this.taken.get(priority);
  }

  /** Records `priority` as held by the construct at `path`. */
  public take(priority: number, path: string): void {
    this.taken.set(priority, path);
  }
}

/** The Lattice rules in `scope`'s app whose listenerIdentifier is one of `identifiers`. */
function latticeRules(scope: IConstruct, identifiers: string[]): Array<{ priority: unknown; path: string }> {
  return scope.node.root.node.findAll()
    .filter((c): c is vpclattice.CfnRule => c instanceof vpclattice.CfnRule && identifiers.includes(c.listenerIdentifier as string))
    .map((c) => ({ priority: c.priority, path: c.node.path }));
}
