// `status <cluster> <service> [--watch]`: the current service deployment at a glance.
import { parseSeconds } from '../args';
import { ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { DeploymentSummary, findDeployment, renderStatus, statusLine, summarize } from '../deployments';
import { Progress, formatTime } from '../terminal';

export const status = defineCommand({
  name: 'status',
  summary: 'show the current service deployment (strategy, stage, traffic, hooks, bake time)',
  description: `
Shows the service's current deployment (the newest one still running, else the newest one):
strategy, lifecycle stage, production and test traffic weights of the green and blue revisions,
lifecycle hooks (a PAUSE hook awaiting action and when it expires, the approval gate), bake time
left, circuit breaker and alarms, and what to run next.

With --watch it refreshes until the deployment ends (redrawn in place on a terminal, one line per
change otherwise) and then exits like 'wait'. Exit code without --watch: 0 when the deployment is
running or succeeded, 1 when it failed, was rolled back or stopped.`,
  positionals: ['cluster', 'service'],
  options: {
    watch: { type: 'boolean', description: 'refresh until the deployment ends' },
    interval: { type: 'string', valueName: '<seconds>', description: 'refresh interval with --watch (default 10)' },
    deployment: { type: 'string', valueName: '<arn>', description: 'a specific service deployment instead of the current one' },
  },
  examples: ['status prod web', 'status prod web --watch', 'status prod web --output json'],
}, async ({ args, clients, out, env }) => {
  const { cluster, service } = args.positionals;
  const interval = parseSeconds(String(args.options.interval ?? '10'), 'interval');
  const deploymentArn = args.options.deployment as string | undefined;
  let summary: DeploymentSummary = summarize(await findDeployment(clients.ecs, cluster, service, deploymentArn), env.now());
  if (!args.options.watch) {
    if (args.output === 'json') writeJson(out, summary);
    else out.write(renderStatus(summary, cluster, service, env.now()));
    return summary.outcome === 'failed' ? ExitCode.DEPLOYMENT_FAILED : ExitCode.OK;
  }

  // --watch: follow the same deployment until it ends.
  const arn = summary.serviceDeploymentArn;
  const progress = new Progress(out, env.now);
  for (;;) {
    if (args.output === 'json') {
      out.write(JSON.stringify({ time: formatTime(new Date(env.now())), ...summary }) + '\n');
    } else if (out.isTTY) {
      progress.block(`${PROGRAM} status ${cluster} ${service}   ${formatTime(new Date(env.now()))}, every ${interval}s (Ctrl-C to stop)\n\n` +
        renderStatus(summary, cluster, service, env.now()));
    } else {
      progress.line(statusLine(summary));
    }
    if (summary.outcome !== 'running') break;
    await env.sleep(interval * 1000);
    summary = summarize(await findDeployment(clients.ecs, cluster, service, arn), env.now());
  }
  if (args.output === 'text' && !out.isTTY) out.write('\n' + renderStatus(summary, cluster, service, env.now()));
  return summary.outcome === 'failed' ? ExitCode.DEPLOYMENT_FAILED : ExitCode.OK;
});
