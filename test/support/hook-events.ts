/** The service of the hook events below. */
export const HOOK_SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/api';

/** The revision a deployment deploys (green) and the one serving before it (blue). */
export const GREEN_REVISION_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/2';
export const BLUE_REVISION_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/1';

/** An ECS lifecycle hook event for the handler tests, as ECS sends it. */
export function hookEvent(stage: string, hookDetails?: unknown, extra: Record<string, unknown> = {}) {
  return {
    executionDetails: {
      serviceArn: HOOK_SERVICE_ARN,
      targetServiceRevisionArn: GREEN_REVISION_ARN,
      testTrafficWeights: {},
      productionTrafficWeights: {},
    },
    executionId: 'exec-1',
    lifecycleStage: stage,
    resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/api/abc',
    hookDetails,
    ...extra,
  };
}

/** Every stage ECS runs hooks at, in deployment order. */
export const STAGES = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/**
 * The event of a stage as the ECS developer guide ("Lifecycle hooks for Amazon ECS service
 * deployments", lifecycle payloads) shows it: weights keyed by service revision ARN, present at
 * RECONCILE_SERVICE (both), TEST_TRAFFIC_SHIFT (test) and PRODUCTION_TRAFFIC_SHIFT (production),
 * empty maps at the other stages. `direction: 'rollback'` gives the weights of a rollback, when
 * ECS runs TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT again with traffic moving back to blue;
 * `greenWeight` a step of a linear or canary shift.
 */
export function stageEvent(stage: typeof STAGES[number], hookDetails?: unknown,
  options: { direction?: 'forward' | 'rollback'; greenWeight?: number; executionId?: string } = {}) {
  const green = options.direction === 'rollback' ? 0 : options.greenWeight ?? 100;
  const weights = { [GREEN_REVISION_ARN]: green, [BLUE_REVISION_ARN]: 100 - green };
  const event = hookEvent(stage, hookDetails, { executionId: options.executionId ?? `exec-${stage.toLowerCase()}` });
  return {
    ...event,
    executionDetails: {
      ...event.executionDetails,
      testTrafficWeights: stage === 'RECONCILE_SERVICE' || stage === 'TEST_TRAFFIC_SHIFT' ? weights : {},
      productionTrafficWeights: stage === 'RECONCILE_SERVICE' || stage === 'PRODUCTION_TRAFFIC_SHIFT' ? weights : {},
    },
  };
}
