// The commander program of the operator CLI, built from the commands' declarative specs (args.ts):
// one source for names, arguments, options and help. Commander parses and prints help; its errors
// are turned into UsageErrors (exit code 2) worded like the rest of the CLI's messages.
import { Command as Commander, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CommandSpec, EXIT_CODES_HELP, GLOBAL_OPTIONS, OptionSpec, ParsedArgs, UsageError } from './args';
import { Terminal } from './terminal';

/** The program around the commands. */
export interface ProgramInfo {
  /** `ecs-blue-green`. */
  readonly name: string;
  /** Paragraphs for the top-level `--help`. */
  readonly description?: string;
  /** Printed by `--version`. */
  readonly version?: string;
  /** Lines after the command list in the top-level `--help`. */
  readonly epilogue?: string;
}

/** Where help and the version go (errors are reported by the caller, from the thrown UsageError). */
export interface Streams {
  readonly out: Terminal;
  readonly err: Terminal;
}

/** Runs a command with its parsed arguments. */
export type Action = (spec: CommandSpec, args: ParsedArgs) => Promise<void>;

const GLOBAL_GROUP = 'Global options:';
const HELP_WIDTH = 100;

/** The commander program with one subcommand per spec, in order. */
export function buildProgram(info: ProgramInfo, specs: readonly CommandSpec[], streams: Streams, action: Action): Commander {
  const program = configure(new Commander(info.name), streams)
    .usage('<command> [arguments] [options]')
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false);
  // The global options are also accepted before the command (`--output json status ...`); the
  // command's own copy, after it, wins when both are given.
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) program.addOption(optionOf(name, o).helpGroup(GLOBAL_GROUP));
  if (info.description) program.description(paragraphs(info.description));
  if (info.version) program.version(info.version, '-V, --version', 'show the version');
  if (info.epilogue) program.addHelpText('after', `\n${info.epilogue}`);
  program.exitOverride((err) => {
    if (err.code !== 'commander.unknownCommand') throw err;
    const [, name, hint] = SUGGESTION(/unknown command '([^']*)'/).exec(err.message) ?? [];
    throw new UsageError(`unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; commands: ${specs.map((s) => s.name).join(', ')}`);
  });
  for (const spec of specs) program.addCommand(commandOf(info.name, spec, streams, action));
  program.addCommand(helpCommandOf(program, specs, streams));
  return program;
}

/**
 * Parses `argv` (without `node` and the script). Resolves `'ok'` once the action ran or help or
 * the version was shown, `'usage'` when commander showed the help on stderr (no command given);
 * rejects with a UsageError for a bad command line.
 */
export async function parseCommandLine(program: Commander, argv: readonly string[]): Promise<'ok' | 'usage'> {
  try {
    await program.parseAsync(withoutHelpOfUnknownCommand(program, argv), { from: 'user' });
    return 'ok';
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.help' && err.exitCode !== 0) return 'usage';
    if (err.exitCode === 0) return 'ok';
    const message = err.message.replace(/^error: /, '');
    // "option '--output <format>' argument 'yaml' is invalid. <what our parser said>"
    throw new UsageError(err.code === 'commander.invalidArgument' ? message.replace(/^.*? is invalid\. /s, '') : message);
  }
}

/**
 * Commander answers `nosuch --help` with the program's help and exit 0. An unknown command is a
 * usage error whatever follows it: its help flags are dropped, so commander reports the command.
 */
function withoutHelpOfUnknownCommand(program: Commander, argv: readonly string[]): string[] {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).map((o) => o.long));
  let first: string | undefined;
  let end = argv.indexOf('--');
  if (end < 0) end = argv.length;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { first = argv[i + 1]; break; }
    if (a.startsWith('-')) { if (takesValue.has(a)) i++; continue; }
    first = a;
    break;
  }
  const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (first === undefined || known.includes(first)) return [...argv];
  return argv.filter((a, i) => i >= end || (a !== '-h' && a !== '--help'));
}

function commandOf(program: string, spec: CommandSpec, streams: Streams, action: Action): Commander {
  const cmd = configure(new Commander(spec.name), streams)
    .summary(spec.summary)
    .description(paragraphs(spec.description))
    .usage([...spec.positionals.map((p) => `<${p}>`), '[options]'].join(' '))
    .allowExcessArguments(false)
    .addHelpOption(new Option('-h, --help', 'show this help').helpGroup(GLOBAL_GROUP));
  for (const p of spec.positionals) cmd.argument(`<${p}>`);
  const options = new Map<string, Option>();
  for (const [name, o] of Object.entries(spec.options)) options.set(name, optionOf(name, o));
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) options.set(name, optionOf(name, o).helpGroup(GLOBAL_GROUP));
  options.forEach((o) => cmd.addOption(o));
  const examples = spec.examples?.length ? `\nExamples:\n${spec.examples.map((e) => `  ${program} ${e}`).join('\n')}\n` : '';
  cmd.addHelpText('after', `${examples}\n${EXIT_CODES_HELP}`);
  cmd.exitOverride((err) => {
    if (err.exitCode === 0) throw err;
    throw new UsageError(usageMessage(err, cmd, spec), spec.name);
  });
  cmd.action(async (...values: unknown[]) => {
    const positionals: Record<string, string> = {};
    spec.positionals.forEach((p, i) => { positionals[p] = values[i] as string; });
    const parsed: Record<string, string | boolean | undefined> = {};
    options.forEach((o, name) => {
      // A global option given before the command counts unless the command's own copy is given too.
      const own = cmd.getOptionValue(o.attributeName()) as string | boolean | undefined;
      const value = own ?? (name in GLOBAL_OPTIONS ? cmd.parent?.getOptionValue(o.attributeName()) as string | boolean | undefined : undefined);
      if (value !== undefined) parsed[name] = value;
    });
    const args: ParsedArgs = { positionals, options: parsed, output: parsed.output === 'json' ? 'json' : 'text' };
    try {
      spec.check?.(args);
    } catch (err) {
      throw err instanceof UsageError && !err.command ? new UsageError(err.message, spec.name) : err;
    }
    await action(spec, args);
  });
  return cmd;
}

