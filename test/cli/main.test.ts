import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { Capture, inProgress, serve, testClients, testEnv } from './fixtures';
import { parseArgs, parseDuration } from '../../src/cli/args';
import { ClientSettings } from '../../src/cli/clients';
import { status } from '../../src/cli/commands/status';
import { clientSettings, main } from '../../src/cli/main';

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

describe('argument parsing', () => {
  test('options before, between and after positionals; -- ends options', () => {
    expect(parseArgs(['--output=json', 'prod', '--watch', 'web'], status.spec)).toEqual({
      positionals: { cluster: 'prod', service: 'web' }, options: { output: 'json', watch: true }, help: false, output: 'json',
    });
    expect(parseArgs(['--', '--odd-cluster', 'web'], status.spec).positionals).toEqual({ cluster: '--odd-cluster', service: 'web' });
  });

  test('rejects values for flags, missing values and extra arguments', () => {
    expect(() => parseArgs(['prod', 'web', '--watch=yes'], status.spec)).toThrow(/--watch is a flag and takes no value/);
    expect(() => parseArgs(['prod', 'web', '--interval'], status.spec)).toThrow(/--interval needs a value <seconds>/);
    expect(() => parseArgs(['prod', 'web', '--region', '--profile', 'x'], status.spec)).toThrow(/--region needs a value <region>/);
    expect(() => parseArgs(['prod', 'web', 'extra'], status.spec)).toThrow(/unexpected argument 'extra'/);
    expect(() => parseArgs(['-x', 'prod', 'web'], status.spec)).toThrow(/unknown option -x/);
  });

  test('durations', () => {
    expect(parseDuration('90s', 'timeout')).toBe(90_000);
    expect(parseDuration('1h30m', 'timeout')).toBe(5_400_000);
    expect(parseDuration('45', 'timeout')).toBe(2_700_000);
    expect(() => parseDuration('30 m', 'timeout')).toThrow(/--timeout must be a duration/);
    expect(() => parseDuration('m', 'timeout')).toThrow(/--timeout must be a duration/);
  });

  test('--region / --profile are found anywhere before --', () => {
    expect(clientSettings(['status', '--region', 'us-west-2', 'a', 'b'])).toEqual({ region: 'us-west-2' });
    expect(clientSettings(['--profile=dev', '--', '--region', 'x'])).toEqual({ profile: 'dev' });
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
