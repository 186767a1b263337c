import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { Capture, inProgress, serve, testClients, testEnv } from './fixtures';
import { parseDuration } from '../../src/cli/args';
import { ClientSettings } from '../../src/cli/clients';
import { COMMANDS, main } from '../../src/cli/main';

const ecs = mockClient(ECSClient);
beforeEach(() => ecs.reset());

async function run(argv: string[]) {
  const out = new Capture();
  const { env, err } = testEnv();
  const settings: ClientSettings[] = [];
  const code = await main(argv, out, env, (s) => {
    settings.push(s);
    return testClients();
  });
  return { code, out: out.text, err: err.text, settings };
}

describe('ecs-blue-green', () => {
  test('--help lists every command and the exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['status', 'wait', 'continue', 'rollback', 'approve', 'reject', 'plan']) expect(r.out).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    expect(r.out).toContain('  3  timeout, AWS error, or nothing to act on');
  });

  test('without arguments: help on stderr, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Usage: ecs-blue-green <command>/);
  });

  test('help <command> shows that command\'s help', async () => {
    const r = await run(['help', 'wait']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: ecs-blue-green wait <cluster> <service> \[options\]/);
    expect(r.out).toContain('--timeout <duration>');
  });

  test('help of an unknown command is a usage error', async () => {
    const r = await run(['help', 'stats']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ecs-blue-green: unknown command 'stats'; commands: status, wait,/);
    expect(r.out).toBe('');
    expect((await run(['help'])).out).toMatch(/^Usage: ecs-blue-green <command>/);
  });

  test('an unknown command is a usage error with a suggestion', async () => {
    const r = await run(['stauts', 'prod', 'web']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'stauts' \(did you mean 'status'\?\)/);
  });

  test('runs the command with clients for --region and --profile', async () => {
    serve(ecs, inProgress());
    const r = await run(['status', 'prod', 'web', '--region', 'eu-west-1', '--profile=ops']);
    expect(r.code).toBe(0);
    expect(r.settings).toEqual([{ region: 'eu-west-1', profile: 'ops' }]);
    expect(r.out).toMatch(/^Stage +PRODUCTION_TRAFFIC_SHIFT$/m);
  });
});

describe('argument parsing (commander, from the command specs)', () => {
  test('options before, between and after positionals; -- ends options', async () => {
    serve(ecs, inProgress());
    const r = await run(['status', '--output=json', 'prod', '--profile', 'ops', 'web']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'IN_PROGRESS' });
    expect(r.settings).toEqual([{ profile: 'ops' }]);
    ecs.reset();
    serve(ecs, inProgress());
    const dashed = await run(['status', '--', '--odd-cluster', 'web']);
    expect(dashed.code).toBe(0);
    expect(JSON.stringify(ecs.calls().map((c) => c.args[0].input))).toContain('"cluster":"--odd-cluster"');
  });

  test.each([
    [['status', 'prod', 'web', '--watch=yes'], /--watch is a flag and takes no value/],
    [['status', 'prod', 'web', '--interval'], /--interval needs a value <seconds>/],
    [['status', 'prod', 'web', '--region', '--profile', 'x'], /--region needs a value <region>/],
    [['status', 'prod', 'web', 'extra'], /unexpected argument 'extra'/],
    [['status', '-x', 'prod', 'web'], /unknown option -x/],
    [['status', 'prod', 'web', '--regoin', 'eu-west-1'], /unknown option --regoin \(did you mean --region\?\)/],
    [['status', 'prod', 'web', '--output', 'yaml'], /--output must be one of text, json, got 'yaml'/],
    [['wait', 'prod', 'web', '--output='], /--output needs a non-empty value/],
    [['status'], /missing <cluster> <service>/],
    [['plan'], /missing --codedeploy-app <name> and --deployment-group <name>/],
    [['plan', '--deployment-group', 'g'], /missing --codedeploy-app <name>\n/],
  ])('%j is a usage error (exit 2) on stderr, before any AWS call', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain(`Run 'ecs-blue-green ${argv[0]} --help' for usage.`);
    expect(r.out).toBe('');
    expect(r.settings).toEqual([]);
  });

  test.each(COMMANDS.map((c) => [c.spec.name, c] as const))('%s --help lists its arguments, its options and the global ones (exit 0)', async (name, command) => {
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^Usage: ecs-blue-green ${name}${command.spec.positionals.map((p) => ` <${p}>`).join('')} \\[options\\]\n`));
    for (const [option, o] of Object.entries(command.spec.options)) {
      expect(r.out).toMatch(new RegExp(`^  --${option}${o.type === 'string' ? ` ${o.valueName}` : ''} +${o.description.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'));
    }
    expect(r.out).toMatch(/^Global options:\n {2}--region <region> +AWS Region/m);
    expect(r.out).toMatch(/^ {2}--output <format> +text \(default\) or json$/m);
    expect(r.out).toMatch(/^ {2}-h, --help +show this help$/m);
    expect(r.out).toContain('Exit codes:');
  });

  test('--version prints the package version, exit 0', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version}\n`);
  });

  test('durations', () => {
    expect(parseDuration('90s', 'timeout')).toBe(90_000);
    expect(parseDuration('1h30m', 'timeout')).toBe(5_400_000);
    expect(parseDuration('45', 'timeout')).toBe(2_700_000);
    expect(() => parseDuration('30 m', 'timeout')).toThrow(/--timeout must be a duration/);
    expect(() => parseDuration('m', 'timeout')).toThrow(/--timeout must be a duration/);
  });
});

describe('the bundled CLI', () => {
  const root = path.resolve(__dirname, '..', '..');
  const bundle = path.join(root, 'assets', 'cli', 'ecs-blue-green', 'index.js');

  beforeAll(() => {
    // `npx projen pre-compile` (part of `npm test`) builds it; build it here when jest runs alone.
    if (!fs.existsSync(bundle)) execFileSync('npx', ['projen', 'bundle:cli/ecs-blue-green'], { cwd: root, stdio: 'ignore' });
  });

  test('is one executable file that answers --help (exit 0) and usage errors (exit 2)', () => {
    expect(fs.readFileSync(bundle, 'utf-8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => fs.accessSync(bundle, fs.constants.X_OK)).not.toThrow();
    const help = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf-8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecs-blue-green <command>/);
    expect(help.stdout).toContain('plan');
    expect(help.stderr).toBe('');
    const usage = spawnSync(process.execPath, [bundle, 'status', 'prod'], { encoding: 'utf-8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('ecs-blue-green: missing <service>');
  });

  test('package.json ships it as the ecs-blue-green bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    expect(pkg.bin).toEqual({ 'ecs-blue-green': 'assets/cli/ecs-blue-green/index.js' });
  });
});
