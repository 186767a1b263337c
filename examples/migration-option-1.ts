// Migration example, option 1 (in place), and the CodeDeploy app all three options start from.
//
// `ShopOnCodeDeploy` is what the app looked like before: an ALB with a production (80) and a
// test (9000) listener, two target groups, a Fargate service on the CODE_DEPLOY controller and its
// CodeDeploy deployment group. The migration is one more construct; each phase is one
// `cdk deploy -c phase=PREPARE|CUTOVER|CLEANUP|ROLLBACK` of the same app.
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, DeploymentStrategy, LifecycleHook, LifecycleStage, MigratedEcsService,
  MigrationOption, MigrationPhase,
} from '../src';

/**
 * What the shop keeps of its pre-migration app once the CodeDeploy path's code is deleted: the
 * VPC, cluster, task definition, the application alarm and (options 1 and 2) the load balancer.
 * The graduated apps of options 2 and 3 build only this, as a real app whose old code was
 * deleted would: nothing of the old path is constructed and then taken out, so none of its side
 * effects (a listener's ingress rule on the load balancer's security group) stay behind.
 */
export class ShopKept extends Construct { /** The kept part alone, as the graduated app of option 2 (with the load balancer) or 3 (without) holds it. */
  public static graduated(scope: Construct, id: string, props: { readonly loadBalancer: boolean }): ShopKept {
    const kept = new ShopKept(scope, id, props);
    kept.suppressFindings();
    return kept;
  }

  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  /** The load balancer, unless the app no longer has it (option 3 after graduation). */
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly errors: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: { readonly loadBalancer?: boolean } = {}) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    if (props.loadBalancer ?? true) this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc: this.vpc, internetFacing: true });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    this.taskDefinition.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
    });
    this.errors = new cloudwatch.Alarm(this, 'Errors', {
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors', statistic: 'Sum' }), threshold: 5, evaluationPeriods: 1,
    });
  }

  /** cdk-nag findings on the shop's own resources, with reasons (call once every child exists). */
  protected suppressFindings(): void {
    NagSuppressions.addResourceSuppressions(this, [
      { id: 'AwsSolutions-VPC7', reason: 'Example VPC: flow logs are the application owner\'s choice.' },
      { id: 'AwsSolutions-ELB2', reason: 'Example ALB: access logs need a bucket the application owner chooses.' },
      { id: 'AwsSolutions-EC23', reason: 'Example ALB: a public web endpoint on its production port.' },
      { id: 'AwsSolutions-IAM4', reason: 'aws-cdk-lib\'s CodeDeploy role uses the AWSCodeDeployRoleForECS managed policy.' },
      { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib task execution role: log stream wildcard generated for the awslogs driver.' },
      { id: 'AwsSolutions-ECS2', reason: 'Example task definition: no environment variables.' },
    ], true);
  }
}

/** The pre-migration app: a service deployed by CodeDeploy blue/green. */
export class ShopOnCodeDeploy extends ShopKept {
  public readonly alb: elbv2.ApplicationLoadBalancer;
  public readonly productionListener: elbv2.ApplicationListener;
  public readonly testListener: elbv2.ApplicationListener;
  public readonly blue: elbv2.ApplicationTargetGroup;
  public readonly green: elbv2.ApplicationTargetGroup;
  public readonly service: ecs.FargateService;
  public readonly deploymentGroup: codedeploy.EcsDeploymentGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.alb = this.loadBalancer!;
    const targetGroup = (name: string) => new elbv2.ApplicationTargetGroup(this, name, {
      vpc: this.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP, healthCheck: { path: '/' },
    });
    this.blue = targetGroup('Blue');
    this.green = targetGroup('Green');
    this.productionListener = this.alb.addListener('Production', { port: 80, defaultTargetGroups: [this.blue] });
    this.testListener = this.alb.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [this.green], open: false });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 2,
      minHealthyPercent: 100,
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
    });
    this.service.attachToApplicationTargetGroup(this.blue);
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'Deployments', {
      service: this.service,
      deploymentConfig: codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTES,
      alarms: [this.errors],
      autoRollback: { failedDeployment: true, deploymentInAlarm: true },
      blueGreenDeploymentConfig: {
        blueTargetGroup: this.blue,
        greenTargetGroup: this.green,
        listener: this.productionListener,
        testListener: this.testListener,
        deploymentApprovalWaitTime: Duration.minutes(20),
        terminationWaitTime: Duration.minutes(15),
      },
    });
    this.suppressFindings();
  }

  /** What the migration needs to know about the CodeDeploy path. */
  public codeDeployPath(): Pick<CodeDeployToEcsMigrationProps,
  'service' | 'deploymentGroup' | 'productionListener' | 'testListener' | 'blueTargetGroup' | 'greenTargetGroup'> {
    return {
      service: this.service,
      deploymentGroup: this.deploymentGroup,
      productionListener: this.productionListener,
      testListener: this.testListener,
      blueTargetGroup: this.blue,
      greenTargetGroup: this.green,
    };
  }
}

/** The phase of this synthesis: `-c phase=CUTOVER` (default PREPARE). */
export function phaseOf(scope: Construct): MigrationPhase {
  const phase = String(scope.node.tryGetContext('phase') ?? MigrationPhase.PREPARE).toUpperCase();
  if (!Object.values<string>(MigrationPhase).includes(phase)) {
    throw new Error(`-c phase=${phase}: expected one of ${Object.values(MigrationPhase).join(', ')}`);
  }
  return phase as MigrationPhase;
}

/**
 * After CLEANUP: `-c graduated=true` synthesizes the app without the migration (README, "After
 * CLEANUP: graduate"). In a real app you delete the CodeDeploy code; here the deployment group
 * is taken out of the shared pre-migration construct.
 */
export function graduatedOf(scope: Construct): boolean {
  return String(scope.node.tryGetContext('graduated') ?? 'false') === 'true';
}

/** Option 1: the same service switches to the ECS controller. */
export class MigrationOption1Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const shop = new ShopOnCodeDeploy(this, 'Shop');
    if (graduatedOf(this)) {
      shop.node.tryRemoveChild(shop.deploymentGroup.node.id);
      new MigratedEcsService(this, 'Migration', {
        service: shop.service,
        productionListener: shop.productionListener,
        testListener: shop.testListener,
        blueTargetGroup: shop.blue,
        greenTargetGroup: shop.green,
        // What the migration mapped: linear 10 % every minute, bake = termination wait (15 min),
        // the deployment group's alarm, and its approval wait as a pause.
        strategy: DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', { bakeTime: Duration.minutes(15) }),
        alarms: [shop.errors],
        hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(20) })],
      });
      return;
    }
    const migration = new CodeDeployToEcsMigration(this, 'Migration', {
      ...shop.codeDeployPath(),
      option: MigrationOption.inPlace(),
      phase: phaseOf(this),
      // What `aws ecs describe-services --query services[0].taskDefinition` printed in PREPARE.
      runningTaskDefinitionArn: this.node.tryGetContext('runningTaskDefinitionArn') ?? 'arn:aws:ecs:us-east-1:111122223333:task-definition/shop:7',
      planOutput: true,
    });
    migration.plan.forEach((step, i) => this.node.addMetadata('migration-plan', `${i + 1}. ${step}`));
  }
}

if (require.main === module) {
  const app = new App();
  new MigrationOption1Stack(app, 'ShopMigrationOption1');
  app.synth();
}
