// `plan --workflow`: reading a CodeCatalyst workflow, writing the migrated one (CodeCatalyst and
// GitHub Actions), the round trip of what it does not know, and the example pair in
// examples/codecatalyst/ (regenerated here and compared).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CodeDeployClient, DeploymentGroupDoesNotExistException, GetDeploymentConfigCommand, GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { parse as parseYaml } from 'yaml';
import { Capture, testClients, testEnv } from './fixtures';
import {
  BUILD_ACTION, CODEDEPLOY_KEYS, ECS_DEPLOY_ACTION, ECS_DEPLOY_ACTION_KEYS, ECS_DEPLOY_CONFIGURATION_KEYS, KNOWN_ACTIONS, WORKFLOW_KEYS,
} from '../../src/cli/codecatalyst-schema';
import { parseWorkflow, readWorkflow } from '../../src/cli/codecatalyst-workflow';
import { plan } from '../../src/cli/commands/plan';
import { runActionlint } from '../support/actionlint';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join('examples', 'codecatalyst');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf-8');
const BEFORE = read(path.join(EXAMPLE, 'workflow.yaml'));
const APPSPEC = read(path.join(EXAMPLE, 'appspec.yaml'));

const codedeploy = mockClient(CodeDeployClient);
const clients = testClients();

function serveGroup() {
  codedeploy.on(GetDeploymentGroupCommand, { applicationName: 'AppECS-shop-web', deploymentGroupName: 'DgpECS-shop-web' }).resolves({
    deploymentGroupInfo: {
      applicationName: 'AppECS-shop-web',
      deploymentGroupName: 'DgpECS-shop-web',
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'shop', serviceName: 'web' }],
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 15 },
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      },
    },
  });
  codedeploy.on(GetDeploymentConfigCommand, { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }).resolves({
    deploymentConfigInfo: {
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      computePlatform: 'ECS',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    },
  });
}

beforeEach(() => {
  codedeploy.reset();
  serveGroup();
});

/** Runs plan with files from a map (paths as given on the command line). */
async function run(args: string[], files: Record<string, string> = { 'workflow.yaml': BEFORE, 'appspec.yaml': APPSPEC }) {
  const out = new Capture();
  const { env, err } = testEnv({ files });
  const code = await plan.run(args, clients, out, env);
  return { code, out: out.text, err: err.text };
}

