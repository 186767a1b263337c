import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LifecycleStage } from './lifecycle-hook';
import { ReadyMadeSpec, handlerAsset } from './ready-made';
import { BlueGreenValidationError } from '../errors';
import { METRIC_CHECK_OPTION_TYPES } from './hook-prop-types';
import { exemptFromNag } from '../private/nag';
import { T, checkArg } from '../private/prop-types';
import { finiteNumber, wholeMinutes } from '../private/validate';

/** Options of `LifecycleHookFunction.metricCheck()`. */
export interface MetricCheckOptions {
  /**
   * Alarms (metric or composite, at most 100) that fail the deployment when any is in ALARM. An
   * alarm the function cannot find (deleted, misspelled) fails it too.
   * @default - none (then `metric` is required)
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * A metric checked against `threshold` over the window.
   * @default - none (then `alarms` is required)
   */
  readonly metric?: cloudwatch.Metric;

  /**
   * Threshold of `metric`: exceeding it fails the deployment.
   * @default - required with `metric`
   */
  readonly threshold?: number;

  /**
   * Fail when the metric goes below the threshold instead of above it.
   * @default false
   */
  readonly failBelowThreshold?: boolean;

  /**
   * How long to watch, 1–1440 minutes.
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;

  /**
   * Stage at which the check runs.
   * @default [LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}

/** DescribeAlarms takes at most 100 alarm names (CloudWatch API reference). */
const MAX_ALARMS = 100;

/** The metric check's function and role. @internal */
export function metricCheckSpec(scope: Construct, options: MetricCheckOptions): ReadyMadeSpec {
  checkArg(scope, 'metricCheck', options, T.required(T.props('MetricCheckOptions ({ alarms?, metric?, threshold?, ... })', METRIC_CHECK_OPTION_TYPES)));
  const alarms = options.alarms ?? [];
  if (alarms.length === 0 && !options.metric) {
    throw new BlueGreenValidationError(scope, 'metricCheck.alarms', 'give alarms, a metric with a threshold, or both');
  }
  if (alarms.length > MAX_ALARMS) {
    throw new BlueGreenValidationError(scope, 'metricCheck.alarms', `at most ${MAX_ALARMS} alarms (DescribeAlarms reads 100 names at a time), got ${alarms.length}`);
  }
  if (options.metric && options.threshold === undefined) {
    throw new BlueGreenValidationError(scope, 'metricCheck.threshold', 'is required with metric');
  }
  if (options.threshold !== undefined) finiteNumber(scope, 'metricCheck.threshold', options.threshold);
  const windowMinutes = wholeMinutes(scope, 'metricCheck.duration', options.duration ?? Duration.minutes(10), 1, 1440);
  const metric = options.metric ? metricDetails(options.metric) : undefined;
  return {
    props: {
      code: lambda.Code.fromAsset(handlerAsset('metric-check')),
      timeout: Duration.seconds(30),
      description: 'ECS lifecycle hook: fails the deployment on alarms or a metric threshold',
      defaultStages: options.stages ?? [LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
      defaultDetails: {
        alarmNames: alarms.length > 0 ? alarms.map((a) => a.alarmName) : undefined,
        metric,
        threshold: options.threshold,
        comparison: options.failBelowThreshold ? 'LessThanThreshold' : 'GreaterThanThreshold',
        windowMinutes,
      },
      defaultTimeout: Duration.minutes(windowMinutes + 15),
    },
    configure: (fn) => {
      const unscoped: string[] = [];
      if (alarms.length > 0) {
        // CloudWatch returns composite alarms only to callers allowed DescribeAlarms on *
        // (CloudWatch API reference, DescribeAlarms). Alarms defined in this app as metric alarms
        // are named; a composite alarm, or an imported one that may be composite, needs *.
        const named = alarms.every((a) => a instanceof cloudwatch.Alarm);
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: named ? alarms.map((a) => a.alarmArn) : ['*'] }));
        if (!named) unscoped.push('cloudwatch:DescribeAlarms returns composite alarms only when allowed on * (CloudWatch API reference); the alarms include a composite or imported one');
      }
      if (metric) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
        unscoped.push('cloudwatch:GetMetricData does not support resource-level permissions (AWS service authorization reference)');
      }
      if (unscoped.length > 0) {
        exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{ id: 'AwsSolutions-IAM5', reason: `${unscoped.join('; ')}.`, appliesTo: ['Resource::*'] }]);
      }
    },
  };
}

function metricDetails(metric: cloudwatch.Metric) {
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: metric.dimensions,
    statistic: metric.statistic,
    periodSeconds: metric.period.toSeconds(),
  };
}
