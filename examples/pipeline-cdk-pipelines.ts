// Releasing with CDK Pipelines (aws-cdk-lib/pipelines): the image tag is part of the CDK app, so a
// release is an ordinary commit that changes it (here the `imageTag` context value, which a real
// app keeps in cdk.json). The pipeline synthesizes the app and deploys the stage's stack; the
// stack update registers a task definition revision with the new image and updates the service,
// and that UpdateService starts the ECS blue/green deployment.
//
// - CloudFormation waits for the service update, so the deploy action finishes when ECS has
//   finished. When ECS rolls the deployment back (circuit breaker, alarm, a failed hook, a
//   rejected approval), the service update fails and CloudFormation rolls the stack back to the
//   previous task definition (AWS's statement on aws/containers-roadmap#1205 for the circuit
//   breaker). The pipeline stage fails with it: no separate wait step is needed.
// - Traffic does not snap back: after a deployment ECS has moved the production rule's weights,
//   and the next stack update must not write the template's 1/0 again. An image bump changes the
//   task definition only; the listener rules and the live-weights reader stay byte-identical
//   (test/pipelines/cdk-pipelines-example.test.ts checks it), so CloudFormation leaves the rule
//   alone. A change that does rewrite a rule (priority, conditions) takes the live weights.
// - Hooks and bake time make the stack update long: the approval gate (20 minutes here) is part
//   of it. Keep hook timeouts well inside what CloudFormation waits for a service update.
import { App, Aspects, IAspect, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PIPELINE_ROLE_WILDCARDS, ReleasedWebService } from './pipeline-service';

/** The image tag released when the app sets none (`-c imageTag=...` or cdk.json's context). */
export const DEFAULT_IMAGE_TAG = '1.4.2';

/** Props of `ShopStage`. */
export interface ShopStageProps extends StageProps {
  /** The released image tag. */
  readonly imageTag: string;
  /** Aspects of the stage (see CdkPipelinesReleaseStackProps.stageAspects). @default - none */
  readonly aspects?: IAspect[];
}

/** What the pipeline deploys: one stack with the service. */
export class ShopStage extends Stage {
  public readonly serviceStack: Stack;
  public readonly shop: ReleasedWebService;

  constructor(scope: Construct, id: string, props: ShopStageProps) {
    super(scope, id, props);
    (props.aspects ?? []).forEach((aspect) => Aspects.of(this).add(aspect));
    this.serviceStack = new Stack(this, 'Shop');
    this.shop = new ReleasedWebService(this.serviceStack, 'Shop', { imageTag: props.imageTag });
  }
}

/** Props of `CdkPipelinesReleaseStack`. */
export interface CdkPipelinesReleaseStackProps extends StackProps {
  /** owner/repository of the CDK app. @default 'example-org/shop' */
  readonly repository?: string;
  /** CodeConnections (CodeStar) connection to the repository host. @default - a placeholder ARN */
  readonly connectionArn?: string;
  /**
   * Aspects of the production stage, such as cdk-nag's checks. The pipeline synthesizes a stage
   * when it is added to it, so aspects added to the stage afterwards never run.
   * @default - none
   */
  readonly stageAspects?: IAspect[];
}

/** The CDK Pipelines pipeline and its production stage. */
export class CdkPipelinesReleaseStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly production: ShopStage;

  constructor(scope: Construct, id: string, props: CdkPipelinesReleaseStackProps = {}) {
    super(scope, id, props);
    const source = pipelines.CodePipelineSource.connection(props.repository ?? 'example-org/shop', 'main', {
      connectionArn: props.connectionArn ?? this.formatArn({ service: 'codeconnections', resource: 'connection', resourceName: '00000000-0000-0000-0000-000000000000' }),
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      synth: new pipelines.ShellStep('Synth', { input: source, commands: ['npm ci', 'npx cdk synth'] }),
      // One account: no KMS key for the artifact bucket.
      crossAccountKeys: false,
    });
    const imageTag = String(this.node.tryGetContext('imageTag') ?? DEFAULT_IMAGE_TAG);
    this.production = new ShopStage(this, 'Production', { imageTag, aspects: props.stageAspects });
    this.pipeline.addStage(this.production);

    // The pipeline is built at synthesis (after cdk-nag's aspects are added): its findings are
    // suppressed for the stack, which holds nothing else.
    NagSuppressions.addStackSuppressions(this, [
      { id: 'AwsSolutions-S1', reason: 'Pipeline artifact bucket: access logs need a bucket the pipeline owner chooses.' },
      { id: 'AwsSolutions-CB4', reason: 'aws-cdk-lib CDK Pipelines projects (synth, self-mutation, assets): the artifact bucket encrypts what they store.' },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'aws-cdk-lib CDK Pipelines roles: object-level access to the artifact bucket, their projects\' log streams and report groups; ' +
          'the self-mutation role assumes the bootstrap roles (role/* limited by the aws-cdk:bootstrap-role tag) and reads stacks and buckets ' +
          '(cloudformation:DescribeStacks, s3:ListBucket on *); the asset role starts and reads its builds (codebuild:*Build* on *).',
        appliesTo: [...PIPELINE_ROLE_WILDCARDS, 'Resource::*', 'Resource::arn:*:iam::<AWS::AccountId>:role/*'],
      },
    ]);
  }
}

if (require.main === module) {
  const app = new App();
  new CdkPipelinesReleaseStack(app, 'ShopReleaseCdkPipelines');
  app.synth();
}
