import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LifecycleStage } from './lifecycle-hook';
import { BACKSTOP_MINUTES, MAX_HOOK_TIMEOUT_MINUTES, ReadyMadeSpec, handlerAsset } from './ready-made';
import { BlueGreenValidationError } from '../errors';
import { ANALYSIS_OPTION_TYPES } from './hook-prop-types';
import { exemptFromNag } from '../private/nag';
import { checkProps } from '../private/prop-types';
import { integerInRange, wholeMillis, wholeMinutes } from '../private/validate';

/** What the analysis answers when a measurement is inconclusive (green served too few requests). */
export enum InconclusiveAction {
  /** Roll the deployment back: no evidence is bad evidence. */
  FAILED = 'FAILED',
  /** Let the deployment go on (e.g. services with little traffic, guarded by alarms). */
  SUCCEEDED = 'SUCCEEDED',
  /** Keep measuring until the analysis timeout, then roll back. An inconclusive measurement breaks the run of passing ones. */
  WAIT = 'WAIT',
}

/** Options of `LifecycleHookFunction.analysis()`. */
export interface AnalysisOptions {
  /**
   * Highest share (0–1) of green's requests that may be answered with a target 5xx in one measurement.
   * @default 0.05
   */
  readonly maxErrorRate?: number;

  /**
   * How many times blue's 5xx rate green's may be (1 or more), when blue served at least
   * `minRequests` in the same measurement. Rates below one request of the smaller sample count
   * as one request, so a single 5xx against a clean blue does not fail the deployment.
   * @default 2
   */
  readonly maxErrorRateRatio?: number;

  /**
   * Highest p99 `TargetResponseTime` of green, 1 ms to 60 s in whole milliseconds.
   * @default - no absolute latency threshold
   */
  readonly maxLatency?: Duration;

  /**
   * How many times blue's p99 `TargetResponseTime` green's may be (1 or more), when blue served
   * at least `minRequests` in the same measurement.
   * @default 1.5
   */
  readonly maxLatencyRatio?: number;

  /**
   * Fewest requests green must serve in a measurement for it to count; fewer is inconclusive.
   * @default 50
   */
  readonly minRequests?: number;

  /**
   * Length of one measurement, 1–60 whole minutes (the period of the CloudWatch metrics read).
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Passing measurements in a row, 1–100, after which the hook answers SUCCEEDED.
   * @default 5
   */
  readonly measurements?: number;

  /**
   * Failing measurements tolerated, 0–100; one more answers FAILED. A failing measurement breaks
   * the run of passing ones.
   * @default 0
   */
  readonly failureLimit?: number;

  /**
   * What an inconclusive measurement leads to.
   * @default InconclusiveAction.WAIT
   */
  readonly onInconclusive?: InconclusiveAction;

