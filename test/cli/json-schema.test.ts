// Pins the JSON of `status --output json` (schema version 1): every key and its JSON types, over
// deployments in every state, must match PINNED below and the field table in docs/CLI.md. A key
// added, removed, renamed or retyped fails here; change docs/CLI.md with it, and raise
// SCHEMA_VERSION for anything but an added field.
import * as fs from 'fs';
import * as path from 'path';
import { ECSClient, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  Capture, awaitingApproval, baking, inProgress, paused, rolledBack, serve, serveRules, serveService, succeeded, testClients, testEnv,
} from './fixtures';
import { status } from '../../src/cli/commands/status';
import { wait } from '../../src/cli/commands/wait';
import { SCHEMA_VERSION } from '../../src/cli/deployments';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const clients = testClients();
beforeEach(() => {
  ecs.reset();
  elb.reset();
});

/** Each path of the summary (`a.b`, `list[].c`) and the JSON types it may have. */
const PINNED: Record<string, string> = {
  'schemaVersion': 'number',
  'serviceDeploymentArn': 'string|null',
  'serviceArn': 'string|null',
  'clusterArn': 'string|null',
  'status': 'string|null',
  'statusReason': 'string|null',
  'outcome': 'string',
  'strategy': 'string|null',
  'strategyDescription': 'string|null',
  'lifecycleStage': 'string|null',
  'productionTraffic': 'object|null',
  'productionTraffic.green': 'number',
  'productionTraffic.blue': 'number',
  'testTraffic': 'object|null',
  'testTraffic.green': 'number',
  'testTraffic.blue': 'number',
  'trafficRules': 'array',
  'trafficRules[].traffic': 'string',
  'trafficRules[].kind': 'string',
  'trafficRules[].arn': 'string',
  'trafficRules[].targetGroups': 'array',
  'trafficRules[].targetGroups[].arn': 'string',
  'trafficRules[].targetGroups[].weight': 'number|null',
  'trafficRules[].targetGroups[].percent': 'number|null',
  'trafficRules[].targetGroups[].role': 'string',
  'trafficRules[].error': 'string|null',
  'trafficRulesError': 'string|null',
  'targetRevision': 'object|null',
  'targetRevision.arn': 'string|null',
  'targetRevision.requestedTaskCount': 'number|null',
  'targetRevision.runningTaskCount': 'number|null',
  'targetRevision.pendingTaskCount': 'number|null',
  'sourceRevisionArns': 'array',
  'sourceRevisionArns[]': 'string',
  'hooks': 'array',
  'hooks[].hookId': 'string|null',
  'hooks[].type': 'string',
  'hooks[].status': 'string|null',
  'hooks[].target': 'string|null',
  'hooks[].stages': 'array|null',
  'hooks[].stages[]': 'string',
  'hooks[].timeoutMinutes': 'number|null',
  'hooks[].timeoutAction': 'string|null',
  'hooks[].expiresAt': 'string|null',
  'hooks[].expiresInSeconds': 'number|null',
  'hooks[].expiresInBasis': 'string',
  'hooks[].approvalParameterPrefix': 'string|null',
  'bakeTime': 'object|null',
  'bakeTime.minutes': 'number',
  'bakeTime.remainingSecondsAtMost': 'number|null',
  'bakeTime.remainingSecondsAtLeast': 'number|null',
  'bakeTime.basis': 'string',
  'rollback': 'object|null',
  'rollback.reason': 'string|null',
  'rollback.startedAt': 'string|null',
  'rollback.serviceRevisionArn': 'string|null',
  'circuitBreaker': 'object|null',
  'circuitBreaker.status': 'string|null',
  'circuitBreaker.failureCount': 'number|null',
  'circuitBreaker.threshold': 'number|null',
  'alarms': 'object|null',
  'alarms.status': 'string|null',
  'alarms.alarmNames': 'array',
  'alarms.alarmNames[]': 'string',
  'alarms.triggeredAlarmNames': 'array',
  'alarms.triggeredAlarmNames[]': 'string',
  'createdAt': 'string|null',
  'startedAt': 'string|null',
  'finishedAt': 'string|null',
  'stoppedAt': 'string|null',
  'updatedAt': 'string|null',
};

/** The JSON type of a value: string, number, boolean, null, array, object. */
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Adds each path under `value` and the type seen there to `seen`. */
function shape(value: unknown, seen: Map<string, Set<string>>, at = ''): Map<string, Set<string>> {
  // An object inside an array is described by its fields (`hooks[].hookId`), not by a row of its own.
  const arrayElementObject = at.endsWith('[]') && value !== null && typeof value === 'object' && !Array.isArray(value);
  if (at && !arrayElementObject) {
    if (!seen.has(at)) seen.set(at, new Set());
    seen.get(at)!.add(typeOf(value));
  }
  if (Array.isArray(value)) {value.forEach((v) => shape(v, seen, `${at}[]`));} else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) shape(v, seen, at ? `${at}.${k}` : k);
  }
  return seen;
}

