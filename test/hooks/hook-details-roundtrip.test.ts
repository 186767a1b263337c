// The ready-made hooks end to end through HookDetails: each construct renders its settings as the
// JSON string ECS accepts, CloudFormation resolves the string's tokens (Fn::Join), ECS hands the
// string to the function as `hookDetails`, and the handler reads it. The object form (what the
// ECS API may hand back) must read the same.
import * as http from 'http';
import { AddressInfo } from 'net';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { BlueGreenEcsService, LifecycleHookFunction, TrafficRouting } from '../../src';
import { handler as approval } from '../../src/hooks/handlers/approval-gate.lambda';
import { handler as smokeTest } from '../../src/hooks/handlers/http-smoke-test.lambda';
import { handler as metricCheck } from '../../src/hooks/handlers/metric-check.lambda';
import { albFixture, checkStack, newStack } from '../support';
import { hookEvent } from '../support/hook-events';

const ssm = mockClient(SSMClient);
const cw = mockClient(CloudWatchClient);
let server: http.Server;
let base: string;
const paths: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => { paths.push(req.url ?? ''); res.writeHead(200); res.end('ok'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  paths.length = 0;
  ssm.reset();
  cw.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  // Answers by request, as the services do: only the configured names exist.
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  ssm.on(GetParameterCommand, { Name: '/team/gates/prod/api' }).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  cw.on(DescribeAlarmsCommand, { AlarmNames: ['shop-errors'] }).resolves({ MetricAlarms: [{ AlarmName: 'shop-errors', StateValue: 'ALARM' }] });
});
afterEach(() => jest.restoreAllMocks());

/** What CloudFormation makes of a rendered HookDetails: Fn::Join with each intrinsic's value. */
function deployed(rendered: unknown, values: Record<string, string>): string {
  if (typeof rendered === 'string') return rendered;
  const parts = (rendered as any)['Fn::Join'][1] as unknown[];
  return parts.map((p) => (typeof p === 'string' ? p : values[JSON.stringify(p)] ?? `<unresolved ${JSON.stringify(p)}>`)).join('');
}

function renderedDetails() {
  const stack = newStack();
  const f = albFixture(stack);
  const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
  const hooks = [
    LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { url: base, path: '/health', requests: 2 }),
    LifecycleHookFunction.approvalGate(stack, 'Gate', { parameterPrefix: '/team/gates' }),
    LifecycleHookFunction.metricCheck(stack, 'Watch', { alarms: [errors] }),
  ];
  new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    hooks: hooks.map((h) => h.toHook()),
  });
  const template = checkStack(stack);
  const [svc] = Object.values(template.findResources('AWS::ECS::Service')) as any[];
  const rendered = (svc.Properties.DeploymentConfiguration.LifecycleHooks as any[]).map((h) => h.HookDetails);
  // The alarm's name as CloudFormation would resolve { Ref: alarm }.
  const values = { [JSON.stringify({ Ref: stack.getLogicalId(errors.node.defaultChild as cloudwatch.CfnAlarm) })]: 'shop-errors' };
  return { rendered, strings: rendered.map((r) => deployed(r, values)) };
}

test('every ready-made hook renders HookDetails as a JSON string (Fn::Join only around tokens)', () => {
  const { rendered, strings } = renderedDetails();
  expect(typeof rendered[0]).toBe('string');
  expect(typeof rendered[1]).toBe('string');
  expect(rendered[2]).toEqual({ 'Fn::Join': ['', expect.any(Array)] });
  expect(strings.map((s) => JSON.parse(s))).toEqual([
    { url: base, path: '/health', requests: 2 },
    { parameterPrefix: '/team/gates', timeoutMinutes: 60, onTimeout: 'ROLLBACK' },
    { alarmNames: ['shop-errors'], comparison: 'GreaterThanThreshold', windowMinutes: 10 },
  ]);
});

describe.each([
  ['the JSON string of the template', (s: string) => s],
  ['an object', (s: string) => JSON.parse(s)],
])('each handler reads hookDetails given as %s', (_form, as) => {
  test('httpSmokeTest requests the configured url and path', async () => {
    const { strings } = renderedDetails();
    expect(await smokeTest(hookEvent('POST_TEST_TRAFFIC_SHIFT', as(strings[0])))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(paths).toEqual(['/health', '/health']);
  });

  test('approvalGate reads the decision under the configured prefix', async () => {
    const { strings } = renderedDetails();
    expect(await approval(hookEvent('PRE_PRODUCTION_TRAFFIC_SHIFT', as(strings[1])))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input.Name)).toEqual(['/team/gates/prod/api']);
  });

  test('metricCheck watches the configured alarm', async () => {
    const { strings } = renderedDetails();
    expect(await metricCheck(hookEvent('POST_PRODUCTION_TRAFFIC_SHIFT', as(strings[2])))).toEqual({ hookStatus: 'FAILED' });
    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames)).toEqual([['shop-errors']]);
  });
});
