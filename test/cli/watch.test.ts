// `status --watch` and `wait` on jest's fake timers: the loop sleeps with a real setTimeout, the
// mocks answer each poll with the next state of the deployment and of the production rule, and the
// watch must end by itself on a final status (with its exit code) or at once on Ctrl-C.
import { DescribeServiceDeploymentsCommand, ECSClient, ServiceDeployment } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  Capture, DEPLOYMENT_ARN, NOW, PROD_RULE, TEST_RULE, baking, inProgress, paused, rolledBack, rollingBack, serve, serveRules, serveService,
  succeeded, testClients, timerEnv,
} from './fixtures';
import { CommandDefinition } from '../../src/cli/command';
import { status } from '../../src/cli/commands/status';
import { wait } from '../../src/cli/commands/wait';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const clients = testClients();

beforeEach(() => {
  ecs.reset();
  elb.reset();
  jest.useFakeTimers({ now: NOW });
});
afterEach(() => jest.useRealTimers());

/** Starts a command on the fake clock; `result` settles once the command returns. */
function start(command: CommandDefinition, args: string[]) {
  const out = new Capture();
  const t = timerEnv();
  let code: number | undefined;
  const result = command.run(args, clients, out, t.env).then((c) => { code = c; return c; });
  return { out, ...t, result, code: () => code };
}

/** Serves `states` one per poll, with the production rule's weights (A, B) following `weights`. */
function deployment(states: ServiceDeployment[], weights: Array<[number, number]>) {
  serve(ecs, ...states);
  serveService(ecs, { alb: true });
  serveRules(elb, weights);
}

const polls = () => ecs.commandCalls(DescribeServiceDeploymentsCommand).length;

describe('status --watch', () => {
  test('ends by itself when the deployment succeeds: exit 0, one poll per interval, no timer or Ctrl-C listener left', async () => {
    deployment([paused(), inProgress(), baking(), succeeded()], [[1, 0], [9, 1], [0, 1], [0, 1]]);
    const w = start(status, ['prod', 'web', '--watch', '--interval', '5']);
    await jest.advanceTimersByTimeAsync(0);
    expect(polls()).toBe(1);
    expect(w.listening()).toBe(1);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(polls()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(polls()).toBe(2);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(w.code()).toBe(0);
    expect(polls()).toBe(4);
    expect(jest.getTimerCount()).toBe(0);
    expect(w.listening()).toBe(0);
    const lines = w.out.text.split('\n');
    // Each line: the status, the rule weights read at that poll (production A/B, test A/B).
    expect(lines.slice(0, 4)).toEqual([
      '2026-05-04T10:30:00.000Z IN_PROGRESS | POST_TEST_TRAFFIC_SHIFT | production green 0% | production rule web-a 100% / web-b 0% | ' +
        'test rule web-a 0% / web-b 100% | paused (AWAITING_ACTION) | pause times out in 23h 0m (then ROLLBACK)',
      '2026-05-04T10:30:05.000Z IN_PROGRESS | PRODUCTION_TRAFFIC_SHIFT | production green 10% | production rule web-a 90% / web-b 10% | test rule web-a 0% / web-b 100%',
      '2026-05-04T10:30:10.000Z IN_PROGRESS | BAKE_TIME | production green 100% | production rule web-a 0% / web-b 100% | test rule web-a 0% / web-b 100% | ' +
        'bake 14m 55s to 15m left',
      '2026-05-04T10:30:15.000Z SUCCESSFUL | CLEAN_UP | production green 100% | production rule web-a 0% / web-b 100% | test rule web-a 0% / web-b 100%',
    ]);
    expect(w.out.text).toMatch(/^Status +SUCCESSFUL$/m);
    // The rules are read by ARN at every poll, in one DescribeRules call.
    expect(elb.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input)).toEqual(Array(4).fill({ RuleArns: [PROD_RULE, TEST_RULE] }));
  });

  test('ends by itself when the deployment is rolled back: exit 1', async () => {
    deployment([inProgress(), rollingBack(), rolledBack()], [[9, 1], [1, 0]]);
    const w = start(status, ['prod', 'web', '--watch']);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(w.code()).toBe(1);
    expect(polls()).toBe(3);
    expect(w.out.text).toMatch(/^Status +ROLLBACK_SUCCESSFUL/m);
    expect(jest.getTimerCount()).toBe(0);
  });

  for (const [name, final] of [['ROLLBACK_FAILED', { ...rolledBack(), status: 'ROLLBACK_FAILED' }], ['STOPPED', { ...rolledBack(), status: 'STOPPED' }]] as const) {
    test(`ends by itself on ${name}: exit 1`, async () => {
      deployment([inProgress(), final as ServiceDeployment], [[9, 1]]);
      const w = start(status, ['prod', 'web', '--watch', '--interval', '1']);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(w.code()).toBe(1);
      expect(polls()).toBe(2);
    });
  }

  test('Ctrl-C during the pause ends it at once: exit 130, no further poll, the deployment left alone', async () => {
    deployment([paused()], [[1, 0]]);
    const w = start(status, ['prod', 'web', '--watch', '--interval', '30']);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(polls()).toBe(2);
    w.interrupt();
    await jest.advanceTimersByTimeAsync(0);
    expect(w.code()).toBe(130);
    expect(polls()).toBe(2);
    expect(w.err.text).toBe(`ecs-blue-green: stopped watching; deployment ${DEPLOYMENT_ARN} is IN_PROGRESS and goes on\n`);
    expect(w.listening()).toBe(0);
    // Only reads: nothing was continued, stopped or rolled back.
    expect(ecs.calls().every((c) => /^(List|Describe)/.test(c.args[0].constructor.name))).toBe(true);
  });

  test('--output json: one object per poll with the time, the last one final', async () => {
    deployment([inProgress(), succeeded()], [[9, 1], [0, 1]]);
    const w = start(status, ['prod', 'web', '--watch', '--output', 'json']);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(w.code()).toBe(0);
    const objects = w.out.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(objects.map((o) => [o.schemaVersion, o.time, o.status, o.trafficRules[0].targetGroups.map((g: any) => g.percent)])).toEqual([
      [1, '2026-05-04T10:30:00Z', 'IN_PROGRESS', [90, 10]],
      [1, '2026-05-04T10:30:10Z', 'SUCCESSFUL', [0, 100]],
    ]);
  });
});

