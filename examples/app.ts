// The example app of the README (`npm run example`): two web services deployed by ECS itself.
//  - EcsBlueGreenAlb: an internal service behind an internal ALB, blue/green, test traffic on a
//    separate test listener, an HTTP smoke test of the green revision (run in the VPC, which is
//    what reaches an internal ALB) before production traffic moves.
//  - EcsCanaryAlb: a public service, canary (10 %, then the rest after 10 minutes), test traffic
//    selected by a header on the production listener (open to clients, so the smoke test reaches
//    it from outside the VPC), a manual approval before production traffic moves, an analysis
//    of green against blue while the canary runs and an alarm watch after it. Both services also
//    get the default deployment alarms (5xx and unhealthy hosts of their target groups).
import { App, Aspects, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  BlueGreenEcsService, DeploymentStrategy, HookTimeoutAction, LifecycleHookFunction, TrafficRouting,
} from '../src';
import { MigrationOption1Stack } from './migration-option-1';
import { MigrationOption2Stack } from './migration-option-2';
import { MigrationOption3Stack } from './migration-option-3';
import { CdkPipelinesReleaseStack } from './pipeline-cdk-pipelines';
import { CodePipelineReleaseStack } from './pipeline-codepipeline';
import { GitHubActionsReleaseStack } from './pipeline-github-actions';

/** What a platform team already has: network, cluster, load balancer, a task definition. */
class Platform extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  public readonly alb: elbv2.ApplicationLoadBalancer;
  public readonly listener: elbv2.ApplicationListener;
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: { internetFacing: boolean }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc: this.vpc, internetFacing: props.internetFacing });
    this.listener = this.alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' }),
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    this.taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
    });
    NagSuppressions.addResourceSuppressions(this, [
      { id: 'AwsSolutions-VPC7', reason: 'Example VPC: flow logs are the application owner\'s choice.' },
      { id: 'AwsSolutions-ELB2', reason: 'Example ALB: access logs need a bucket the application owner chooses.' },
      { id: 'AwsSolutions-EC23', reason: 'Example ALB: its web endpoint accepts any address on port 80 by design (an internal ALB is reachable from its VPC only).' },
      { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib task execution role: log stream wildcard generated for the awslogs driver.' },
    ], true);
  }
}

/** Blue/green behind an internal ALB with a test listener and a smoke test. */
export class BlueGreenAlbStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const platform = new Platform(this, 'Platform', { internetFacing: false });
    const testListener = platform.alb.addListener('Test', {
      port: 9000,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false, // no rule for anyone: the service admits its smoke test
      defaultAction: elbv2.ListenerAction.fixedResponse(404),
    });
    // In the VPC, the function resolves the internal ALB's DNS name to private addresses; the
    // service admits the function's security group to port 9000 when it binds the hook.
    const smokeTest = LifecycleHookFunction.httpSmokeTest(this, 'SmokeTest', { path: '/', requests: 20, vpc: platform.vpc });

    new BlueGreenEcsService(this, 'Web', {
      cluster: platform.cluster,
      taskDefinition: platform.taskDefinition,
      desiredCount: 2,
      routing: TrafficRouting.applicationLoadBalancer({ listener: platform.listener, testListener, healthCheck: { path: '/' } }),
      strategy: DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(10) }),
      hooks: [smokeTest.toHook()],
      outputs: true,
    });
  }
}

/** Canary with header-based test traffic, a smoke test, a manual approval, an analysis and an alarm watch. */
export class CanaryAlbStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const platform = new Platform(this, 'Platform', { internetFacing: true });
    const errors = new cloudwatch.Alarm(this, 'Target5xx', {
      metric: platform.alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) }),
      threshold: 10,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const approval = LifecycleHookFunction.approvalGate(this, 'Approval', { timeout: Duration.hours(2), onTimeout: HookTimeoutAction.ROLLBACK });
    const watch = LifecycleHookFunction.metricCheck(this, 'Watch', { alarms: [errors], duration: Duration.minutes(15) });
    // Outside the VPC: the production listener is open to the internet, and the test header
    // routes the smoke test's requests to green.
    const smokeTest = LifecycleHookFunction.httpSmokeTest(this, 'SmokeTest', { path: '/', requests: 10 });
    // While the canary serves 10 %, green's 5xx rate and p99 latency are compared with blue's.
    const analysis = LifecycleHookFunction.analysis(this, 'Analysis', { measurements: 5, minRequests: 20 });

    new BlueGreenEcsService(this, 'Web', {
      cluster: platform.cluster,
      taskDefinition: platform.taskDefinition,
      desiredCount: 3,
      routing: TrafficRouting.applicationLoadBalancer({
        listener: platform.listener,
        testHeader: { name: 'X-Test-Traffic', value: 'true' },
        priority: 100,
      }),
      strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(10) }),
      alarms: [errors],
      hooks: [smokeTest.toHook(), approval.toHook(), analysis.toHook(), watch.toHook()],
      outputs: true,
    });
  }
}

/** Builds the example app, with cdk-nag's AwsSolutions checks applied to every stack. */
export function buildExampleApp(outdir: string): App {
  const app = new App({ outdir });
  new BlueGreenAlbStack(app, 'EcsBlueGreenAlb');
  new CanaryAlbStack(app, 'EcsCanaryAlb');
  // The three migrations off CodeDeploy, at the phase given with -c phase=... (default PREPARE).
  new MigrationOption1Stack(app, 'ShopMigrationOption1');
  new MigrationOption2Stack(app, 'ShopMigrationOption2');
  new MigrationOption3Stack(app, 'ShopMigrationOption3');
  // Releasing image changes blue/green from a pipeline (README "Releasing from a pipeline").
  new CodePipelineReleaseStack(app, 'ShopReleaseCodePipeline');
  // The pipeline synthesizes its stage when the stage is added: cdk-nag must be given to it first.
  new CdkPipelinesReleaseStack(app, 'ShopReleaseCdkPipelines', { stageAspects: [new AwsSolutionsChecks()] });
  new GitHubActionsReleaseStack(app, 'ShopReleaseGitHubActions');
  Aspects.of(app).add(new AwsSolutionsChecks());
  return app;
}