/** A field table of docs/CLI.md (between the `<marker>:start` and `:end` comments) as path → types. */
function documented(marker = 'json-schema'): Record<string, string> {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/CLI.md'), 'utf-8');
  const table = doc.split(`<!-- ${marker}:start -->`)[1].split(`<!-- ${marker}:end -->`)[0];
  const rows: Record<string, string> = {};
  for (const line of table.split('\n')) {
    const m = /^\| `([^`]+)` \| ([a-z ]+) \|/.exec(line);
    if (m) rows[m[1]] = m[2].split(' or ').join('|');
  }
  return rows;
}

async function json(command: typeof status, args: string[]): Promise<unknown[]> {
  const out = new Capture();
  const { env } = testEnv();
  await command.run(args, clients, out, env);
  return out.text.trim().split('\n(?=\\{)').length && out.text.trim().startsWith('{\n')
    ? [JSON.parse(out.text)]
    : out.text.trim().split('\n').map((l) => JSON.parse(l));
}

/** Summaries of a deployment in every state the fixtures know, with ALB rules (one unreadable run too). */
async function summaries(): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const d of [paused(), awaitingApproval(), inProgress(), baking(), succeeded(), rolledBack()]) {
    ecs.reset();
    elb.reset();
    serve(ecs, d);
    serveService(ecs, { alb: true });
    serveRules(elb, [[9, 1]]);
    all.push(...await json(status, ['prod', 'web', '--output', 'json']));
  }
  // A watch that saw BAKE_TIME begin (the bake time's bounds are numbers), one object per line.
  ecs.reset();
  serve(ecs, inProgress(), baking(), succeeded());
  serveService(ecs, { alb: true });
  const lines = await json(status, ['prod', 'web', '--watch', '--output', 'json']);
  expect(lines).toHaveLength(3);
  all.push(...lines.map((l) => { const { time, ...rest } = l as Record<string, unknown>; expect(typeof time).toBe('string'); return rest; }));
  // Rules that cannot be read.
  ecs.reset();
  elb.reset();
  serve(ecs, inProgress());
  serveService(ecs, { alb: true });
  elb.rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  all.push(...await json(status, ['prod', 'web', '--output', 'json']));
  return all;
}

describe('status --output json: schema version 1', () => {
  test('every key and its types are as pinned, in every state', async () => {
    const seen = new Map<string, Set<string>>();
    const list = await summaries();
    for (const s of list) {
      shape(s, seen);
      // Every top-level key is present in every summary (null, never left out).
      expect(Object.keys(s as object).sort()).toEqual(Object.keys(PINNED).filter((k) => !/[.[]/.test(k)).sort());
    }
    expect([...seen.keys()].sort()).toEqual(Object.keys(PINNED).sort());
    for (const [at, types] of seen) {
      const allowed = PINNED[at].split('|');
      for (const t of types) expect(`${at}: ${t}`).toBe(`${at}: ${allowed.includes(t) ? t : `one of ${PINNED[at]}`}`);
    }
    expect((list[0] as { schemaVersion: number }).schemaVersion).toBe(1);
    expect(SCHEMA_VERSION).toBe(1);
  });

  test('docs/CLI.md documents exactly the pinned fields with the pinned types', () => {
    expect(documented()).toEqual(PINNED);
  });

  test('wait --output json: schemaVersion, result, waitedSeconds and the summary', async () => {
    serve(ecs, inProgress(), succeeded());
    const [out] = await json(wait, ['prod', 'web', '--output', 'json']) as Array<Record<string, unknown>>;
    expect(Object.keys(out)).toEqual(['schemaVersion', 'result', 'waitedSeconds', 'deployment']);
    expect(out).toMatchObject({ schemaVersion: 1, result: 'succeeded', waitedSeconds: 15 });
    expect(Object.keys(out.deployment as object).sort()).toEqual(Object.keys(PINNED).filter((k) => !/[.[]/.test(k)).sort());
  });
});

/** The error object of `--output json` (src/cli/command.ts JsonError), as docs/CLI.md documents it. */
const PINNED_ERROR: Record<string, string> = {
  'error': 'object',
  'error.exitCode': 'number',
  'error.kind': 'string',
  'error.command': 'string|null',
  'error.name': 'string|null',
  'error.message': 'string',
  'error.requestId': 'string|null',
};

describe('errors with --output json', () => {
  test('a usage error, an AWS error and an expected failure all print the pinned error object, and docs/CLI.md documents it', async () => {
    const seen = new Map<string, Set<string>>();
    const usage = await json(status, ['prod', '--output', 'json']);
    ecs.on(ListServiceDeploymentsCommand).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { requestId: 'r-1' } }));
    const aws = await json(status, ['prod', 'web', '--output', 'json']);
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const failure = await json(status, ['prod', 'web', '--output', 'json']);
    for (const out of [...usage, ...aws, ...failure]) shape(out, seen);
    expect(Object.fromEntries([...seen].map(([k, v]) => [k, [...v].sort().join('|')]))).toEqual(
      { ...PINNED_ERROR, 'error.command': 'string', 'error.name': 'null|string', 'error.requestId': 'null|string' });
    expect([usage, aws, failure].map((o) => (o[0] as any).error.kind)).toEqual(['usage', 'aws', 'failure']);
    expect(documented('json-error')).toEqual(PINNED_ERROR);
  });
});
