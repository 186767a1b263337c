// `plan --codedeploy-app A --deployment-group G`: how a CodeDeploy ECS deployment group maps onto
// the ECS deployment controller, with a CDK snippet for CodeDeployToEcsMigration, and what the
// pipeline that released through it becomes. Read-only.
import {
  DeploymentInfo, GetDeploymentCommand, GetDeploymentConfigCommand, GetDeploymentGroupCommand, RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { AppSpecFacts, readAppSpecFacts } from '../../private/codedeploy/app-spec-facts';
import { UsageError } from '../args';
import { MigrationPlan, mapDeploymentGroup } from '../codedeploy-mapping';
import { CliError, ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { findDeployActions } from '../pipelines';
import { PipelineDeployAction, ReleasePlan, mapRelease } from '../release-mapping';
import { columns } from '../terminal';
import { WORKFLOW_OPTIONS, planWorkflow } from './plan-workflow';

/** What `plan` prints (and writes as JSON). */
export type PlanResult = MigrationPlan & { readonly release: ReleasePlan };

export const plan = defineCommand({
  name: 'plan',
  summary: 'map a CodeDeploy ECS deployment group to ECS blue/green settings and print the CDK migration',
  description: `
Reads the deployment group (GetDeploymentGroup) and its deployment configuration
(GetDeploymentConfig) and prints what each setting becomes on the ECS deployment controller:
strategy, bake time (terminationWaitTime), lifecycle hooks (from the AppSpec), wait before
re-routing (approval gate), alarms, auto-rollback, SNS triggers (not mappable: EventBridge), then
a CDK TypeScript snippet using CodeDeployToEcsMigration. Nothing is changed.

Hooks are read from --appspec, else from the deployment group's target revision, else from its
last successful deployment; an AppSpec stored in S3 needs --appspec.

Release pipeline: the CodePipeline actions of this Region that deploy the group (ListPipelines,
GetPipeline; --pipeline reads one pipeline only) and the creator CodeDeploy recorded for its last
deployment, with what each release step becomes (ECS deploy action or cdk deploy, ecs-blue-green
wait). Without CodePipeline permissions the search is skipped with a warning.

--workflow <file>: a CodeCatalyst workflow instead. Each aws/ecs-deploy@v1 action with codedeploy-*
keys loses them (cluster, service, task-definition stay) and is followed by an action running
ecs-blue-green wait; the AppSpec it names (or --appspec) gives the lifecycle hooks, the deployment
group (when readable) the strategy. --write <file> writes the migrated workflow, --to github-actions
the equivalent GitHub Actions workflow. Unknown keys and actions are kept and listed.`,
  positionals: [],
  options: {
    'codedeploy-app': { type: 'string', valueName: '<name>', description: 'CodeDeploy application name (required without --workflow)' },
    'deployment-group': { type: 'string', valueName: '<name>', description: 'deployment group name (required without --workflow)' },
    'appspec': { type: 'string', valueName: '<file>', description: 'AppSpec file (YAML or JSON) to read hooks from' },
    'pipeline': { type: 'string', valueName: '<name>', description: 'look for the deployment group in this pipeline only (default: every pipeline of the Region)' },
    ...WORKFLOW_OPTIONS,
  },
  examples: ['plan --codedeploy-app web --deployment-group web-prod', 'plan --codedeploy-app web --deployment-group web-prod --appspec appspec.yaml',
    'plan --workflow .codecatalyst/workflows/deploy.yaml --write deploy-ecs.yaml', 'plan --workflow deploy.yaml --to github-actions --write .github/workflows/deploy.yml'],
  // Without --workflow, both deployment group options are needed.
  check: (args) => {
    if (args.options.workflow !== undefined) return;
    const needWorkflow = ['write', 'to'].filter((o) => args.options[o] !== undefined);
    if (needWorkflow.length) throw new UsageError(`${needWorkflow.map((o) => `--${o}`).join(' and ')} need${needWorkflow.length === 1 ? 's' : ''} --workflow <file>`);
    const missing = ['codedeploy-app', 'deployment-group'].filter((o) => args.options[o] === undefined);
    if (missing.length) throw new UsageError(`missing ${missing.map((o) => `--${o} <name>`).join(' and ')}`);
  },
}, async (ctx) => {
  const { args, clients, out, env } = ctx;
  if (args.options.workflow !== undefined) return planWorkflow(ctx);
  // The check above makes sure of both.
  const app = args.options['codedeploy-app'] as string;
  const group = args.options['deployment-group'] as string;

  let appSpec: AppSpecFacts | undefined;
  let appSpecSource: string | undefined;
  const file = args.options.appspec as string | undefined;
  if (file) {
    let text: string;
    try {
      text = env.readFile(file);
    } catch (err) {
      throw new UsageError(`cannot read --appspec ${file}: ${(err as Error).message}`);
    }
    try {
      appSpec = readAppSpecFacts(text);
    } catch (err) {
      throw new UsageError(`--appspec ${file}: ${(err as Error).message}`);
    }
    appSpecSource = file;
  }

  const info = (await clients.codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })))
    .deploymentGroupInfo;
  if (!info) throw new CliError(`deployment group ${group} of application ${app} not found`);
  const configName = info.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const config = (await clients.codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: configName }))).deploymentConfigInfo;

  const extraWarnings: string[] = [];
  // The last deployment tells who released (its creator) and, when it succeeded, its AppSpec.
  const lastSuccessful = info.lastSuccessfulDeployment?.deploymentId;
  const lastId = lastSuccessful ?? info.lastAttemptedDeployment?.deploymentId;
  let last: DeploymentInfo | undefined;
  if (lastId) {
    try {
      last = (await clients.codedeploy.send(new GetDeploymentCommand({ deploymentId: lastId })))?.deploymentInfo;
    } catch (err) {
      extraWarnings.push(`could not read the last deployment ${lastId}: ${(err as Error).message}`);
    }
  }
  if (!appSpec) {
    let text = appSpecText(info.targetRevision);
    appSpecSource = text ? 'the deployment group\'s target revision' : undefined;
    if (!text && lastSuccessful && last) {
      text = appSpecText(last.revision);
      appSpecSource = text ? `the last successful deployment (${lastSuccessful})` : undefined;
    }
    if (text) {
      try {
        appSpec = readAppSpecFacts(text);
      } catch (err) {
        extraWarnings.push((err as Error).message);
      }
    } else {
      extraWarnings.push('no AppSpec found (an S3 revision is not read): lifecycle hooks are unknown, pass --appspec <file>');
    }
  }

  const only = args.options.pipeline as string | undefined;
  let pipelines: PipelineDeployAction[] | undefined;
  try {
    pipelines = await findDeployActions(clients.codepipeline, app, group, only);
  } catch (err) {
    // A pipeline named with --pipeline must be readable; the search of all of them is best effort.
    if (only) throw err;
    const e = err as Error;
    extraWarnings.push(`pipelines not searched (${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}): pass --pipeline <name>, ` +
      'or allow codepipeline:ListPipelines and codepipeline:GetPipeline');
  }

  const mapped = mapDeploymentGroup({ group: info, config, appSpec, appSpecSource });
  const service = mapped.services[0];
  const release = mapRelease({
    pipelines,
    pipelinesSearched: pipelines !== undefined,
    lastDeployment: last?.deploymentId ? { deploymentId: last.deploymentId, creator: last.creator, externalId: last.externalId } : undefined,
    cluster: service?.cluster,
    service: service?.service,
    container: mapped.container?.name,
  });
  const result: PlanResult = { ...mapped, release, warnings: [...mapped.warnings, ...extraWarnings] };
  if (args.output === 'json') writeJson(out, result);
  else out.write(renderPlan(result));
  return ExitCode.OK;
});

