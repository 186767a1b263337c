import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { RoutingBindContext } from './bind-contract';
import type { VpcLatticeRoutingOptions } from './vpc-lattice-options';
import type { ListenerRef } from './vpc-lattice-validation';
import { BlueGreenValidationError } from '../../errors';
import { ListenerPriorities } from '../../routing/listener-priorities';

// What a VPC Lattice routing must agree on with the Lattice resources around it, which the routing's
// own options cannot show: the listener's other rules (priorities), and the service that the
// production listener, the test listener and `latticeService` belong to.

/** The CfnListener that a listener ARN token refers to (`listener.attrArn`), if any. */
export function latticeListenerOf(arn: string | undefined): vpclattice.CfnListener | undefined {
  const target = arn !== undefined && Token.isUnresolved(arn) ? referenceTarget(arn) : undefined;
  return target instanceof vpclattice.CfnListener ? target : undefined;
}

function referenceTarget(value: string): unknown {
  const token = Tokenization.reverse(value);
  return token && Reference.isReference(token) ? token.target : undefined;
}

/**
 * The Lattice service a listener belongs to, as far as synth can tell: a CfnService of this app, or
 * a literal service ID (`svc-...`); undefined for a value only known at deploy time.
 */
function serviceOf(ref: ListenerRef): { key: vpclattice.CfnService | string; label: string } | undefined {
  const id = ref.cfn ? ref.cfn.serviceIdentifier : ref.serviceIdentifier;
  if (typeof id !== 'string') return undefined;
  if (Token.isUnresolved(id)) {
    const target = referenceTarget(id);
    return target instanceof vpclattice.CfnService ? { key: target, label: target.node.path } : undefined;
  }
  // A service ID, or a service ARN (arn:...:service/svc-...).
  const svc = /(svc-[0-9a-z]+)$/.exec(id)?.[1] ?? id;
  return { key: svc, label: svc };
}

/**
 * A test listener must belong to the production listener's Lattice service: a VPC Lattice target
 * group may be used by several listeners only when they belong to one service ("Create a VPC
 * Lattice target group", VPC Lattice user guide), and ECS forwards both rules to the same blue and
 * green target groups. A service created for you has one listener, so a test listener there is
 * necessarily another service's.
 */
export function checkTestListenerService(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions,
  production: ListenerRef | undefined, test: ListenerRef | undefined): void {
  const prop = `${ctx.prop}.${o.testListener ? 'testListener' : 'testListenerArn'}`;
  if ((o.testListener || o.testListenerArn) && !o.listener && !o.listenerArn) {
    throw new BlueGreenValidationError(ctx.scope, prop,
      'needs listener or listenerArn: the Lattice service created for you has one listener, and a test listener must belong to the ' +
      'production listener\'s service; pass your service\'s listeners, or use testHeader on the created one');
  }
  if (!production || !test) return;
  const a = serviceOf(production);
  const b = serviceOf(test);
  if (a && b && typeof a.key === typeof b.key && a.key !== b.key) {
    throw new BlueGreenValidationError(ctx.scope, prop,
      `belongs to another VPC Lattice service (${b.label}) than the production listener (${a.label}); ECS shifts the rules of one service, ` +
      'and Lattice lets listeners share the blue and green target groups only within one service: use a listener of the same service');
  }
}

/** `latticeService` must be the service of the production listener (its URLs are built from it). */
export function checkLatticeService(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions, production: ListenerRef): void {
  if (!o.latticeService || !(o.latticeService instanceof vpclattice.CfnService)) return;
  const owner = serviceOf(production);
  if (owner && owner.key instanceof vpclattice.CfnService && owner.key !== o.latticeService) {
    throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.latticeService`,
      `is ${o.latticeService.node.path}, but the production listener belongs to ${owner.label}; pass the listener's own service (or none)`);
  }
}

/** One rule this routing adds to a listener, with the prop that sets its priority. */
export interface PriorityClaim {
  readonly where: ListenerRef;
  readonly priority: number;
  readonly prop: string;
  /** Construct ID of the rule under the service. */
  readonly ruleId: string;
}

/**
 * Records the rules' priorities in their listeners' registries (the ALB one's mechanism,
 * src/routing/listener-priorities.ts), refusing a priority the listener already has: a listener
 * cannot have two rules with the same priority ("HTTP listeners for VPC Lattice services", VPC
 * Lattice user guide). All claims are checked before any is recorded, so a rejected routing leaves
 * its priorities free.
 */
export function claimPriorities(ctx: RoutingBindContext, claims: PriorityClaim[]): void {
  const registries = claims.map((c) => (Token.isUnresolved(c.priority) ? undefined : registryOf(ctx, c.where)));
  claims.forEach((c, i) => {
    const holder = registries[i]?.holderOf(c.priority);
    if (holder !== undefined) {
      throw new BlueGreenValidationError(ctx.scope, c.prop,
        `${c.priority} is already used on this listener by ${holder}; each rule of a VPC Lattice listener needs its own priority (1–100)`);
    }
  });
  claims.forEach((c, i) => registries[i]?.take(c.priority, `${ctx.scope.node.path}/${c.ruleId}`));
}

function registryOf(ctx: RoutingBindContext, where: ListenerRef): ListenerPriorities | undefined {
  if (where.cfn) return ListenerPriorities.ofLatticeListener(where.cfn);
  // An imported listener: keyed by ARN in the stack (a token ARN that is no listener of this app is
  // still one value per import).
  return ListenerPriorities.ofLatticeListenerArn(ctx.scope, where.arn, where.listenerIdentifier);
}
