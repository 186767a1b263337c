// A small argument parser for the operator CLI: positionals, `--name value`, `--name=value`,
// boolean flags and `--` to end options. Commands declare what they accept; anything else is a
// usage error (exit code 2) that names the offending argument.

/** A bad command line: unknown option, missing argument, invalid value. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
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
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  region: { type: 'string', valueName: '<region>', description: 'AWS Region (default: AWS_REGION or the profile\'s region)' },
  profile: { type: 'string', valueName: '<name>', description: 'named profile from ~/.aws/config (default: AWS_PROFILE or default)' },
  output: { type: 'string', valueName: '<format>', choices: ['text', 'json'], description: 'text (default) or json' },
  help: { type: 'boolean', description: 'show this help' },
};

/** A parsed command line. */
export interface ParsedArgs {
  readonly positionals: Record<string, string>;
  readonly options: Record<string, string | boolean | undefined>;
  readonly help: boolean;
  readonly output: 'text' | 'json';
}

/**
 * Parses `args` (without the program and command names) against `spec` plus the global options.
 * With `--help` (or `-h`) anywhere, positionals are not required.
 */
export function parseArgs(args: readonly string[], spec: CommandSpec): ParsedArgs {
  const known: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...spec.options };
  const options: Record<string, string | boolean | undefined> = {};
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const opt = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : undefined;
    if (!opt) {
      const hint = closest(name, Object.keys(known));
      throw new UsageError(`unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    if (opt.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} is a flag and takes no value`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = args[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value ${opt.valueName ?? ''}`.trim());
      i++;
    }
    if (value === '') throw new UsageError(`--${name} needs a non-empty value`);
    if (opt.choices && !opt.choices.includes(value)) {
      throw new UsageError(`--${name} must be one of ${opt.choices.join(', ')}, got '${value}'`);
    }
    options[name] = value;
  }
  const positionals: Record<string, string> = {};
  if (!help) {
    if (rest.length < spec.positionals.length) {
      const missing = spec.positionals.slice(rest.length).map((p) => `<${p}>`).join(' ');
      throw new UsageError(`missing ${missing}`);
    }
    if (rest.length > spec.positionals.length) {
      throw new UsageError(`unexpected argument '${rest[spec.positionals.length]}'`);
    }
    spec.positionals.forEach((p, i) => { positionals[p] = rest[i]; });
  }
  return { positionals, options, help, output: options.output === 'json' ? 'json' : 'text' };
}

/** The `--help` text of a command. */
export function commandHelp(program: string, spec: CommandSpec): string {
  const lines: string[] = [];
  const args = spec.positionals.map((p) => `<${p}>`).join(' ');
  lines.push(`Usage: ${program} ${spec.name}${args ? ` ${args}` : ''} [options]`, '', spec.description.trim(), '');
  if (Object.keys(spec.options).length > 0) {
    lines.push('Options:', ...optionLines(spec.options), '');
  }
  lines.push('Global options:', ...optionLines(GLOBAL_OPTIONS), '');
  if (spec.examples?.length) {
    lines.push('Examples:', ...spec.examples.map((e) => `  ${program} ${e}`), '');
  }
  lines.push(EXIT_CODES_HELP);
  return lines.join('\n') + '\n';
}

/** The exit codes, as `--help` explains them. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success (for status/wait: the deployment succeeded or is still going well)',
  '  1  the deployment failed, was rolled back or stopped',
  '  2  usage error',
  '  3  timeout, AWS error, or nothing to act on',
].join('\n');

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const heads = Object.entries(options).map(([name, o]) =>
    name === 'help' ? '-h, --help' : `--${name}${o.type === 'string' ? ` ${o.valueName ?? '<value>'}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return Object.values(options).map((o, i) => `  ${heads[i].padEnd(width)}${o.description}`);
}

/** The candidate nearest to `name` by edit distance, if it is close enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** Edit distance where swapping two neighbours counts as one edit (typos like --wacth). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

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
