import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BlueGreenEcsService, LifecycleHook, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../../src';
import { albFixture, newStack } from '../support';

/**
 * CodePipeline's ECS deploy action waits at most its DeploymentTimeout (60 minutes at most) for
 * the service it updates; a deployment that waits longer at an approval gate or PAUSE hook fails
 * the action while ECS goes on. The service sees the pipeline's actions in the same app at synth.
 */

const WARNING = 'cdk-ecs-blue-green:gate-longer-than-deploy-action';

function build(hook: (stack: Stack) => LifecycleHook, deploymentTimeout?: Duration) {
  const stack = newStack();
  const f = albFixture(stack);
  const web = new BlueGreenEcsService(stack, 'Web', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    hooks: [hook(stack)],
  });
  const source = new codepipeline.Artifact('Source');
  new codepipeline.Pipeline(stack, 'Pipeline', {
    stages: [
      { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Src', bucket: new s3.Bucket(stack, 'Bucket', { versioned: true }), bucketKey: 'k', output: source })] },
      { stageName: 'Deploy', actions: [new actions.EcsDeployAction({ actionName: 'Deploy', service: web.service, input: source, deploymentTimeout })] },
    ],
  });
  return stack;
}

function warnings(stack: Stack) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING.replace(/[:-]/g, '.')));
}

describe('an approval gate longer than the CodePipeline ECS deploy action waits', () => {
  test('warns for an approval gate of 90 minutes behind the 60-minute action', () => {
    const stack = build((s) => LifecycleHookFunction.approvalGate(s, 'Gate', { timeout: Duration.minutes(90) }).toHook());
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe('/TestStack/Web');
    expect(found[0].entry.data).toMatch(/can wait up to 90 minutes at its approval gate \(PRE_PRODUCTION_TRAFFIC_SHIFT\), longer than the ECS deploy action TestStack\/Pipeline Deploy\/Deploy waits \(DeploymentTimeout 60 minutes\)/);
  });

  test('warns for a PAUSE hook without a timeout (ECS waits 1440 minutes) behind a 30-minute action', () => {
    const stack = build(() => LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }), Duration.minutes(30));
    expect(warnings(stack)[0].entry.data).toMatch(/can wait up to 1440 minutes at its PAUSE hook \(POST_TEST_TRAFFIC_SHIFT\), .*\(DeploymentTimeout 30 minutes\)/);
  });

  test('no warning when the gate fits in the action\'s timeout', () => {
    const stack = build((s) => LifecycleHookFunction.approvalGate(s, 'Gate', { timeout: Duration.minutes(20) }).toHook());
    expect(warnings(stack)).toHaveLength(0);
  });
});
