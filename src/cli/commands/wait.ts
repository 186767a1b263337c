// `wait <cluster> <service> [--timeout]`: block until the deployment ends; the exit code says how.
import { parseDuration, parseSeconds } from '../args';
import { ExitCode, defineCommand, writeJson } from '../command';
import { findDeployment, nextSteps, renderStatus, statusLine, summarize } from '../deployments';
import { Progress, formatDuration } from '../terminal';

export const wait = defineCommand({
  name: 'wait',
  summary: 'wait until the current deployment succeeds (exit 0) or fails / rolls back (exit 1)',
  description: `
Waits for the service's current deployment (the newest one still running, else the newest one) to
end. Progress goes to stderr: one line redrawn in place on a terminal, one timestamped line per
change otherwise. When a rollback starts, it waits for the rollback to finish, so the service is
stable when the command returns.

Exit code: 0 the deployment succeeded; 1 it was rolled back, failed or was stopped; 3 the timeout
expired (the deployment goes on) or AWS could not be reached.`,
  positionals: ['cluster', 'service'],
  options: {
    timeout: { type: 'string', valueName: '<duration>', description: 'give up after this long: 90s, 30m, 2h, 1h30m (default 60m)' },
    interval: { type: 'string', valueName: '<seconds>', description: 'poll interval (default 15)' },
    deployment: { type: 'string', valueName: '<arn>', description: 'a specific service deployment instead of the current one' },
  },
  examples: ['wait prod web --timeout 45m', 'wait prod web --output json > result.json'],
}, async ({ args, clients, out, env }) => {
  const { cluster, service } = args.positionals;
  const timeoutMs = parseDuration(String(args.options.timeout ?? '60m'), 'timeout');
  const interval = parseSeconds(String(args.options.interval ?? '15'), 'interval');
  const started = env.now();
  const deadline = started + timeoutMs;
  let summary = summarize(await findDeployment(clients.ecs, cluster, service, args.options.deployment as string | undefined), env.now());
  const arn = summary.serviceDeploymentArn;
  const progress = new Progress(env.err, env.now);
  let timedOut = false;
  for (;;) {
    const next = nextSteps(summary, cluster, service);
    const bake = summary.bakeTime?.remainingSecondsEstimate !== undefined ? `, bake about ${formatDuration(summary.bakeTime.remainingSecondsEstimate * 1000)} left` : '';
    progress.line(statusLine(summary) + (next.length ? ` | next: ${next.join(' / ')}` : ''),
      `${formatDuration(env.now() - started)} elapsed${bake}`);
    if (summary.outcome !== 'running') break;
    const left = deadline - env.now();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    await env.sleep(Math.min(interval * 1000, left));
    summary = summarize(await findDeployment(clients.ecs, cluster, service, arn), env.now());
  }
  progress.done();

  const result = timedOut ? 'timeout' : summary.outcome;
  if (args.output === 'json') {
    writeJson(out, { result, waitedSeconds: Math.round((env.now() - started) / 1000), deployment: summary });
  } else {
    const took = formatDuration(env.now() - started);
    if (timedOut) {
      out.write(`Timed out after ${took}: the deployment is still ${summary.status} (${summary.lifecycleStage ?? 'no stage'}) and goes on.\n`);
    } else if (result === 'succeeded') {
      out.write(`Deployment succeeded: ${summary.serviceDeploymentArn} (waited ${took})\n`);
    } else {
      const reason = summary.rollback?.reason ?? summary.statusReason;
      out.write(`Deployment ${summary.status === 'STOPPED' ? 'stopped' : summary.status === 'ROLLBACK_FAILED' ? 'failed and its rollback failed' : 'rolled back'}: ` +
        `${summary.status}${reason ? `: ${reason}` : ''} (waited ${took})\n\n`);
      out.write(renderStatus(summary, cluster, service, env.now()));
    }
  }
  if (timedOut) return ExitCode.ERROR;
  return result === 'succeeded' ? ExitCode.OK : ExitCode.DEPLOYMENT_FAILED;
});
