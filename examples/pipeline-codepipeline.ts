// Releasing with CodePipeline: an image pushed to ECR with the tag `release` goes to production
// through an ECS blue/green deployment (canary, approval gate before production traffic moves).
//
//   Source   ECR image push (EcrSourceAction, tag `release`)
//   Image    CodeBuild writes imagedefinitions.json naming the pushed digest
//   Deploy   EcsDeployAction, then a CodeBuild step `ecs-blue-green wait` that fails the stage
//            unless the deployment succeeded
//
// What the ECS deploy action does and does not do (CodePipeline user guide, "Amazon Elastic
// Container Service deploy action reference" and "Quotas in AWS CodePipeline"):
// - it registers its own revision of the task definition the service runs, with the image from
//   imagedefinitions.json, and calls UpdateService with it. On a service whose strategy is
//   BLUE_GREEN, LINEAR or CANARY that starts the ECS blue/green deployment; the CodeDeploy ECS
//   action, the AppSpec and taskdef.json are not used any more.
// - it waits for the service to reach a steady state, at most DeploymentTimeout minutes, and
//   that timeout is capped at 60. A blue/green service is not steady until the bake time is over
//   (blue and green both run until then; kayac/ecspresso#1063), so hooks, traffic shifts and bake
//   time must fit in that hour, or the action fails while ECS goes on.
// - the guide does not say how the action reports a deployment ECS rolled back. Users report the
//   action waiting until its timeout after a circuit-breaker rollback (aws/containers-roadmap#1399)
//   and other deploy tools reporting success once the rolled-back service was stable again
//   (aws-actions/amazon-ecs-deploy-task-definition#191). The `WaitForDeployment` step therefore
//   reads the outcome from ECS itself: `ecs-blue-green wait` exits 1 for a rollback, which fails
//   the CodeBuild action and the stage.
//
// Deployments longer than the hour (a long approval gate) skip the ECS action: a CodeBuild action
// runs examples/ci/deploy-image.sh (the same script as the GitHub Actions workflow), which
// registers the revision, updates the service and waits, for up to the CodeBuild action's 8 hours.
//
// The approval gate: while the pipeline waits, an operator runs
//   ecs-blue-green status <cluster> <service>     # Stage PRE_PRODUCTION_TRAFFIC_SHIFT, gate waiting
//   ecs-blue-green approve <cluster> <service>    # or reject: the deployment rolls back
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PIPELINE_ROLE_WILDCARDS, ReleasedWebService, WEB_CONTAINER } from './pipeline-service';

/** The ECR tag whose pushes are released. */
export const RELEASE_TAG = 'release';
/** The ECS deploy action's DeploymentTimeout cannot exceed 60 minutes. */
export const ECS_ACTION_MAX_TIMEOUT = Duration.minutes(60);
/** CodePipeline times out a CodeBuild action after 8 hours. */
export const CODEBUILD_ACTION_MAX_TIMEOUT = Duration.hours(8);

/** Installs the operator CLI in a CodeBuild job (the bundle needs no peer dependency). */
export const INSTALL_CLI = 'npm install --global --no-audit --no-fund --legacy-peer-deps "cdk-ecs-blue-green@${ECS_BLUE_GREEN_VERSION:-latest}"';

/** Props of `CodePipelineReleaseStack`. */
export interface CodePipelineReleaseStackProps extends StackProps {
  /** How long the approval gate waits. @default 20 minutes (fits the ECS deploy action's hour) */
  readonly approvalTimeout?: Duration;
}

/** The service and the pipeline that releases its images. */
export class CodePipelineReleaseStack extends Stack {
  public readonly shop: ReleasedWebService;
  public readonly pipeline: codepipeline.Pipeline;
  /** Whether the deploy stage uses the ECS deploy action (else a CodeBuild job deploys). */
  public readonly usesEcsDeployAction: boolean;

