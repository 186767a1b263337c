import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse as parseYaml } from 'yaml';
import { runWithFakes, FakeState } from './fake-cli';
import { GITHUB_RELEASE, GitHubActionsReleaseStack } from '../../examples/pipeline-github-actions';
import { checkStack } from '../support';
import { runActionlint, runShellcheck } from '../support/actionlint';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW = path.join(ROOT, 'examples', 'github-actions', 'deploy.yml');
const SCRIPT = path.join(ROOT, 'examples', 'ci', 'deploy-image.sh');

type Resources = Record<string, { Type: string; Properties: any }>;

/** Writes a variant of the workflow to a scratch file and lints it. */
function lintVariant(edit: (text: string) => string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-'));
  try {
    const file = path.join(dir, 'deploy.yml');
    const text = fs.readFileSync(WORKFLOW, 'utf-8');
    const edited = edit(text);
    expect(edited).not.toBe(text);
    fs.writeFileSync(file, edited);
    return runActionlint(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let defaultStack: { stack: GitHubActionsReleaseStack; template: ReturnType<typeof checkStack> } | undefined;

/** The example stack with its defaults, synthesized once, cdk-nag and cfn-lint checked. */
function synthDefault() {
  if (!defaultStack) {
    const stack = new GitHubActionsReleaseStack(new App(), 'Release');
    defaultStack = { stack, template: checkStack(stack, { nag: true }) };
  }
  return defaultStack;
}

function minutesOf(text: string): number {
  const m = /^(\d+)m$/.exec(text);
  if (!m) throw new Error(`not a duration in minutes: ${text}`);
  return Number(m[1]);
}

describe('GitHub Actions workflow examples/github-actions/deploy.yml', () => {
  test('passes actionlint, with ShellCheck on its run steps', () => {
    expect(runActionlint(WORKFLOW)).toEqual([]);
  });

  test('the check fails on a misspelt action input and on an unquoted variable in a run step', () => {
    const input = lintVariant((t) => t.replace('role-duration-seconds:', 'role-duration-secs:'));
    expect(input).toEqual([expect.objectContaining({ kind: 'action', message: expect.stringContaining('input "role-duration-secs" is not defined') })]);
    const shell = lintVariant((t) => t.replace('docker push "$image"', 'docker push $image'));
    expect(shell).toEqual([expect.objectContaining({ kind: 'shellcheck', message: expect.stringContaining('SC2086') })]);
  });

  test('names what the stack creates, and lasts as long as the deployment', () => {
    const workflow = parseYaml(fs.readFileSync(WORKFLOW, 'utf-8'));
    const { stack, template } = synthDefault();

    expect(workflow.env).toMatchObject({
      CLUSTER: GITHUB_RELEASE.cluster, SERVICE: GITHUB_RELEASE.service, CONTAINER: GITHUB_RELEASE.container, REPOSITORY: GITHUB_RELEASE.repository,
    });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: workflow.env.CLUSTER });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: workflow.env.SERVICE, DeploymentController: { Type: 'ECS' } });
    const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(task.Properties.ContainerDefinitions.map((c: any) => c.Name)).toEqual([workflow.env.CONTAINER]);
    expect(JSON.stringify(task.Properties.ContainerDefinitions[0].Image)).toContain(`/${workflow.env.REPOSITORY}:`);

    const job = workflow.jobs.deploy;
    const steps: any[] = job.steps;
    const credentials = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials.with['role-to-assume']).toMatch(new RegExp(`:role/${GITHUB_RELEASE.role}$`));
    const [role] = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: GITHUB_RELEASE.role } }));
    // Only this repository's jobs in the environment the workflow runs in.
    expect(job.environment).toBe(GITHUB_RELEASE.environment);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': `repo:example-org/shop:environment:${job.environment}`,
    });

    // The credentials outlast the wait, the wait outlasts the deployment, the job outlasts the wait.
    const session = Number(workflow.env.ROLE_SESSION_SECONDS);
    expect(credentials.with['role-duration-seconds']).toBe('${{ env.ROLE_SESSION_SECONDS }}');
    expect(session).toBeLessThanOrEqual(role.Properties.MaxSessionDuration);
    const wait = minutesOf(workflow.env.WAIT_TIMEOUT);
    expect(wait).toBeGreaterThanOrEqual(stack.shop.deploymentBudget().toMinutes());
    expect(session / 60).toBeGreaterThan(wait + 15);
    expect(job['timeout-minutes']).toBeGreaterThan(wait + 15);

    // Build and push, install the CLI, then the script: register, update, wait.
    const runs = steps.filter((s) => s.run).map((s) => s.run.trim().split('\n').pop());
    expect(runs).toEqual([
      'echo "uri=$image" >> "$GITHUB_OUTPUT"',
      'npm install --global --no-audit --no-fund --legacy-peer-deps "cdk-ecs-blue-green@$ECS_BLUE_GREEN_VERSION"',
      'bash examples/ci/deploy-image.sh "$CLUSTER" "$SERVICE" "$CONTAINER" "$IMAGE" "$WAIT_TIMEOUT"',
      'ecs-blue-green status "$CLUSTER" "$SERVICE" || true',
    ]);
    expect(steps[steps.length - 1].if).toBe('failure()');
  });

  test('the deploy role may push this repository\'s images and release this service only', () => {
    const { template } = synthDefault();
    const [role] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: GITHUB_RELEASE.role } }));
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a.endsWith('*'))).toEqual([]);
    expect(byAction('ecs:UpdateService')).toEqual([expect.objectContaining({ Resource: { Ref: expect.stringMatching(/^ShopWebService/) } })]);
    expect(JSON.stringify(byAction('ecs:RegisterTaskDefinition')[0].Resource)).toContain(':task-definition/shop-web:*');
    expect(byAction('iam:PassRole')[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(byAction('ecr:PutImage')[0].Resource).toEqual(expect.objectContaining({ 'Fn::Join': expect.anything() }));
    expect(JSON.stringify(byAction('ecr:PutImage')[0].Resource)).toContain(':repository/shop-web');
  });

  test('a role of the account\'s existing GitHub OIDC provider, if given', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const template = checkStack(new GitHubActionsReleaseStack(new App(), 'Release', { oidcProviderArn: arn, repository: 'acme/web' }), { nag: true });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: GITHUB_RELEASE.role,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: arn },
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/web:environment:production' } },
        }],
      },
    });
  });
});

