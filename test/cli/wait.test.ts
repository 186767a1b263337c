import { DescribeServiceDeploymentsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  Capture, DEPLOYMENT_ARN, awaitingApproval, baking, inProgress, paused, rollingBack, rolledBack, serve, succeeded, testClients, testEnv,
} from './fixtures';
import { wait } from '../../src/cli/commands/wait';

const ecs = mockClient(ECSClient);
const clients = testClients();
beforeEach(() => ecs.reset());

async function run(args: string[], options: { tty?: boolean } = {}) {
  const out = new Capture();
  const { env, err, state } = testEnv(options);
  const code = await wait.run(args, clients, out, env);
  return { code, out: out.text, err: err.text, state };
}

describe('wait', () => {
  test('exits 0 once the deployment succeeded; one progress line per change on stderr', async () => {
    serve(ecs, paused(), inProgress(), inProgress(), baking(), succeeded());
    const r = await run(['prod', 'web', '--interval', '30']);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual([
      '2026-05-04T10:30:00.000Z IN_PROGRESS | POST_TEST_TRAFFIC_SHIFT | production green 0% | paused (AWAITING_ACTION) | ' +
        'next: ecs-blue-green continue prod web / ecs-blue-green rollback prod web | pause times out in 23h 0m (then ROLLBACK)',
      '2026-05-04T10:30:30.000Z IN_PROGRESS | PRODUCTION_TRAFFIC_SHIFT | production green 10%',
      // BAKE_TIME began after the poll at 10:31:00 and by 10:31:30: 14m 30s to 15m left.
      '2026-05-04T10:31:30.000Z IN_PROGRESS | BAKE_TIME | production green 100% | bake 14m 30s to 15m left',
      '2026-05-04T10:32:00.000Z SUCCESSFUL | CLEAN_UP | production green 100%',
      '',
    ]);
    expect(r.out).toBe(`Deployment succeeded: ${DEPLOYMENT_ARN} (waited 2m)\n`);
    expect(r.state.slept).toEqual([30_000, 30_000, 30_000, 30_000]);
    // After the first lookup, the same deployment is followed by ARN.
    for (const call of ecs.commandCalls(DescribeServiceDeploymentsCommand)) {
      expect(call.args[0].input).toEqual({ serviceDeploymentArns: [DEPLOYMENT_ARN] });
    }
  });

  test('exits 1 after the rollback finished, with the reason and the final status', async () => {
    serve(ecs, inProgress(), rollingBack(), rolledBack());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ROLLBACK_IN_PROGRESS | PRODUCTION_TRAFFIC_SHIFT | production green 0%');
    expect(r.out).toMatch(/^Deployment rolled back: ROLLBACK_SUCCESSFUL: Alarm web-5xx is in ALARM state\. \(waited 30s\)$/m);
    expect(r.out).toMatch(/^Alarms +TRIGGERED: web-5xx \(fired: web-5xx\)$/m);
  });

  test('exits 1 at once when the newest deployment already rolled back', async () => {
    serve(ecs, rolledBack());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(1);
    expect(r.state.slept).toEqual([]);
  });

  test('exits 3 when the timeout expires; the deployment goes on', async () => {
    serve(ecs, awaitingApproval());
    const r = await run(['prod', 'web', '--timeout', '1m', '--interval', '25']);
    expect(r.code).toBe(3);
    expect(r.state.slept).toEqual([25_000, 25_000, 10_000]);
    expect(r.out).toBe('Timed out after 1m: the deployment is still IN_PROGRESS (PRE_PRODUCTION_TRAFFIC_SHIFT) and goes on.\n');
    expect(r.err).toContain('next: ecs-blue-green approve prod web / ecs-blue-green reject prod web');
  });

  test('on a terminal, one status line is rewritten in place with the elapsed time', async () => {
    serve(ecs, inProgress(), baking(), succeeded());
    const r = await run(['prod', 'web'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.err).toContain('\r\x1b[2K| IN_PROGRESS | PRODUCTION_TRAFFIC_SHIFT | production green 10% | 0s elapsed');
    expect(r.err).toContain('\r\x1b[2K/ IN_PROGRESS | BAKE_TIME | production green 100% | bake 14m 45s to 15m left | 15s elapsed');
    expect(r.err.endsWith('\r\x1b[2K')).toBe(true);
  });

  test('--output json: the result and the final summary', async () => {
    serve(ecs, inProgress(), succeeded());
    const r = await run(['prod', 'web', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ result: 'succeeded', waitedSeconds: 15, deployment: { status: 'SUCCESSFUL', outcome: 'succeeded' } });
  });

  test('fails with exit 2 on a bad --timeout', async () => {
    const r = await run(['prod', 'web', '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--timeout must be a duration such as 90s, 30m, 2h or 1h30m/);
    expect(ecs.calls()).toHaveLength(0);
  });
});
