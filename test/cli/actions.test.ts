import {
  ContinueServiceDeploymentCommand, ECSClient, ListServiceDeploymentsCommand, ServiceDeployment, StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CLUSTER_ARN, Capture, DEPLOYMENT_ARN, NOW, SERVICE_ARN, awaitingApproval, inProgress, paused, rollingBack, serve, succeeded, testClients, testEnv,
} from './fixtures';
import { CommandDefinition } from '../../src/cli/command';
import { approve, reject } from '../../src/cli/commands/approval';
import { continueDeployment, rollback } from '../../src/cli/commands/deployment-actions';
import { handler as approvalGate } from '../../src/hooks/handlers/approval-gate.lambda';

const ecs = mockClient(ECSClient);
const ssm = mockClient(SSMClient);
const clients = testClients();
beforeEach(() => {
  ecs.reset();
  ssm.reset();
  ecs.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
  ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN });
  ssm.on(PutParameterCommand).resolves({ Version: 3, Tier: 'Standard' });
});

async function run(command: CommandDefinition, args: string[]) {
  const out = new Capture();
  const { env, err } = testEnv();
  const code = await command.run(args, clients, out, env);
  return { code, out: out.text, err: err.text };
}

describe('continue', () => {
  test('continues the PAUSE hook awaiting action', async () => {
    serve(ecs, paused());
    const r = await run(continueDeployment, ['prod', 'web']);
    expect(r.code).toBe(0);
    expect(ecs.commandCalls(ContinueServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArn: DEPLOYMENT_ARN, hookId: '5e7d9a1c-pause', action: 'CONTINUE' },
    ]);
    expect(r.out).toBe(`Continued ${DEPLOYMENT_ARN} past PAUSE hook 5e7d9a1c-pause at POST_TEST_TRAFFIC_SHIFT.\n` +
      'Follow it with: ecs-blue-green wait prod web\n');
  });

  test('fails with exit 3 when no PAUSE hook awaits action, and points at the approval gate when it waits', async () => {
    serve(ecs, awaitingApproval());
    const r = await run(continueDeployment, ['prod', 'web']);
    expect(r.code).toBe(3);
    expect(r.err).toBe('ecs-blue-green: no PAUSE hook is awaiting action (deployment IN_PROGRESS, stage PRE_PRODUCTION_TRAFFIC_SHIFT); ' +
      "the approval gate is waiting: run 'ecs-blue-green approve prod web'\n");
    expect(ecs.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(0);
  });

  test('fails with exit 3 when the deployment is finished', async () => {
    serve(ecs, succeeded());
    const r = await run(continueDeployment, ['prod', 'web']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`nothing to continue: deployment ${DEPLOYMENT_ARN} is SUCCESSFUL`);
  });

  test('with two paused hooks, --hook-id picks one (exit 2 without it)', async () => {
    const d: ServiceDeployment = paused();
    d.lifecycleHookDetails = [...d.lifecycleHookDetails!, { hookId: '77aa-pause-2', targetType: 'PAUSE', status: 'AWAITING_ACTION' }];
    serve(ecs, d);
    const ambiguous = await run(continueDeployment, ['prod', 'web']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/2 PAUSE hooks await action; choose one with --hook-id: 5e7d9a1c-pause, 77aa-pause-2/);
    const picked = await run(continueDeployment, ['prod', 'web', '--hook-id', '77aa-pause-2', '--output', 'json']);
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.out)).toEqual({ serviceDeploymentArn: DEPLOYMENT_ARN, hookId: '77aa-pause-2', action: 'CONTINUE', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
    const wrong = await run(continueDeployment, ['prod', 'web', '--hook-id', 'nope']);
    expect(wrong.code).toBe(3);
    expect(wrong.err).toMatch(/hook nope is not a PAUSE hook awaiting action/);
  });
});

