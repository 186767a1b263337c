// The `ecs-blue-green` program: picks the command, creates the AWS clients lazily from --region /
// --profile, and returns the exit code.
import { EXIT_CODES_HELP, UsageError, closest } from './args';
import { Clients, ClientSettings, lazyClients } from './clients';
import { CommandDefinition, ExitCode, PROGRAM, reportError } from './command';
import { approve, reject } from './commands/approval';
import { continueDeployment, rollback } from './commands/deployment-actions';
import { plan } from './commands/plan';
import { status } from './commands/status';
import { wait } from './commands/wait';
import { CliEnv, Terminal, processEnv } from './terminal';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [status, wait, continueDeployment, rollback, approve, reject, plan];

/** The top-level `--help`. */
export function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    'Operate Amazon ECS blue/green, linear and canary deployments (ECS deployment controller) and',
    'plan migrations off AWS CodeDeploy.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Global options: --region <region>, --profile <name>, --output text|json, -h/--help',
    `Run '${PROGRAM} <command> --help' for a command's arguments and options.`,
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

/** --region and --profile, wherever they appear (the command's parser validates them again). */
export function clientSettings(args: readonly string[]): ClientSettings {
  const settings: { region?: string; profile?: string } = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    for (const name of ['region', 'profile'] as const) {
      if (args[i] === `--${name}` && args[i + 1] !== undefined) settings[name] = args[i + 1];
      else if (args[i].startsWith(`--${name}=`)) settings[name] = args[i].slice(name.length + 3);
    }
  }
  return settings;
}

/** Runs the program with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], out: Terminal = process.stdout, env: CliEnv = processEnv(),
  makeClients: (settings: ClientSettings) => Clients = lazyClients): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    env.err.write(programHelp());
    return ExitCode.USAGE;
  }
  if (name === '-h' || name === '--help') {
    out.write(programHelp());
    return ExitCode.OK;
  }
  let commandName = name;
  let args = rest;
  if (name === 'help') {
    if (rest.length === 0) {
      out.write(programHelp());
      return ExitCode.OK;
    }
    commandName = rest[0];
    args = ['--help'];
  }
  const command = COMMANDS.find((c) => c.spec.name === commandName);
  if (!command) {
    const hint = closest(commandName, COMMANDS.map((c) => c.spec.name));
    return reportError(new UsageError(`unknown command '${commandName}'${hint ? ` (did you mean '${hint}'?)` : ''}; commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}`), env.err);
  }
  return command.run(args, makeClients(clientSettings(args)), out, env);
}
