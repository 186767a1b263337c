import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CodePipelineReleaseStack } from '../../examples/pipeline-codepipeline';
import { checkStack } from '../support';
import { runShellcheck } from '../support/actionlint';

type Resources = Record<string, { Type: string; Properties: any }>;

const synthesized = new Map<number, ReturnType<typeof synthOnce>>();

function synthOnce(approvalTimeout?: Duration) {
  const stack = new CodePipelineReleaseStack(new App(), 'Release', { approvalTimeout });
  const template = checkStack(stack, { nag: true });
  const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
  const stage = (name: string) => pipeline.Stages.find((s: any) => s.Name === name);
  return { stack, template, pipeline, stage };
}

/** The example synthesized (once per approval timeout), cdk-nag and cfn-lint checked. */
function synth(approvalTimeout?: Duration) {
  const key = approvalTimeout?.toMinutes() ?? 0;
  if (!synthesized.has(key)) synthesized.set(key, synthOnce(approvalTimeout));
  return synthesized.get(key)!;
}

/** A rendered string with its CloudFormation references written as `<Ref:Id>` / `<Id.Attr>`. */
function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return `<Ref:${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  return `<${Object.keys(value)[0]}>`;
}

/** The buildspec of the CodeBuild project a pipeline action names. */
function buildSpecOf(template: Template, action: any): any {
  const projects = template.findResources('AWS::CodeBuild::Project') as Resources;
  const id = action.Configuration.ProjectName.Ref;
  return JSON.parse(flatten(projects[id].Properties.Source.BuildSpec));
}

/** ShellCheck's findings on the commands of a buildspec, as CodeBuild runs them (sh). */
function shellcheckBuildSpec(spec: any): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildspec-'));
  try {
    const commands = Object.values<any>(spec.phases).flatMap((phase) => phase.commands ?? []);
    const file = path.join(dir, 'buildspec.sh');
    fs.writeFileSync(file, ['#!/bin/sh', ...commands].join('\n') + '\n');
    return runShellcheck(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Statements of the policies attached to the role a CodeBuild project runs with. */
function statementsOfProjectRole(template: Template, action: any): any[] {
  const projects = template.findResources('AWS::CodeBuild::Project') as Resources;
  const roleId = projects[action.Configuration.ProjectName.Ref].Properties.ServiceRole['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('CodePipeline example: ECR push → imagedefinitions.json → ECS deploy action → ecs-blue-green wait', () => {
  test('the pipeline releases pushes of the release tag through the ECS deploy action and then waits for the outcome', () => {
    const { template, stage, stack } = synth();
    expect(stack.usesEcsDeployAction).toBe(true);

    const [source] = stage('Source').Actions;
    expect(source.ActionTypeId).toMatchObject({ Category: 'Source', Provider: 'ECR' });
    expect(source.Configuration).toEqual({ RepositoryName: 'shop-web', ImageTag: 'release' });

    const [imageStep] = stage('Image').Actions;
    expect(imageStep.ActionTypeId.Provider).toBe('CodeBuild');
    // The pushed digest reaches the build as a pipeline variable of the source action.
    expect(JSON.parse(imageStep.Configuration.EnvironmentVariables)).toEqual([
      { name: 'IMAGE_DIGEST', type: 'PLAINTEXT', value: '#{Source_ImagePushed_NS.ImageDigest}' },
    ]);
    expect(source.Namespace).toBe('Source_ImagePushed_NS');
    const imageSpec = buildSpecOf(template, imageStep);
    expect(imageSpec.phases.build.commands[0]).toContain('imagedefinitions.json');
    expect(imageSpec.env.variables.CONTAINER).toBe('web');
    expect(imageSpec.artifacts.files).toEqual(['imagedefinitions.json']);
    expect(shellcheckBuildSpec(imageSpec)).toEqual([]);

    const [deploy, wait] = stage('Deploy').Actions;
    expect(deploy).toMatchObject({
      ActionTypeId: { Category: 'Deploy', Provider: 'ECS' },
      RunOrder: 1,
      Configuration: {
        ClusterName: { Ref: expect.stringMatching(/^ShopCluster/) },
        ServiceName: { 'Fn::GetAtt': [expect.stringMatching(/^ShopWeb/), 'Name'] },
        // At most 60 minutes (aws-cdk-lib validates the range, CodePipeline caps it).
        DeploymentTimeout: 60,
      },
      InputArtifacts: [{ Name: 'ImageDefinitions' }],
    });
    // The outcome is read from ECS after the action, on the deployment the action started.
    expect(wait).toMatchObject({ Name: 'WaitForDeployment', RunOrder: 2, ActionTypeId: { Provider: 'CodeBuild' } });
    const waitSpec = buildSpecOf(template, wait);
    expect(waitSpec.phases.install.commands[0]).toMatch(/^npm install --global .*--legacy-peer-deps "cdk-ecs-blue-green@/);
    expect(waitSpec.phases.build.commands).toEqual([
      expect.stringContaining('--query "services[0].currentServiceDeployment"'),
      'if [ "$DEPLOYMENT" = "None" ]; then ecs-blue-green wait "$CLUSTER" "$SERVICE" --timeout 15m; ' +
        'else ecs-blue-green wait "$CLUSTER" "$SERVICE" --deployment "$DEPLOYMENT" --timeout 15m; fi',
    ]);
    expect(shellcheckBuildSpec(waitSpec)).toEqual([]);
  });

  test('the wait step may only read this service and its deployments', () => {
    const { template, stage } = synth();
    const statements = statementsOfProjectRole(template, stage('Deploy').Actions[1]);
    const ecs = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ecs:')));
    expect(ecs).toEqual([
      expect.objectContaining({ Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], Resource: { Ref: expect.stringMatching(/^ShopWeb/) } }),
      expect.objectContaining({
        Action: 'ecs:DescribeServiceDeployments',
        Resource: [{ Ref: expect.stringMatching(/^ShopWeb/) }, { 'Fn::Join': ['', expect.arrayContaining([':service-deployment/'])] }],
      }),
    ]);
  });

  test('the service has the approval gate before production traffic moves, and the whole deployment fits the action\'s hour', () => {
    const { template, stack } = synth();
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'CANARY',
        LifecycleHooks: [Match.objectLike({ LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] })],
      }),
    });
    expect(stack.shop.deploymentBudget().toMinutes()).toBeLessThanOrEqual(60);
  });

  test('a deployment longer than the ECS action allows is deployed by the CI script in CodeBuild instead', () => {
    const { template, stage, stack } = synth(Duration.hours(2));
    expect(stack.usesEcsDeployAction).toBe(false);
    const actions = stage('Deploy').Actions;
    expect(actions.map((a: any) => a.ActionTypeId.Provider)).toEqual(['CodeBuild']);
    const spec = buildSpecOf(template, actions[0]);
    const budget = stack.shop.deploymentBudget().toMinutes();
    expect(spec.phases.build.commands[1]).toBe(`bash deploy-image.sh "$CLUSTER" "$SERVICE" "$CONTAINER" "$REPOSITORY_URI@$IMAGE_DIGEST" ${budget + 10}m`);
    expect(shellcheckBuildSpec(spec)).toEqual([]);
    const projects = template.findResources('AWS::CodeBuild::Project') as Resources;
    expect(projects[actions[0].Configuration.ProjectName.Ref].Properties.TimeoutInMinutes).toBe(budget + 15);
    // It registers the revision and updates the service itself.
    const actionsGranted = statementsOfProjectRole(template, actions[0]).flatMap((s) => [s.Action].flat());
    expect(actionsGranted).toEqual(expect.arrayContaining(['ecs:RegisterTaskDefinition', 'ecs:UpdateService', 'iam:PassRole', 'ecs:DescribeServiceDeployments']));
  });

  test('fails when a deployment could outlast even the CodeBuild action', () => {
    expect(() => new CodePipelineReleaseStack(new App(), 'Release', { approvalTimeout: Duration.hours(9) }))
      .toThrow(/a deployment of this service may take \d+ minutes, more than CodePipeline waits for a CodeBuild action \(8 hours\)/);
  });
});