async function json(args: string[], files?: Record<string, string>) {
  const r = await run([...args, '--output', 'json'], files);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-workflow-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every ECS deploy action of a written CodeCatalyst workflow uses only the keys of the action's reference. */
function expectReferenceKeys(text: string) {
  const workflow = parseYaml(text);
  for (const key of Object.keys(workflow)) expect(WORKFLOW_KEYS).toContain(key);
  for (const action of Object.values(workflow.Actions) as any[]) {
    if (action.Identifier !== ECS_DEPLOY_ACTION) continue;
    for (const key of Object.keys(action)) expect(ECS_DEPLOY_ACTION_KEYS).toContain(key);
    for (const key of Object.keys(action.Configuration)) expect(ECS_DEPLOY_CONFIGURATION_KEYS).toContain(key);
  }
}

describe('reading a CodeCatalyst workflow', () => {
  test('finds the ECS deploy action, its codedeploy-* keys, its environment, the render action and the push trigger', () => {
    const reading = readWorkflow(parseWorkflow(BEFORE));
    expect(reading.deployActions).toEqual([{
      action: 'DeployToECS',
      group: undefined,
      region: 'us-east-1',
      cluster: 'shop',
      service: 'web',
      taskDefinition: '/artifacts/DeployToECS/TaskDefArtifact/${RenderTaskDefinition.task-definition}',
      codeDeploy: {
        'codedeploy-appspec': 'appspec.yaml',
        'codedeploy-application': 'AppECS-shop-web',
        'codedeploy-deployment-group': 'DgpECS-shop-web',
        'codedeploy-deployment-description': 'Release of ${WorkflowSource.CommitId}',
      },
      environment: { name: 'production', role: 'shop-web-codecatalyst-deploy' },
    }]);
    expect(reading.renderActions).toEqual([{ action: 'RenderTaskDefinition', containerName: 'web', image: expect.stringContaining('/shop-web:'), taskDefinition: 'task.json' }]);
    expect(reading.pushBranches).toEqual(['main']);
    // aws/managed-test@v1 is not in the checked list: reported, not read.
    expect(reading.unknown).toEqual(['Actions.SmokeTest (Identifier aws/managed-test@v1: not read, kept as it is)']);
  });

  test('opens action groups and reports unknown keys of the workflow, the action and its Configuration', () => {
    const text = `Name: grouped
SchemaVersion: "1.0"
Flavor: spicy
Actions:
  Release:
    Actions:
      Deploy:
        Identifier: aws/ecs-deploy@v1
        Retries: 2
        Configuration:
          cluster: shop
          service: web
          task-definition: task.json
          wait-for-service-stability: true
          codedeploy-application: app
`;
    const reading = readWorkflow(parseWorkflow(text));
    expect(reading.deployActions.map((a) => [a.group, a.action])).toEqual([['Release', 'Deploy']]);
    expect(reading.unknown).toEqual(['Flavor', 'Actions.Release.Actions.Deploy.Retries', 'Actions.Release.Actions.Deploy.Configuration.wait-for-service-stability']);
  });

  test('the checked list is the reference\'s: the codedeploy-* keys are Configuration keys, the known actions include the three of the example', () => {
    for (const key of CODEDEPLOY_KEYS) expect(ECS_DEPLOY_CONFIGURATION_KEYS).toContain(key);
    expect(KNOWN_ACTIONS).toEqual(expect.arrayContaining([BUILD_ACTION, ECS_DEPLOY_ACTION, 'aws/ecs-render-task-definition@v1']));
  });

  test.each([
    ['not YAML', 'Actions: [unclosed', /--workflow workflow.yaml: not valid YAML/],
    ['no Actions', 'Name: x\n', /--workflow workflow.yaml: the workflow has no Actions map/],
  ])('%s is a usage error (exit 2)', async (_, text, message) => {
    const r = await run(['--workflow', 'workflow.yaml'], { 'workflow.yaml': text });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('plan --workflow', () => {
  test('JSON: the codedeploy-* keys go, cluster/service/task-definition stay, hooks and strategy mapped, a wait step follows', async () => {
    const p = await json(['--workflow', 'workflow.yaml']);
    expect(p).toMatchObject({ workflow: 'workflow.yaml', to: 'codecatalyst' });
    expect(p.written).toBeUndefined();
    const [action] = p.actions;
    expect(action).toMatchObject({
      action: 'DeployToECS',
      cluster: 'shop',
      service: 'web',
      removed: { 'codedeploy-appspec': 'appspec.yaml', 'codedeploy-application': 'AppECS-shop-web', 'codedeploy-deployment-group': 'DgpECS-shop-web' },
      kept: ['region', 'cluster', 'service', 'task-definition'],
      wait: { action: 'DeployToECS_WaitForEcs', command: 'ecs-blue-green wait shop web --timeout 60m --region us-east-1' },
    });
    expect(action.wait.reason).toContain('lists no key that waits');
    expect(action.appSpec).toEqual({
      file: 'appspec.yaml',
      hooks: [
        { event: 'AfterAllowTestTraffic', functionName: 'shop-web-smoke-test', stage: 'POST_TEST_TRAFFIC_SHIFT' },
        { event: 'BeforeAllowTraffic', functionName: 'arn:aws:lambda:us-east-1:123456789012:function:shop-web-pre-traffic', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' },
      ],
      container: { name: 'web', port: 8080 },
      taskDefinition: '<TaskDefinitionArn>',
      notMapped: [
        expect.stringMatching(/^TaskDefinition <TaskDefinitionArn>: gone/),
        expect.stringMatching(/^PlatformVersion LATEST: a property of the service/),
      ],
    });
    expect(action.deploymentGroup.strategy).toMatchObject({ strategy: 'CANARY', codeDeployConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
    expect(action.deploymentGroup.bakeTimeInMinutes).toBe(15);
    expect(p.rewired).toEqual([{ action: 'SmokeTest', dependsOn: 'DeployToECS_WaitForEcs' }]);
    expect(p.unknown).toEqual(['Actions.SmokeTest (Identifier aws/managed-test@v1: not read, kept as it is)']);
    expect(p.warnings).toEqual([]);
  });

  test('text: what goes, what stays, the wait step, hooks, what is not mapped', async () => {
    const r = await run(['--workflow', 'workflow.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  - codedeploy-application: AppECS-shop-web');
    expect(r.out).toContain('  = region, cluster, service, task-definition stay');
    expect(r.out).toContain('  + then DeployToECS_WaitForEcs: ecs-blue-green wait shop web --timeout 60m --region us-east-1');
    expect(r.out).toMatch(/AfterAllowTestTraffic +→ POST_TEST_TRAFFIC_SHIFT +shop-web-smoke-test/);
    expect(r.out).toContain('Not mapped: PlatformVersion LATEST');
    expect(r.out).toContain('SmokeTest now depends on DeployToECS_WaitForEcs');
    expect(r.out).toContain('Nothing written');
  });

  test('a deployment group that cannot be read is a warning; the rest is planned', async () => {
    codedeploy.reset();
    codedeploy.on(GetDeploymentGroupCommand).rejects(new DeploymentGroupDoesNotExistException({ message: 'no such group', $metadata: {} }));
    const p = await json(['--workflow', 'workflow.yaml']);
    expect(p.actions[0].deploymentGroup).toBeUndefined();
    expect(p.actions[0].appSpec.hooks).toHaveLength(2);
    expect(p.warnings).toEqual([expect.stringContaining('deployment group DgpECS-shop-web of AppECS-shop-web not read (DeploymentGroupDoesNotExistException: no such group)')]);
  });

  test('--appspec overrides the file the action names; a missing AppSpec is a warning', async () => {
    const p = await json(['--workflow', 'workflow.yaml', '--appspec', 'other.yaml'], { 'workflow.yaml': BEFORE, 'other.yaml': APPSPEC.replace('8080', '9090') });
    expect(p.actions[0].appSpec).toMatchObject({ file: 'other.yaml', container: { name: 'web', port: 9090 } });
    const missing = await json(['--workflow', 'workflow.yaml'], { 'workflow.yaml': BEFORE });
    expect(missing.actions[0].appSpec).toBeUndefined();
    expect(missing.warnings).toContain('DeployToECS: AppSpec appspec.yaml not found (tried appspec.yaml): hooks unknown, pass --appspec <file>');
  });

  test('an invalid AppSpec is a usage error naming the file and what is wrong', async () => {
    const r = await run(['--workflow', 'workflow.yaml'], { 'workflow.yaml': BEFORE, 'appspec.yaml': APPSPEC.replace('AfterAllowTestTraffic', 'AfterTest') });
    expect(r.code).toBe(2);
    expect(r.err).toContain('AppSpec appspec.yaml (of DeployToECS): [AppSpec] invalid Hooks[0]: names the event "AfterTest"');
  });

  test('without --workflow the deployment group options are still required, and --write / --to are usage errors', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing --codedeploy-app <name> and --deployment-group <name>/);
    const write = await run(['--codedeploy-app', 'a', '--deployment-group', 'g', '--write', 'x.yaml', '--to', 'github-actions']);
    expect(write.code).toBe(2);
    expect(write.err).toContain('--write and --to need --workflow <file>');
    expect(codedeploy.calls()).toEqual([]);
  });
});

describe('plan --workflow --write (CodeCatalyst)', () => {
  test('writes the migrated workflow: reference keys only, wait action after the deploy action, comments and unknown actions kept', async () => {
    const target = path.join(scratch, 'after.yaml');
    const r = await run(['--workflow', 'workflow.yaml', '--write', target]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote ${target}`);
    const text = fs.readFileSync(target, 'utf-8');
    expectReferenceKeys(text);
    const workflow = parseYaml(text);
    expect(Object.keys(workflow.Actions)).toEqual(['BuildImage', 'RenderTaskDefinition', 'DeployToECS', 'DeployToECS_WaitForEcs', 'SmokeTest']);
    expect(workflow.Actions.DeployToECS.Configuration).toEqual({
      'region': 'us-east-1', 'cluster': 'shop', 'service': 'web', 'task-definition': '/artifacts/DeployToECS/TaskDefArtifact/${RenderTaskDefinition.task-definition}',
    });
    expect(workflow.Actions.DeployToECS_WaitForEcs).toEqual({
      Identifier: BUILD_ACTION,
      DependsOn: ['DeployToECS'],
      Environment: workflow.Actions.DeployToECS.Environment,
      Configuration: {
        Steps: [
          { Run: 'npm install --global --no-audit --no-fund --legacy-peer-deps cdk-ecs-blue-green@latest' },
          { Run: 'ecs-blue-green wait shop web --timeout 60m --region us-east-1' },
        ],
      },
    });
    // The unknown action is kept as it was, now after the wait.
    expect(workflow.Actions.SmokeTest).toEqual({ ...parseYaml(BEFORE).Actions.SmokeTest, DependsOn: ['DeployToECS_WaitForEcs'] });
    expect(text).toContain('# Runs once the release is out.');
    expect(text).toMatch(/^# \.codecatalyst\/workflows\/deploy\.yaml/);
  });

  test('round trip: unknown keys are kept, and a workflow with nothing to migrate is written back unchanged', async () => {
    const odd = BEFORE.replace('      region: us-east-1\n', '      region: us-east-1\n      wait-for-service-stability: true # not in the reference\n')
      .replace('Triggers:', 'Flavor: spicy\n\nTriggers:');
    const target = path.join(scratch, 'odd.yaml');
    const r = await json(['--workflow', 'workflow.yaml', '--write', target], { 'workflow.yaml': odd, 'appspec.yaml': APPSPEC });
    expect(r.unknown).toEqual(['Flavor', 'Actions.DeployToECS.Configuration.wait-for-service-stability', expect.stringContaining('Actions.SmokeTest')]);
    const written = fs.readFileSync(target, 'utf-8');
    expect(written).toContain('wait-for-service-stability: true # not in the reference');
    expect(parseYaml(written).Flavor).toBe('spicy');

    // The migrated workflow has no codedeploy-* keys left: planning it again changes nothing.
    const again = path.join(scratch, 'again.yaml');
    const second = await json(['--workflow', 'after.yaml', '--write', again], { 'after.yaml': written });
    expect(second.actions).toEqual([]);
    expect(second.warnings).toEqual(['no aws/ecs-deploy@v1 action with codedeploy-* keys: nothing deploys through CodeDeploy']);
    expect(fs.readFileSync(again, 'utf-8')).toBe(written);
  });

  test('a file that cannot be written is exit 3', async () => {
    const r = await run(['--workflow', 'workflow.yaml', '--write', path.join(scratch, 'no-such-dir', 'after.yaml')]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('ENOENT');
  });

  test('never writes over its input', async () => {
    const input = path.join(scratch, 'in.yaml');
    fs.writeFileSync(input, BEFORE);
    const r = await run(['--workflow', input, '--write', input], { [input]: BEFORE, 'appspec.yaml': APPSPEC });
    expect(r.code).toBe(2);
    expect(r.err).toContain('is the workflow it reads');
    expect(fs.readFileSync(input, 'utf-8')).toBe(BEFORE);
    // The same file by another name.
    const link = path.join(scratch, 'link.yaml');
    fs.symlinkSync(input, link);
    const viaLink = await run(['--workflow', input, '--write', link], { [input]: BEFORE, 'appspec.yaml': APPSPEC });
    expect(viaLink.code).toBe(2);
    expect(fs.readFileSync(input, 'utf-8')).toBe(BEFORE);
  });
});

describe('plan --workflow --to github-actions', () => {
  test('writes a workflow that passes actionlint, with the shared steps of examples/github-actions/deploy.yml', async () => {
    const target = path.join(scratch, 'deploy.yml');
    const p = await json(['--workflow', 'workflow.yaml', '--to', 'github-actions', '--write', target]);
    expect(p.to).toBe('github-actions');
    expect(p.warnings).toEqual(['the keys and actions listed as unknown have no GitHub Actions counterpart here: port them by hand']);
    expect(runActionlint(target)).toEqual([]);
    const workflow = parseYaml(fs.readFileSync(target, 'utf-8'));
    expect(workflow.env).toMatchObject({ AWS_REGION: 'us-east-1', CLUSTER: 'shop', SERVICE: 'web', CONTAINER: 'web', REPOSITORY: 'shop-web', TASK_DEFINITION: 'task.json' });
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    const steps: any[] = workflow.jobs.deploy.steps;
    const example = parseYaml(read(path.join('examples', 'github-actions', 'deploy.yml'))).jobs.deploy.steps as any[];
    const shared = (s: any) => [s.uses, s.name].find(Boolean);
    for (const step of example.filter((s) => s.name !== 'Deploy blue/green and wait for the outcome')) {
      const credentials = step.uses?.startsWith('aws-actions/configure-aws-credentials@');
      const ours = steps.find((s) => shared(s) === shared(step));
      expect(ours).toEqual(credentials
        ? { ...step, with: { ...step.with, 'role-to-assume': 'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/shop-web-codecatalyst-deploy' } }
        : step);
    }
    const deploy = steps.find((s) => s.uses?.startsWith('aws-actions/amazon-ecs-deploy-task-definition@'));
    expect(Object.keys(deploy.with).sort()).toEqual(['cluster', 'service', 'task-definition']);
    expect(steps.map((s) => s.uses ?? s.run).slice(-4)).toEqual([
      'actions/setup-node@v4',
      'npm install --global --no-audit --no-fund --legacy-peer-deps "cdk-ecs-blue-green@$ECS_BLUE_GREEN_VERSION"',
      'ecs-blue-green wait "$CLUSTER" "$SERVICE" --timeout "$WAIT_TIMEOUT"',
      'ecs-blue-green status "$CLUSTER" "$SERVICE" || true',
    ]);
  });
});

describe('examples/codecatalyst', () => {
  // The example pair is what `plan --write` produces from the before files: regenerated and compared.
  const fromDisk = () => {
    const files: Record<string, string> = {};
    for (const name of ['workflow.yaml', 'appspec.yaml']) files[path.join(EXAMPLE, name)] = read(path.join(EXAMPLE, name));
    return files;
  };
  test.each([
    ['workflow.after.yaml', []],
    ['github-actions-deploy.yml', ['--to', 'github-actions']],
  ])('%s is what plan --write produces from workflow.yaml', async (name, extra) => {
    const target = path.join(scratch, name);
    const r = await run(['--workflow', path.join(EXAMPLE, 'workflow.yaml'), ...extra, '--write', target], fromDisk());
    expect(r.code).toBe(0);
    const regenerated = fs.readFileSync(target, 'utf-8');
    const committed = path.join(ROOT, EXAMPLE, name);
    if (process.env.UPDATE_EXAMPLES === '1') fs.writeFileSync(committed, regenerated);
    expect(regenerated).toBe(fs.readFileSync(committed, 'utf-8'));
  });

  test('the committed GitHub Actions workflow passes actionlint', () => {
    expect(runActionlint(path.join(ROOT, EXAMPLE, 'github-actions-deploy.yml'))).toEqual([]);
  });

  test('task.json is the container the AppSpec routes traffic to, on its port', () => {
    const task = JSON.parse(read(path.join(EXAMPLE, 'task.json')));
    const app = parseYaml(APPSPEC).Resources[0].TargetService.Properties.LoadBalancerInfo;
    const container = task.containerDefinitions.find((c: any) => c.name === app.ContainerName);
    expect(container.portMappings.map((m: any) => m.containerPort)).toContain(app.ContainerPort);
  });
});
