// What the operator CLI's commands declare about their command line (src/cli/program.ts turns the
// declarations into a commander program), and the value checks commander does not do: durations
// and bounded seconds. A bad command line is a usage error (exit code 2).

/** A bad command line: unknown option, missing argument, invalid value. Exit code 2. */
export class UsageError extends Error {
  /** @param command the command whose `--help` explains the usage, if known */
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One `--option` a command accepts. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** One line for `--help`. */
  readonly description: string;
  /** Placeholder shown in `--help`, e.g. `<seconds>`. */
  readonly valueName?: string;
  /** Allowed values (checked while parsing). */
  readonly choices?: readonly string[];
  /** The command cannot run without it (checked while parsing, after `--help`). */
  readonly required?: boolean;
}

/** The command line of one command. */
export interface CommandSpec {
  /** `status`, `wait`, ... */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs for `<command> --help`. */
  readonly description: string;
  /** Required positional arguments, in order. */
  readonly positionals: readonly string[];
  /** Options besides the global ones. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Example invocations for `--help` (without the program name). */
  readonly examples?: readonly string[];
  /** Checks across options (throws a UsageError), after parsing and before the command runs. */
  readonly check?: (args: ParsedArgs) => void;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  region: { type: 'string', valueName: '<region>', description: 'AWS Region (default: AWS_REGION or the profile\'s region)' },
  profile: { type: 'string', valueName: '<name>', description: 'named profile from ~/.aws/config (default: AWS_PROFILE or default)' },
  output: { type: 'string', valueName: '<format>', choices: ['text', 'json'], description: 'text (default) or json' },
};

/** A parsed command line. */
export interface ParsedArgs {
  readonly positionals: Record<string, string>;
  readonly options: Record<string, string | boolean | undefined>;
  readonly output: 'text' | 'json';
}

/** The exit codes, as `--help` explains them. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success (for status/wait: the deployment succeeded or is still going well)',
  '  1  the deployment failed, was rolled back or stopped',
  '  2  usage error',
  '  3  timeout, AWS error, or nothing to act on',
].join('\n');

/**
 * A duration: `90s`, `30m`, `2h`, `1h30m`; a bare number is minutes. Returns milliseconds.
 * @param option the option name, for the error message
 */
export function parseDuration(value: string, option: string): number {
  const bare = /^\d+(\.\d+)?$/.exec(value);
  if (bare) return Math.round(Number(value) * 60_000);
  const re = /(\d+(?:\.\d+)?)(h|m|s)/gy;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    total += Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000);
    end = re.lastIndex;
  }
  if (end === 0 || end !== value.length) {
    throw new UsageError(`--${option} must be a duration such as 90s, 30m, 2h or 1h30m (a bare number is minutes), got '${value}'`);
  }
  return Math.round(total);
}

/** A positive number of seconds. */
export function parseSeconds(value: string, option: string, min = 1, max = 3600): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${option} must be a number of seconds from ${min} to ${max}, got '${value}'`);
  }
  return n;
}
