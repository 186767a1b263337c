// Stand-ins for the AWS CLI and `ecs-blue-green`, for running examples/ci/deploy-image.sh without
// AWS. The fake `aws` answers the ECS calls the script makes from a state file, by their input:
// the cluster and service asked for, the task definition ARN, the registration input (which is
// refused with the real CLI's message when it carries a field ECS sets itself, as
// `--cli-input-json` does). Every call of both programs is recorded.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What the fake AWS account holds. */
export interface FakeState {
  /** `cluster/service` → task definition ARN the service runs. */
  readonly services: Record<string, string>;
  /** Task definitions by ARN, as DescribeTaskDefinition returns them. */
  readonly taskDefinitions: Record<string, any>;
  /** Whether UpdateService answers with `currentServiceDeployment`. @default true */
  readonly reportsDeployment?: boolean;
  /** Exit code of `ecs-blue-green wait`. @default 0 */
  readonly waitExitCode?: number;
}

/** One recorded call: the program and its arguments. */
export interface FakeCall {
  readonly program: string;
  readonly args: string[];
}

const FAKE_AWS = String.raw`#!/usr/bin/env node
const fs = require('fs');
const dir = __dirname;
const args = process.argv.slice(2);
fs.appendFileSync(dir + '/calls.jsonl', JSON.stringify({ program: 'aws', args }) + '\n');
const state = JSON.parse(fs.readFileSync(dir + '/state.json', 'utf-8'));
const opt = (name) => { const i = args.indexOf('--' + name); return i < 0 ? undefined : args[i + 1]; };
const fail = (code, message) => { process.stderr.write(message + '\n'); process.exit(code); };
if (args[0] !== 'ecs') fail(252, 'fake aws: only ecs');
let response;
switch (args[1]) {
  case 'describe-services': {
    const td = state.services[opt('cluster') + '/' + opt('services')];
    response = td ? { services: [{ serviceName: opt('services'), taskDefinition: td }], failures: [] }
      : { services: [], failures: [{ arn: opt('services'), reason: 'MISSING' }] };
    break;
  }
  case 'describe-task-definition': {
    const td = state.taskDefinitions[opt('task-definition')];
    if (!td) fail(254, 'An error occurred (ClientException) when calling the DescribeTaskDefinition operation: Unable to describe task definition.');
    response = { taskDefinition: td };
    break;
  }
  case 'register-task-definition': {
    const input = JSON.parse(fs.readFileSync(opt('cli-input-json').replace(/^file:\/\//, ''), 'utf-8'));
    const allowed = ['family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes', 'placementConstraints',
      'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators',
      'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection'];
    const unknown = Object.keys(input).filter((k) => !allowed.includes(k));
    if (unknown.length) fail(252, 'Parameter validation failed:\n' + unknown.map((k) => 'Unknown parameter in input: "' + k + '"').join('\n'));
    const revisions = Object.values(state.taskDefinitions).filter((t) => t.family === input.family).map((t) => t.revision);
    const revision = Math.max(0, ...revisions) + 1;
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/' + input.family + ':' + revision;
    state.taskDefinitions[arn] = { ...input, taskDefinitionArn: arn, revision, status: 'ACTIVE' };
    response = { taskDefinition: state.taskDefinitions[arn] };
    break;
  }
  case 'update-service': {
    const key = opt('cluster') + '/' + opt('service');
    if (!state.services[key]) fail(254, 'An error occurred (ServiceNotFoundException) when calling the UpdateService operation: Service not found.');
    if (!state.taskDefinitions[opt('task-definition')]) fail(254, 'An error occurred (ClientException) when calling the UpdateService operation: TaskDefinition not found.');
    state.services[key] = opt('task-definition');
    const service = { serviceName: opt('service'), taskDefinition: opt('task-definition') };
    if (state.reportsDeployment !== false) service.currentServiceDeployment = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/' + key + '/Nq3x7Deploy';
    response = { service };
    break;
  }
  default: fail(252, 'fake aws: unsupported ' + args[1]);
}
fs.writeFileSync(dir + '/state.json', JSON.stringify(state));
// --query: the dotted paths with [0] the script uses; --output text prints None for nothing.
let value = response;
for (const part of (opt('query') || '').split('.').filter(Boolean)) {
  const m = /^(\w+)(\[(\d+)\])?$/.exec(part);
  value = value == null ? undefined : value[m[1]];
  if (m[2] && value != null) value = value[Number(m[3])];
}
process.stdout.write(opt('output') === 'text' ? (value == null ? 'None' : String(value)) + '\n' : JSON.stringify(value, null, 2) + '\n');
`;

const FAKE_CLI = String.raw`#!/usr/bin/env node
const fs = require('fs');
fs.appendFileSync(__dirname + '/calls.jsonl', JSON.stringify({ program: 'ecs-blue-green', args: process.argv.slice(2) }) + '\n');
const state = JSON.parse(fs.readFileSync(__dirname + '/state.json', 'utf-8'));
process.exit(state.waitExitCode ?? 0);
`;

/** The result of one run of a script with the fakes first on the PATH. */
export interface FakeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: FakeCall[];
  readonly state: FakeState;
}

/** Runs `script args` with the fake `aws` and `ecs-blue-green` first on the PATH. */
export function runWithFakes(script: string, args: string[], state: FakeState): FakeRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
  try {
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
    fs.writeFileSync(path.join(dir, 'calls.jsonl'), '');
    fs.writeFileSync(path.join(dir, 'aws'), FAKE_AWS, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'ecs-blue-green'), FAKE_CLI, { mode: 0o755 });
    const result = spawnSync('bash', [script, ...args], {
      encoding: 'utf-8',
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` },
    });
    const calls = fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf-8').split('\n').filter((l) => l).map((l) => JSON.parse(l) as FakeCall);
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls,
      state: JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf-8')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
