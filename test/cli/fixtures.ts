// Realistic ECS and CodeDeploy responses for the CLI tests: one canary deployment of service `web`
// in cluster `prod`, seen at each state (shapes as DescribeServiceDeployments returns them).
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import {
  DescribeServiceDeploymentsCommand, ECSClient, ListServiceDeploymentsCommand, ListServiceDeploymentsCommandInput,
  ServiceDeployment, ServiceDeploymentLifecycleStage, ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { Clients } from '../../src/cli/clients';
import { CliEnv, Terminal } from '../../src/cli/terminal';

export const NOW = Date.parse('2026-05-04T10:30:00Z');
const ACCOUNT = '123456789012';
const PREFIX = `arn:aws:ecs:us-east-1:${ACCOUNT}`;
export const CLUSTER_ARN = `${PREFIX}:cluster/prod`;
export const SERVICE_ARN = `${PREFIX}:service/prod/web`;
export const DEPLOYMENT_ARN = `${PREFIX}:service-deployment/prod/web/4VqXvKq9xJ2bW1pQn8sTz`;
export const OLD_DEPLOYMENT_ARN = `${PREFIX}:service-deployment/prod/web/0aH3kLm2NpQ7rS9tUv1Wx`;
export const GREEN_REVISION = `${PREFIX}:service-revision/prod/web/7465843521978432101`;
export const BLUE_REVISION = `${PREFIX}:service-revision/prod/web/7465843521978430042`;
export const SMOKE_TEST_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:web-smoke-test`;
export const APPROVAL_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:web-approval-gate`;
const HOOK_ROLE = `arn:aws:iam::${ACCOUNT}:role/prod-web-EcsHookRole`;

const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const minutesFromNow = (m: number) => new Date(NOW + m * 60_000);

/** The deployment configuration ECS echoes back: CANARY 10 % for 5 min, bake 15 min, three hooks. */
export function deploymentConfiguration(approvalPrefix = '/ecs-blue-green/approvals'): ServiceDeployment['deploymentConfiguration'] {
  return {
    deploymentCircuitBreaker: { enable: true, rollback: true },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    alarms: { alarmNames: ['web-5xx'], rollback: true, enable: true },
    strategy: 'CANARY',
    bakeTimeInMinutes: 15,
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    lifecycleHooks: [
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn: SMOKE_TEST_ARN,
        roleArn: HOOK_ROLE,
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        hookDetails: { path: '/health', requests: 10 },
        timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
      },
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
      },
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn: APPROVAL_ARN,
        roleArn: HOOK_ROLE,
        lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
        hookDetails: { parameterPrefix: approvalPrefix, timeoutMinutes: 60, onTimeout: 'ROLLBACK' },
        timeoutConfiguration: { timeoutInMinutes: 70, action: 'ROLLBACK' },
      },
    ],
  };
}

function base(): ServiceDeployment {
  return {
    serviceDeploymentArn: DEPLOYMENT_ARN,
    serviceArn: SERVICE_ARN,
    clusterArn: CLUSTER_ARN,
    createdAt: minutesAgo(20),
    startedAt: minutesAgo(20),
    updatedAt: minutesAgo(1),
    sourceServiceRevisions: [{
      arn: BLUE_REVISION,
      requestedTaskCount: 4,
      runningTaskCount: 4,
      pendingTaskCount: 0,
      requestedTestTrafficWeight: 0,
      requestedProductionTrafficWeight: 100,
    }],
    targetServiceRevision: {
      arn: GREEN_REVISION,
      requestedTaskCount: 4,
      runningTaskCount: 4,
      pendingTaskCount: 0,
      requestedTestTrafficWeight: 100,
      requestedProductionTrafficWeight: 0,
    },
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    deploymentConfiguration: deploymentConfiguration(),
    rollback: undefined,
    deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
    alarms: { status: 'MONITORING', alarmNames: ['web-5xx'], triggeredAlarmNames: [] },
  };
}

function weights(d: ServiceDeployment, green: number, greenTest = 100): ServiceDeployment {
  return {
    ...d,
    targetServiceRevision: { ...d.targetServiceRevision, requestedProductionTrafficWeight: green, requestedTestTrafficWeight: greenTest },
    sourceServiceRevisions: d.sourceServiceRevisions!.map((r) => ({
      ...r,
      requestedProductionTrafficWeight: 100 - green,
      requestedTestTrafficWeight: 100 - greenTest,
    })),
  };
}

const smokeSucceeded = { hookId: 'b1f0c2d4-smoke', targetType: 'AWS_LAMBDA' as const, targetArn: SMOKE_TEST_ARN, status: 'SUCCEEDED' as const };
const pauseSucceeded = { hookId: '5e7d9a1c-pause', targetType: 'PAUSE' as const, status: 'SUCCEEDED' as const };
const approvalSucceeded = { hookId: '9c3b2a10-approval', targetType: 'AWS_LAMBDA' as const, targetArn: APPROVAL_ARN, status: 'SUCCEEDED' as const };

/** Stopped at the PAUSE hook after test traffic moved; it expires in 23 h and then rolls back. */
export function paused(): ServiceDeployment {
  return {
    ...weights(base(), 0),
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [
      smokeSucceeded,
      { hookId: '5e7d9a1c-pause', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: minutesFromNow(23 * 60), timeoutAction: 'ROLLBACK' },
    ],
  };
}