  constructor(scope: Construct, id: string, props: CodePipelineReleaseStackProps = {}) {
    super(scope, id, props);
    this.shop = new ReleasedWebService(this, 'Shop', { imageTag: RELEASE_TAG, approvalTimeout: props.approvalTimeout });
    const budget = this.shop.deploymentBudget();
    if (budget.toMinutes() > CODEBUILD_ACTION_MAX_TIMEOUT.toMinutes()) {
      throw new Error(`a deployment of this service may take ${budget.toMinutes()} minutes, more than CodePipeline waits for a ` +
        `CodeBuild action (${CODEBUILD_ACTION_MAX_TIMEOUT.toHumanString()}): shorten the approval gate's timeout or the strategy`);
    }
    this.usesEcsDeployAction = budget.toMinutes() <= ECS_ACTION_MAX_TIMEOUT.toMinutes();

    const image = new codepipeline.Artifact('Image');
    const source = new actions.EcrSourceAction({ actionName: 'ImagePushed', repository: this.shop.repository, imageTag: RELEASE_TAG, output: image });
    const imageDefinitions = new codepipeline.Artifact('ImageDefinitions');
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      // One account: the artifact bucket's S3-managed encryption, no KMS key to pay for.
      crossAccountKeys: false,
      stages: [
        { stageName: 'Source', actions: [source] },
        {
          stageName: 'Image',
          actions: [new actions.CodeBuildAction({
            actionName: 'ImageDefinitions',
            project: this.imageDefinitionsProject(),
            input: image,
            outputs: [imageDefinitions],
            environmentVariables: { IMAGE_DIGEST: { value: source.variables.imageDigest } },
          })],
        },
        { stageName: 'Deploy', actions: this.usesEcsDeployAction ? this.ecsActionDeploy(imageDefinitions) : this.codeBuildDeploy(image, source, budget) },
      ],
    });

    NagSuppressions.addResourceSuppressions(this.pipeline, [
      { id: 'AwsSolutions-S1', reason: 'Pipeline artifact bucket: access logs need a bucket the pipeline owner chooses.' },
      { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib pipeline and action roles: object-level access to the artifact bucket.', appliesTo: PIPELINE_ROLE_WILDCARDS },
    ], true);
    if (this.usesEcsDeployAction) {
      NagSuppressions.addResourceSuppressions(this.pipeline.node.findChild('Deploy').node.findChild('Deploy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'aws-cdk-lib EcsDeployAction role: its ecs Describe/List/Register/Update actions and iam:PassRole (to ECS tasks and EC2 only) on *, as the L2 ' +
          'writes them. The CodePipeline guide\'s minimum is the task definitions and the service; pass an immutable role of your own to narrow it.',
        appliesTo: ['Resource::*'],
      }], true);
    }
  }

  /** imagedefinitions.json for the ECS deploy action: the container and the pushed digest. */
  private imageDefinitionsProject(): codebuild.PipelineProject {
    return this.project('ImageDefinitionsProject', Duration.minutes(5), {
      version: '0.2',
      env: { variables: { CONTAINER: WEB_CONTAINER, REPOSITORY_URI: this.shop.repository.repositoryUri } },
      phases: {
        build: {
          commands: [
            'printf \'[{"name":"%s","imageUri":"%s@%s"}]\' "$CONTAINER" "$REPOSITORY_URI" "$IMAGE_DIGEST" > imagedefinitions.json',
            'cat imagedefinitions.json',
          ],
        },
      },
      artifacts: { files: ['imagedefinitions.json'] },
    });
  }

  /** The ECS deploy action, then the outcome read from ECS. */
  private ecsActionDeploy(imageDefinitions: codepipeline.Artifact): codepipeline.IAction[] {
    const waitProject = this.project('WaitForDeploymentProject', Duration.minutes(20), {
      version: '0.2',
      env: { variables: this.serviceVariables() },
      phases: {
        install: { 'runtime-versions': { nodejs: 20 }, 'commands': [INSTALL_CLI] },
        build: {
          commands: [
            // The deployment the ECS action started is the service's current one (an AWS CLI too
            // old to know the field prints None: then `wait` takes the service's newest).
            'DEPLOYMENT=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query "services[0].currentServiceDeployment" --output text)',
            // 0 succeeded; 1 failed or rolled back; 3 timeout or AWS error: anything but 0 fails the stage.
            'if [ "$DEPLOYMENT" = "None" ]; then ecs-blue-green wait "$CLUSTER" "$SERVICE" --timeout 15m; ' +
              'else ecs-blue-green wait "$CLUSTER" "$SERVICE" --deployment "$DEPLOYMENT" --timeout 15m; fi',
          ],
        },
      },
    });
    this.shop.grantWatchDeployments(waitProject);
    return [
      new actions.EcsDeployAction({
        actionName: 'Deploy',
        service: this.shop.web.service,
        input: imageDefinitions,
        deploymentTimeout: ECS_ACTION_MAX_TIMEOUT,
        runOrder: 1,
      }),
      new actions.CodeBuildAction({ actionName: 'WaitForDeployment', project: waitProject, input: imageDefinitions, runOrder: 2 }),
    ];
  }

  /** For deployments longer than the ECS action's hour: the CI script in a CodeBuild job. */
  private codeBuildDeploy(image: codepipeline.Artifact, source: actions.EcrSourceAction, budget: Duration): codepipeline.IAction[] {
    const script = new s3assets.Asset(this, 'DeployScript', { path: path.join(__dirname, 'ci', 'deploy-image.sh') });
    const timeout = Duration.minutes(Math.min(budget.toMinutes() + 15, CODEBUILD_ACTION_MAX_TIMEOUT.toMinutes()));
    const project = this.project('DeployProject', timeout, {
      version: '0.2',
      env: {
        variables: {
          ...this.serviceVariables(), CONTAINER: WEB_CONTAINER, REPOSITORY_URI: this.shop.repository.repositoryUri, SCRIPT: script.s3ObjectUrl,
        },
      },
      phases: {
        install: { 'runtime-versions': { nodejs: 20 }, 'commands': [INSTALL_CLI] },
        build: {
          commands: [
            'aws s3 cp "$SCRIPT" deploy-image.sh',
            `bash deploy-image.sh "$CLUSTER" "$SERVICE" "$CONTAINER" "$REPOSITORY_URI@$IMAGE_DIGEST" ${Math.max(1, timeout.toMinutes() - 5)}m`,
          ],
        },
      },
    });
    script.grantRead(project);
    this.shop.grantReleaseImage(project);
    return [new actions.CodeBuildAction({
      actionName: 'Deploy',
      project,
      input: image,
      environmentVariables: { IMAGE_DIGEST: { value: source.variables.imageDigest } },
    })];
  }

  private serviceVariables(): Record<string, string> {
    return { CLUSTER: this.shop.cluster.clusterName, SERVICE: this.shop.web.service.serviceName };
  }

  private project(id: string, timeout: Duration, buildSpec: Record<string, any>): codebuild.PipelineProject {
    const project = new codebuild.PipelineProject(this, id, {
      buildSpec: codebuild.BuildSpec.fromObject(buildSpec),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
      timeout,
    });
    NagSuppressions.addResourceSuppressions(project, [
      { id: 'AwsSolutions-CB4', reason: 'Handles image digests and service names only; the artifact bucket encrypts what it stores.' },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'aws-cdk-lib CodeBuild role: its own log group\'s streams and report groups, object-level access to the pipeline\'s artifacts (and to the CDK asset bucket for the deploy script).',
        appliesTo: [
          ...PIPELINE_ROLE_WILDCARDS,
          { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\\/\\*$/' },
        ],
      },
    ], true);
    return project;
  }
}

if (require.main === module) {
  const app = new App();
  new CodePipelineReleaseStack(app, 'ShopReleaseCodePipeline');
  app.synth();
}
