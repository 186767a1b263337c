// Integ test: BlueGreenEcsService with CANARY, test traffic on the production listener selected by
// a header, all the ready-made hooks plus a pause hook, and the default deployment alarm next to
// the user's. Verified from its snapshot.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  BlueGreenEcsService, DeploymentStrategy, HookTimeoutAction, LifecycleHook, LifecycleHookFunction, LifecycleStage, TrafficRouting,
} from '../src';
import { integApp } from './support/integ-app';

const { app, stack, cluster, listener, taskDefinition } = integApp('cdk-ecs-blue-green-integ-alb-canary');
const errors = new cloudwatch.Alarm(stack, 'Http5xx', {
  metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'Sum' }),
  threshold: 5,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { path: '/', requests: 10 });
const approval = LifecycleHookFunction.approvalGate(stack, 'Approval', { timeout: Duration.hours(1), onTimeout: HookTimeoutAction.ROLLBACK });
const metrics = LifecycleHookFunction.metricCheck(stack, 'MetricCheck', { alarms: [errors], duration: Duration.minutes(10) });
const analysis = LifecycleHookFunction.analysis(stack, 'Analysis', { minRequests: 20 });

const service = new BlueGreenEcsService(stack, 'Web', {
  cluster,
  taskDefinition,
  desiredCount: 2,
  routing: TrafficRouting.applicationLoadBalancer({ listener, testHeader: { name: 'X-Test-Traffic', value: 'true' }, priority: 100 }),
  strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(5) }),
  alarms: [errors],
  hooks: [
    smoke.toHook(),
    approval.toHook(),
    analysis.toHook(),
    metrics.toHook(),
    LifecycleHook.pause({ stages: [LifecycleStage.POST_SCALE_UP], timeout: Duration.hours(2), onTimeout: HookTimeoutAction.CONTINUE }),
  ],
});

const integ = new IntegTest(app, 'AlbCanaryHeader', { testCases: [stack], diffAssets: false });
integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: cluster.clusterArn, services: [service.service.serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [{ deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'CANARY' } }],
  }));
integ.assertions.httpApiCall(service.productionUrl!, { headers: { 'X-Test-Traffic': 'true' } }).expect(ExpectedResult.objectLike({ status: 200 }));
// The default deployment alarm exists and is a one-minute metric-math alarm (ECS rolls back on it).
integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [service.defaultAlarms[0].alarmName] })
  .expect(ExpectedResult.objectLike({ MetricAlarms: [{ Threshold: 1, EvaluationPeriods: 2, DatapointsToAlarm: 2 }] }));
