// `plan --workflow <file>`: what a CodeCatalyst workflow that deploys through CodeDeploy
// (`aws/ecs-deploy@v1` with codedeploy-* keys) becomes on the ECS deployment controller, and with
// --write the migrated workflow (CodeCatalyst, or GitHub Actions with --to github-actions).
// Reads the workflow and the AppSpec its deploy action names; reads the deployment group
// (GetDeploymentGroup, GetDeploymentConfig) when it can, for the strategy. Writes only --write.
import * as fs from 'fs';
import * as path from 'path';
import { GetDeploymentConfigCommand, GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { AppSpecContent, readAppSpec } from '../../private/codedeploy/app-spec-reader';
import { UsageError } from '../args';
import { githubWorkflow } from '../codecatalyst-github';
import { CODEDEPLOY_KEYS, ECS_DEPLOY_ACTION, ECS_DEPLOY_KEPT_KEYS } from '../codecatalyst-schema';
import {
  WaitStepOptions, WorkflowDeployAction, WorkflowError, migrateCodeCatalyst, parseWorkflow, readWorkflow, waitActionName, waitCommand,
} from '../codecatalyst-workflow';
import { MigrationPlan, mapDeploymentGroup } from '../codedeploy-mapping';
import { CommandContext, ExitCode, PROGRAM, writeJson } from '../command';
import { columns } from '../terminal';

/** Why the migrated workflow waits after the deploy action (README and docs/CLI.md say the same). */
export const WAIT_REASON = 'the "Deploy to Amazon ECS" action YAML reference lists no key that waits for the ECS deployment ' +
  '(GitHub\'s amazon-ecs-deploy-task-definition has wait-for-service-stability, off by default), and waiting for a stable ' +
  'service is not the outcome of a blue/green deployment: `ecs-blue-green wait` exits 0 when it succeeded, 1 when it failed or rolled back';

/** One deploy action of the workflow and what it becomes. */
export interface WorkflowActionPlan {
  readonly action: string;
  readonly group?: string;
  readonly cluster?: string;
  readonly service?: string;
  readonly taskDefinition?: string;
  readonly region?: string;
  /** The codedeploy-* keys that go, with their values. */
  readonly removed: Record<string, string>;
  /** The keys that stay. */
  readonly kept: string[];
  /** The step after the deploy action. */
  readonly wait: { readonly action: string; readonly command: string; readonly reason: string };
  readonly appSpec?: {
    readonly file: string;
    readonly hooks: MigrationPlan['hooks'];
    readonly container: { readonly name: string; readonly port: number };
    readonly taskDefinition: string;
    /** What the AppSpec has that no ECS deployment setting takes, and where it goes instead. */
    readonly notMapped: string[];
  };
  /** The deployment group's mapping, as `plan --codedeploy-app A --deployment-group G` prints it. */
  readonly deploymentGroup?: MigrationPlan;
}

/** What `plan --workflow` prints (and writes as JSON). */
export interface WorkflowPlanResult {
  readonly workflow: string;
  readonly to: 'codecatalyst' | 'github-actions';
  readonly actions: WorkflowActionPlan[];
  /** Actions that depended on a deploy action and now depend on its wait action. */
  readonly rewired: Array<{ readonly action: string; readonly dependsOn: string }>;
  /** Keys and actions the checked list does not know: kept in the written workflow. */
  readonly unknown: string[];
  readonly warnings: string[];
  /** The file written with --write. */
  readonly written?: string;
}

const WAIT: WaitStepOptions = { version: 'latest', timeout: '60m' };

/** The AppSpec file the action names, looked up from the current directory, the workflow's directory and the repository root. */
function appSpecCandidates(workflow: string, file: string): string[] {
  if (path.isAbsolute(file)) return [file];
  const dir = path.dirname(workflow);
  const list = [file, path.join(dir, file)];
  const root = /(^|[\\/])\.codecatalyst[\\/]workflows$/.test(dir) ? path.dirname(path.dirname(dir)) : undefined;
  if (root !== undefined) list.push(path.join(root, file));
  return [...new Set(list)];
}

/** What an ECS AppSpec holds that the ECS deployment settings do not take. */
export function appSpecNotMapped(content: AppSpecContent): string[] {
  const out = [`TaskDefinition ${content.taskDefinition}: gone; the deploy action registers the task definition file and updates the service`];
  if (content.platformVersion !== undefined) {
    out.push(`PlatformVersion ${content.platformVersion}: a property of the service (FargateService platformVersion), not of a deployment`);
  }
  if (content.hasNetworkConfiguration) out.push('NetworkConfiguration: the service\'s network configuration (vpcSubnets, securityGroups, assignPublicIp)');
  if (content.capacityProviderStrategies) out.push('CapacityProviderStrategy: the service\'s capacityProviderStrategies');
  return out;
}

async function readGroup(ctx: CommandContext, app: string, group: string, appSpec: AppSpecContent | undefined, source: string | undefined) {
  const info = (await ctx.clients.codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })))
    .deploymentGroupInfo;
  if (!info) throw new Error(`deployment group ${group} of application ${app} not found`);
  const configName = info.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const config = (await ctx.clients.codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: configName }))).deploymentConfigInfo;
  return mapDeploymentGroup({
    group: info,
    config,
    appSpec: appSpec ? { hooks: appSpec.hooks, containerName: appSpec.containerName, containerPort: appSpec.containerPort } : undefined,
    appSpecSource: source,
  });
}

