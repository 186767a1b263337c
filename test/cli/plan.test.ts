import {
  CodeDeployClient, DeploymentGroupDoesNotExistException, DeploymentGroupInfo, GetDeploymentCommand, GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { Capture, testClients, testEnv } from './fixtures';
import { mapDeploymentGroup } from '../../src/cli/codedeploy-mapping';
import { plan } from '../../src/cli/commands/plan';
import { readAppSpecFacts } from '../../src/private/codedeploy/app-spec-facts';
import { typeCheckSnippets } from '../support/snippets';

const codedeploy = mockClient(CodeDeployClient);
// No pipeline deploys these groups (test/cli/plan-release.test.ts covers the pipeline search).
const codepipeline = mockClient(CodePipelineClient);
const clients = testClients();

const PROD_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const TEST_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/9a8b7c6d5e4f3a2b';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:deployments';

const APPSPEC_YAML = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
        PlatformVersion: "LATEST"
Hooks:
  - BeforeInstall: "web-before-install"
  - AfterAllowTestTraffic: "arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test"
  - BeforeAllowTraffic: "web-before-traffic"
  - AfterAllowTraffic: "web-after-traffic"
`;

/** A deployment group as GetDeploymentGroup returns it for an ECS service. */
function deploymentGroup(overrides: Partial<DeploymentGroupInfo> = {}): DeploymentGroupInfo {
  return {
    applicationName: 'web',
    deploymentGroupId: '6f1c2b7e-2d3a-4c5b-9e8f-0a1b2c3d4e5f',
    deploymentGroupName: 'web-prod',
    deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: [],
    autoScalingGroups: [],
    serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployEcsRole',
    targetRevision: { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC_YAML, sha256: 'a3f1c0ffee' } },
    triggerConfigurations: [{ triggerName: 'deploy-notifications', triggerTargetArn: TOPIC, triggerEvents: ['DeploymentFailure', 'DeploymentSuccess', 'DeploymentReady'] }],
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'web-5xx' }, { name: 'web-p99-latency' }] },
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
    },
    loadBalancerInfo: {
      targetGroupPairInfoList: [{
        targetGroups: [{ name: 'web-blue' }, { name: 'web-green' }],
        prodTrafficRoute: { listenerArns: [PROD_LISTENER] },
        testTrafficRoute: { listenerArns: [TEST_LISTENER] },
      }],
    },
    lastSuccessfulDeployment: { deploymentId: 'd-7QX2M4B1C', status: 'Succeeded', endTime: new Date('2026-04-28T09:12:00Z'), createTime: new Date('2026-04-28T08:40:00Z') },
    computePlatform: 'ECS',
    ecsServices: [{ serviceName: 'web', clusterName: 'prod' }],
    ...overrides,
  };
}

function config(name: string, trafficRoutingConfig: any) {
  return { deploymentConfigInfo: { deploymentConfigId: 'c0ffee', deploymentConfigName: name, createTime: new Date('2020-01-01T00:00:00Z'), computePlatform: 'ECS' as const, trafficRoutingConfig } };
}

beforeEach(() => {
  codedeploy.reset();
  codepipeline.reset();
  codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [] });
  codedeploy.on(GetDeploymentConfigCommand, { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' })
    .resolves(config('CodeDeployDefault.ECSCanary10Percent5Minutes', { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }));
});

async function run(args: string[], files?: Record<string, string>) {
  const out = new Capture();
  const { env, err } = testEnv({ files });
  const code = await plan.run(args, clients, out, env);
  return { code, out: out.text, err: err.text };
}

describe('plan', () => {
  test('maps a canary deployment group: strategy, bake time, hooks, approval gate, alarms, rollback, triggers', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: deploymentGroup() });
    const r = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod']);
    expect(r.code).toBe(0);
    expect(codedeploy.commandCalls(GetDeploymentGroupCommand)[0].args[0].input).toEqual({ applicationName: 'web', deploymentGroupName: 'web-prod' });
    expect(codedeploy.commandCalls(GetDeploymentConfigCommand)[0].args[0].input).toEqual({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
    const o = r.out;
    expect(o).toMatch(/^CodeDeploy application web, deployment group web-prod \(service web in cluster prod\)$/m);
    expect(o).toContain('Strategy\n  CodeDeployDefault.ECSCanary10Percent5Minutes → CANARY: 10% for 5 min, then the rest\n');
    expect(o).toContain('Bake time\n  terminationWaitTime 60 min → bake time 60 min\n');
    expect(o).toContain("Lifecycle hooks (AppSpec: the deployment group's target revision)\n");
    expect(o).toMatch(/^ {2}BeforeInstall +→ PRE_SCALE_UP +web-before-install$/m);
    expect(o).toMatch(/^ {2}AfterAllowTestTraffic +→ POST_TEST_TRAFFIC_SHIFT +arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test$/m);
    expect(o).toMatch(/^ {2}BeforeAllowTraffic +→ PRE_PRODUCTION_TRAFFIC_SHIFT +web-before-traffic$/m);
    expect(o).toMatch(/^ {2}AfterAllowTraffic +→ POST_PRODUCTION_TRAFFIC_SHIFT +web-after-traffic$/m);
    expect(o).toContain('Container\n  web:8080');
    // The same PAUSE hook as the construct library's DeploymentGroupMapping.approvalHook.
    expect(o).toContain('STOP_DEPLOYMENT after 30 min → PAUSE hook at POST_TEST_TRAFFIC_SHIFT, before production traffic moves (LifecycleHook.pause, ' +
      'timeout 30 min, then ROLLBACK): operators run `ecs-blue-green continue|rollback`');
    expect(o).toContain('Alarms\n  web-5xx, web-p99-latency → deployment alarms: ECS rolls back when any fires\n');
    expect(o).toContain('DEPLOYMENT_FAILURE → deployment circuit breaker with rollback');
    expect(o).toContain('DEPLOYMENT_STOP_ON_ALARM → deployment alarms with rollback');
    expect(o).toContain('Triggers\n  deploy-notifications (DeploymentFailure, DeploymentSuccess, DeploymentReady) cannot be mapped: ECS has no deployment ' +
      'triggers. Create an EventBridge rule (source aws.ecs, detail-type "ECS Deployment State Change", detail.eventName SERVICE_DEPLOYMENT_COMPLETED | ' +
      `SERVICE_DEPLOYMENT_FAILED | SERVICE_DEPLOYMENT_IN_PROGRESS) with the SNS topic ${TOPIC} as target\n`);
    expect(o).not.toContain('have no ECS deployment event');
    expect(o).toContain(`production listener ${PROD_LISTENER}`);
    expect(o).toContain('target groups web-blue, web-green');
    expect(o).toContain('hook functions must be adapted');
    expect(o).toContain('BeforeAllowTraffic becomes PRE_PRODUCTION_TRAFFIC_SHIFT, which runs once before production traffic moves as in CodeDeploy');
    expect(o).toContain('ECS re-routes traffic as soon as it has created the first service revision');
    // The CDK snippet.
    expect(o).toContain("new CodeDeployToEcsMigration(this, 'Migration', {");
    expect(o).toContain('  option: MigrationOption.inPlace(),\n  phase: MigrationPhase.PREPARE,');
    expect(o).toContain('  strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(5), bakeTime: Duration.minutes(60) }),');
    expect(o).toContain("  LifecycleHook.lambda(lambda.Function.fromFunctionName(this, 'BeforeInstallFunction', 'web-before-install'), { stages: [LifecycleStage.PRE_SCALE_UP] }),");
    expect(o).toContain("  LifecycleHook.lambda(lambda.Function.fromFunctionName(this, 'BeforeAllowTrafficFunction', 'web-before-traffic'), { stages: [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT] }),");
    expect(o).toContain("lambda.Function.fromFunctionArn(this, 'AfterAllowTestTrafficFunction', 'arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test')");
    expect(o).toContain('  LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(30), onTimeout: HookTimeoutAction.ROLLBACK }),');
    expect(o).toContain("cloudwatch.Alarm.fromAlarmName(this, 'Alarm2', 'web-p99-latency'),");
  });

  test('the CDK snippet type-checks against the library', () => {
    const mapped = mapDeploymentGroup({ group: deploymentGroup(), appSpec: readAppSpecFacts(APPSPEC_YAML), appSpecSource: 'test' });
    expect(typeCheck(mapped.snippet)).toEqual([]);
    const plain = mapDeploymentGroup({
      group: deploymentGroup({ alarmConfiguration: undefined, blueGreenDeploymentConfiguration: undefined, loadBalancerInfo: undefined }),
    });
    expect(typeCheck(plain.snippet)).toEqual([]);
  });

  test('custom configurations map from their traffic routing', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: deploymentGroup({ deploymentConfigName: 'Linear20Every2', triggerConfigurations: [] }) });
    codedeploy.on(GetDeploymentConfigCommand, { deploymentConfigName: 'Linear20Every2' })
      .resolves(config('Linear20Every2', { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 20, linearInterval: 2 } }));
    const r = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', '--output', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.strategy).toEqual({
      strategy: 'LINEAR',
      stepPercent: 20,
      stepBakeTimeInMinutes: 2,
      codeDeployConfig: 'Linear20Every2',
      source: 'custom',
      description: 'LINEAR: 20% every 2 min',
    });
    expect(json.snippet).toContain('DeploymentStrategy.linear({ stepPercent: 20, stepBakeTime: Duration.minutes(2), bakeTime: Duration.minutes(60) })');
    expect(json.triggers).toEqual([]);
  });

  test('warns where ECS is narrower: 1% linear steps, long waits, KEEP_ALIVE, disabled alarms', () => {
    const mapped = mapDeploymentGroup({
      group: deploymentGroup({
        deploymentConfigName: 'Linear1Every3000',
        alarmConfiguration: { enabled: false, alarms: [{ name: 'web-5xx' }] },
        autoRollbackConfiguration: { enabled: false },
        triggerConfigurations: [],
        blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: 'KEEP_ALIVE', terminationWaitTimeInMinutes: 2880 } },
      }),
      config: { deploymentConfigName: 'Linear1Every3000', trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 1, linearInterval: 3000 } } },
    });
    expect(mapped.strategy).toMatchObject({ strategy: 'LINEAR', stepPercent: 3, stepBakeTimeInMinutes: 1440 });
    expect(mapped.bakeTimeInMinutes).toBe(1440);
    expect(mapped.warnings).toEqual([
      'ECS LINEAR steps are at least 3%: Linear1Every3000 shifts 1% per step, mapped to 3%',
      'ECS allows at most 1440 minutes between traffic shifts; Linear1Every3000 waits 3000: mapped to 1440',
      'terminationWaitTimeInMinutes 2880 exceeds ECS\'s maximum bake time of 1440 minutes: mapped to 1440',
      'the deployment group keeps the original task set alive (KEEP_ALIVE); ECS always scales the blue revision down after the bake time',
    ]);
    expect(mapped.alarms).toEqual({ names: ['web-5xx'], enabled: false });
    expect(mapped.notes).toContain('the deployment group lists alarms but alarm monitoring is disabled: they are not mapped');
    expect(mapped.approvalGate).toBeUndefined();
    expect(mapped.snippet).not.toContain('cloudwatch');
  });

  test('reads hooks from the last successful deployment when the group has no target revision', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: deploymentGroup({ targetRevision: undefined }) });
    codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        deploymentId: 'd-7QX2M4B1C',
        revision: { revisionType: 'String', string: { content: JSON.stringify({ version: 0.0, Hooks: [{ AfterAllowTestTraffic: 'web-smoke-test' }] }) } },
      },
    });
    const r = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', '--output', 'json']);
    expect(codedeploy.commandCalls(GetDeploymentCommand)[0].args[0].input).toEqual({ deploymentId: 'd-7QX2M4B1C' });
    const json = JSON.parse(r.out);
    expect(json.hooksSource).toBe('the last successful deployment (d-7QX2M4B1C)');
    expect(json.hooks).toEqual([{ event: 'AfterAllowTestTraffic', functionName: 'web-smoke-test', stage: 'POST_TEST_TRAFFIC_SHIFT' }]);
  });

  test('--appspec reads hooks from a local file; an S3 revision alone leaves hooks unknown', async () => {
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: deploymentGroup({
        targetRevision: { revisionType: 'S3', s3Location: { bucket: 'artifacts', key: 'web/appspec.yaml', bundleType: 'YAML' } },
        lastSuccessfulDeployment: undefined,
      }),
    });
    const fromFile = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', '--appspec', 'appspec.yaml'], { 'appspec.yaml': APPSPEC_YAML });
    expect(fromFile.code).toBe(0);
    expect(fromFile.out).toContain('Lifecycle hooks (AppSpec: appspec.yaml)');
    const unknown = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod']);
    expect(unknown.code).toBe(0);
    expect(unknown.out).toContain('Lifecycle hooks (AppSpec: none)\n  none\n');
    expect(unknown.out).toContain('! no AppSpec found (an S3 revision is not read): lifecycle hooks are unknown, pass --appspec <file>');
    const missing = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', '--appspec', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read --appspec nope\.yaml: ENOENT/);
    const broken = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', '--appspec', 'bad.yaml'], { 'bad.yaml': 'Hooks: [unclosed' });
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/--appspec bad\.yaml: \[AppSpec\] invalid text: is neither valid YAML nor valid JSON/);
  });

  test('fails with exit 2 without the application or group, exit 3 when the group does not exist', async () => {
    const usage = await run(['--codedeploy-app', 'web']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/missing --deployment-group <name>/);
    codedeploy.on(GetDeploymentGroupCommand).rejects(new DeploymentGroupDoesNotExistException({ message: 'The deployment group web-staging does not exist', $metadata: {} }));
    const missing = await run(['--codedeploy-app', 'web', '--deployment-group', 'web-staging']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/DeploymentGroupDoesNotExistException: The deployment group web-staging does not exist/);
  });
});

/** Type-checks a generated snippet the way test/readme.test.ts checks README examples. */
function typeCheck(snippet: string): string[] {
  return typeCheckSnippets([{ name: 'plan snippet', code: snippet }]);
}
