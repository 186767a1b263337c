// Following a service deployment for `status --watch` and `wait`: poll DescribeServiceDeployments
// (the same deployment by ARN after the first lookup) and the production and test rules' weights,
// note when the lifecycle stage changes (to bound the bake time left), and stop when the deployment
// ends, the deadline passes or the user presses Ctrl-C. The clients retry throttling, 5xx and
// network errors themselves (the SDK's standard retry mode, three attempts); a poll that still
// fails with such an error is reported and the watch goes on (a long wait must not end on one bad
// minute of an AWS endpoint); any other error, or one at the first poll, ends it.
import { Clients } from './clients';
import { DeploymentSummary, StageObservation, findDeployment, observeStage, summarize } from './deployments';
import { CliEnv } from './terminal';
import { RuleRef, ruleRefsOf, trafficRulesOf } from './traffic-rules';
import { errorText, isTransient } from '../private/retry';

/** Why a watch ended: the deployment reached a final status, the deadline passed, or Ctrl-C. */
export type WatchEnd = 'ended' | 'timeout' | 'interrupted';

/** What to follow and how often. */
export interface WatchOptions {
  readonly cluster: string;
  readonly service: string;
  /** A specific service deployment (default: the current one, found at the first poll). */
  readonly deploymentArn?: string;
  readonly intervalMs: number;
  /** Give up at this time (epoch ms); without it, watch until the deployment ends or Ctrl-C. */
  readonly deadline?: number;
  /** Called with each poll's summary, before deciding whether to go on. */
  readonly onPoll: (summary: DeploymentSummary) => void;
}

/** One look at a deployment and its rules; `previous` carries what earlier looks saw. */
export class DeploymentReader {
  private refs?: RuleRef[] | Error;
  private stage?: StageObservation;
  private lastPollAt?: number;
  private arn?: string;

  constructor(private readonly clients: Clients, private readonly env: CliEnv,
    private readonly cluster: string, private readonly service: string, deploymentArn?: string) {
    this.arn = deploymentArn;
  }

  /** Reads the deployment (the same one after the first read) and the current rule weights. */
  public async read(): Promise<DeploymentSummary> {
    const d = await findDeployment(this.clients.ecs, this.cluster, this.service, this.arn);
    this.arn = d.serviceDeploymentArn ?? this.arn;
    // The service's rules do not change during a deployment: DescribeServices once.
    this.refs ??= await ruleRefsOf(this.clients, this.cluster, this.service).catch((err: unknown) => asError(err));
    const trafficRules = await trafficRulesOf(this.clients, this.refs);
    const now = this.env.now();
    this.stage = observeStage(this.stage, d.lifecycleStage ?? null, this.lastPollAt, now);
    this.lastPollAt = now;
    return summarize(d, now, { trafficRules, stage: this.stage });
  }
}

/** Polls until the deployment ends, the deadline passes or Ctrl-C; returns the last summary. */
export async function watchDeployment(clients: Clients, env: CliEnv, options: WatchOptions): Promise<{ summary: DeploymentSummary; end: WatchEnd }> {
  const reader = new DeploymentReader(clients, env, options.cluster, options.service, options.deploymentArn);
  let interrupted = false;
  let wake: () => void = () => undefined;
  const stopListening = env.onInterrupt?.(() => {
    interrupted = true;
    wake();
  });
  try {
    // The first read must succeed: there is nothing to show before it.
    let summary = await reader.read();
    options.onPoll(summary);
    for (;;) {
      if (summary.outcome !== 'running') return { summary, end: 'ended' };
      if (interrupted) return { summary, end: 'interrupted' };
      const left = options.deadline === undefined ? options.intervalMs : options.deadline - env.now();
      if (left <= 0) return { summary, end: 'timeout' };
      // Ctrl-C during the pause ends it at once.
      await new Promise<void>((resolve) => {
        wake = resolve;
        void env.sleep(Math.min(options.intervalMs, left)).then(resolve);
      });
      if (interrupted) return { summary, end: 'interrupted' };
      const read = await reader.read().catch((err: unknown) => {
        if (!isTransient(err)) throw err;
        env.err.write(`${new Date(env.now()).toISOString()} could not read the deployment (${errorText(err)}); ` +
          `trying again in ${Math.round(options.intervalMs / 1000)}s\n`);
        return undefined;
      });
      if (read) {
        summary = read;
        options.onPoll(read);
      }
    }
  } finally {
    stopListening?.();
  }
}

function asError(err: unknown): Error {
  const e = err as { name?: string; message?: string };
  return new Error(`${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`);
}
