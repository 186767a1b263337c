// The live-weights reader's wait on CloudFormation's rollback path. When an update fails, ECS may
// still be moving the traffic of the services behind the rules: a deployment of the same update
// that ECS rolls back (circuit breaker, alarm, a failed hook), or one started elsewhere. Weights
// read in the middle of that are stale by the time CloudFormation writes the rules, and writing
// them would fight ECS. A rollback cannot be refused, so the reader waits until no service behind
// its entries has a deployment moving traffic, then reads; when the wait runs out it reads anyway
// and logs what it found (the rollback must complete).
//
// Bounds: the reader's Lambda function runs at most 15 minutes (Lambda Developer Guide, "Configure
// Lambda function timeout": 900 seconds at most; the reader's provider sets that), CloudFormation
// waits up to an hour for a custom resource (AWS::CloudFormation::CustomResource, ServiceTimeout:
// default 3600 seconds). The wait takes at most WAIT_MS and always leaves READ_RESERVE_MS of the
// invocation for reading the rules and answering CloudFormation.
//
// Why not the provider framework's isComplete (aws-cdk-lib custom_resources.Provider, polling by a
// Step Functions state machine for up to 2 hours): the reader's ServiceToken would change, and
// CloudFormation does not update a custom resource's ServiceToken (AWS::CloudFormation::CustomResource:
// "Updates aren't supported"), so every stack's first deploy after upgrading would fail.
import type { ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { InFlightDeployment, TargetGroupsByCluster, inFlightDeployments } from './in-flight-deployments';

/**
 * Service deployment states in which ECS moves traffic now or is about to (a stop or rollback was
 * asked for). PENDING is not waited for: it has not touched the rules yet and may wait for capacity.
 */
export const MOVING_DEPLOYMENT_STATES: ServiceDeploymentStatus[] = ['IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];

/** The longest the rollback waits for ECS. */
export const WAIT_MS = 10 * 60_000;
/** Time between two looks at the deployments (VPC Lattice alone waits ~90 s after each weight change). */
export const POLL_MS = 15_000;
/** Time of the invocation kept for reading the rules after the wait. */
export const READ_RESERVE_MS = 3 * 60_000;

/** The part of the Lambda context the wait uses. */
export interface LambdaContext {
  getRemainingTimeInMillis?(): number;
}

/** How the wait ended. */
export interface WaitOutcome {
  readonly waitedMs: number;
  /** The deployments still moving traffic when the wait gave up (empty when none was left). */
  readonly moving: InFlightDeployment[];
}

/**
 * Waits until no service behind `targetGroups` has a deployment moving traffic, at most WAIT_MS and
 * never into the last READ_RESERVE_MS of the invocation. Never throws: a failed look is logged and
 * ends the wait (the rollback reads what is there).
 */
export async function waitForDeployments(targetGroups: TargetGroupsByCluster, context?: LambdaContext): Promise<WaitOutcome> {
  if (targetGroups.size === 0) return { waitedMs: 0, moving: [] };
  const start = Date.now();
  const remaining = context?.getRemainingTimeInMillis?.();
  const budget = Math.max(0, Math.min(WAIT_MS, remaining === undefined ? WAIT_MS : remaining - READ_RESERVE_MS));
  for (let look = 1; ; look++) {
    let moving: InFlightDeployment[];
    try {
      moving = await inFlightDeployments(targetGroups, MOVING_DEPLOYMENT_STATES);
    } catch (err) {
      console.log(JSON.stringify({ message: 'rollback: could not look for ECS deployments moving traffic; reading the rules now', error: `${(err as Error)?.name}: ${(err as Error)?.message}` }));
      return { waitedMs: Date.now() - start, moving: [] };
    }
    const waitedMs = Date.now() - start;
    if (moving.length === 0) {
      if (look > 1) console.log(JSON.stringify({ message: 'rollback: no ECS deployment is moving traffic any more; reading the rules', waitedMs }));
      return { waitedMs, moving };
    }
    if (waitedMs + POLL_MS > budget) {
      console.log(JSON.stringify({
        message: 'rollback: ECS deployments are still moving traffic after the wait; reading the rules now (the rollback must complete). ' +
          'If the weights read are not where the deployments end, check the rules once they have finished.',
        waitedMs,
        deployments: moving,
      }));
      return { waitedMs, moving };
    }
    if (look === 1) console.log(JSON.stringify({ message: 'rollback: waiting for ECS deployments moving traffic before reading the rules', budgetMs: budget, deployments: moving }));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
