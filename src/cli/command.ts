// The frame every command runs in: parse the arguments (commander, src/cli/program.ts), answer
// --help, run, and turn errors into the documented exit codes. Commands are plain async functions
// of (args, clients, out, env), so tests call them directly with mocked clients and a string buffer.
import { CommandSpec, ParsedArgs, UsageError } from './args';
import { Clients } from './clients';
import { buildProgram, parseCommandLine } from './program';
import { CliEnv, Terminal, processEnv } from './terminal';

/** The program name in help and hints. */
export const PROGRAM = 'ecs-blue-green';

/** Exit codes pipelines can rely on. */
export enum ExitCode {
  /** Success; for status/wait, the deployment succeeded (or is going well). */
  OK = 0,
  /** The deployment failed, was rolled back or was stopped. */
  DEPLOYMENT_FAILED = 1,
  /** Bad command line. */
  USAGE = 2,
  /** Timeout, AWS error, or nothing to act on. */
  ERROR = 3,
  /** `status --watch` or `wait` stopped by Ctrl-C (SIGINT); the deployment goes on. 128 + SIGINT (2), as shells report it. */
  INTERRUPTED = 130,
}

/** An expected failure with its exit code (e.g. "no paused hook to continue"). */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: ExitCode = ExitCode.ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command: `(args, clients, out, env?) => exit code`. */
export type Command = (args: readonly string[], clients: Clients, out: Terminal, env?: CliEnv) => Promise<number>;

/** Everything a command body receives. */
export interface CommandContext {
  readonly args: ParsedArgs;
  readonly clients: Clients;
  readonly out: Terminal;
  readonly env: CliEnv;
}

/** A runnable command with its spec (for the command list and --help). */
export interface CommandDefinition {
  readonly spec: CommandSpec;
  /** Parses the command line (without the program and command names) and runs. */
  readonly run: Command;
  /** Runs with arguments already parsed; errors become exit codes. */
  readonly execute: (ctx: CommandContext) => Promise<number>;
}

/** Wraps a command body with argument parsing, --help and error → exit code mapping. */
export function defineCommand(spec: CommandSpec, body: (ctx: CommandContext) => Promise<number>): CommandDefinition {
  const execute = async (ctx: CommandContext): Promise<number> => {
    try {
      return await body(ctx);
    } catch (err) {
      return reportError(err, ctx.env.err, spec.name);
    }
  };
  const run: Command = async (argv, clients, out, env = processEnv()) => {
    let code: number = ExitCode.OK;
    const program = buildProgram({ name: PROGRAM }, [spec], { out, err: env.err }, async (_, args) => {
      code = await execute({ args, clients, out, env });
    });
    try {
      if (await parseCommandLine(program, [spec.name, ...argv]) === 'usage') return ExitCode.USAGE;
    } catch (err) {
      return reportError(err, env.err, spec.name);
    }
    return code;
  };
  return { spec, run, execute };
}

/** Prints an error and returns its exit code. */
export function reportError(err: unknown, term: Terminal, command?: string): number {
  if (err instanceof UsageError) {
    const which = err.command ?? command;
    term.write(`${PROGRAM}: ${err.message}\nRun '${PROGRAM}${which ? ` ${which}` : ''} --help' for usage.\n`);
    return ExitCode.USAGE;
  }
  if (err instanceof CliError) {
    term.write(`${PROGRAM}: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  const request = e?.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  term.write(`${PROGRAM}: ${name}${e?.message ?? String(err)}${request}\n`);
  return ExitCode.ERROR;
}

/** Writes a value as pretty JSON. */
export function writeJson(out: Terminal, value: unknown): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}
