// The `ecs-blue-green` program: the commander program of every command, AWS clients created
// lazily from --region / --profile, and the exit code.
import * as fs from 'fs';
import * as path from 'path';
import { EXIT_CODES_HELP, ParsedArgs } from './args';
import { Clients, ClientSettings, lazyClients } from './clients';
import { CommandDefinition, ExitCode, PROGRAM, jsonRequested, reportError } from './command';
import { approve, reject } from './commands/approval';
import { continueDeployment, rollback } from './commands/deployment-actions';
import { plan } from './commands/plan';
import { status } from './commands/status';
import { wait } from './commands/wait';
import { buildProgram, parseCommandLine } from './program';
import { CliEnv, Terminal, processEnv } from './terminal';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [status, wait, continueDeployment, rollback, approve, reject, plan];

const DESCRIPTION = `
Operate Amazon ECS blue/green, linear and canary deployments (ECS deployment controller) and
plan migrations off AWS CodeDeploy.`;

const EPILOGUE = [
  `Global options go before or after the command. Run '${PROGRAM} <command> --help' for a command's arguments and options.`,
  '',
  EXIT_CODES_HELP,
].join('\n');

/** --region and --profile of a parsed command line. */
export function clientSettings(args: ParsedArgs): ClientSettings {
  const settings: { region?: string; profile?: string } = {};
  for (const name of ['region', 'profile'] as const) {
    const value = args.options[name];
    if (typeof value === 'string') settings[name] = value;
  }
  return settings;
}

/** The version of the package this CLI came with (the nearest package.json of cdk-ecs-blue-green). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk-ecs-blue-green' && pkg.version) return pkg.version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** Runs the program with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], out: Terminal = process.stdout, env: CliEnv = processEnv(),
  makeClients: (settings: ClientSettings) => Clients = lazyClients): Promise<number> {
  let code: number = ExitCode.OK;
  const info = { name: PROGRAM, description: DESCRIPTION, epilogue: EPILOGUE, version: packageVersion() };
  const program = buildProgram(info, COMMANDS.map((c) => c.spec), { out, err: env.err }, async (spec, args) => {
    const command = COMMANDS.find((c) => c.spec === spec)!;
    code = await command.execute({ args, clients: makeClients(clientSettings(args)), out, env });
  });
  try {
    if (await parseCommandLine(program, argv) === 'usage') return ExitCode.USAGE;
  } catch (err) {
    return reportError(err, env.err, undefined, jsonRequested(argv) ? out : undefined);
  }
  return code;
}
