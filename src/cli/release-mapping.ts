// What releasing becomes when a deployment group moves to the ECS deployment controller: the
// pipeline actions that deployed it, who created its deployments, and each release step's
// replacement. Pure functions over what `plan` read (GetPipeline, GetDeployment), like
// codedeploy-mapping.ts.
//
// Facts used (CodePipeline user guide, action references "Amazon Elastic Container Service" and
// "Amazon ECS and CodeDeploy blue-green"; CodeDeploy API reference, DeploymentInfo):
// - the CodeDeployToECS action takes a task definition template (taskdef.json), an AppSpec
//   template (appspec.yaml) and up to four images (Image<N>ArtifactName / Image<N>ContainerName,
//   the placeholder in taskdef.json), and creates a CodeDeploy deployment;
// - the ECS deploy action (provider ECS) takes imagedefinitions.json (container name → image URI),
//   registers a revision of the task definition the service runs and calls UpdateService; it
//   waits for the service at most 60 minutes;
// - CodeDeploy records a deployment's creator as user, autoscaling, codeDeployRollback,
//   CodeDeploy, CodeDeployAutoUpdate, CloudFormation, CloudFormationRollback or
//   autoscalingTermination: a pipeline or CI job calling CreateDeployment is recorded as `user`,
//   and a CloudFormation blue/green hook deployment as `CloudFormation`, with the stack ID as
//   externalId.

/** A pipeline action that deploys the deployment group. */
export interface PipelineDeployAction {
  readonly pipeline: string;
  readonly stage: string;
  readonly action: string;
  /** `CodeDeployToECS` (Amazon ECS blue/green) or `CodeDeploy`. */
  readonly provider: string;
  /** `<artifact>::<path>` of taskdef.json. */
  readonly taskDefinitionTemplate?: string;
  /** `<artifact>::<path>` of appspec.yaml. */
  readonly appSpecTemplate?: string;
  /** Image<N>ArtifactName and the placeholder Image<N>ContainerName stands for. */
  readonly images: Array<{ readonly artifact: string; readonly placeholder?: string }>;
  /** The action's Region when it deploys to another one. */
  readonly region?: string;
}

/** How CodeDeploy recorded the deployment group's last deployment. */
export interface DeploymentOrigin {
  readonly deploymentId: string;
  readonly creator?: string;
  readonly externalId?: string;
}

/** One release step of the CodeDeploy world and what it becomes. */
export interface ReleaseStep {
  readonly from: string;
  readonly to: string;
}

/** The release part of `plan`'s result. */
export interface ReleasePlan {
  /** Pipeline actions that deploy this deployment group. */
  readonly pipelines: PipelineDeployAction[];
  /** Whether pipelines were searched at all (not when the search failed). */
  readonly pipelinesSearched: boolean;
  /** The last deployment and what created it, in words. */
  readonly lastDeployment?: DeploymentOrigin & { readonly createdBy: string };
  readonly steps: ReleaseStep[];
}

/** Inputs of `mapRelease`. */
export interface ReleaseInput {
  readonly pipelines?: PipelineDeployAction[];
  readonly pipelinesSearched: boolean;
  readonly lastDeployment?: DeploymentOrigin;
  readonly cluster?: string;
  readonly service?: string;
  readonly container?: string;
}

/** Reads a CodeDeployToECS / CodeDeploy action of a GetPipeline response, if it deploys `group` of `app`. */
export function deployActionOf(pipeline: string, stage: string, action: {
  name?: string; region?: string; actionTypeId?: { category?: string; owner?: string; provider?: string }; configuration?: Record<string, string>;
}, app: string, group: string): PipelineDeployAction | undefined {
  const type = action.actionTypeId;
  const config = action.configuration ?? {};
  if (type?.category !== 'Deploy' || type.owner !== 'AWS' || (type.provider !== 'CodeDeployToECS' && type.provider !== 'CodeDeploy')) return undefined;
  if (config.ApplicationName !== app || config.DeploymentGroupName !== group) return undefined;
  const template = (artifact?: string, file?: string, fallback?: string) => (artifact ? `${artifact}::${file ?? fallback}` : undefined);
  const images = [1, 2, 3, 4]
    .filter((n) => config[`Image${n}ArtifactName`])
    .map((n) => ({ artifact: config[`Image${n}ArtifactName`], placeholder: config[`Image${n}ContainerName`] }));
  return {
    pipeline,
    stage,
    action: action.name ?? '',
    provider: type.provider,
    taskDefinitionTemplate: template(config.TaskDefinitionTemplateArtifact, config.TaskDefinitionTemplatePath, 'taskdef.json'),
    appSpecTemplate: template(config.AppSpecTemplateArtifact, config.AppSpecTemplatePath, 'appspec.yaml'),
    images,
    region: action.region,
  };
}

