// The service the three pipeline examples release: a Fargate web service deployed by ECS itself
// (canary, 10 % for 5 minutes, then the rest), with an approval gate before production traffic
// moves. Its image comes from an existing ECR repository; what changes from release to release is
// the image, and only the image.
//
// Also the IAM grants a release job needs (start a deployment, follow it with `ecs-blue-green
// wait`), written once here for the CodePipeline, CodeBuild and GitHub Actions roles.
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  BlueGreenEcsService, DeploymentStrategy, HookTimeoutAction, LifecycleHookFunction, TrafficRouting,
} from '../src';

/**
 * What aws-cdk-lib writes into pipeline, action and CodeBuild roles: object-level access to the
 * pipeline's artifact bucket, and a CodeBuild project's own log streams and report groups (for
 * cdk-nag IAM5 suppressions of pipelines).
 */
export const PIPELINE_ROLE_WILDCARDS = [
  { regex: '/^Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\\*$/' },
  { regex: '/^Resource::<PipelineArtifactsBucket[A-Za-z0-9]+\\.Arn>\\/\\*$/' },
  { regex: '/^Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\\/aws\\/codebuild\\/(<[A-Za-z0-9]+>:)?\\*$/' },
  { regex: '/^Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group\\/(<[A-Za-z0-9]+>-)?\\*$/' },
];

/** The container that serves traffic; imagedefinitions.json and the CI script name it. */
export const WEB_CONTAINER = 'web';

/**
 * Time ECS needs around the traffic shifts that no setting controls: starting the green tasks,
 * passing the target group health checks, draining blue. An allowance, not a measurement.
 */
export const SCALE_UP_ALLOWANCE = Duration.minutes(10);

/** Props of `ReleasedWebService`. */
export interface ReleasedWebServiceProps {
  /** The image tag the template renders (CDK Pipelines: the released version; others: a moving tag). */
  readonly imageTag: string;
  /** Existing ECR repository with the application's images. @default 'shop-web' */
  readonly repositoryName?: string;
  /** How long the approval gate waits for `ecs-blue-green approve` before rolling back. @default 20 minutes */
  readonly approvalTimeout?: Duration;
  /** Fixed cluster name (for CI jobs that name it). @default - generated */
  readonly clusterName?: string;
  /** Fixed service name (for CI jobs that name it). @default - generated */
  readonly serviceName?: string;
  /** Fixed task definition family. @default - generated */
  readonly family?: string;
}

