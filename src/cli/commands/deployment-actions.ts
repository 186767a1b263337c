// `continue` and `rollback`: act on the running deployment through the ECS API.
import { ContinueServiceDeploymentCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { UsageError } from '../args';
import { CliError, ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { findDeployment, summarize } from '../deployments';

export const continueDeployment = defineCommand({
  name: 'continue',
  summary: 'let a deployment paused by a PAUSE hook go on (ContinueServiceDeployment)',
  description: `
Continues the service's running deployment past the PAUSE lifecycle hook that awaits action
(ContinueServiceDeployment with action CONTINUE). With more than one paused hook, pick one with
--hook-id (shown by 'status'). To roll back instead, run 'rollback'.

Exit code: 0 continued; 3 no PAUSE hook is awaiting action, or AWS error.`,
  positionals: ['cluster', 'service'],
  options: {
    'hook-id': { type: 'string', valueName: '<id>', description: 'the paused hook to continue (default: the only one awaiting action)' },
    'deployment': { type: 'string', valueName: '<arn>', description: 'a specific service deployment instead of the current one' },
  },
  examples: ['continue prod web'],
}, async ({ args, clients, out, env }) => {
  const { cluster, service } = args.positionals;
  const summary = summarize(await findDeployment(clients.ecs, cluster, service, args.options.deployment as string | undefined), env.now());
  if (summary.outcome !== 'running') {
    throw new CliError(`nothing to continue: deployment ${summary.serviceDeploymentArn} is ${summary.status}`);
  }
  const paused = summary.hooks.filter((h) => h.type === 'PAUSE' && h.status === 'AWAITING_ACTION');
  const wanted = args.options['hook-id'] as string | undefined;
  let hook = wanted ? paused.find((h) => h.hookId === wanted) : paused[0];
  if (wanted && !hook) {
    throw new CliError(`hook ${wanted} is not a PAUSE hook awaiting action in ${summary.serviceDeploymentArn}` +
      (paused.length ? `; paused hooks: ${paused.map((h) => h.hookId).join(', ')}` : ''));
  }
  if (!wanted && paused.length > 1) {
    throw new UsageError(`${paused.length} PAUSE hooks await action; choose one with --hook-id: ${paused.map((h) => h.hookId).join(', ')}`);
  }
  if (!hook?.hookId) {
    const gate = summary.hooks.some((h) => h.approvalParameterPrefix !== null && h.status === 'IN_PROGRESS');
    throw new CliError(`no PAUSE hook is awaiting action (deployment ${summary.status}, stage ${summary.lifecycleStage ?? 'unknown'})` +
      (gate ? `; the approval gate is waiting: run '${PROGRAM} approve ${cluster} ${service}'` : ''));
  }
  await clients.ecs.send(new ContinueServiceDeploymentCommand({
    serviceDeploymentArn: summary.serviceDeploymentArn ?? undefined,
    hookId: hook.hookId,
    action: 'CONTINUE',
  }));
  if (args.output === 'json') {
    writeJson(out, { serviceDeploymentArn: summary.serviceDeploymentArn, hookId: hook.hookId, action: 'CONTINUE', lifecycleStage: summary.lifecycleStage });
  } else {
    out.write(`Continued ${summary.serviceDeploymentArn} past PAUSE hook ${hook.hookId} at ${summary.lifecycleStage ?? 'its stage'}.\n` +
      `Follow it with: ${PROGRAM} wait ${cluster} ${service}\n`);
  }
  return ExitCode.OK;
});

export const rollback = defineCommand({
  name: 'rollback',
  summary: 'roll the running deployment back (StopServiceDeployment, stopType ROLLBACK)',
  description: `
Stops the service's running deployment and rolls it back to the previous service revision
(StopServiceDeployment with stopType ROLLBACK). Works at any stage, including while a PAUSE hook or
the approval gate waits. Returns once ECS accepted the request; 'wait' follows the rollback (and
exits 1 once it is done, since the deployment did not succeed).

Exit code: 0 rollback requested (or already rolling back); 3 no deployment is running, or AWS error.`,
  positionals: ['cluster', 'service'],
  options: {
    deployment: { type: 'string', valueName: '<arn>', description: 'a specific service deployment instead of the current one' },
  },
  examples: ['rollback prod web', 'rollback prod web && ecs-blue-green wait prod web'],
}, async ({ args, clients, out, env }) => {
  const { cluster, service } = args.positionals;
  const summary = summarize(await findDeployment(clients.ecs, cluster, service, args.options.deployment as string | undefined), env.now());
  const arn = summary.serviceDeploymentArn;
  const already = summary.status === 'ROLLBACK_REQUESTED' || summary.status === 'ROLLBACK_IN_PROGRESS';
  if (summary.outcome !== 'running' || summary.status === 'STOP_REQUESTED') {
    throw new CliError(`nothing to roll back: deployment ${arn} is ${summary.status}` +
      (summary.outcome === 'succeeded' ? '; to go back, deploy the previous task definition again' : ''));
  }
  if (!already) {
    await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn ?? undefined, stopType: 'ROLLBACK' }));
  }
  if (args.output === 'json') {
    writeJson(out, { serviceDeploymentArn: arn, stopType: 'ROLLBACK', alreadyRollingBack: already });
  } else {
    out.write(already
      ? `Deployment ${arn} is already rolling back (${summary.status}).\n`
      : `Rollback requested for ${arn} (was at ${summary.lifecycleStage ?? 'an unknown stage'}).\n`);
    out.write(`Follow it with: ${PROGRAM} wait ${cluster} ${service}\n`);
  }
  return ExitCode.OK;
});
