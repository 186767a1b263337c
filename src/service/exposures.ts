import { Construct } from 'constructs';
import { MAX_SERVICE_TARGET_GROUPS } from './rendered-load-balancers';
import { RoutingBindContext, RoutingBindResult } from './routing/bind-contract';
import { TrafficRouting } from './traffic-routing';
import { BlueGreenValidationError } from '../errors';

/** A name of an additional exposure: a construct ID of letters and digits. */
const EXPOSURE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const LOAD_BALANCER_KINDS = ['alb', 'nlb'];

/** One bound routing of a service: the primary (no name) or an additional exposure. @internal */
export interface BoundExposure {
  readonly name?: string;
  readonly result: RoutingBindResult;
}

/** What every routing of one service binds with. @internal */
export type ExposureContext = Omit<RoutingBindContext, 'scope' | 'prop'>;

/**
 * Binds the service's routing, then each additional exposure (in name order, so the rendered
 * list does not depend on how a language orders map keys) in a child construct named after it:
 * its target groups and rules get IDs of their own, and the primary exposure keeps the IDs it
 * always had (BlueTargetGroup, GreenTargetGroup, ProductionRule, TestRule).
 *
 * ECS registers a service with several target groups only behind ALBs or NLBs (mixing both is
 * allowed) and under the ECS controller, at most five per service
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/register-multiple-targetgroups.html);
 * each load balancer entry then carries its own AdvancedConfiguration, and one deployment shifts
 * them all.
 * @internal
 */
export function bindExposures(scope: Construct, routing: TrafficRouting, additional: { [name: string]: TrafficRouting } | undefined,
  ctx: ExposureContext): BoundExposure[] {
  const names = Object.keys(additional ?? {}).sort();
  if (names.length > 0) validateAdditional(scope, routing, additional!, names);
  const exposures: BoundExposure[] = [{ result: routing._bind({ ...ctx, scope, prop: 'routing' }) }];
  for (const name of names) {
    const child = new Construct(scope, name);
    exposures.push({ name, result: additional![name]._bind({ ...ctx, scope: child, prop: `additionalRouting.${name}` }) });
  }
  return exposures;
}

function validateAdditional(scope: Construct, routing: TrafficRouting, additional: { [name: string]: TrafficRouting }, names: string[]): void {
  if (!LOAD_BALANCER_KINDS.includes(routing._kind())) {
    throw new BlueGreenValidationError(scope, 'additionalRouting',
      `needs routing to be an ALB or NLB routing too (ECS registers several target groups only behind load balancers), got a ${routing._kind()} routing`);
  }
  if (names.length + 1 > MAX_SERVICE_TARGET_GROUPS) {
    throw new BlueGreenValidationError(scope, 'additionalRouting',
      `${names.length} exposures plus routing make ${names.length + 1} load balancers; ECS attaches at most ${MAX_SERVICE_TARGET_GROUPS} target groups to a service`);
  }
  const listeners = new Map<unknown, string>();
  routing._networkListeners().forEach((l) => listeners.set(l, 'routing'));
  for (const name of names) {
    const prop = `additionalRouting.${name}`;
    const r = additional[name];
    if (!EXPOSURE_NAME.test(name)) {
      throw new BlueGreenValidationError(scope, 'additionalRouting', `names must be 1–64 letters and digits starting with a letter (they become construct IDs), got ${JSON.stringify(name)}`);
    }
    if (scope.node.tryFindChild(name)) {
      throw new BlueGreenValidationError(scope, prop, 'the name is taken by a child of the service; choose another name');
    }
    if (r === undefined || r === null || typeof r._kind !== 'function') {
      throw new BlueGreenValidationError(scope, prop, 'must be a TrafficRouting, e.g. TrafficRouting.applicationLoadBalancer({ listener })');
    }
    if (!LOAD_BALANCER_KINDS.includes(r._kind())) {
      throw new BlueGreenValidationError(scope, prop, `must be an ALB or NLB routing (ECS shifts several load balancers, not several ${r._kind()} routings), got ${r._kind()}`);
    }
    for (const l of r._networkListeners()) {
      const holder = listeners.get(l);
      if (holder) {
        throw new BlueGreenValidationError(scope, prop,
          `uses an NLB listener that ${holder} already uses; ECS rewrites a whole NLB listener's default action, so each exposure needs listeners of its own`);
      }
      listeners.set(l, prop);
    }
  }
}
