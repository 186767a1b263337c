import { DescribeServiceDeploymentsCommand, ECSClient, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BLUE_REVISION, Capture, DEPLOYMENT_ARN, awaitingApproval, baking, inProgress, operatorBaking, paused, rolledBack, serve, succeeded,
  testClients, testEnv,
} from './fixtures';
import { status } from '../../src/cli/commands/status';

const ecs = mockClient(ECSClient);
const clients = testClients();
beforeEach(() => ecs.reset());

async function run(args: string[], options: { tty?: boolean } = {}) {
  const out = new Capture(options.tty);
  const { env, err, state } = testEnv(options);
  const code = await status.run(args, clients, out, env);
  return { code, out: out.text, err: err.text, state };
}

describe('status', () => {
  test('canary in progress: strategy, stage, production and test weights, exit 0', async () => {
    serve(ecs, inProgress());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Service +web in cluster prod$/m);
    expect(r.out).toMatch(/^Deployment +arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/4VqXvKq9xJ2bW1pQn8sTz$/m);
    expect(r.out).toMatch(/^Status +IN_PROGRESS$/m);
    expect(r.out).toMatch(/^Strategy +CANARY: 10% for 5m, then the rest; bake 15m$/m);
    expect(r.out).toMatch(/^Stage +PRODUCTION_TRAFFIC_SHIFT$/m);
    expect(r.out).toMatch(/^Production +green 10%, blue 90%$/m);
    expect(r.out).toMatch(/^Test +green 100%, blue 0%$/m);
    expect(r.out).toMatch(/^Green tasks +4\/4 running \(service-revision\/prod\/web\/7465843521978432101\)$/m);
    expect(r.out).toMatch(/^Started +2026-05-04T10:10:00Z \(20m ago\)$/m);
    expect(r.out).toMatch(/^Circuit breaker +MONITORING \(0 of 3 failed tasks\)$/m);
    expect(r.out).toMatch(/^Alarms +MONITORING: web-5xx$/m);
    expect(r.out).toMatch(/^ {2}AWS_LAMBDA +SUCCEEDED +web-smoke-test +POST_TEST_TRAFFIC_SHIFT$/m);
    expect(r.out).toMatch(/^ {2}PAUSE +SUCCEEDED +pause +POST_TEST_TRAFFIC_SHIFT$/m);
    expect(r.out).not.toMatch(/^Next/m);
    // The current deployment is looked up among the unfinished ones first.
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input).toEqual({
      cluster: 'prod', service: 'web', status: ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'],
    });
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)[0].args[0].input).toEqual({ serviceDeploymentArns: [DEPLOYMENT_ARN] });
  });

  test('paused: the PAUSE hook awaiting action, when it expires, its timeout action and what to run', async () => {
    serve(ecs, paused());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Stage +POST_TEST_TRAFFIC_SHIFT$/m);
    expect(r.out).toMatch(/^Production +green 0%, blue 100%$/m);
    expect(r.out).toMatch(/^ {2}PAUSE +AWAITING_ACTION +pause +POST_TEST_TRAFFIC_SHIFT +expires in 23h 0m \(2026-05-05T09:30:00Z\), then ROLLBACK, hook id 5e7d9a1c-pause$/m);
    expect(r.out).toContain('Next\n  ecs-blue-green continue prod web\n  ecs-blue-green rollback prod web\n');
  });

  test('operator bake: the PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT is labelled as the bake an operator can end early', async () => {
    serve(ecs, operatorBaking());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}PAUSE +AWAITING_ACTION +operator bake +POST_PRODUCTION_TRAFFIC_SHIFT +expires in 50m \(.*\), then CONTINUE, hook id 7a2e4b90-bake$/m);
    // The earlier pause (at POST_TEST_TRAFFIC_SHIFT) keeps its own label and stage.
    expect(r.out).toMatch(/^ {2}PAUSE +SUCCEEDED +pause +POST_TEST_TRAFFIC_SHIFT$/m);
    expect(r.out).toContain('Next\n  ecs-blue-green continue prod web\n  ecs-blue-green rollback prod web\n');
  });

  test('approval gate waiting: suggests approve / reject', async () => {
    serve(ecs, awaitingApproval());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}AWS_LAMBDA +IN_PROGRESS +web-approval-gate +PRE_PRODUCTION_TRAFFIC_SHIFT +expires in 1h 5m/m);
    expect(r.out).toContain('Next\n  ecs-blue-green approve prod web\n  ecs-blue-green reject prod web\n');
  });

  test('approval gate with its own parameter prefix: the suggestion carries it', async () => {
    serve(ecs, awaitingApproval('/approvals/team-a'));
    const r = await run(['prod', 'web']);
    expect(r.out).toContain('ecs-blue-green approve prod web --parameter-prefix /approvals/team-a');
  });

  test('approval gate whose HookDetails came back as the JSON string of the template: the prefix is read all the same', async () => {
    const d = awaitingApproval('/approvals/team-b');
    const hooks = d.deploymentConfiguration!.lifecycleHooks!.map((h) =>
      (h.hookDetails === undefined ? h : { ...h, hookDetails: JSON.stringify(h.hookDetails) as any }));
    serve(ecs, { ...d, deploymentConfiguration: { ...d.deploymentConfiguration, lifecycleHooks: hooks } });
    const r = await run(['prod', 'web']);
    expect(r.out).toContain('ecs-blue-green approve prod web --parameter-prefix /approvals/team-b');
  });

  test('baking, seen once: the bake time left is unknown (ECS does not report when BAKE_TIME began), not guessed', async () => {
    serve(ecs, baking());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Stage +BAKE_TIME$/m);
    expect(r.out).toMatch(/^Production +green 100%, blue 0%$/m);
    expect(r.out).toMatch(/^Bake time +15m, time left unknown \(ECS does not report when baking began;/m);
    const json = JSON.parse((await run(['prod', 'web', '--output', 'json'])).out);
    expect(json.bakeTime).toEqual({ minutes: 15, remainingSecondsAtMost: null, remainingSecondsAtLeast: null, basis: 'unknown' });
  });

  test('succeeded: with nothing running, the newest finished deployment is shown, exit 0', async () => {
    serve(ecs, succeeded());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Status +SUCCESSFUL$/m);
    expect(r.out).toMatch(/^Finished +2026-05-04T10:28:00Z$/m);
    expect(r.out).toMatch(/^Bake time +15m$/m);
    // Second call lists every deployment; the newer of the two is described.
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[1].args[0].input).toEqual({ cluster: 'prod', service: 'web', nextToken: undefined });
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)[0].args[0].input).toEqual({ serviceDeploymentArns: [DEPLOYMENT_ARN] });
  });

  test('rolled back: reason, fired alarm, exit 1', async () => {
    serve(ecs, rolledBack());
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Status +ROLLBACK_SUCCESSFUL \(Service deployment rolled back because the alarm web-5xx was triggered\.\)$/m);
    expect(r.out).toMatch(/^Alarms +TRIGGERED: web-5xx \(fired: web-5xx\)$/m);
    expect(r.out).toMatch(/^Rollback +Alarm web-5xx is in ALARM state\. \(started 2026-05-04T10:29:00Z\)$/m);
  });

  test('--output json: the summary as JSON', async () => {
    serve(ecs, paused());
    const r = await run(['prod', 'web', '--output', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      serviceDeploymentArn: DEPLOYMENT_ARN,
      status: 'IN_PROGRESS',
      outcome: 'running',
      strategy: 'CANARY',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      productionTraffic: { green: 0, blue: 100 },
      testTraffic: { green: 100, blue: 0 },
      sourceRevisionArns: [BLUE_REVISION],
      bakeTime: { minutes: 15 },
    });
    expect(json.hooks[1]).toEqual({
      hookId: '5e7d9a1c-pause',
      type: 'PAUSE',
      status: 'AWAITING_ACTION',
      target: null,
      stages: ['POST_TEST_TRAFFIC_SHIFT'],
      timeoutMinutes: 1440,
      timeoutAction: 'ROLLBACK',
      expiresAt: '2026-05-05T09:30:00Z',
      expiresInSeconds: 82800,
      expiresInBasis: 'expiresAt',
      approvalParameterPrefix: null,
    });
  });

  test('--watch without a terminal: one line per change, then the final status; exit like wait', async () => {
    serve(ecs, paused(), paused(), inProgress(), baking(), succeeded());
    const r = await run(['prod', 'web', '--watch', '--interval', '5']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '2026-05-04T10:30:00.000Z IN_PROGRESS | POST_TEST_TRAFFIC_SHIFT | production green 0% | paused (AWAITING_ACTION) | pause times out in 23h 0m (then ROLLBACK)',
      '2026-05-04T10:30:10.000Z IN_PROGRESS | PRODUCTION_TRAFFIC_SHIFT | production green 10%',
      '2026-05-04T10:30:15.000Z IN_PROGRESS | BAKE_TIME | production green 100% | bake 14m 55s to 15m left',
      '2026-05-04T10:30:20.000Z SUCCESSFUL | CLEAN_UP | production green 100%',
    ]);
    expect(r.out).toMatch(/^Status +SUCCESSFUL$/m);
    expect(r.state.slept).toEqual([5000, 5000, 5000, 5000]);
  });

  test('--watch on a terminal redraws the block in place', async () => {
    serve(ecs, inProgress(), rolledBack());
    const r = await run(['prod', 'web', '--watch'], { tty: true });
    expect(r.code).toBe(1);
    expect(r.out).toContain('ecs-blue-green status prod web   2026-05-04T10:30:00Z, every 10s (Ctrl-C to stop)');
    expect(r.out).toMatch(/\x1b\[\d+F\x1b\[0J/);
    expect(r.out).toMatch(/^Status +ROLLBACK_SUCCESSFUL/m);
  });

  test('fails with exit 3 when the service has no service deployments', async () => {
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no service deployments found for service web in cluster prod/);
  });

  test('fails with exit 3 on an AWS error, naming it', async () => {
    ecs.on(ListServiceDeploymentsCommand).rejects(Object.assign(new Error('User is not authorized to perform: ecs:ListServiceDeployments'),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400, requestId: 'req-1' } }));
    const r = await run(['prod', 'web']);
    expect(r.code).toBe(3);
    expect(r.err).toBe('ecs-blue-green: AccessDeniedException: User is not authorized to perform: ecs:ListServiceDeployments (request req-1)\n');
  });

  test('fails with exit 3 when DescribeServiceDeployments reports a failure', async () => {
    ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [], failures: [{ arn: DEPLOYMENT_ARN, reason: 'MISSING' }] });
    const r = await run(['prod', 'web', '--deployment', DEPLOYMENT_ARN]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`cannot describe service deployment ${DEPLOYMENT_ARN}: MISSING`);
  });

  test('fails with exit 2 on a missing argument, an unknown option or a bad value', async () => {
    expect((await run(['prod'])).err).toMatch(/missing <service>\nRun 'ecs-blue-green status --help' for usage/);
    expect((await run(['prod'])).code).toBe(2);
    const typo = await run(['prod', 'web', '--wacth']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown option --wacth \(did you mean --watch\?\)/);
    const output = await run(['prod', 'web', '--output', 'yaml']);
    expect(output.code).toBe(2);
    expect(output.err).toMatch(/--output must be one of text, json, got 'yaml'/);
    expect(ecs.calls()).toHaveLength(0);
  });

  test('--help prints usage and exits 0 without calling AWS', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: ecs-blue-green status <cluster> <service> \[options\]/);
    expect(r.out).toContain('--watch');
    expect(r.out).toContain('Exit codes:');
    expect(ecs.calls()).toHaveLength(0);
  });
});
