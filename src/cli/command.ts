// The frame every command runs in: parse the arguments (commander, src/cli/program.ts), answer
// --help, run, and turn errors into the documented exit codes. Commands are plain async functions
// of (args, clients, out, env), so tests call them directly with mocked clients and a string buffer.
import { CommandSpec, ParsedArgs, UsageError } from './args';
import { explainSetupError } from './aws-setup';
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
      const text = (name: string) => (typeof ctx.args.options[name] === 'string' ? ctx.args.options[name] as string : undefined);
      const setup = explainSetupError(err, { region: text('region'), profile: text('profile') },
        { vars: ctx.env.vars ?? process.env, readFile: ctx.env.readFile });
      return reportError(setup !== undefined ? new CliError(setup) : err, ctx.env.err, spec.name, ctx.args.output === 'json' ? ctx.out : undefined);
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
      return reportError(err, env.err, spec.name, jsonRequested(argv) ? out : undefined);
    }
    return code;
  };
  return { spec, run, execute };
}

/**
 * The error object `--output json` prints on stdout (docs/CLI.md, "Errors with --output json"):
 * stdout stays one JSON document even when the command fails.
 */
export interface JsonError {
  readonly error: {
    /** The process's exit code: 2 usage, 3 error, or a command's own (CliError). */
    readonly exitCode: number;
    /** `usage` (bad command line), `failure` (an expected failure, e.g. nothing to act on, no credentials) or `aws` (an AWS API error). */
    readonly kind: 'usage' | 'failure' | 'aws';
    /** The command, when known. */
    readonly command: string | null;
    /** The AWS error's name (`AccessDeniedException`), for `aws`. */
    readonly name: string | null;
    /** What went wrong, as on stderr without the program name. */
    readonly message: string;
    /** The AWS request ID, when AWS answered. */
    readonly requestId: string | null;
  };
}

/** Whether the command line asks for `--output json` (read before parsing, for errors of the parse). */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.some((a, i) => a === '--output=json' || (a === '--output' && options[i + 1] === 'json'));
}

/**
 * Prints an error on `term` (text) and returns its exit code; with `json`, also the JSON error
 * object on it (stdout of `--output json`).
 */
export function reportError(err: unknown, term: Terminal, command?: string, json?: Terminal): number {
  let record: JsonError['error'];
  if (err instanceof UsageError) {
    const which = err.command ?? command;
    term.write(`${PROGRAM}: ${err.message}\nRun '${PROGRAM}${which ? ` ${which}` : ''} --help' for usage.\n`);
    record = { exitCode: ExitCode.USAGE, kind: 'usage', command: which ?? null, name: null, message: err.message, requestId: null };
  } else if (err instanceof CliError) {
    term.write(`${PROGRAM}: ${err.message}\n`);
    record = { exitCode: err.exitCode, kind: 'failure', command: command ?? null, name: null, message: err.message, requestId: null };
  } else {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
    const name = e?.name && e.name !== 'Error' ? e.name : undefined;
    const request = e?.$metadata?.requestId;
    const message = e?.message ?? String(err);
    term.write(`${PROGRAM}: ${name ? `${name}: ` : ''}${message}${request ? ` (request ${request})` : ''}\n`);
    record = { exitCode: ExitCode.ERROR, kind: 'aws', command: command ?? null, name: name ?? null, message, requestId: request ?? null };
  }
  // One line: one JSON document, and a JSON Lines record after `status --watch` summaries.
  if (json) json.write(JSON.stringify({ error: record } satisfies JsonError) + '\n');
  return record.exitCode;
}

/** Writes a value as pretty JSON. */
export function writeJson(out: Terminal, value: unknown): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}
