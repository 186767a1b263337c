// What a CodeCatalyst workflow may hold, as far as `plan --workflow` reads and writes it: the
// checked list of workflow properties, action identifiers and `aws/ecs-deploy@v1` keys. Anything
// else is kept as it is and reported, never dropped.
//
// Sources (Amazon CodeCatalyst user guide):
// - "Workflow YAML definition", top-level properties: Name, SchemaVersion, RunMode, Compute,
//   Triggers, Actions (an action group is a map with its own Actions);
// - "'Deploy to Amazon ECS' action YAML": the action `aws/ecs-deploy@v1` with Identifier,
//   DependsOn, Compute, Timeout, Environment (Name, Connections[].Name/Role), Inputs (Sources,
//   Artifacts) and Configuration keys region, cluster, service, task-definition,
//   force-new-deployment, codedeploy-appspec, codedeploy-application, codedeploy-deployment-group,
//   codedeploy-deployment-description. The reference lists no key that waits for the deployment
//   or the service (unlike GitHub's amazon-ecs-deploy-task-definition, whose action.yml inputs
//   include wait-for-service-stability, "Will default to not waiting", and wait-for-minutes). No
//   page found says what the action itself waits for on a service of the ECS controller, so the
//   migrated workflow always waits after it: `ecs-blue-green wait` takes the newest deployment,
//   running or ended, and reports its outcome (an ended one at once).
// - "Modifying an Amazon ECS task definition": `aws/ecs-render-task-definition@v1` writes the image
//   the `aws/build@v1` action built into the task definition file.
// The same page of every CodeCatalyst guide says CodeCatalyst is no longer open to new customers;
// existing customers keep using it ("How to migrate from CodeCatalyst").

/** The Deploy to Amazon ECS action. */
export const ECS_DEPLOY_ACTION = 'aws/ecs-deploy@v1';
/** The build action (runs shell steps): the migrated workflow's wait step is one. */
export const BUILD_ACTION = 'aws/build@v1';
/** The Render Amazon ECS task definition action. */
export const RENDER_TASK_DEFINITION_ACTION = 'aws/ecs-render-task-definition@v1';

/** Action identifiers this module knows the shape of; others are kept and reported. */
export const KNOWN_ACTIONS: readonly string[] = [BUILD_ACTION, RENDER_TASK_DEFINITION_ACTION, ECS_DEPLOY_ACTION];

/** Top-level properties of a workflow definition. */
export const WORKFLOW_KEYS: readonly string[] = ['Name', 'SchemaVersion', 'RunMode', 'Compute', 'Triggers', 'Actions'];

/** Properties of the `aws/ecs-deploy@v1` action. */
export const ECS_DEPLOY_ACTION_KEYS: readonly string[] = ['Identifier', 'DependsOn', 'Compute', 'Timeout', 'Environment', 'Inputs', 'Configuration'];

/** The `codedeploy-*` keys of the action's Configuration: they only apply to a CODE_DEPLOY service. */
export const CODEDEPLOY_KEYS: readonly string[] = [
  'codedeploy-appspec', 'codedeploy-application', 'codedeploy-deployment-group', 'codedeploy-deployment-description',
];

/** Configuration keys of `aws/ecs-deploy@v1` that stay on the ECS deployment controller. */
export const ECS_DEPLOY_KEPT_KEYS: readonly string[] = ['region', 'cluster', 'service', 'task-definition', 'force-new-deployment'];

/** Every Configuration key of `aws/ecs-deploy@v1`. */
export const ECS_DEPLOY_CONFIGURATION_KEYS: readonly string[] = [...ECS_DEPLOY_KEPT_KEYS, ...CODEDEPLOY_KEYS];

/** Keys of the `aws/build@v1` action the wait step uses. */
export const BUILD_ACTION_KEYS: readonly string[] = ['Identifier', 'DependsOn', 'Compute', 'Timeout', 'Environment', 'Inputs', 'Outputs', 'Configuration'];

/** Names of CodeCatalyst actions: letters, digits, `-` and `_` ("'Deploy to Amazon ECS' action YAML", ECSDeployAction). */
export const ACTION_NAME = /^[A-Za-z0-9_-]+$/;