/** `help [command]`: the program's or a command's help on stdout; an unknown name is a usage error. */
function helpCommandOf(program: Commander, specs: readonly CommandSpec[], streams: Streams): Commander {
  return configure(new Commander('help'), streams)
    .description('show the help of a command')
    .argument('[command]')
    .allowExcessArguments(false)
    .exitOverride()
    .action((name?: string) => {
      if (name === undefined) return program.outputHelp();
      const sub = program.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (!sub) throw new UsageError(`unknown command '${name}'; commands: ${specs.map((s) => s.name).join(', ')}`);
      return sub.outputHelp();
    });
}

function optionOf(name: string, spec: OptionSpec): Option {
  if (spec.type === 'boolean') return new Option(`--${name}`, spec.description);
  const option = new Option(`--${name} ${spec.valueName ?? '<value>'}`, spec.description).argParser((value: string) => {
    // Commander takes the next argument whatever it is; `--region --profile x` lacks a region.
    if (value.startsWith('--') && value.length > 2) throw new InvalidArgumentError(`--${name} needs a value ${spec.valueName ?? ''}`.trim());
    if (value === '') throw new InvalidArgumentError(`--${name} needs a non-empty value`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new InvalidArgumentError(`--${name} must be one of ${spec.choices.join(', ')}, got '${value}'`);
    }
    return value;
  });
  return spec.required ? option.makeOptionMandatory() : option;
}

/** Commander's error for `cmd`, in the CLI's words. */
function usageMessage(err: CommanderError, cmd: Commander, spec: CommandSpec): string {
  const message = err.message.replace(/^error: /, '');
  switch (err.code) {
    case 'commander.unknownOption': {
      const [, flag, hint] = SUGGESTION(/unknown option '([^']*)'/).exec(err.message) ?? [];
      const flagName = /^--([^=]+)=/.exec(flag ?? '')?.[1];
      if (flagName && spec.options[flagName]?.type === 'boolean') return `--${flagName} is a flag and takes no value`;
      return `unknown option ${flag}${hint ? ` (did you mean ${hint}?)` : ''}`;
    }
    case 'commander.missingArgument': {
      // Commander names the first missing one; the ones after it are missing too.
      const first = /argument '([^']*)'/.exec(err.message)?.[1] ?? '';
      return `missing ${spec.positionals.slice(Math.max(0, spec.positionals.indexOf(first))).map((p) => `<${p}>`).join(' ')}`;
    }
    case 'commander.excessArguments':
      return `unexpected argument '${cmd.args[spec.positionals.length]}'`;
    case 'commander.optionMissingArgument': {
      const [, flag, value] = /option '(\S+)(?: (\S+))?' argument missing/.exec(err.message) ?? [];
      return `${flag} needs a value${value ? ` ${value}` : ''}`;
    }
    case 'commander.missingMandatoryOptionValue': {
      const missing = cmd.options.filter((o) => o.mandatory && cmd.getOptionValue(o.attributeName()) === undefined).map((o) => o.flags);
      return `missing ${missing.join(' and ')}`;
    }
    case 'commander.invalidArgument':
      // "option '--output <format>' argument 'yaml' is invalid. <what our parser said>"
      return message.replace(/^.*? is invalid\. /s, '');
    default:
      return message;
  }
}

/** `pattern` followed by commander's "(Did you mean X?)" hint, X captured second. */
function SUGGESTION(pattern: RegExp): RegExp {
  return new RegExp(`${pattern.source}(?:\\n\\(Did you mean (?:one of )?(.+)\\?\\))?`);
}

/** Output, help layout and error handling shared by the program and each command. */
function configure(cmd: Commander, streams: Streams): Commander {
  const width = (t: Terminal) => (t.isTTY && t.columns ? Math.min(t.columns, HELP_WIDTH) : HELP_WIDTH);
  return cmd
    .configureOutput({
      writeOut: (s) => { streams.out.write(s); },
      writeErr: (s) => { streams.err.write(s); },
      // The caller reports the UsageError thrown for it.
      outputError: () => undefined,
      getOutHelpWidth: () => width(streams.out),
      getErrHelpWidth: () => width(streams.err),
    })
    .configureHelp({ subcommandTerm: (sub) => sub.name() });
}

/** Hard-wrapped paragraphs as one line each, for commander to wrap to the terminal. */
function paragraphs(text: string): string {
  return text.trim().split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ')).join('\n\n');
}
