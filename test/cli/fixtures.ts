// Realistic ECS and CodeDeploy responses for the CLI tests: one canary deployment of service `web`
// in cluster `prod`, seen at each state (shapes as DescribeServiceDeployments returns them).
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import {
  DescribeServiceDeploymentsCommand, DescribeServiceDeploymentsCommandInput, DescribeServicesCommand, DescribeServicesCommandInput,
  ECSClient, ListServiceDeploymentsCommand, ListServiceDeploymentsCommandInput,
  ServiceDeployment, ServiceDeploymentLifecycleStage, ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand, DescribeListenersCommandInput, DescribeRulesCommand, DescribeRulesCommandInput, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetRuleCommand, GetRuleCommandInput, VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
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

/**
 * An operator bake (DeploymentStrategy operatorBake): all traffic on green, blue still running,
 * the PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT awaiting action; it continues by itself in 50 minutes.
 */
export function operatorBaking(): ServiceDeployment {
  const config = deploymentConfiguration()!;
  return {
    ...weights(base(), 100),
    lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT',
    deploymentConfiguration: {
      ...config,
      bakeTimeInMinutes: 0,
      lifecycleHooks: [...config.lifecycleHooks ?? [], {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 60, action: 'CONTINUE' },
      }],
    },
    lifecycleHookDetails: [
      smokeSucceeded, pauseSucceeded, approvalSucceeded,
      { hookId: '7a2e4b90-bake', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: minutesFromNow(50), timeoutAction: 'CONTINUE' },
    ],
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
    ecs: new ECSClient(config),
    ssm: new SSMClient(config),
    codedeploy: new CodeDeployClient(config),
    codepipeline: new CodePipelineClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    lattice: new VPCLatticeClient(config),
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
 * finished one), DescribeServiceDeployments returns `states` one per call, the last one repeatedly,
 * DescribeServices the service without load balancers.
 */
export function serve(ecs: AwsClientStub<ECSClient>, ...states: ServiceDeployment[]): void {
  // The service itself, without rules to read (serveService after serve gives it some).
  serveService(ecs, {});
  const listed = [previousDeployment(), brief(states[0])];
  ecs.on(ListServiceDeploymentsCommand).callsFake((input: ListServiceDeploymentsCommandInput) => ({
    serviceDeployments: input.status ? listed.filter((b) => input.status!.includes(b.status!)) : listed,
  }));
  let call = 0;
  ecs.on(DescribeServiceDeploymentsCommand).callsFake((input: DescribeServiceDeploymentsCommandInput) => {
    const arns = input.serviceDeploymentArns ?? [];
    const ours = arns.filter((a) => a === states[0].serviceDeploymentArn);
    return {
      serviceDeployments: ours.map(() => states[Math.min(call++, states.length - 1)]),
      failures: arns.filter((a) => !ours.includes(a)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  });
}

// ------------------------------------------------------------------------------------------------
// The service's rules: an ALB production and test listener rule, an NLB listener, a VPC Lattice rule.
// ------------------------------------------------------------------------------------------------

const ELB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}`;
export const TG_A = `${ELB}:targetgroup/web-a/0123456789abcdef`;
export const TG_B = `${ELB}:targetgroup/web-b/fedcba9876543210`;
export const PROD_RULE = `${ELB}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
export const TEST_RULE = `${ELB}:listener-rule/app/web/50dc6c495c0c9188/0467ef3c8400ae65/2ed3d1d7d8e0e4a1`;
export const NLB_LISTENER = `${ELB}:listener/net/web-nlb/7a0b9c6d5e4f3a21/1b2c3d4e5f6a7b8c`;
export const NLB_TG_A = `${ELB}:targetgroup/web-nlb-a/1111111111111111`;
export const NLB_TG_B = `${ELB}:targetgroup/web-nlb-b/2222222222222222`;
const LATTICE = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}`;
export const LATTICE_TG_A = `${LATTICE}:targetgroup/tg-0a1b2c3d4e5f60718`;
export const LATTICE_TG_B = `${LATTICE}:targetgroup/tg-0f9e8d7c6b5a49382`;
export const LATTICE_RULE = `${LATTICE}:service/svc-0123456789abcdef0/listener/listener-0fedcba9876543210/rule/rule-0aa11bb22cc33dd44`;

/** Which rules the service has. */
export interface ServiceRouting {
  readonly alb?: boolean;
  readonly nlb?: boolean;
  readonly lattice?: boolean;
}

/**
 * Makes the mocked ECS client answer DescribeServices for `prod`/`web` only (as ECS does: an
 * unknown service is a failure), with the load balancers and Lattice configurations asked for.
 */
export function serveService(ecs: AwsClientStub<ECSClient>, routing: ServiceRouting = { alb: true }): void {
  const role = `arn:aws:iam::${ACCOUNT}:role/prod-web-EcsInfrastructureRole`;
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    const ours = ['prod', CLUSTER_ARN].includes(input.cluster ?? '') && (input.services ?? []).every((s) => s === 'web' || s === SERVICE_ARN);
    if (!ours) return { services: [], failures: (input.services ?? []).map((s) => ({ arn: s, reason: 'MISSING' })) };
    return {
      services: [{
        serviceArn: SERVICE_ARN,
        serviceName: 'web',
        clusterArn: CLUSTER_ARN,
        deploymentController: { type: 'ECS' },
        loadBalancers: [
          ...(routing.alb ? [{
            targetGroupArn: TG_A,
            containerName: 'web',
            containerPort: 8080,
            advancedConfiguration: { alternateTargetGroupArn: TG_B, productionListenerRule: PROD_RULE, testListenerRule: TEST_RULE, roleArn: role },
          }] : []),
          ...(routing.nlb ? [{
            targetGroupArn: NLB_TG_A,
            containerName: 'web',
            containerPort: 8080,
            advancedConfiguration: { alternateTargetGroupArn: NLB_TG_B, productionListenerRule: NLB_LISTENER, roleArn: role },
          }] : []),
        ],
        deployments: [{
          id: 'ecs-svc/1234567890123456789',
          status: 'PRIMARY',
          ...(routing.lattice ? {
            vpcLatticeConfigurations: [{
              roleArn: role,
              targetGroupArn: LATTICE_TG_A,
              portName: 'http',
              advancedConfiguration: { alternateTargetGroupArn: LATTICE_TG_B, productionListenerRule: LATTICE_RULE },
            }],
          } : {}),
        }],
      }],
      failures: [],
    };
  });
}

/** Weights of the A and B target groups (A is the service's targetGroupArn, B the alternate). */
export type Split = readonly [a: number, b: number];

/**
 * Makes the mocked ELB client answer DescribeRules for the production and test rules and
 * DescribeListeners for the NLB listener (by the ARNs asked for; others are not found). The
 * production weights follow `production`, one entry per call, the last one repeatedly.
 */
export function serveRules(elb: AwsClientStub<ElasticLoadBalancingV2Client>, production: Split[], test: Split = [0, 1]): void {
  let ruleCalls = 0;
  let listenerCalls = 0;
  const forward = (a: string, b: string, [wa, wb]: Split) => [{
    Type: 'forward' as const,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: a, Weight: wa }, { TargetGroupArn: b, Weight: wb }] },
  }];
  elb.on(DescribeRulesCommand).callsFake((input: DescribeRulesCommandInput) => {
    const split = production[Math.min(ruleCalls++, production.length - 1)];
    const known: Record<string, ReturnType<typeof forward>> = { [PROD_RULE]: forward(TG_A, TG_B, split), [TEST_RULE]: forward(TG_A, TG_B, test) };
    const missing = (input.RuleArns ?? []).find((a) => !known[a]);
    if (missing) throw Object.assign(new Error(`One or more rules not found: ${missing}`), { name: 'RuleNotFoundException' });
    return { Rules: (input.RuleArns ?? []).map((a) => ({ RuleArn: a, Priority: a === PROD_RULE ? '10' : '20', Actions: known[a] })) };
  });
  elb.on(DescribeListenersCommand).callsFake((input: DescribeListenersCommandInput) => {
    const split = production[Math.min(listenerCalls++, production.length - 1)];
    if ((input.ListenerArns ?? []).some((a) => a !== NLB_LISTENER)) throw Object.assign(new Error('One or more listeners not found'), { name: 'ListenerNotFoundException' });
    return { Listeners: (input.ListenerArns ?? []).map((a) => ({ ListenerArn: a, Protocol: 'TCP' as const, Port: 80, DefaultActions: forward(NLB_TG_A, NLB_TG_B, split) })) };
  });
}

/**
 * Makes the mocked VPC Lattice client answer GetRule for the Lattice rule (by its service, listener
 * and rule IDs; others are not found), weights per call as for serveRules.
 */
export function serveLatticeRule(lattice: AwsClientStub<VPCLatticeClient>, production: Split[]): void {
  let calls = 0;
  lattice.on(GetRuleCommand).callsFake((input: GetRuleCommandInput) => {
    const ours = input.serviceIdentifier === 'svc-0123456789abcdef0' && input.listenerIdentifier === 'listener-0fedcba9876543210' &&
      input.ruleIdentifier === 'rule-0aa11bb22cc33dd44';
    if (!ours) throw Object.assign(new Error('rule not found'), { name: 'ResourceNotFoundException' });
    const [wa, wb] = production[Math.min(calls++, production.length - 1)];
    return {
      arn: LATTICE_RULE,
      id: 'rule-0aa11bb22cc33dd44',
      priority: 10,
      isDefault: false,
      // Lattice forwards name target groups by ID or ARN: one of each here.
      action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-0a1b2c3d4e5f60718', weight: wa }, { targetGroupIdentifier: LATTICE_TG_B, weight: wb }] } },
    };
  });
}

/**
 * A test environment on jest's fake timers: `sleep` is a real setTimeout (advance it with
 * jest.advanceTimersByTimeAsync), `now` is the faked Date.now, and `interrupt()` plays Ctrl-C.
 */
export function timerEnv() {
  const err = new Capture(false);
  const listeners = new Set<() => void>();
  const env: CliEnv = {
    err,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    readFile: () => { throw new Error('no files'); },
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
  return { env, err, interrupt: () => listeners.forEach((l) => l()), listening: () => listeners.size };
}
