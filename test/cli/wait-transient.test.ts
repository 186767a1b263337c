// `wait` (and `status --watch`, which share watchDeployment) against AWS errors during a long
// watch. The CLI's clients keep the SDK's standard retry mode (three attempts for throttling, 5xx
// and network errors: "Retry behavior", AWS SDKs and Tools Reference Guide); a poll that still
// fails with such an error is reported and the watch goes on, until its timeout. A permanent error
// (access denied) ends it at once, as before. The SDK's own retries are shown in clients-retry.test.ts.
import { DescribeServiceDeploymentsCommand, ECSClient, ServiceDeployment } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { Capture, DEPLOYMENT_ARN, inProgress, serve, succeeded, testClients, testEnv } from './fixtures';
import { wait } from '../../src/cli/commands/wait';

const ecs = mockClient(ECSClient);
const clients = testClients();
beforeEach(() => ecs.reset());

const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
const denied = () => Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

/** The deployment goes through `states`, one per successful DescribeServiceDeployments; calls numbered in `failing` fail with `error`. */
function serveFailing(states: ServiceDeployment[], failing: number[], error: () => Error): void {
  serve(ecs, ...states);
  let call = 0;
  let served = 0;
  ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => {
    call++;
    if (failing.includes(call)) throw error();
    return { serviceDeployments: [states[Math.min(served++, states.length - 1)]] };
  });
}

async function run(args: string[]) {
  const out = new Capture();
  const { env, err, state } = testEnv();
  const code = await wait.run(args, clients, out, env);
  return { code, out: out.text, err: err.text, state };
}

describe('wait, transient AWS errors', () => {
  test('a poll failing with a 5xx (after the SDK\'s retries) is reported and the wait goes on to the outcome', async () => {
    serveFailing([inProgress(), inProgress(), succeeded()], [2, 3], unavailable);
    const r = await run(['prod', 'web', '--interval', '30']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Deployment succeeded: ${DEPLOYMENT_ARN} (waited 2m)\n`);
    expect(r.err.match(/could not read the deployment \(ServiceUnavailable: Service Unavailable\); trying again in 30s/g)).toHaveLength(2);
  });

  test('transient errors until the timeout: exit 3, timed out, with the last state read', async () => {
    serveFailing([inProgress()], [2, 3, 4, 5, 6, 7, 8, 9, 10], unavailable);
    const r = await run(['prod', 'web', '--interval', '30', '--timeout', '2m']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^Timed out after 2m: the deployment is still IN_PROGRESS/);
  });

  test('access denied during the watch ends it at once, naming the error', async () => {
    serveFailing([inProgress(), inProgress(), succeeded()], [2], denied);
    const r = await run(['prod', 'web', '--interval', '30']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('ecs-blue-green: AccessDeniedException: User is not authorized');
  });
});
