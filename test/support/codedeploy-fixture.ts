import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { fargateTask, suppressFixtureFindings } from './fixtures';
import { CodeDeployToEcsMigrationProps } from '../../src';

/** What a user's app on CodeDeploy blue/green holds today. */
export interface CodeDeployFixture {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly service: ecs.FargateService;
  readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
  readonly alarm: cloudwatch.Alarm;
  readonly topic: sns.Topic;
}

/** Options of {@link codeDeployFixture}. */
export interface CodeDeployFixtureOptions {
  readonly deploymentConfig?: codedeploy.IEcsDeploymentConfig;
  readonly withTrigger?: boolean;
  readonly approvalWait?: Duration;
  /** Whether the deployment group routes test traffic through the test listener. @default true */
  readonly testListenerInGroup?: boolean;
  /**
   * Whether the production listener is open to everyone (0.0.0.0/0). False: closed, as a load
   * balancer behind CloudFront or API Gateway usually is; the test adds the ingress it needs.
   * @default true
   */
  readonly openProduction?: boolean;
}

/**
 * The "before" app: an ALB with a production listener (80, forwarding to blue) and a test listener
 * (9000, forwarding to green), a Fargate service on the CODE_DEPLOY controller registered with
 * blue, and an ECS deployment group (canary 10% / 5 minutes, an alarm with auto-rollback, a
 * 30-minute approval wait, 10-minute termination wait, an SNS trigger).
 */
export function codeDeployFixture(stack: Stack, options: CodeDeployFixtureOptions = {}): CodeDeployFixture {
  // Built in the order of the fixture's first version (the integ snapshots' key order follows it).
  const { vpc, cluster, alb } = keptNetwork(stack, true);
  const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP, healthCheck: { path: '/' },
  });
  const blueTargetGroup = tg('BlueTG');
  const greenTargetGroup = tg('GreenTG');
  const productionListener = alb!.addListener('Production', {
    port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [blueTargetGroup], open: options.openProduction ?? true,
  });
  const testListener = alb!.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [greenTargetGroup], open: false });
  const taskDefinition = fargateTask(stack);
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 2,
    minHealthyPercent: 50,
    deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
  });
  service.attachToApplicationTargetGroup(blueTargetGroup);
  const alarm = keptAlarm(stack);
  const deploymentGroup = new codedeploy.EcsDeploymentGroup(stack, 'DeploymentGroup', {
    service,
    deploymentConfig: options.deploymentConfig ?? codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    alarms: [alarm],
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    blueGreenDeploymentConfig: {
      blueTargetGroup,
      greenTargetGroup,
      listener: productionListener,
      testListener: options.testListenerInGroup === false ? undefined : testListener,
      deploymentApprovalWaitTime: options.approvalWait ?? Duration.minutes(30),
      terminationWaitTime: Duration.minutes(10),
    },
  });
  const topic = new sns.Topic(stack, 'DeployEvents', { enforceSSL: true });
  if (options.withTrigger ?? true) {
    (deploymentGroup.node.defaultChild as codedeploy.CfnDeploymentGroup).triggerConfigurations = [{
      triggerName: 'notify', triggerTargetArn: topic.topicArn, triggerEvents: ['DeploymentFailure', 'DeploymentSuccess'],
    }];
  }
  // After every child exists: the ALB's reasons apply to its listeners and security group rules too.
  suppressKeptFindings(vpc, alb, taskDefinition, topic);
  NagSuppressions.addResourceSuppressions(deploymentGroup, [
    { id: 'AwsSolutions-IAM4', reason: 'Test fixture: aws-cdk-lib\'s CodeDeploy role uses the AWSCodeDeployRoleForECS managed policy.' },
  ], true);
  return { vpc, cluster, alb: alb!, productionListener, testListener, blueTargetGroup, greenTargetGroup, service, deploymentGroup, alarm, topic };
}

/** What a graduated app still holds of {@link codeDeployFixture}, under the same IDs. */
export interface CodeDeployKept {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  /** Absent when the app no longer has the old load balancer (option 3). */
  readonly alb?: elbv2.ApplicationLoadBalancer;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly alarm: cloudwatch.Alarm;
  readonly topic: sns.Topic;
}

/**
 * The part of {@link codeDeployFixture} that outlives the CodeDeploy path: what a user's app
 * holds once the old path's code is deleted (options 2 and 3 graduate from it). Nothing of the
 * old path is ever constructed, so none of its side effects (a listener's `open` ingress rule,
 * a service's security group rules) linger as they would after `tryRemoveChild`.
 */
export function codeDeployKept(stack: Stack, options: { readonly loadBalancer?: boolean } = {}): CodeDeployKept {
  const { vpc, cluster, alb } = keptNetwork(stack, options.loadBalancer ?? true);
  const taskDefinition = fargateTask(stack);
  const alarm = keptAlarm(stack);
  const topic = new sns.Topic(stack, 'DeployEvents', { enforceSSL: true });
  suppressKeptFindings(vpc, alb, taskDefinition, topic);
  return { vpc, cluster, alb, taskDefinition, alarm, topic };
}

/** The VPC, the cluster and (unless `loadBalancer` is false) the ALB of the fixture. */
function keptNetwork(stack: Stack, loadBalancer: boolean): { vpc: ec2.Vpc; cluster: ecs.Cluster; alb?: elbv2.ApplicationLoadBalancer } {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const alb = loadBalancer ? new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true }) : undefined;
  return { vpc, cluster, alb };
}

/** The deployment group's alarm. */
function keptAlarm(stack: Stack): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, 'Errors5xx', {
    // An application metric: it outlives the old target groups when a migration deletes them.
    metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors5xx', statistic: 'Sum' }),
    threshold: 10,
    evaluationPeriods: 1,
  });
}

/** The cdk-nag reasons of the kept resources (and, applied to children, of what was added to them). */
function suppressKeptFindings(vpc: ec2.Vpc, alb: elbv2.ApplicationLoadBalancer | undefined,
  taskDefinition: ecs.TaskDefinition, topic: sns.Topic): void {
  suppressFixtureFindings(vpc, alb, taskDefinition);
  NagSuppressions.addResourceSuppressions(topic, [
    { id: 'AwsSolutions-SNS2', reason: 'Test fixture topic: encryption is the user\'s choice.' },
  ]);
}

/** The CodeDeploy path of the fixture, as CodeDeployToEcsMigration takes it. */
export function codeDeployPathOf(f: CodeDeployFixture): Pick<CodeDeployToEcsMigrationProps,
'service' | 'deploymentGroup' | 'productionListener' | 'testListener' | 'blueTargetGroup' | 'greenTargetGroup'> {
  return {
    service: f.service,
    deploymentGroup: f.deploymentGroup,
    productionListener: f.productionListener,
    testListener: f.testListener,
    blueTargetGroup: f.blueTargetGroup,
    greenTargetGroup: f.greenTargetGroup,
  };
}