function appSpecText(rev: RevisionLocation | undefined): string | undefined {
  if (!rev) return undefined;
  return rev.appSpecContent?.content ?? rev.string?.content;
}

/** The text form of `plan`. */
export function renderPlan(p: PlanResult): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push(title, ...lines.map((l) => (l.startsWith('  ') ? l : `  ${l}`)), '');
  };
  out.push(`CodeDeploy application ${p.application}, deployment group ${p.deploymentGroup}` +
    (p.services.length ? ` (service ${p.services.map((s) => `${s.service} in cluster ${s.cluster}`).join(', ')})` : ''), '');
  section('Strategy', [`${p.strategy.codeDeployConfig} → ${p.strategy.description}` +
    (p.strategy.source === 'custom' ? ' (custom configuration, from its traffic routing)' : '')]);
  section('Bake time', [`terminationWaitTime ${p.terminationWaitTimeInMinutes ?? 0} min → bake time ${p.bakeTimeInMinutes} min`]);
  section(`Lifecycle hooks (AppSpec: ${p.hooksSource})`, p.hooks.length
    ? [columns(p.hooks.map((h) => [h.event, `→ ${h.stage ?? '(no ECS stage)'}`, h.functionName]))]
    : ['none']);
  if (p.container) section('Container', [`${p.container.name}${p.container.port ? `:${p.container.port}` : ''} (BlueGreenEcsService \`container\`)`]);
  section('Wait before re-routing', [p.approvalGate
    ? `STOP_DEPLOYMENT after ${p.approvalGate.timeoutInMinutes} min → PAUSE hook at ${p.approvalGate.stage}, before production traffic moves ` +
      `(LifecycleHook.pause, timeout ${p.approvalGate.timeoutInMinutes} min, then ${p.approvalGate.onTimeout}): operators run \`${PROGRAM} continue|rollback\``
    : 'none (traffic is re-routed at once)']);
  section('Alarms', [p.alarms.names.length
    ? `${p.alarms.names.join(', ')} → ${p.alarms.enabled ? 'deployment alarms: ECS rolls back when any fires' : 'not mapped (monitoring disabled)'}`
    : 'none']);
  section('Auto-rollback', p.autoRollback.enabled ? p.autoRollback.mapping : ['disabled in CodeDeploy']);
  section('Triggers', p.triggers.length
    ? p.triggers.map((t) => `${t.name ?? '(unnamed)'} (${t.events.join(', ')}) ${t.suggestion}`)
    : ['none']);
  section('Load balancer', [
    `production listener ${p.loadBalancer.productionListenerArns.join(', ') || '(none)'}`,
    `test listener ${p.loadBalancer.testListenerArns.join(', ') || '(none)'}`,
    `target groups ${p.loadBalancer.targetGroups.join(', ') || '(none)'}`,
  ]);
  section('Release pipeline', releaseLines(p.release));
  section('Warnings', p.warnings.map((w) => `! ${w}`));
  section('Notes', p.notes.map((n) => `- ${n}`));
  out.push('CDK (TypeScript):', '', p.snippet.trimEnd(), '');
  return out.join('\n');
}

/** The `Release pipeline` section: where releases came from, then each step and its replacement. */
function releaseLines(r: ReleasePlan): string[] {
  const lines: string[] = [];
  if (r.pipelinesSearched && r.pipelines.length === 0) lines.push('no CodePipeline action of this Region deploys this deployment group');
  if (r.lastDeployment) lines.push(`last deployment ${r.lastDeployment.deploymentId} created by ${r.lastDeployment.createdBy}`);
  for (const step of r.steps) lines.push(`${step.from}`, `    → ${step.to}`);
  return lines;
}
