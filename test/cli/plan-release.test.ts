// `plan`'s Release pipeline section: which CodePipeline actions deploy the deployment group, who
// CodeDeploy says created its last deployment, and what each release step becomes.
import {
  CodeDeployClient, DeploymentGroupInfo, GetDeploymentCommand, GetDeploymentCommandInput, GetDeploymentConfigCommand, GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient, GetPipelineCommand, GetPipelineCommandInput, ListPipelinesCommand, ListPipelinesCommandInput, PipelineDeclaration,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { Capture, testClients, testEnv } from './fixtures';
import { plan } from '../../src/cli/commands/plan';
import { describeCreator } from '../../src/cli/release-mapping';

const codedeploy = mockClient(CodeDeployClient);
const codepipeline = mockClient(CodePipelineClient);
const clients = testClients();

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/8f0e4d20-1c2b-11f0-9a3e-0affd1e2c3b4';

const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo: { ContainerName: web, ContainerPort: 80 }
Hooks:
  - AfterAllowTestTraffic: web-smoke-test
`;

function group(overrides: Partial<DeploymentGroupInfo> = {}): DeploymentGroupInfo {
  return {
    applicationName: 'web',
    deploymentGroupName: 'web-prod',
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    computePlatform: 'ECS',
    ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
    targetRevision: { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC } },
    lastSuccessfulDeployment: { deploymentId: 'd-PIPELINE1', status: 'Succeeded' },
    blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 } },
    ...overrides,
  };
}

/** A pipeline as GetPipeline returns it: ECR + CodeCommit sources, CodeDeployToECS deploy of `deploys`. */
function pipeline(name: string, deploys: { app: string; group: string }): PipelineDeclaration {
  return {
    name,
    roleArn: `arn:aws:iam::123456789012:role/${name}-role`,
    artifactStore: { type: 'S3', location: `${name}-artifacts` },
    stages: [
      {
        name: 'Source',
        actions: [
          { name: 'Code', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' }, configuration: { RepositoryName: 'web' } },
          { name: 'Image', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'ECR', version: '1' }, configuration: { RepositoryName: 'web' } },
        ],
      },
      {
        name: 'Release',
        actions: [{
          name: 'BlueGreen',
          actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CodeDeployToECS', version: '1' },
          configuration: {
            ApplicationName: deploys.app,
            DeploymentGroupName: deploys.group,
            TaskDefinitionTemplateArtifact: 'SourceArtifact',
            AppSpecTemplateArtifact: 'SourceArtifact',
            AppSpecTemplatePath: 'deploy/appspec.yaml',
            Image1ArtifactName: 'MyImage',
            Image1ContainerName: 'IMAGE1_NAME',
          },
        }],
      },
    ],
  };
}

/** The Region's pipelines, two pages of ListPipelines; GetPipeline answers by name. */
function servePipelines(pipelines: PipelineDeclaration[]): void {
  const names = pipelines.map((p) => p.name!);
  codepipeline.on(ListPipelinesCommand).callsFake((input: ListPipelinesCommandInput) => (input.nextToken === 'page-2'
    ? { pipelines: names.slice(1).map((name) => ({ name })) }
    : { pipelines: names.slice(0, 1).map((name) => ({ name })), nextToken: names.length > 1 ? 'page-2' : undefined }));
  codepipeline.on(GetPipelineCommand).callsFake((input: GetPipelineCommandInput) => {
    const found = pipelines.find((p) => p.name === input.name);
    if (!found) throw new PipelineNotFoundException({ message: `Account '123456789012' does not have a pipeline with name '${input.name}'`, $metadata: {} });
    return { pipeline: found };
  });
}

/** GetDeployment answers for the deployments given, by ID. */
function serveDeployments(deployments: Record<string, { creator: string; externalId?: string }>): void {
  codedeploy.on(GetDeploymentCommand).callsFake((input: GetDeploymentCommandInput) => {
    const d = deployments[input.deploymentId!];
    if (!d) throw Object.assign(new Error(`Deployment ${input.deploymentId} does not exist`), { name: 'DeploymentDoesNotExistException' });
    return { deploymentInfo: { deploymentId: input.deploymentId, applicationName: 'web', deploymentGroupName: 'web-prod', status: 'Succeeded', ...d } };
  });
}

beforeEach(() => {
  codedeploy.reset();
  codepipeline.reset();
  codedeploy.on(GetDeploymentGroupCommand, { applicationName: 'web', deploymentGroupName: 'web-prod' }).resolves({ deploymentGroupInfo: group() });
  codedeploy.on(GetDeploymentConfigCommand).resolves({ deploymentConfigInfo: { deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce', computePlatform: 'ECS' } });
});

async function run(args: string[] = []) {
  const out = new Capture();
  const { env, err } = testEnv();
  const code = await plan.run(['--codedeploy-app', 'web', '--deployment-group', 'web-prod', ...args], clients, out, env);
  return { code, out: out.text, err: err.text };
}

/** The lines of one section of the text output. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end).map((l) => l.trim());
}

describe('plan: the release pipeline', () => {
  test('names the CodeDeployToECS action that deploys the group, among all of the Region\'s pipelines, and what each of its inputs becomes', async () => {
    servePipelines([pipeline('api-release', { app: 'api', group: 'api-prod' }), pipeline('web-release', { app: 'web', group: 'web-prod' })]);
    serveDeployments({ 'd-PIPELINE1': { creator: 'user' } });
    const r = await run();
    expect(r.code).toBe(0);
    // Both pages were listed and every pipeline read, by name.
    expect(codepipeline.commandCalls(ListPipelinesCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
    expect(codepipeline.commandCalls(GetPipelineCommand).map((c) => c.args[0].input.name).sort()).toEqual(['api-release', 'web-release']);
    expect(section(r.out, 'Release pipeline')).toEqual([
      'last deployment d-PIPELINE1 created by CreateDeployment by a person, a script, a CI job or a pipeline (CodeDeploy records all of them as user)',
      'CodePipeline web-release, stage Release, action BlueGreen (CodeDeployToECS)',
      expect.stringMatching(/^→ codepipeline_actions\.EcsDeployAction \(provider ECS\) with imagedefinitions\.json, then a CodeBuild action running `ecs-blue-green wait prod web` \(exit 0 succeeded, 1 failed or rolled back, 3 timeout\): the ECS action waits at most 60 minutes.*Or CDK Pipelines/),
      'task definition template SourceArtifact::taskdef.json',
      expect.stringMatching(/^→ the task definition in the CDK app; the ECS deploy action registers revisions of the one the service runs/),
      'AppSpec template SourceArtifact::deploy/appspec.yaml',
      '→ no AppSpec: its hooks become the lifecycle hooks above, its LoadBalancerInfo the service\'s `container`',
      'image MyImage as <IMAGE1_NAME> in taskdef.json',
      '→ imagedefinitions.json: [{"name": "web", "imageUri": "<image URI>"}] (container names, no placeholders)',
      'waiting for the CodeDeploy deployment (the action, or aws deploy wait deployment-successful)',
      '→ `ecs-blue-green wait prod web` (exit 0 succeeded, 1 failed or rolled back, 3 timeout)',
    ]);
  });

  test('--pipeline reads only that pipeline; --output json carries the release mapping', async () => {
    servePipelines([pipeline('web-release', { app: 'web', group: 'web-prod' })]);
    serveDeployments({ 'd-PIPELINE1': { creator: 'user' } });
    const r = await run(['--pipeline', 'web-release', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(codepipeline.commandCalls(ListPipelinesCommand)).toHaveLength(0);
    expect(codepipeline.commandCalls(GetPipelineCommand).map((c) => c.args[0].input)).toEqual([{ name: 'web-release' }]);
    const json = JSON.parse(r.out);
    expect(json.release.pipelinesSearched).toBe(true);
    expect(json.release.pipelines).toEqual([{
      pipeline: 'web-release',
      stage: 'Release',
      action: 'BlueGreen',
      provider: 'CodeDeployToECS',
      taskDefinitionTemplate: 'SourceArtifact::taskdef.json',
      appSpecTemplate: 'SourceArtifact::deploy/appspec.yaml',
      images: [{ artifact: 'MyImage', placeholder: 'IMAGE1_NAME' }],
    }]);
    expect(json.release.lastDeployment).toEqual({
      deploymentId: 'd-PIPELINE1', creator: 'user', createdBy: expect.stringContaining('CodeDeploy records all of them as user'),
    });
  });

  test('a deployment group driven by CloudFormation\'s blue/green hook becomes a plain stack update', async () => {
    servePipelines([pipeline('api-release', { app: 'api', group: 'api-prod' })]);
    serveDeployments({ 'd-PIPELINE1': { creator: 'CloudFormation', externalId: STACK_ID } });
    const r = await run();
    expect(codedeploy.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ deploymentId: 'd-PIPELINE1' }]);
    expect(section(r.out, 'Release pipeline')).toEqual([
      'no CodePipeline action of this Region deploys this deployment group',
      `last deployment d-PIPELINE1 created by CloudFormation's blue/green hook (AWS::CodeDeploy::BlueGreen), stack ${STACK_ID}`,
      'stack update with the AWS::CodeDeployBlueGreen transform and an AWS::CodeDeploy::BlueGreen hook',
      '→ a plain stack update (`cdk deploy`): with the ECS controller, updating the service is the blue/green deployment and CloudFormation waits for it',
      'waiting for the CodeDeploy deployment (the action, or aws deploy wait deployment-successful)',
      '→ `ecs-blue-green wait prod web` (exit 0 succeeded, 1 failed or rolled back, 3 timeout)',
    ]);
  });

  test('a group deployed by a job of its own (no pipeline action) becomes register + update + wait', async () => {
    servePipelines([]);
    codedeploy.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: group({ lastSuccessfulDeployment: undefined, lastAttemptedDeployment: { deploymentId: 'd-CIJOB', status: 'Failed' } }),
    });
    serveDeployments({ 'd-CIJOB': { creator: 'user' } });
    const r = await run();
    expect(section(r.out, 'Release pipeline').slice(0, 4)).toEqual([
      'no CodePipeline action of this Region deploys this deployment group',
      'last deployment d-CIJOB created by CreateDeployment by a person, a script, a CI job or a pipeline (CodeDeploy records all of them as user)',
      'a job calling CreateDeployment (aws deploy create-deployment) with an AppSpec',
      '→ register a task definition revision, UpdateService, then `ecs-blue-green wait prod web` (exit 0 succeeded, 1 failed or rolled back, 3 timeout) (examples/ci/deploy-image.sh of cdk-ecs-blue-green)',
    ]);
  });

  test('without CodePipeline permissions the search is skipped with a warning; a --pipeline that cannot be read fails', async () => {
    codepipeline.on(ListPipelinesCommand).rejects(Object.assign(new Error('User is not authorized to perform: codepipeline:ListPipelines'), { name: 'AccessDeniedException' }));
    serveDeployments({ 'd-PIPELINE1': { creator: 'user' } });
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out).toContain('! pipelines not searched (AccessDeniedException: User is not authorized to perform: codepipeline:ListPipelines): ' +
      'pass --pipeline <name>, or allow codepipeline:ListPipelines and codepipeline:GetPipeline');
    expect(r.out).not.toContain('no CodePipeline action of this Region');
    servePipelines([]);
    const missing = await run(['--pipeline', 'web-relase']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/PipelineNotFoundException: Account '123456789012' does not have a pipeline with name 'web-relase'/);
  });
});

describe('describeCreator', () => {
  test.each([
    [{ deploymentId: 'd-1', creator: 'CloudFormationRollback', externalId: STACK_ID }, `a CloudFormation rollback of stack ${STACK_ID}`],
    [{ deploymentId: 'd-1', creator: 'codeDeployRollback' }, 'a CodeDeploy rollback (the deployment before it tells who releases)'],
    [{ deploymentId: 'd-1' }, 'unknown (GetDeployment named no creator)'],
    [{ deploymentId: 'd-1', creator: 'autoscaling' }, 'autoscaling'],
  ])('%j', (origin, words) => {
    expect(describeCreator(origin)).toBe(words);
  });
});
