import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ECSClient, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
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

describe('global options before the command, and errors with --output json', () => {
  test('--output, --region and --profile before the command apply to it', async () => {
    serve(ecs, inProgress());
    const r = await run(['--output', 'json', '--region', 'eu-west-1', '--profile=ops', 'status', 'prod', 'web']);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toMatchObject({ status: 'IN_PROGRESS' });
    expect(r.settings).toEqual([{ region: 'eu-west-1', profile: 'ops' }]);
  });

  test('after the command, a global option given again wins (the later one)', async () => {
    serve(ecs, inProgress());
    const r = await run(['--output', 'json', 'status', 'prod', 'web', '--output', 'text']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Stage +PRODUCTION_TRAFFIC_SHIFT$/m);
  });

  test('a bad global value before the command is a usage error', async () => {
    const r = await run(['--output', 'yaml', 'status', 'prod', 'web']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ecs-blue-green: --output must be one of text, json, got 'yaml'\n/);
    expect(r.settings).toEqual([]);
  });

  test('an unknown command with --help is a usage error (exit 2), not the main help', async () => {
    for (const argv of [['nosuch', '--help'], ['--output', 'json', 'nosuch', '-h'], ['stauts', '--help']]) {
      const r = await run(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toMatch(new RegExp(`^ecs-blue-green: unknown command '${argv.includes('stauts') ? 'stauts\' \\(did you mean \'status\'\\?\\)' : 'nosuch\''}`));
      if (argv.includes('json')) expect(JSON.parse(r.out).error).toMatchObject({ exitCode: 2, kind: 'usage', command: null });
      else expect(r.out).toBe('');
    }
  });

  test('--output json: an AWS error is a JSON error object on stdout (and text on stderr), exit 3', async () => {
    ecs.on(ListServiceDeploymentsCommand).rejects(Object.assign(new Error('User is not authorized to perform: ecs:ListServiceDeployments'),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400, requestId: 'req-1' } }));
    const r = await run(['status', 'prod', 'web', '--output', 'json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toEqual({
      error: {
        exitCode: 3,
        kind: 'aws',
        command: 'status',
        name: 'AccessDeniedException',
        message: 'User is not authorized to perform: ecs:ListServiceDeployments',
        requestId: 'req-1',
      },
    });
    expect(r.err).toBe('ecs-blue-green: AccessDeniedException: User is not authorized to perform: ecs:ListServiceDeployments (request req-1)\n');
  });

  test('--output json: a usage error is a JSON error object on stdout, exit 2, before any AWS call', async () => {
    for (const argv of [['status', 'prod', '--output', 'json'], ['--output=json', 'status', 'prod']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out)).toEqual({ error: { exitCode: 2, kind: 'usage', command: 'status', name: null, message: 'missing <service>', requestId: null } });
      expect(r.err).toMatch(/missing <service>/);
      expect(r.settings).toEqual([]);
    }
  });

  test('--output json: an expected failure (nothing to act on) is a JSON error object, exit 3', async () => {
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const r = await run(['status', 'prod', 'web', '--output', 'json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out).error).toMatchObject({ exitCode: 3, kind: 'failure', command: 'status', message: expect.stringMatching(/no service deployments found/) });
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

  test('a reader that closes early (| head -1): the CLI exits quietly with its own exit code', async () => {
    const child = spawn(process.execPath, [bundle, 'help', 'status'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
    // Closed before the CLI writes a byte: its first write meets a closed pipe (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  describe('without AWS configuration (no credentials, no region; never a network call)', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-blue-green-home-'));
    afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
    /** The bundled CLI with only what is given of the AWS environment (HOME has no ~/.aws). */
    const cli = (args: string[], vars: Record<string, string>) => spawnSync(process.execPath, [bundle, ...args], {
      encoding: 'utf-8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...vars },
    });

    test('a missing profile (AWS_PROFILE) names the profile, where it came from, the files read and the fix', () => {
      const r = cli(['status', 'prod', 'web', '--region', 'eu-west-1'], { AWS_PROFILE: 'nosuch' });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain("ecs-blue-green: profile 'nosuch' (from AWS_PROFILE) is not in ");
      expect(r.stderr).toContain(path.join(home, '.aws', 'config'));
      expect(r.stderr).toContain(path.join(home, '.aws', 'credentials'));
      expect(r.stderr).toMatch(/aws configure --profile nosuch/);
      expect(r.stdout).toBe('');
    });

    test('a missing profile (--profile) is named as given on the command line; --output json prints the error object', () => {
      const r = cli(['--output', 'json', 'status', 'prod', 'web', '--region', 'eu-west-1', '--profile', 'ops'], {});
      expect(r.status).toBe(3);
      expect(r.stderr).toContain("ecs-blue-green: profile 'ops' (from --profile) is not in ");
      expect(JSON.parse(r.stdout).error).toMatchObject({ exitCode: 3, kind: 'failure', command: 'status', message: expect.stringMatching(/^profile 'ops'/) });
    });

    test('a missing region names what was tried and the fix', () => {
      const r = cli(['status', 'prod', 'web'], { AWS_PROFILE: 'nosuch' });
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/^ecs-blue-green: no AWS Region: no --region, no AWS_REGION, and profile 'nosuch' \(from AWS_PROFILE\) has no region in /);
      expect(r.stderr).toMatch(/pass --region <region> or set AWS_REGION/);
      expect(r.stderr).toMatch(/Also, profile 'nosuch' \(from AWS_PROFILE\) is not in /);
    });

    test('no credentials at all names the default chain and the fix', () => {
      const r = cli(['status', 'prod', 'web'], { AWS_REGION: 'eu-west-1' });
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/^ecs-blue-green: no AWS credentials: /);
      expect(r.stderr).toMatch(/--profile <name>/);
    });
  });

  test('package.json ships it as the ecs-blue-green bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    expect(pkg.bin).toEqual({ 'ecs-blue-green': 'assets/cli/ecs-blue-green/index.js' });
  });
});
