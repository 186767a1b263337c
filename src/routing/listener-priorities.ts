import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/** Construct ID of the registry under its listener. */
const ID = 'BlueGreenListenerPriorities';

/**
 * The rule priorities taken on one ALB listener, so that two rules with one priority are reported
 * at synth rather than by CloudFormation. It is a plain construct (no resource, nothing in the
 * template) under the listener itself, so it lives in the construct tree: two apps in one process,
 * or two imports of one listener ARN in different apps, never see each other's priorities.
 * @internal
 */
export class ListenerPriorities extends Construct {
  /** The registry of `listener`, created on first use. */
  public static of(listener: elbv2.IApplicationListener): ListenerPriorities {
    const existing = listener.node.tryFindChild(ID) as ListenerPriorities | undefined;
    return existing ?? new ListenerPriorities(listener, ID);
  }

  /** Priority → path of the construct that holds it. */
  private readonly taken = new Map<number, string>();

  private constructor(private readonly listener: elbv2.IApplicationListener, id: string) {
    super(listener, id);
  }

  /**
   * The path of what holds `priority` on the listener: a rule registered here, or a
   * `CfnListenerRule` created as the listener's child (e.g. by `listener.addAction`).
   */
  public holderOf(priority: number): string | undefined {
    for (const child of this.listener.node.findAll()) {
      if (child instanceof elbv2.CfnListenerRule && typeof child.priority === 'number' && !this.taken.has(child.priority)) {
        this.taken.set(child.priority, child.node.path);
      }
    }
    return this.taken.get(priority);
  }

  /** Records `priority` as held by the construct at `path`. */
  public take(priority: number, path: string): void {
    this.taken.set(priority, path);
  }
}