/** Runs `plan --workflow`. */
export async function planWorkflow(ctx: CommandContext): Promise<number> {
  const { args, env, out } = ctx;
  const file = args.options.workflow as string;
  const to = (args.options.to as 'codecatalyst' | 'github-actions' | undefined) ?? 'codecatalyst';
  const target = args.options.write as string | undefined;
  if (target !== undefined && path.resolve(target) === path.resolve(file)) {
    throw new UsageError(`--write ${target} is the workflow it reads: write the migrated workflow to another file`);
  }
  let text: string;
  try {
    text = env.readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read --workflow ${file}: ${(err as Error).message}`);
  }
  let reading;
  let doc;
  try {
    doc = parseWorkflow(text);
    reading = readWorkflow(doc);
  } catch (err) {
    if (err instanceof WorkflowError) throw new UsageError(`--workflow ${file}: ${err.message}`);
    throw err;
  }
  const warnings: string[] = [];
  const deployActions = reading.deployActions.filter((a) => Object.keys(a.codeDeploy).length > 0);
  if (deployActions.length === 0) {
    warnings.push(`no ${ECS_DEPLOY_ACTION} action with codedeploy-* keys: nothing deploys through CodeDeploy`);
  }
  const actions: WorkflowActionPlan[] = [];
  for (const action of deployActions) actions.push(await planAction(ctx, file, action, warnings));

  const migrated = { ...reading, deployActions };
  const rewired: WorkflowPlanResult['rewired'] = [];
  let written: string | undefined;
  let output: string;
  if (to === 'github-actions') {
    if (deployActions.length > 1) warnings.push(`the GitHub Actions workflow deploys ${deployActions[0].action} only; write one per service`);
    const action = deployActions[0] ?? reading.deployActions[0];
    if (!action) throw new UsageError(`--workflow ${file}: no ${ECS_DEPLOY_ACTION} action to write a GitHub Actions workflow for`);
    const gh = githubWorkflow(migrated, action, path.basename(file), WAIT);
    warnings.push(...gh.notes);
    if (reading.unknown.length) warnings.push('the keys and actions listed as unknown have no GitHub Actions counterpart here: port them by hand');
    output = gh.text;
  } else {
    for (const change of migrateCodeCatalyst(doc, migrated, WAIT)) {
      rewired.push(...change.rewired.map((name) => ({ action: name, dependsOn: change.waitAction })));
    }
    output = doc.toString({ lineWidth: 0 });
  }
  if (target !== undefined) {
    try {
      if (fs.existsSync(target) && fs.realpathSync(target) === fs.realpathSync(file)) {
        throw new UsageError(`--write ${target} is the workflow it reads: write the migrated workflow to another file`);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
    }
    fs.writeFileSync(target, output);
    written = target;
  }
  const result: WorkflowPlanResult = { workflow: file, to, actions, rewired, unknown: reading.unknown, warnings, written };
  if (args.output === 'json') writeJson(out, result);
  else out.write(renderWorkflowPlan(result));
  return ExitCode.OK;
}

async function planAction(ctx: CommandContext, file: string, action: WorkflowDeployAction, warnings: string[]): Promise<WorkflowActionPlan> {
  const appSpecFile = (ctx.args.options.appspec as string | undefined) ?? action.codeDeploy['codedeploy-appspec'] ?? 'appspec.yaml';
  let appSpec: AppSpecContent | undefined;
  let appSpecPath: string | undefined;
  const tried = ctx.args.options.appspec ? [appSpecFile] : appSpecCandidates(file, appSpecFile);
  for (const candidate of tried) {
    let text: string;
    try {
      text = ctx.env.readFile(candidate);
    } catch {
      continue;
    }
    try {
      appSpec = readAppSpec(text);
    } catch (err) {
      throw new UsageError(`AppSpec ${candidate} (of ${action.action}): ${(err as Error).message}`);
    }
    appSpecPath = candidate;
    break;
  }
  if (!appSpec) warnings.push(`${action.action}: AppSpec ${appSpecFile} not found (tried ${tried.join(', ')}): hooks unknown, pass --appspec <file>`);

  let deploymentGroup: MigrationPlan | undefined;
  const app = action.codeDeploy['codedeploy-application'];
  const group = action.codeDeploy['codedeploy-deployment-group'];
  if (app && group) {
    try {
      deploymentGroup = await readGroup(ctx, app, group, appSpec, appSpecPath);
    } catch (err) {
      const e = err as Error;
      warnings.push(`${action.action}: deployment group ${group} of ${app} not read (${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}): ` +
        `strategy unknown; run \`${PROGRAM} plan --codedeploy-app ${app} --deployment-group ${group}\` with codedeploy:GetDeploymentGroup and codedeploy:GetDeploymentConfig`);
    }
  } else {
    warnings.push(`${action.action}: no codedeploy-application and codedeploy-deployment-group: the strategy is not read`);
  }
  return {
    action: action.action,
    group: action.group,
    cluster: action.cluster,
    service: action.service,
    taskDefinition: action.taskDefinition,
    region: action.region,
    removed: Object.fromEntries(CODEDEPLOY_KEYS.filter((k) => k in action.codeDeploy).map((k) => [k, action.codeDeploy[k]])),
    kept: ECS_DEPLOY_KEPT_KEYS.filter((k) => (k === 'cluster' ? action.cluster : k === 'service' ? action.service : k === 'task-definition' ? action.taskDefinition : k === 'region' ? action.region : undefined) !== undefined),
    wait: { action: waitActionName(action.action), command: waitCommand(action, WAIT.timeout), reason: WAIT_REASON },
    appSpec: appSpec && appSpecPath ? {
      file: appSpecPath,
      hooks: appSpec.hooks,
      container: { name: appSpec.containerName, port: appSpec.containerPort },
      taskDefinition: appSpec.taskDefinition,
      notMapped: appSpecNotMapped(appSpec),
    } : undefined,
    deploymentGroup,
  };
}

