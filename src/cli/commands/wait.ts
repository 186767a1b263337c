// `wait <cluster> <service> [--timeout]`: block until the deployment ends; the exit code says how.
import { parseDuration, parseSeconds } from '../args';
import { ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { clockLine, nextSteps, renderStatus, statusLine } from '../deployment-text';
import { SCHEMA_VERSION } from '../deployments';
import { Progress, formatDuration } from '../terminal';
import { watchDeployment } from '../watch';

export const wait = defineCommand({
  name: 'wait',
  summary: 'wait until the current deployment succeeds (exit 0) or fails / rolls back (exit 1)',
  description: `
Waits for the service's current deployment (the newest one still running, else the newest one) to
end. Progress goes to stderr, with the same facts as 'status --watch' (stage, requested and rule
weights, hooks and how long until they time out, bake time left): one line redrawn in place on a
terminal, one timestamped line per change otherwise. When a rollback starts, it waits for the
rollback to finish, so the service is stable when the command returns. Ctrl-C stops waiting (the
deployment goes on). With --output json: one object, schemaVersion 1 (docs/CLI.md).

Exit code: 0 the deployment succeeded; 1 it was rolled back, failed or was stopped; 3 the timeout
expired (the deployment goes on) or AWS could not be reached; 130 stopped by Ctrl-C.`,
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
  const progress = new Progress(env.err, env.now);
  const { summary, end } = await watchDeployment(clients, env, {
    cluster,
    service,
    deploymentArn: args.options.deployment as string | undefined,
    intervalMs: interval * 1000,
    deadline: started + timeoutMs,
    onPoll: (s) => {
      const next = nextSteps(s, cluster, service);
      progress.line(statusLine(s) + (next.length ? ` | next: ${next.join(' / ')}` : ''),
        `${formatDuration(env.now() - started)} elapsed`, clockLine(s));
    },
  });
  progress.done();

  const result = end === 'ended' ? summary.outcome : end;
  const took = formatDuration(env.now() - started);
  if (args.output === 'json') {
    writeJson(out, { schemaVersion: SCHEMA_VERSION, result, waitedSeconds: Math.round((env.now() - started) / 1000), deployment: summary });
  } else if (end === 'timeout' || end === 'interrupted') {
    out.write(`${end === 'timeout' ? `Timed out after ${took}` : `Stopped (Ctrl-C) after ${took}`}: ` +
      `the deployment is still ${summary.status} (${summary.lifecycleStage ?? 'no stage'}) and goes on.\n`);
  } else if (result === 'succeeded') {
    out.write(`Deployment succeeded: ${summary.serviceDeploymentArn} (waited ${took})\n`);
  } else {
    const reason = summary.rollback?.reason ?? summary.statusReason;
    out.write(`Deployment ${summary.status === 'STOPPED' ? 'stopped' : summary.status === 'ROLLBACK_FAILED' ? 'failed and its rollback failed' : 'rolled back'}: ` +
      `${summary.status}${reason ? `: ${reason}` : ''} (waited ${took})\n\n`);
    out.write(renderStatus(summary, cluster, service, env.now()));
  }
  if (end === 'interrupted') {
    if (args.output === 'json') env.err.write(`${PROGRAM}: stopped waiting (Ctrl-C); the deployment goes on\n`);
    return ExitCode.INTERRUPTED;
  }
  if (end === 'timeout') return ExitCode.ERROR;
  return result === 'succeeded' ? ExitCode.OK : ExitCode.DEPLOYMENT_FAILED;
});