/** VPC, cluster, ALB with a production and a test listener, and the blue/green web service. */
export class ReleasedWebService extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly repository: ecr.IRepository;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly web: BlueGreenEcsService;
  public readonly strategy: DeploymentStrategy;
  public readonly approvalTimeout: Duration;

  constructor(scope: Construct, id: string, props: ReleasedWebServiceProps) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc, clusterName: props.clusterName, containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true });
    const listener = alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' }),
    });
    const testListener = alb.addListener('Test', {
      port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(404),
    });

    this.repository = ecr.Repository.fromRepositoryName(this, 'Images', props.repositoryName ?? 'shop-web');
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512, family: props.family });
    this.taskDefinition.addContainer(WEB_CONTAINER, {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, props.imageTag),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: WEB_CONTAINER }),
    });

    this.approvalTimeout = props.approvalTimeout ?? Duration.minutes(20);
    const approval = LifecycleHookFunction.approvalGate(this, 'Approval', {
      timeout: this.approvalTimeout, onTimeout: HookTimeoutAction.ROLLBACK,
    });
    this.strategy = DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(5), bakeTime: Duration.minutes(5) });
    this.web = new BlueGreenEcsService(this, 'Web', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: 2,
      routing: TrafficRouting.applicationLoadBalancer({ listener, testListener, healthCheck: { path: '/' } }),
      strategy: this.strategy,
      hooks: [approval.toHook()],
    });

    NagSuppressions.addResourceSuppressions(vpc, [{ id: 'AwsSolutions-VPC7', reason: 'Example VPC: flow logs are the application owner\'s choice.' }]);
    NagSuppressions.addResourceSuppressions(alb, [
      { id: 'AwsSolutions-ELB2', reason: 'Example ALB: access logs need a bucket the application owner chooses.' },
      { id: 'AwsSolutions-EC23', reason: 'Example ALB: a public web endpoint accepts 0.0.0.0/0 on port 80 by design.' },
    ], true);
    NagSuppressions.addResourceSuppressions(this.taskDefinition.obtainExecutionRole(), [{
      id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib task execution role: ecr:GetAuthorizationToken has no resource type (*).', appliesTo: ['Resource::*'],
    }], true);
  }

  /**
   * Upper bound of one deployment, from UpdateService until ECS reports it finished: the time no
   * setting controls, the approval gate's longest wait, the canary and the bake time.
   */
  public deploymentBudget(): Duration {
    const minutes = SCALE_UP_ALLOWANCE.toMinutes() + this.approvalTimeout.toMinutes() + this.strategy.estimatedDuration().toMinutes();
    return Duration.minutes(minutes);
  }

  /**
   * Lets `grantee` follow the service's deployments as `ecs-blue-green wait` and `status` do:
   * ListServiceDeployments on the service, DescribeServiceDeployments on it and its deployments
   * (both resource types are required, per the ECS service authorization reference), and
   * DescribeServices on it (to find its current deployment).
   */
  public grantWatchDeployments(grantee: iam.IGrantable): void {
    const service = this.web.service;
    const deployments = Stack.of(this).formatArn({
      service: 'ecs', resource: 'service-deployment', resourceName: `${this.cluster.clusterName}/${service.serviceName}/*`,
    });
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], resources: [service.serviceArn],
    }));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecs:DescribeServiceDeployments'], resources: [service.serviceArn, deployments],
    }));
    suppressWildcards(grantee, 'each release creates a service deployment: <cluster>/<service>/* names this service\'s only', [
      { regex: '/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service-deployment\\/.+\\/\\*$/' },
    ]);
  }

  /**
   * Lets `grantee` release a new image the way the CI script does: read the service (see
   * grantWatchDeployments) and its task definition, register a revision of the same family, update
   * the service, pass the task's roles to ECS. DescribeTaskDefinition has no resource type (it needs `*`); RegisterTaskDefinition is
   * scoped to the family.
   */
  public grantReleaseImage(grantee: iam.IGrantable): void {
    const service = this.web.service;
    const policy = (actions: string[], resources: string[], conditions?: Record<string, any>) =>
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    policy(['ecs:UpdateService'], [service.serviceArn]);
    policy(['ecs:DescribeTaskDefinition'], ['*']);
    policy(['ecs:RegisterTaskDefinition'], [Stack.of(this).formatArn({
      service: 'ecs', resource: 'task-definition', resourceName: `${this.taskDefinition.family}:*`,
    })]);
    const roles = [this.taskDefinition.taskRole.roleArn, this.taskDefinition.obtainExecutionRole().roleArn];
    policy(['iam:PassRole'], roles, { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    this.grantWatchDeployments(grantee);
    suppressWildcards(grantee, 'ecs:DescribeTaskDefinition has no resource type (*); each release registers a revision of the family (<family>:*)', [
      'Resource::*',
      { regex: '/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition\\/[^:]+:\\*$/' },
    ]);
  }
}

/** cdk-nag IAM5 suppressions for the wildcards a grant writes into the grantee's role policy. */
function suppressWildcards(grantee: iam.IGrantable, reason: string, appliesTo: Array<string | { regex: string }>): void {
  const principal = grantee.grantPrincipal;
  if (Construct.isConstruct(principal)) NagSuppressions.addResourceSuppressions(principal, [{ id: 'AwsSolutions-IAM5', reason, appliesTo }], true);
}