describe('examples/ci/deploy-image.sh', () => {
  const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:7';
  const NEWEST = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:9';
  const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-web:4f2c1e9';
  const taskDefinition = (arn: string, revision: number, image: string) => ({
    taskDefinitionArn: arn,
    family: 'shop-web',
    revision,
    status: 'ACTIVE',
    taskRoleArn: 'arn:aws:iam::123456789012:role/shop-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/shop-execution',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'web', image, essential: true, portMappings: [{ containerPort: 80 }] },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: true },
    ],
    registeredAt: '2026-05-01T10:00:00Z',
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/shop-web-github-deploy/GitHubActions',
  });
  const state = (overrides: Partial<FakeState> = {}): FakeState => ({
    services: { 'shop/web': RUNNING },
    taskDefinitions: {
      [RUNNING]: taskDefinition(RUNNING, 7, 'shop-web:old'),
      // Registered but never deployed: must not be what the release starts from.
      [NEWEST]: { ...taskDefinition(NEWEST, 9, 'shop-web:experiment'), cpu: '4096' },
    },
    ...overrides,
  });
  const deploy = (s: FakeState, args = ['shop', 'web', 'web', IMAGE, '45m']) => runWithFakes(SCRIPT, args, s);

  test('passes ShellCheck', () => {
    expect(runShellcheck(SCRIPT)).toEqual([]);
  });

  test('registers the running revision with the new image, updates the service and waits on that deployment', () => {
    const run = deploy(state());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls.map((c) => `${c.program} ${c.args.slice(0, 2).join(' ')}`)).toEqual([
      'aws ecs describe-services', 'aws ecs describe-task-definition', 'aws ecs register-task-definition', 'aws ecs update-service', 'ecs-blue-green wait shop',
    ]);
    expect(run.calls[1].args).toContain(RUNNING);
    const registered = run.state.taskDefinitions['arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:10'];
    expect(registered.containerDefinitions.map((c: any) => [c.name, c.image])).toEqual([
      ['web', IMAGE], ['log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'],
    ]);
    // Everything else as in the running revision (not the newest one of the family).
    expect(registered).toMatchObject({ cpu: '256', memory: '512', taskRoleArn: 'arn:aws:iam::123456789012:role/shop-task', networkMode: 'awsvpc' });
    expect(run.state.services['shop/web']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:10');
    expect(run.calls[4].args).toEqual([
      'wait', 'shop', 'web', '--timeout', '45m', '--deployment', 'arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/web/Nq3x7Deploy',
    ]);
    expect(run.stdout).toContain('Started arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/web/Nq3x7Deploy');
  });

  test('exits with the code of `ecs-blue-green wait`: 1 when the deployment failed or rolled back', () => {
    const run = deploy(state({ waitExitCode: 1 }));
    expect(run.status).toBe(1);
    expect(run.calls[run.calls.length - 1].program).toBe('ecs-blue-green');
  });

  test('waits 60 minutes by default, for the service\'s current deployment when UpdateService names none', () => {
    const run = deploy(state({ reportsDeployment: false }), ['shop', 'web', 'web', IMAGE]);
    expect(run.status).toBe(0);
    expect(run.calls[4].args).toEqual(['wait', 'shop', 'web', '--timeout', '60m']);
  });

  test('fails with exit 2 before registering anything for an unknown container or service, or a wrong command line', () => {
    const container = deploy(state(), ['shop', 'web', 'api', IMAGE]);
    expect(container.status).toBe(2);
    expect(container.stderr).toContain(`deploy-image.sh: no container api in ${RUNNING} (containers: web, log-router)`);
    const service = deploy(state(), ['shop', 'checkout', 'web', IMAGE]);
    expect(service.status).toBe(2);
    expect(service.stderr).toContain('deploy-image.sh: service checkout not found in cluster shop');
    const usage = deploy(state(), ['shop', 'web']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^usage: deploy-image.sh <cluster> <service> <container> <image-uri> \[wait-timeout\]/);
    for (const run of [container, service, usage]) {
      expect(run.calls.map((c) => c.args[1])).not.toContain('register-task-definition');
    }
  });

  test('an AWS error stops the script with the CLI\'s exit code', () => {
    const run = deploy(state({ taskDefinitions: {} }));
    expect(run.status).toBe(254);
    expect(run.stderr).toContain('Unable to describe task definition');
    expect(run.calls.map((c) => c.program)).not.toContain('ecs-blue-green');
  });
});