describe('wait', () => {
  test('Ctrl-C: exit 130, says the deployment goes on; with --output json the result is "interrupted"', async () => {
    deployment([inProgress()], [[9, 1]]);
    const w = start(wait, ['prod', 'web']);
    await jest.advanceTimersByTimeAsync(15_000);
    w.interrupt();
    await jest.advanceTimersByTimeAsync(0);
    expect(w.code()).toBe(130);
    expect(w.out.text).toBe('Stopped (Ctrl-C) after 15s: the deployment is still IN_PROGRESS (PRODUCTION_TRAFFIC_SHIFT) and goes on.\n');

    ecs.resetHistory();
    const j = start(wait, ['prod', 'web', '--output', 'json']);
    await jest.advanceTimersByTimeAsync(0);
    j.interrupt();
    await jest.advanceTimersByTimeAsync(0);
    expect(j.code()).toBe(130);
    expect(JSON.parse(j.out.text)).toMatchObject({ schemaVersion: 1, result: 'interrupted', waitedSeconds: 0, deployment: { status: 'IN_PROGRESS' } });
    expect(j.err.text).toContain('stopped waiting (Ctrl-C)');
  });

  test('ends by itself on success with the same facts as status --watch on stderr (rule weights, bake time left)', async () => {
    deployment([inProgress(), baking(), succeeded()], [[9, 1], [0, 1]]);
    const w = start(wait, ['prod', 'web', '--interval', '20']);
    await jest.advanceTimersByTimeAsync(40_000);
    expect(w.code()).toBe(0);
    expect(w.err.text).toContain('IN_PROGRESS | BAKE_TIME | production green 100% | production rule web-a 0% / web-b 100% | test rule web-a 0% / web-b 100% | bake 14m 40s to 15m left');
    expect(jest.getTimerCount()).toBe(0);
  });

  test('the timeout ends it on the fake clock too: exit 3', async () => {
    deployment([paused()], [[1, 0]]);
    const w = start(wait, ['prod', 'web', '--timeout', '40s', '--interval', '15']);
    await jest.advanceTimersByTimeAsync(39_999);
    expect(w.code()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(w.code()).toBe(3);
    expect(polls()).toBe(4);
  });
});