/** The approval gate (a Lambda hook) is polling its SSM parameter before production traffic moves. */
export function awaitingApproval(approvalPrefix?: string): ServiceDeployment {
  return {
    ...weights(base(), 0),
    deploymentConfiguration: deploymentConfiguration(approvalPrefix),
    // Newer than the SDK's ServiceDeploymentLifecycleStage type (added to ECS in 2026-05).
    lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' as ServiceDeploymentLifecycleStage,
    lifecycleHookDetails: [
      smokeSucceeded, pauseSucceeded,
      { hookId: '9c3b2a10-approval', targetType: 'AWS_LAMBDA', targetArn: APPROVAL_ARN, status: 'IN_PROGRESS', expiresAt: minutesFromNow(65), timeoutAction: 'ROLLBACK' },
    ],
  };
}

/** The canary: 10 % of production traffic on green. */
export function inProgress(): ServiceDeployment {
  return {
    ...weights(base(), 10),
    lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
    lifecycleHookDetails: [smokeSucceeded, pauseSucceeded, approvalSucceeded],
  };
}

/** All traffic on green, blue kept for the 15-minute bake; entered BAKE_TIME 6 minutes ago. */
export function baking(): ServiceDeployment {
  return {
    ...weights(base(), 100),
    lifecycleStage: 'BAKE_TIME',
    updatedAt: minutesAgo(6),
    lifecycleHookDetails: [smokeSucceeded, pauseSucceeded, approvalSucceeded],
  };
}

/** Done: green is the production revision. */
export function succeeded(): ServiceDeployment {
  return {
    ...weights(base(), 100),
    status: 'SUCCESSFUL',
    statusReason: undefined,
    lifecycleStage: 'CLEAN_UP',
    finishedAt: minutesAgo(2),
    updatedAt: minutesAgo(2),
    sourceServiceRevisions: [{
      arn: BLUE_REVISION,
      requestedTaskCount: 0,
      runningTaskCount: 0,
      pendingTaskCount: 0,
      requestedProductionTrafficWeight: 0,
      requestedTestTrafficWeight: 0,
    }],
    lifecycleHookDetails: [smokeSucceeded, pauseSucceeded, approvalSucceeded],
    deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
    alarms: { status: 'MONITORING_COMPLETE', alarmNames: ['web-5xx'], triggeredAlarmNames: [] },
  };
}

/** The web-5xx alarm fired during the canary; ECS is moving traffic back to blue. */
export function rollingBack(): ServiceDeployment {
  return {
    ...weights(base(), 0),
    status: 'ROLLBACK_IN_PROGRESS',
    statusReason: 'Service deployment rolled back because the alarm web-5xx was triggered.',
    lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
    rollback: { reason: 'Alarm web-5xx is in ALARM state.', startedAt: minutesAgo(1), serviceRevisionArn: BLUE_REVISION },
    alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx'], triggeredAlarmNames: ['web-5xx'] },
    lifecycleHookDetails: [smokeSucceeded, pauseSucceeded, approvalSucceeded],
  };
}

/** Rolled back: blue serves everything again. */
export function rolledBack(): ServiceDeployment {
  return {
    ...rollingBack(),
    status: 'ROLLBACK_SUCCESSFUL',
    lifecycleStage: 'CLEAN_UP',
    finishedAt: minutesAgo(0),
  };
}

/** The list entry for a deployment. */
export function brief(d: ServiceDeployment): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: d.serviceArn,
    clusterArn: d.clusterArn,
    startedAt: d.startedAt,
    createdAt: d.createdAt,
    finishedAt: d.finishedAt,
    targetServiceRevisionArn: d.targetServiceRevision?.arn,
    status: d.status,
    statusReason: d.statusReason,
  };
}

/** The previous (older) deployment of the service, long finished. */
export function previousDeployment(): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: OLD_DEPLOYMENT_ARN,
    serviceArn: SERVICE_ARN,
    clusterArn: CLUSTER_ARN,
    createdAt: new Date(NOW - 3 * 86_400_000),
    startedAt: new Date(NOW - 3 * 86_400_000),
    finishedAt: new Date(NOW - 3 * 86_400_000 + 1_800_000),
    targetServiceRevisionArn: BLUE_REVISION,
    status: 'SUCCESSFUL',
  };
}

/** The CLI's clients (mock them with aws-sdk-client-mock's mockClient(XClient)). */
export function testClients(): Clients {
  const config = { region: 'us-east-1' };
  return {
    ecs: new ECSClient(config), ssm: new SSMClient(config), codedeploy: new CodeDeployClient(config), codepipeline: new CodePipelineClient(config),
  };
}

/** A Terminal that records what is written. */
export class Capture implements Terminal {
  public text = '';
  constructor(public readonly isTTY = false, public readonly columns = 200) {}
  public write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A test environment: a clock that `sleep` advances, captured stderr, files from a map. */
export function testEnv(options: { tty?: boolean; files?: Record<string, string> } = {}) {
  const state = { now: NOW, slept: [] as number[] };
  const err = new Capture(options.tty ?? false);
  const env: CliEnv = {
    err,
    now: () => state.now,
    sleep: async (ms) => {
      state.slept.push(ms);
      state.now += ms;
    },
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
  };
  return { env, err, state };
}

/**
 * Makes the mocked ECS client serve a deployment: ListServiceDeployments lists it (with an older,
 * finished one), DescribeServiceDeployments returns `states` one per call, the last one repeatedly.
 */
export function serve(ecs: AwsClientStub<ECSClient>, ...states: ServiceDeployment[]): void {
  const listed = [previousDeployment(), brief(states[0])];
  ecs.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
    serviceDeployments: input.status ? listed.filter((b) => input.status!.includes(b.status!)) : listed,
  }));
  let call = 0;
  ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => ({ serviceDeployments: [states[Math.min(call++, states.length - 1)]], failures: [] }));
}
