// The GitHub Actions workflow for a team leaving CodeCatalyst: the steps of
// examples/github-actions/deploy.yml (checkout, OIDC credentials, ECR login, build and push,
// install and status; test/cli/plan-workflow.test.ts compares them), with the task definition the
// CodeCatalyst workflow rendered (aws-actions/amazon-ecs-render-task-definition) deployed by
// aws-actions/amazon-ecs-deploy-task-definition without its codedeploy-* inputs, then
// `ecs-blue-green wait`. The deploy action's wait-for-service-stability is left off: the wait step
// reports the deployment's outcome (amazon-ecs-deploy-task-definition action.yml, inputs).
import { Document, YAMLMap, isScalar } from 'yaml';
import { WaitStepOptions, WorkflowDeployAction, WorkflowReading } from './codecatalyst-workflow';

const HEADER = [
  ' Written by `ecs-blue-green plan --workflow <file> --to github-actions` from the CodeCatalyst workflow',
  ' __SOURCE__. Save it as .github/workflows/deploy.yml. The job builds and pushes the image, renders it',
  ' into the task definition file, updates the service (which starts the ECS blue/green deployment) and',
  ' waits with `ecs-blue-green wait`: exit 0 succeeded, 1 failed or rolled back, 2 usage error, 3 timeout.',
  ' Set the repository variable AWS_ACCOUNT_ID; the role needs a trust policy for GitHub\'s OIDC provider.',
].join('\n');

/** The ECR repository of an image URI such as `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`. */
function repositoryOf(image: string | undefined): string | undefined {
  const m = image ? /\.amazonaws\.com(?:\.cn)?\/([a-z0-9._\/-]+)(?::|@|$)/.exec(image) : undefined;
  return m?.[1];
}

/** The GitHub Actions workflow for one ECS deploy action of the CodeCatalyst workflow. */
export function githubWorkflow(reading: WorkflowReading, action: WorkflowDeployAction, source: string, options: WaitStepOptions): {
  text: string; notes: string[];
} {
  const notes: string[] = [];
  const render = reading.renderActions[0];
  const container = render?.containerName ?? '<container>';
  if (!render?.containerName) notes.push('no render action names the container: set CONTAINER');
  const repository = repositoryOf(render?.image) ?? '<repository>';
  if (repository === '<repository>') notes.push('the ECR repository is not in the workflow: set REPOSITORY');
  const role = action.environment?.role ?? '<role>';
  if (!action.environment?.role) notes.push('the deploy action\'s environment names no role: set role-to-assume');
  const taskDefinition = render?.taskDefinition ?? action.taskDefinition ?? 'task.json';
  const on: Record<string, unknown> = reading.pushBranches.length ? { push: { branches: reading.pushBranches } } : {};
  on.workflow_dispatch = null;
  const workflow = {
    name: reading.name ?? 'deploy',
    on,
    permissions: { 'id-token': 'write', 'contents': 'read' },
    concurrency: { 'group': `deploy-${action.service ?? 'service'}`, 'cancel-in-progress': false },
    env: {
      AWS_REGION: action.region ?? 'us-east-1',
      CLUSTER: action.cluster ?? 'default',
      SERVICE: action.service ?? '<service>',
      CONTAINER: container,
      REPOSITORY: repository,
      TASK_DEFINITION: taskDefinition,
      ROLE_SESSION_SECONDS: 7200,
      WAIT_TIMEOUT: options.timeout,
      ECS_BLUE_GREEN_VERSION: options.version,
    },
    jobs: {
      deploy: {
        'runs-on': 'ubuntu-latest',
        ...(action.environment?.name ? { environment: action.environment.name } : {}),
        'timeout-minutes': 90,
        'steps': [
          { uses: 'actions/checkout@v4' },
          {
            uses: 'aws-actions/configure-aws-credentials@v4',
            with: {
              'role-to-assume': `arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${role}`,
              'role-duration-seconds': '${{ env.ROLE_SESSION_SECONDS }}',
              'aws-region': '${{ env.AWS_REGION }}',
            },
          },
          { id: 'ecr', uses: 'aws-actions/amazon-ecr-login@v2' },
          {
            name: 'Build and push the image',
            id: 'image',
            env: { REGISTRY: '${{ steps.ecr.outputs.registry }}' },
            run: 'image="$REGISTRY/$REPOSITORY:$GITHUB_SHA"\ndocker build --tag "$image" .\ndocker push "$image"\necho "uri=$image" >> "$GITHUB_OUTPUT"\n',
          },
          {
            name: 'Render the image into the task definition',
            id: 'task',
            uses: 'aws-actions/amazon-ecs-render-task-definition@v1',
            with: { 'task-definition': '${{ env.TASK_DEFINITION }}', 'container-name': '${{ env.CONTAINER }}', 'image': '${{ steps.image.outputs.uri }}' },
          },
          {
            name: 'Start the ECS blue/green deployment',
            uses: 'aws-actions/amazon-ecs-deploy-task-definition@v2',
            with: { 'task-definition': '${{ steps.task.outputs.task-definition }}', 'cluster': '${{ env.CLUSTER }}', 'service': '${{ env.SERVICE }}' },
          },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
          {
            name: 'Install ecs-blue-green',
            run: 'npm install --global --no-audit --no-fund --legacy-peer-deps "cdk-ecs-blue-green@$ECS_BLUE_GREEN_VERSION"',
          },
          { name: 'Wait for the outcome', run: 'ecs-blue-green wait "$CLUSTER" "$SERVICE" --timeout "$WAIT_TIMEOUT"' },
          { name: 'Show the deployment', if: 'failure()', run: 'ecs-blue-green status "$CLUSTER" "$SERVICE" || true' },
        ],
      },
    },
  };
  const doc = new Document(workflow);
  doc.commentBefore = HEADER.replace('__SOURCE__', source);
  // A blank line between the top-level sections, as in examples/github-actions/deploy.yml.
  (doc.contents as YAMLMap).items.forEach((pair, i) => {
    if (i > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
  });
  return { text: doc.toString({ lineWidth: 0, nullStr: '' }), notes };
}
