/** The service of the hook events below. */
export const HOOK_SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/api';

/** An ECS lifecycle hook event for the handler tests, as ECS sends it. */
export function hookEvent(stage: string, hookDetails?: unknown, extra: Record<string, unknown> = {}) {
  return {
    executionDetails: {
      serviceArn: HOOK_SERVICE_ARN,
      targetServiceRevisionArn: 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/1',
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