describe('rollback', () => {
  test('stops the running deployment with stopType ROLLBACK', async () => {
    serve(ecs, inProgress());
    const r = await run(rollback, ['prod', 'web']);
    expect(r.code).toBe(0);
    expect(ecs.commandCalls(StopServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArn: DEPLOYMENT_ARN, stopType: 'ROLLBACK' },
    ]);
    expect(r.out).toBe(`Rollback requested for ${DEPLOYMENT_ARN} (was at PRODUCTION_TRAFFIC_SHIFT).\nFollow it with: ecs-blue-green wait prod web\n`);
  });

  test('works while paused too', async () => {
    serve(ecs, paused());
    expect((await run(rollback, ['prod', 'web'])).code).toBe(0);
    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
  });

  test('is a no-op (exit 0) when the deployment is already rolling back', async () => {
    serve(ecs, rollingBack());
    const r = await run(rollback, ['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('is already rolling back (ROLLBACK_IN_PROGRESS)');
    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });

  test('fails with exit 3 when nothing runs', async () => {
    serve(ecs, succeeded());
    const r = await run(rollback, ['prod', 'web']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('nothing to roll back: deployment');
    expect(r.err).toContain('deploy the previous task definition again');
    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });
});

describe('approve / reject', () => {
  test('approve writes the approval gate\'s parameter <prefix>/<cluster>/<service>', async () => {
    serve(ecs, awaitingApproval());
    const r = await run(approve, ['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input)).toEqual([{
      Name: '/ecs-blue-green/approvals/prod/web',
      Value: 'approve',
      Type: 'String',
      Overwrite: true,
      Description: 'ecs-blue-green approval gate decision for service web in cluster prod',
    }]);
    expect(r.out).toBe("Wrote 'approve' to /ecs-blue-green/approvals/prod/web.\nThe approval gate reads it at its next poll and lets the deployment go on.\n");
  });

  test('the parameter is the one the approvalGate hook reads for the service', async () => {
    serve(ecs, awaitingApproval());
    await run(approve, [CLUSTER_ARN, SERVICE_ARN]);
    const written = ssm.commandCalls(PutParameterCommand)[0].args[0].input;
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: written.Name, Value: written.Value, LastModifiedDate: new Date(NOW), Type: 'String' } });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await approvalGate({
        executionDetails: { serviceArn: SERVICE_ARN, targetServiceRevisionArn: 'r', testTrafficWeights: {}, productionTrafficWeights: {} },
        executionId: 'exec-1',
        lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        resourceArn: DEPLOYMENT_ARN,
        hookDetails: { _startedAt: NOW - 60_000 },
      } as any);
      expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/ecs-blue-green/approvals/prod/web' });
      expect(result).toMatchObject({ hookStatus: 'SUCCEEDED' });
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('uses the waiting gate\'s own prefix, or --parameter-prefix', async () => {
    serve(ecs, awaitingApproval('/approvals/team-a'));
    await run(reject, ['prod', 'web']);
    await run(reject, ['prod', 'web', '--parameter-prefix', '/ops/gates']);
    expect(ssm.commandCalls(PutParameterCommand).map((c) => [c.args[0].input.Name, c.args[0].input.Value])).toEqual([
      ['/approvals/team-a/prod/web', 'reject'],
      ['/ops/gates/prod/web', 'reject'],
    ]);
  });

  test('warns (and still writes) when no approval gate is waiting: the gate ignores early decisions', async () => {
    serve(ecs, inProgress());
    const early = await run(approve, ['prod', 'web', '--output', 'json']);
    expect(early.code).toBe(0);
    expect(early.err).toMatch(/warning: no approval gate is waiting right now \(stage PRODUCTION_TRAFFIC_SHIFT\): the gate ignores decisions written before it starts/);
    expect(JSON.parse(early.out)).toMatchObject({ parameter: '/ecs-blue-green/approvals/prod/web', decision: 'approve', gateWaiting: false });

    ecs.reset();
    serve(ecs, succeeded());
    const late = await run(reject, ['prod', 'web']);
    expect(late.err).toMatch(/warning: no deployment is running \(the newest is SUCCESSFUL\)/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(2);
  });

  test('writes the decision even when the deployment cannot be read', async () => {
    ecs.on(ListServiceDeploymentsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const r = await run(approve, ['prod', 'web']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/could not check the deployment \(not authorized\)/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  test('fails with exit 2 on an invalid prefix, exit 3 when SSM refuses', async () => {
    const bad = await run(approve, ['prod', 'web', '--parameter-prefix', 'approvals/']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--parameter-prefix must be an SSM parameter path/);
    serve(ecs, awaitingApproval());
    ssm.on(PutParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:PutParameter'), { name: 'AccessDeniedException' }));
    const denied = await run(approve, ['prod', 'web']);
    expect(denied.code).toBe(3);
    expect(denied.err).toMatch(/AccessDeniedException: User is not authorized to perform: ssm:PutParameter/);
  });
});
