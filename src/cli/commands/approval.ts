// `approve` and `reject`: the operator's decision for the approvalGate hook, written to the SSM
// parameter the hook polls: `<prefix>/<cluster name>/<service name>` (see
// src/hooks/handlers/approval-gate.lambda.ts). The hook only counts a decision written after its
// execution started, so a decision made too early is ignored: we check and warn.
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CommandSpec, UsageError } from '../args';
import { CommandContext, CommandDefinition, ExitCode, PROGRAM, defineCommand, writeJson } from '../command';
import { DEFAULT_APPROVAL_PREFIX, DeploymentSummary, findDeployment, nameOf, summarize } from '../deployments';

type Decision = 'approve' | 'reject';

function spec(decision: Decision): CommandSpec {
  const effect = decision === 'approve' ? 'lets the deployment go on' : 'fails the hook, and ECS rolls the deployment back';
  return {
    name: decision,
    summary: decision === 'approve'
      ? 'approve a deployment waiting at the approval gate (writes the SSM parameter)'
      : 'reject a deployment waiting at the approval gate: it rolls back',
    description: `
Writes '${decision}' to the approval gate's SSM parameter <prefix>/<cluster>/<service>
(default prefix ${DEFAULT_APPROVAL_PREFIX}); the gate reads it at its next poll and ${effect}.
The gate ignores decisions written before its hook execution started: when no approval gate is
waiting right now, the decision is still written and a warning says it may be ignored.
Without --parameter-prefix, the prefix of the waiting gate is used.

Exit code: 0 written; 3 AWS error.`,
    positionals: ['cluster', 'service'],
    options: {
      'parameter-prefix': { type: 'string', valueName: '<path>', description: `SSM parameter prefix of the approval gate (default: the waiting gate's, else ${DEFAULT_APPROVAL_PREFIX})` },
    },
    examples: [`${decision} prod web`, `${decision} prod web --parameter-prefix /approvals/team-a`],
  };
}

function command(decision: Decision): CommandDefinition {
  return defineCommand(spec(decision), async (ctx: CommandContext) => {
    const { args, clients, out, env } = ctx;
    const { cluster, service } = args.positionals;
    const given = args.options['parameter-prefix'] as string | undefined;
    if (given !== undefined && !/^\/[A-Za-z0-9_.\-/]+[^/]$/.test(given)) {
      throw new UsageError(`--parameter-prefix must be an SSM parameter path such as ${DEFAULT_APPROVAL_PREFIX} (starts with /, no trailing /), got ${given}`);
    }

    // Is an approval gate waiting? (Best effort: the decision is written either way.)
    let summary: DeploymentSummary | undefined;
    let warning: string | undefined;
    try {
      summary = summarize(await findDeployment(clients.ecs, cluster, service), env.now());
    } catch (err) {
      warning = `could not check the deployment (${(err as Error).message}); writing the decision anyway`;
    }
    const gate = summary?.hooks.find((h) => h.approvalParameterPrefix !== null && h.status === 'IN_PROGRESS');
    if (summary && summary.outcome !== 'running') {
      warning = `no deployment is running (the newest is ${summary.status}): the approval gate ignores decisions written before it starts`;
    } else if (summary && !gate) {
      warning = `no approval gate is waiting right now (stage ${summary.lifecycleStage ?? 'unknown'}): ` +
        `the gate ignores decisions written before it starts; run '${PROGRAM} status ${cluster} ${service}' and ${decision} once it waits`;
    }
    const prefix = (given ?? gate?.approvalParameterPrefix ?? DEFAULT_APPROVAL_PREFIX).replace(/\/+$/, '');
    const name = `${prefix}/${nameOf(cluster)}/${nameOf(service)}`;
    if (warning) env.err.write(`${PROGRAM}: warning: ${warning}\n`);

    await clients.ssm.send(new PutParameterCommand({
      Name: name,
      Value: decision,
      Type: 'String',
      Overwrite: true,
      Description: `ecs-blue-green approval gate decision for service ${nameOf(service)} in cluster ${nameOf(cluster)}`,
    }));
    if (args.output === 'json') {
      writeJson(out, { parameter: name, decision, serviceDeploymentArn: summary?.serviceDeploymentArn, gateWaiting: !!gate, warning });
    } else {
      out.write(`Wrote '${decision}' to ${name}.\n`);
      if (gate) {
        out.write(decision === 'approve'
          ? 'The approval gate reads it at its next poll and lets the deployment go on.\n'
          : 'The approval gate reads it at its next poll and fails; ECS then rolls the deployment back.\n');
      }
    }
    return ExitCode.OK;
  });
}

export const approve = command('approve');
export const reject = command('reject');
