// `status <cluster> <service> [--watch]`: the current service deployment at a glance.
import { parseSeconds } from '../args';
import { ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { clockLine, renderStatus, statusLine } from '../deployment-text';
import { DeploymentSummary } from '../deployments';
import { Progress, formatTime } from '../terminal';
import { DeploymentReader, watchDeployment } from '../watch';

export const status = defineCommand({
  name: 'status',
  summary: 'show the current service deployment (strategy, stage, traffic, rules, hooks, bake time)',
  description: `
Shows the service's current deployment (the newest one still running, else the newest one):
strategy, lifecycle stage, the production and test traffic weights ECS requested for the green and
blue revisions, the weights the production and test listener rules (ALB), listeners (NLB) or VPC
Lattice rules hold now, lifecycle hooks (a hook awaiting action or running: how long until it
times out, from its expiresAt, and what ECS then does), bake time left, circuit breaker and alarms,
and what to run next. With --output json: one object, schemaVersion 1 (docs/CLI.md).

With --watch it refreshes every --interval seconds until the deployment ends (redrawn in place on a
terminal, one line per change otherwise; with --output json one object per poll, one per line) and
then exits like 'wait'; Ctrl-C stops it (the deployment goes on).

Exit code: 0 the deployment is running or succeeded (with --watch: succeeded); 1 it failed, was
rolled back or stopped; 3 AWS error or no deployment found; 130 --watch stopped by Ctrl-C.`,
  positionals: ['cluster', 'service'],
  options: {
    watch: { type: 'boolean', description: 'refresh until the deployment ends (Ctrl-C to stop)' },
    interval: { type: 'string', valueName: '<seconds>', description: 'refresh interval with --watch (default 10)' },
    deployment: { type: 'string', valueName: '<arn>', description: 'a specific service deployment instead of the current one' },
  },
  examples: ['status prod web', 'status prod web --watch --interval 5', 'status prod web --output json'],
}, async ({ args, clients, out, env }) => {
  const { cluster, service } = args.positionals;
  const interval = parseSeconds(String(args.options.interval ?? '10'), 'interval');
  const deploymentArn = args.options.deployment as string | undefined;
  if (!args.options.watch) {
    const summary = await new DeploymentReader(clients, env, cluster, service, deploymentArn).read();
    if (args.output === 'json') writeJson(out, summary);
    else out.write(renderStatus(summary, cluster, service, env.now()));
    return summary.outcome === 'failed' ? ExitCode.DEPLOYMENT_FAILED : ExitCode.OK;
  }

  // --watch: follow the same deployment until it ends or Ctrl-C.
  const progress = new Progress(out, env.now);
  const show = (summary: DeploymentSummary) => {
    if (args.output === 'json') {
      out.write(JSON.stringify({ ...summary, time: formatTime(new Date(env.now())) }) + '\n');
    } else if (out.isTTY) {
      progress.block(`${PROGRAM} status ${cluster} ${service}   ${formatTime(new Date(env.now()))}, every ${interval}s (Ctrl-C to stop)\n\n` +
        renderStatus(summary, cluster, service, env.now()));
    } else {
      progress.line(statusLine(summary), undefined, clockLine(summary));
    }
  };
  const { summary, end } = await watchDeployment(clients, env, { cluster, service, deploymentArn, intervalMs: interval * 1000, onPoll: show });
  if (end === 'interrupted') {
    env.err.write(`${PROGRAM}: stopped watching; deployment ${summary.serviceDeploymentArn} is ${summary.status} and goes on\n`);
    return ExitCode.INTERRUPTED;
  }
  if (args.output === 'text' && !out.isTTY) out.write('\n' + renderStatus(summary, cluster, service, env.now()));
  return summary.outcome === 'failed' ? ExitCode.DEPLOYMENT_FAILED : ExitCode.OK;
});
