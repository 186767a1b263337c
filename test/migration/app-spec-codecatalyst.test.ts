// The AppSpec files of teams releasing from CodeCatalyst (or GitHub Actions) with CodeDeploy: a
// placeholder task definition the deploy action fills in, PlatformVersion, quoted strings. Each
// form reads through AppSpec.parse and through `plan --workflow --appspec`, and what no ECS
// deployment setting takes is reported.
import { CodeDeployClient, GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { AppSpec } from '../../src';
import { plan } from '../../src/cli/commands/plan';
import { Capture, testClients, testEnv } from '../cli/fixtures';

const WORKFLOW = `Name: deploy
SchemaVersion: "1.0"
Actions:
  DeployToECS:
    Identifier: aws/ecs-deploy@v1
    Configuration:
      cluster: shop
      service: web
      task-definition: task.json
      codedeploy-appspec: appspec.yaml
`;

const FORMS: Array<[string, string, { taskDefinition: string; containerName: string; containerPort: number; platformVersion?: string }]> = [
  ['CodeCatalyst / GitHub Actions placeholder, quoted', `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "<TaskDefinitionArn>"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
        PlatformVersion: "LATEST"
`, { taskDefinition: '<TaskDefinitionArn>', containerName: 'web', containerPort: 8080, platformVersion: 'LATEST' }],
  ['unquoted placeholder, quoted version and port', `version: "0.0"
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: "8080"
        PlatformVersion: "1.4.0"
`, { taskDefinition: '<TASK_DEFINITION>', containerName: 'web', containerPort: 8080, platformVersion: '1.4.0' }],
  ['single-quoted strings, no PlatformVersion', `version: 0.0
Resources:
  - TargetService:
      Type: 'AWS::ECS::Service'
      Properties:
        TaskDefinition: '<TaskDefinitionArn>'
        LoadBalancerInfo:
          ContainerName: 'web'
          ContainerPort: 80
`, { taskDefinition: '<TaskDefinitionArn>', containerName: 'web', containerPort: 80 }],
  ['JSON', JSON.stringify({
    version: 0.0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: '<TaskDefinitionArn>', LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 }, PlatformVersion: 'LATEST' } } }],
  }), { taskDefinition: '<TaskDefinitionArn>', containerName: 'web', containerPort: 8080, platformVersion: 'LATEST' }],
];

const codedeploy = mockClient(CodeDeployClient);
beforeEach(() => {
  codedeploy.reset();
  codedeploy.on(GetDeploymentGroupCommand).rejects(new Error('not needed here'));
});

describe.each(FORMS)('AppSpec form: %s', (_, text, expected) => {
  test('AppSpec.parse reads it', () => {
    const spec = AppSpec.parse(text);
    expect(spec).toMatchObject(expected);
    expect(spec.platformVersion).toBe(expected.platformVersion);
  });

  test('report() says the placeholder is filled in by the deploy step, which the ECS controller replaces', () => {
    const [first] = AppSpec.parse(text).report();
    expect(first).toMatch(new RegExp(`^TaskDefinition ${expected.taskDefinition} \\(a placeholder the deploy step fills in: CodePipeline, ` +
      'CodeCatalyst\'s aws/ecs-deploy@v1 or GitHub\'s amazon-ecs-deploy-task-definition\\) → the service\'s task definition'));
  });

  test('plan --workflow --appspec reads it and reports what does not map', async () => {
    const out = new Capture();
    const { env, err } = testEnv({ files: { 'deploy.yaml': WORKFLOW, 'appspec.yaml': text } });
    const code = await plan.run(['--workflow', 'deploy.yaml', '--appspec', 'appspec.yaml', '--output', 'json'], testClients(), out, env);
    expect(err.text).toBe('');
    expect(code).toBe(0);
    const [action] = JSON.parse(out.text).actions;
    expect(action.appSpec).toMatchObject({
      file: 'appspec.yaml',
      taskDefinition: expected.taskDefinition,
      container: { name: expected.containerName, port: expected.containerPort },
      hooks: [],
    });
    expect(action.appSpec.notMapped).toEqual([
      expect.stringMatching(new RegExp(`^TaskDefinition ${expected.taskDefinition}: gone`)),
      ...(expected.platformVersion ? [`PlatformVersion ${expected.platformVersion}: a property of the service (FargateService platformVersion), not of a deployment`] : []),
    ]);
  });
});