/** Who created a deployment, from CodeDeploy's `creator` and `externalId`. */
export function describeCreator(origin: DeploymentOrigin): string {
  switch (origin.creator) {
    case 'user': return 'CreateDeployment by a person, a script, a CI job or a pipeline (CodeDeploy records all of them as user)';
    case 'CloudFormation': return `CloudFormation's blue/green hook (AWS::CodeDeploy::BlueGreen)${origin.externalId ? `, stack ${origin.externalId}` : ''}`;
    case 'CloudFormationRollback': return `a CloudFormation rollback${origin.externalId ? ` of stack ${origin.externalId}` : ''}`;
    case 'codeDeployRollback': return 'a CodeDeploy rollback (the deployment before it tells who releases)';
    case undefined: return 'unknown (GetDeployment named no creator)';
    default: return origin.creator;
  }
}

/** Maps the release path of a deployment group onto the ECS deployment controller. */
export function mapRelease(input: ReleaseInput): ReleasePlan {
  const target = `${input.cluster ?? '<cluster>'} ${input.service ?? '<service>'}`;
  const wait = `\`ecs-blue-green wait ${target}\` (exit 0 succeeded, 1 failed or rolled back, 3 timeout)`;
  const steps: ReleaseStep[] = [];
  for (const p of input.pipelines ?? []) {
    steps.push({
      from: `CodePipeline ${p.pipeline}, stage ${p.stage}, action ${p.action} (${p.provider}${p.region ? ` in ${p.region}` : ''})`,
      to: 'codepipeline_actions.EcsDeployAction (provider ECS) with imagedefinitions.json, then a CodeBuild action running ' +
        `${wait}: the ECS action waits at most 60 minutes and its guide does not say how it reports a rollback. ` +
        'Or CDK Pipelines: the image tag in the CDK app, a commit per release, `cdk deploy` waits for the deployment',
    });
    if (p.taskDefinitionTemplate) {
      steps.push({
        from: `task definition template ${p.taskDefinitionTemplate}`,
        to: 'the task definition in the CDK app; the ECS deploy action registers revisions of the one the service runs, with only the images replaced',
      });
    }
    if (p.appSpecTemplate) {
      steps.push({
        from: `AppSpec template ${p.appSpecTemplate}`,
        to: 'no AppSpec: its hooks become the lifecycle hooks above, its LoadBalancerInfo the service\'s `container`',
      });
    }
    for (const image of p.images) {
      steps.push({
        from: `image ${image.artifact}${image.placeholder ? ` as <${image.placeholder}> in taskdef.json` : ''}`,
        to: `imagedefinitions.json: [{"name": "${input.container ?? '<container>'}", "imageUri": "<image URI>"}] (container names, no placeholders)`,
      });
    }
  }
  const origin = input.lastDeployment;
  if (steps.length === 0 && origin?.creator === 'CloudFormation') {
    steps.push({
      from: 'stack update with the AWS::CodeDeployBlueGreen transform and an AWS::CodeDeploy::BlueGreen hook',
      to: 'a plain stack update (`cdk deploy`): with the ECS controller, updating the service is the blue/green deployment and CloudFormation waits for it',
    });
  } else if (steps.length === 0 && origin?.creator === 'user') {
    steps.push({
      from: 'a job calling CreateDeployment (aws deploy create-deployment) with an AppSpec',
      to: `register a task definition revision, UpdateService, then ${wait} (examples/ci/deploy-image.sh of cdk-ecs-blue-green)`,
    });
  }
  if (steps.length > 0) {
    steps.push({ from: 'waiting for the CodeDeploy deployment (the action, or aws deploy wait deployment-successful)', to: wait });
  }
  return {
    pipelines: [...(input.pipelines ?? [])],
    pipelinesSearched: input.pipelinesSearched,
    lastDeployment: origin ? { ...origin, createdBy: describeCreator(origin) } : undefined,
    steps,
  };
}