  /**
   * How long the analysis may take, 1–20150 whole minutes; then it answers FAILED. ECS's own
   * timeout for the hook is set 10 minutes later, with ROLLBACK, as a backstop.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * Stages at which the analysis runs. While production traffic shifts (canary, linear) both
   * revisions serve it and green is compared with blue over the same minutes; when blue serves too
   * little (an all-at-once shift), only the absolute thresholds apply.
   * @default [LifecycleStage.PRODUCTION_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}


/** The analysis' function, its role, and its binding to each service's target groups. @internal */
export function analysisSpec(scope: Construct, id: string, options: AnalysisOptions): ReadyMadeSpec {
  checkProps(scope, 'analysis', options, ANALYSIS_OPTION_TYPES);
  const maxErrorRate = fraction(scope, 'analysis.maxErrorRate', options.maxErrorRate ?? 0.05);
  const maxErrorRateRatio = atLeastOne(scope, 'analysis.maxErrorRateRatio', options.maxErrorRateRatio ?? 2);
  const maxLatencyRatio = atLeastOne(scope, 'analysis.maxLatencyRatio', options.maxLatencyRatio ?? 1.5);
  const maxLatencyMs = options.maxLatency && wholeMillis(scope, 'analysis.maxLatency', options.maxLatency, 1, 60_000);
  const minRequests = integerInRange(scope, 'analysis.minRequests', options.minRequests ?? 50, 1, 1_000_000);
  const intervalMinutes = wholeMinutes(scope, 'analysis.interval', options.interval ?? Duration.minutes(1), 1, 60);
  const measurements = integerInRange(scope, 'analysis.measurements', options.measurements ?? 5, 1, 100);
  const failureLimit = integerInRange(scope, 'analysis.failureLimit', options.failureLimit ?? 0, 0, 100);
  const onInconclusive = options.onInconclusive ?? InconclusiveAction.WAIT;
  if (!Object.values(InconclusiveAction).includes(onInconclusive)) {
    throw new BlueGreenValidationError(scope, 'analysis.onInconclusive', `must be FAILED, SUCCEEDED or WAIT, got ${onInconclusive}`);
  }
  const timeoutMinutes = wholeMinutes(scope, 'analysis.timeout', options.timeout ?? Duration.minutes(30), 1, MAX_HOOK_TIMEOUT_MINUTES - BACKSTOP_MINUTES);
  if (!Token.isUnresolved(timeoutMinutes) && !Token.isUnresolved(intervalMinutes) && timeoutMinutes < measurements * intervalMinutes) {
    throw new BlueGreenValidationError(scope, 'analysis.timeout',
      `${timeoutMinutes} minutes cannot hold ${measurements} measurements of ${intervalMinutes} minutes; give at least ${measurements * intervalMinutes}`);
  }
  const readable = new Set<string>();
  return {
    props: {
      code: lambda.Code.fromAsset(handlerAsset('analysis')),
      timeout: Duration.seconds(30),
      description: 'ECS lifecycle hook: compares the green target group\'s 5xx rate and p99 latency with blue\'s',
      defaultStages: options.stages ?? [LifecycleStage.PRODUCTION_TRAFFIC_SHIFT],
      defaultDetails: {
        maxErrorRate,
        maxErrorRateRatio,
        maxLatencyMs,
        maxLatencyRatio,
        minRequests,
        intervalSeconds: intervalMinutes * 60,
        measurements,
        failureLimit,
        onInconclusive,
        timeoutMinutes,
      },
      defaultTimeout: Duration.minutes(timeoutMinutes + BACKSTOP_MINUTES),
    },
    configure: (fn) => {
      // GetMetricData cannot be scoped to metrics (AWS service authorization reference: no resource types).
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
      exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'cloudwatch:GetMetricData does not support resource-level permissions (AWS service authorization reference).',
        appliesTo: ['Resource::*'],
      }]);
    },
    bindDetails: (details, bound, hookScope, fn) => {
      const targets = bound.loadBalancerTargets?.[0];
      if (!targets || targets.networkLoadBalancer) {
        throw new BlueGreenValidationError(hookScope, 'analysis',
          `${id} reads an application load balancer's target group metrics (5xx responses, TargetResponseTime), and this service has ` +
          `${targets ? 'a network load balancer, which publishes neither' : 'no load balancer'}; use metricCheck with alarms on the service's own metrics`);
      }
      if (bound.clusterName === undefined) {
        throw new BlueGreenValidationError(hookScope, 'analysis', `${id} needs the service's cluster name to read which target group holds green`);
      }
      // Which target group holds green is read from the green service revision (DescribeServiceRevisions).
      // A revision ARN is service-revision/<cluster>/<service>/<revision id> (Service Authorization
      // Reference, "Actions, resources, and condition keys for Amazon Elastic Container Service"):
      // scoped to the service when the app names it; a name CloudFormation generates is known only
      // once the service exists, and the service waits for this function (a dependency cycle).
      const revisions = bound.serviceName !== undefined ? `${bound.clusterName}/${bound.serviceName}/*` : `${bound.clusterName}/*`;
      if (!readable.has(revisions)) {
        readable.add(revisions);
        fn.addToRolePolicy(new iam.PolicyStatement({
          actions: ['ecs:DescribeServiceRevisions'],
          resources: [Stack.of(fn).formatArn({ service: 'ecs', resource: 'service-revision', resourceName: revisions })],
        }));
        exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{
          id: 'AwsSolutions-IAM5',
          reason: bound.serviceName !== undefined
            ? 'Reads the service revisions of the services it is bound to: the wildcard stands for the revision id, only known during a deployment.'
            : 'Reads service revisions of the clusters of the services it is bound to: the wildcard stands for <service>/<revision id>, '
              + 'and a revision ARN is only known during a deployment.',
          appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service-revision\\/.+\\/\\*$/' }],
        }]);
      }
      return {
        ...details,
        loadBalancer: targets.loadBalancerFullName,
        targetGroupArns: targets.targetGroupArns,
        targetGroupNames: targets.targetGroupFullNames,
      };
    },
  };
}

function fraction(scope: Construct, prop: string, value: number): number {
  if (!Token.isUnresolved(value) && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new BlueGreenValidationError(scope, prop, `must be a fraction from 0 to 1 (0.05 is 5 %), got ${value}`);
  }
  return value;
}

function atLeastOne(scope: Construct, prop: string, value: number): number {
  if (!Token.isUnresolved(value) && !(Number.isFinite(value) && value >= 1)) {
    throw new BlueGreenValidationError(scope, prop, `must be a finite number of at least 1, got ${value}`);
  }
  return value;
}
