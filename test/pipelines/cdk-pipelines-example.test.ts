import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CdkPipelinesReleaseStack, DEFAULT_IMAGE_TAG } from '../../examples/pipeline-cdk-pipelines';
import { checkStack, nagFindings, runCfnLint } from '../support';

type Resources = Record<string, { Type: string; Properties: any }>;

const synthesized = new Map<string, ReturnType<typeof synthOnce>>();

/** The example app synthesized (once per image tag), both stacks cdk-nag and cfn-lint checked. */
function synth(imageTag = DEFAULT_IMAGE_TAG) {
  if (!synthesized.has(imageTag)) synthesized.set(imageTag, synthOnce(imageTag));
  return synthesized.get(imageTag)!;
}

function synthOnce(imageTag: string) {
  const app = new App({ context: imageTag === DEFAULT_IMAGE_TAG ? {} : { imageTag } });
  // The pipeline synthesizes the stage when it is added: cdk-nag goes in with it.
  const stack = new CdkPipelinesReleaseStack(app, 'Release', { stageAspects: [new AwsSolutionsChecks({ verbose: true })] });
  const pipeline = checkStack(stack, { nag: true });
  const serviceStack = stack.production.serviceStack;
  const service = checkStack(serviceStack);
  // cdk-nag did look at the stage's stack (its report exists) and found nothing unsuppressed.
  const report = path.join(app.outdir, 'AwsSolutions-Production-Production-Shop-NagReport.csv');
  expect(fs.readFileSync(report, 'utf-8')).toMatch(/"AwsSolutions-ECS2","Release\/Production\/Shop\/Shop\/Task\/Resource","Compliant"/);
  expect(nagFindings(serviceStack)).toEqual([]);
  return { stack, pipeline, service };
}

/** Logical IDs of resources whose type or properties differ between two templates. */
function changedResources(a: Template, b: Template): string[] {
  const ra = a.toJSON().Resources as Resources;
  const rb = b.toJSON().Resources as Resources;
  const ids = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...ids].filter((id) => JSON.stringify(ra[id]) !== JSON.stringify(rb[id])).sort();
}

describe('CDK Pipelines example: an image bump is a commit, the stack update is the blue/green deployment', () => {
  test('the pipeline synthesizes the app and deploys the production stage\'s stack with CloudFormation', () => {
    const { pipeline } = synth();
    const stages = Object.values(pipeline.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
    expect(stages.map((s: any) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Production']);
    const production = stages.find((s: any) => s.Name === 'Production');
    expect(production.Actions.map((a: any) => [a.ActionTypeId.Provider, a.Configuration.ActionMode, a.Configuration.StackName])).toEqual([
      ['CloudFormation', 'CHANGE_SET_REPLACE', 'Production-Shop'],
      ['CloudFormation', 'CHANGE_SET_EXECUTE', 'Production-Shop'],
    ]);
  });

  test('the deployed stack is a blue/green service with the approval gate, rendering the committed image tag', () => {
    const { service } = synth('1.5.0');
    service.hasResourceProperties('AWS::ECS::Service', {
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: { Strategy: 'CANARY', LifecycleHooks: [{ LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }] },
    });
    const [task] = Object.values(service.findResources('AWS::ECS::TaskDefinition'));
    const image = JSON.stringify(task.Properties.ContainerDefinitions[0].Image);
    expect(image).toContain('/shop-web:1.5.0');
  });

  test('an image bump changes the task definition and nothing else: the listener rules keep the weights ECS set', () => {
    const before = synth().service;
    const after = synth('1.5.0').service;
    const changed = changedResources(before, after);
    expect(changed).toHaveLength(1);
    expect((before.toJSON().Resources as Resources)[changed[0]].Type).toBe('AWS::ECS::TaskDefinition');
    // What the guarantee rests on: the rules, the reader of their live weights and the service itself are unchanged.
    for (const type of ['AWS::ElasticLoadBalancingV2::ListenerRule', 'Custom::EcsBlueGreenLiveWeights', 'AWS::ECS::Service']) {
      expect(Object.keys(before.findResources(type)).length).toBeGreaterThan(0);
      expect(after.findResources(type)).toEqual(before.findResources(type));
    }
  });

  test('cfn-lint accepts only the Fn::Join form of the bootstrap role ARNs: E3703 still checks the template paths', () => {
    const { pipeline } = synth();
    const template = JSON.parse(JSON.stringify(pipeline.toJSON())); // a copy: the original is queued for linting
    // The deploy actions' RoleArn is the Fn::Join that cfn-lint-accepted.json lets pass.
    const production = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline').Properties.Stages
      .find((s: any) => s.Name === 'Production');
    expect(production.Actions[0].Configuration.RoleArn['Fn::Join']).toBeDefined();
    production.Actions[0].Configuration.TemplatePath = 'NoSuchArtifact::Production-Shop.template.json';
    expect(runCfnLint({ broken: template }).map((f) => [f.rule, f.message])).toEqual([['E3703', "'NoSuchArtifact' is not one of ['Synth_Output']"]]);
  });
});
