// Sample ECS events the notification rules are tested against. Each follows the shape of the
// example in the ECS Developer Guide page named above it (same envelope, same detail fields),
// with this test's own account, region, cluster and service. Only documented fields are used.

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const CLUSTER = 'prod';
export const SERVICE = 'web';
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`;
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const DEPLOYMENT_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/Xq3bT9wLk2PZs8YvN0aRc`;
export const HOOK_ID = 'ecs-pause-Tq7Lw2xZpN_4kVb9sJm0RfYcHgDe8uQa1oWiXnEtC3s';

const envelope = (detailType: string, resource: string, time: string) => ({
  'version': '0',
  'id': '5f1c2a9e-8b3d-4e7f-a6c0-2d9b8e7f6a51',
  'detail-type': detailType,
  'source': 'aws.ecs',
  'account': ACCOUNT,
  time,
  'region': REGION,
  'resources': [resource],
});

// "Amazon ECS service deployment state change events"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html)
const deploymentEvent = (eventName: string, eventType: string, reason: string, serviceArn = SERVICE_ARN) => ({
  ...envelope('ECS Deployment State Change', serviceArn, '2026-12-02T10:15:00Z'),
  detail: { eventType, eventName, deploymentId: 'ecs-svc/4519938317385245386', updatedAt: '2026-12-02T10:14:58Z', reason },
});
export const deploymentInProgress = deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', 'ECS deployment ecs-svc/4519938317385245386 in progress.');
export const rollbackInProgress = deploymentEvent('SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO',
  'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1207394862103958217.');
export const deploymentCompleted = deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED', 'INFO', 'ECS deployment ecs-svc/4519938317385245386 completed.');
export const deploymentFailed = deploymentEvent('SERVICE_DEPLOYMENT_FAILED', 'ERROR', 'ECS deployment circuit breaker: task failed to start.');

// "Amazon ECS service action events"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html): the page
// lists SERVICE_DEPLOYMENT_FAILED with the ERROR events without an example; this one has the
// fields of its service action examples.
const serviceAction = (eventName: string, eventType: string, serviceArn = SERVICE_ARN) => ({
  ...envelope('ECS Service Action', serviceArn, '2026-12-02T10:21:07Z'),
  detail: { eventType, eventName, clusterArn: CLUSTER_ARN, createdAt: '2026-12-02T10:21:07.412Z' },
});
export const serviceDeploymentFailed = serviceAction('SERVICE_DEPLOYMENT_FAILED', 'ERROR');
export const serviceSteadyState = serviceAction('SERVICE_STEADY_STATE', 'INFO');

// "Amazon ECS service deployment hook state change events" (detail-type ECS Hook State Change; the
// page's one example is HOOK_AWAITING_ACTION, the other hook events are listed with the same
// detail-type), and "Pause hooks for Amazon ECS service deployments"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html).
const hookEvent = (eventName: string, serviceArn = SERVICE_ARN) => ({
  ...envelope('ECS Hook State Change', DEPLOYMENT_ARN, '2026-12-02T10:30:00Z'),
  detail: {
    eventType: 'INFO',
    eventName,
    hookId: HOOK_ID,
    hookType: 'PAUSE',
    expiresAt: '2026-12-03T10:30:00Z',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    clusterArn: CLUSTER_ARN,
    serviceArn,
    serviceDeploymentArn: DEPLOYMENT_ARN,
    updatedAt: '2026-12-02T10:30:00.118305772Z',
  },
});
export const hookAwaitingAction = hookEvent('HOOK_AWAITING_ACTION');
export const hookFailed = hookEvent('HOOK_FAILED');
export const hookTimedOut = hookEvent('HOOK_TIMED_OUT');
export const hookSucceeded = hookEvent('HOOK_SUCCEEDED');

/** The same events of another service in the same cluster: no rule of `web` may match them. */
export const OTHER_SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/web-admin`;
export const otherService = [
  deploymentEvent('SERVICE_DEPLOYMENT_FAILED', 'ERROR', 'ECS deployment circuit breaker: task failed to start.', OTHER_SERVICE_ARN),
  serviceAction('SERVICE_DEPLOYMENT_FAILED', 'ERROR', OTHER_SERVICE_ARN),
  hookEvent('HOOK_AWAITING_ACTION', OTHER_SERVICE_ARN),
  hookEvent('HOOK_FAILED', OTHER_SERVICE_ARN),
];