/** The text form of `plan --workflow`. */
export function renderWorkflowPlan(p: WorkflowPlanResult): string {
  const lines: string[] = [`CodeCatalyst workflow ${p.workflow} → ${p.to === 'github-actions' ? 'GitHub Actions' : 'CodeCatalyst'} on the ECS deployment controller`, ''];
  for (const a of p.actions) {
    lines.push(`Action ${a.action}${a.group ? ` (group ${a.group})` : ''}: ${ECS_DEPLOY_ACTION}, service ${a.service ?? '?'} in cluster ${a.cluster ?? '?'}`);
    lines.push(...Object.entries(a.removed).map(([k, v]) => `  - ${k}: ${v}`));
    lines.push(`  = ${a.kept.join(', ')} stay`);
    lines.push(`  + then ${a.wait.action}: ${a.wait.command}`, `    (${a.wait.reason})`);
    const dg = a.deploymentGroup;
    if (dg) {
      lines.push(`  Strategy: ${dg.strategy.codeDeployConfig} → ${dg.strategy.description}, bake time ${dg.bakeTimeInMinutes} min`);
      if (dg.approvalGate) lines.push(`  Wait before re-routing: PAUSE hook at ${dg.approvalGate.stage}, ${dg.approvalGate.timeoutInMinutes} min, then ${dg.approvalGate.onTimeout}`);
    }
    if (a.appSpec) {
      lines.push(`  Lifecycle hooks (AppSpec ${a.appSpec.file}):`);
      lines.push(a.appSpec.hooks.length ? columns(a.appSpec.hooks.map((h) => [`    ${h.event}`, `→ ${h.stage}`, h.functionName])) : '    none');
      lines.push(`  Container: ${a.appSpec.container.name}:${a.appSpec.container.port} (BlueGreenEcsService \`container\`)`);
      lines.push(...a.appSpec.notMapped.map((n) => `  Not mapped: ${n}`));
    }
    lines.push('');
  }
  if (p.rewired.length) lines.push('Dependencies', ...p.rewired.map((r) => `  ${r.action} now depends on ${r.dependsOn}`), '');
  if (p.unknown.length) lines.push('Unknown (kept as they are)', ...p.unknown.map((u) => `  ? ${u}`), '');
  if (p.warnings.length) lines.push('Warnings', ...p.warnings.map((w) => `  ! ${w}`), '');
  lines.push(p.written ? `Wrote ${p.written}` : 'Nothing written (pass --write <file>)', '');
  return lines.join('\n');
}

/** The options `plan` takes for a workflow. */
export const WORKFLOW_OPTIONS = {
  workflow: { type: 'string', valueName: '<file>', description: 'a CodeCatalyst workflow (YAML) to migrate instead of a deployment group' },
  write: { type: 'string', valueName: '<file>', description: 'with --workflow: write the migrated workflow here (never over its input)' },
  to: { type: 'string', valueName: '<target>', choices: ['codecatalyst', 'github-actions'], description: 'with --workflow: codecatalyst (default) or github-actions' },
} as const;
