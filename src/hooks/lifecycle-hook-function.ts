import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  HookTimeoutAction, LifecycleHook, LifecycleHookBindOptions, LifecycleHookConfig, LifecycleStage,
} from './lifecycle-hook';
import { BlueGreenValidationError } from '../errors';
import { exemptFromNag } from '../private/nag';
import { finiteNumber, integerInRange, wholeMillis, wholeMinutes } from '../private/validate';

/** Props of `LifecycleHookFunction`. */
export interface LifecycleHookFunctionProps {
  /** The handler code (Node.js 22). `cdk-ecs-blue-green/lib/hooks/runtime` has typed helpers. */
  readonly code: lambda.Code;

  /**
   * The handler, `file.export`.
   * @default 'index.handler'
   */
  readonly handler?: string;

  /**
   * Lambda timeout. Keep each invocation short and return IN_PROGRESS to wait longer.
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;

  /**
   * Memory of the function, MB.
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * VPC to run in, e.g. to reach an internal load balancer's test listener. Allow the function's
   * `connections` to the listener.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets in `vpc`.
   * @default - private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups in `vpc`.
   * @default - a new security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Stages used by `toHook()` when it is given none.
   * @default - toHook() must be given stages
   */
  readonly defaultStages?: LifecycleStage[];

  /**
   * Details passed to the handler as `hookDetails` by every hook made with `toHook()`.
   * @default - none
   */
  readonly defaultDetails?: { [key: string]: any };

  /**
   * Description of the function.
   * @default - a generic description
   */
  readonly description?: string;
}

/** Options of `LifecycleHookFunction.toHook()`. */
export interface ToHookOptions {
  /**
   * Stages at which ECS runs the hook.
   * @default - the function's default stages
   */
  readonly stages?: LifecycleStage[];

  /**
   * Details for this hook, merged over the function's default details.
   * @default - the default details
   */
  readonly details?: { [key: string]: any };

  /**
   * How long ECS waits for the hook, 1–20160 minutes.
   * @default - the function's default, else ECS's (24 hours)
   */
  readonly timeout?: Duration;

  /**
   * What ECS does when the timeout expires.
   * @default - the function's default, else HookTimeoutAction.ROLLBACK
   */
  readonly onTimeout?: HookTimeoutAction;
}

/** Options of `LifecycleHookFunction.httpSmokeTest()`. */
export interface HttpSmokeTestOptions {
  /**
   * Base URL to test.
   * @default - the service's test endpoint (test listener, or the production listener with the test header)
   */
  readonly url?: string;

  /**
   * Path requested on the URL.
   * @default '/'
   */
  readonly path?: string;

  /**
   * Acceptable status codes.
   * @default [200]
   */
  readonly expectedStatus?: number[];

  /**
   * Regular expression (JavaScript syntax) the body must match.
   * @default - the body is not checked
   */
  readonly bodyPattern?: string;

  /**
   * Number of requests, 1–1000.
   * @default 10
   */
  readonly requests?: number;

  /**
   * Slowest acceptable response, 1 ms to 60 s in whole milliseconds (the handler gives up on a
   * request after twice this time, and the function runs for at most 2 minutes).
   * @default - latency is not checked
   */
  readonly maxLatency?: Duration;

  /**
   * VPC to send the requests from (for internal load balancers).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Stage at which the test runs.
   * @default [LifecycleStage.POST_TEST_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}

/** Options of `LifecycleHookFunction.approvalGate()`. */
export interface ApprovalGateOptions {
  /**
   * SSM parameter prefix; the decision for a service is `<prefix>/<cluster>/<service>`.
   * @default '/ecs-blue-green/approvals'
   */
  readonly parameterPrefix?: string;

  /**
   * How long to wait for a decision, 1 minute to 14 days (whole minutes).
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * What happens without a decision: CONTINUE (like CodeDeploy's automatic re-route) or ROLLBACK.
   * @default HookTimeoutAction.ROLLBACK
   */
  readonly onTimeout?: HookTimeoutAction;

  /**
   * Stage at which the deployment waits.
   * @default [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}

/** Options of `LifecycleHookFunction.metricCheck()`. */
export interface MetricCheckOptions {
  /**
   * Alarms that fail the deployment when any is in ALARM.
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

const HANDLERS_DIR = path.join(__dirname, '..', '..', 'assets', 'hooks', 'handlers');
/** httpSmokeTest: the slowest acceptable response that fits in the function's 2-minute timeout. */
const MAX_SMOKE_LATENCY_MS = 60_000;

/**
 * A Lambda function shaped for ECS lifecycle hooks: Node.js 22 on arm64, a log group with
 * retention, a least-privilege execution role. One function can serve many services and stages:
 * `toHook()` makes a hook for each use. Ready-made hooks: `httpSmokeTest`, `approvalGate`,
 * `metricCheck`.
 */
export class LifecycleHookFunction extends Construct implements ec2.IConnectable {
  /**
   * Sends HTTP requests to the green revision (by default through the service's test endpoint) and
   * fails the deployment on an unexpected status, body or latency.
   */
  public static httpSmokeTest(scope: Construct, id: string, options: HttpSmokeTestOptions = {}): LifecycleHookFunction {
    const requests = integerInRange(scope, 'httpSmokeTest.requests', options.requests ?? 10, 1, 1000);
    const maxLatencyMs = options.maxLatency && wholeMillis(scope, 'httpSmokeTest.maxLatency', options.maxLatency, 1, MAX_SMOKE_LATENCY_MS);
    if (options.bodyPattern !== undefined) {
      try {
        new RegExp(options.bodyPattern);
      } catch (e) {
        throw new BlueGreenValidationError(scope, 'httpSmokeTest.bodyPattern', `is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    for (const status of options.expectedStatus ?? []) integerInRange(scope, 'httpSmokeTest.expectedStatus', status, 100, 599);
    if (options.url !== undefined && !/^https?:\/\//.test(options.url) && !options.url.startsWith('${Token')) {
      throw new BlueGreenValidationError(scope, 'httpSmokeTest.url', `must start with http:// or https://, got ${options.url}`);
    }
    return new LifecycleHookFunction(scope, id, {
      code: lambda.Code.fromAsset(path.join(HANDLERS_DIR, 'http-smoke-test.lambda')),
      timeout: Duration.minutes(2),
      vpc: options.vpc,
      description: 'ECS lifecycle hook: HTTP smoke test of the green revision',
      defaultStages: options.stages ?? [LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
      defaultDetails: {
        url: options.url,
        path: options.path,
        expectedStatus: options.expectedStatus,
        bodyPattern: options.bodyPattern,
        requests,
        maxLatencyMs,
      },
    }, (details, bound, hookScope) => {
      const url = details.url ?? bound.testEndpointUrl;
      if (url === undefined) {
        // Without a URL the handler can only answer FAILED: every deployment would roll back.
        throw new BlueGreenValidationError(hookScope, 'httpSmokeTest.url',
          `${id} has no url and the service has no test endpoint to default to (an ALB test listener or test header, or an NLB test listener); set url`);
      }
      return {
        ...details,
        url,
        headerName: details.headerName ?? bound.testHeaderName,
        headerValue: details.headerValue ?? bound.testHeaderValue,
      };
    });
  }

  /**
   * Waits for an operator's decision before production traffic moves (CodeDeploy's manual
   * re-route). Approve with
   * `aws ssm put-parameter --name /ecs-blue-green/approvals/<cluster>/<service> --type String --overwrite --value approve`
   * (or `reject`).
   */
  public static approvalGate(scope: Construct, id: string, options: ApprovalGateOptions = {}): LifecycleHookFunction {
    const prefix = options.parameterPrefix ?? '/ecs-blue-green/approvals';
    if (!/^\/[A-Za-z0-9_.\-/]+[^/]$/.test(prefix)) {
      throw new BlueGreenValidationError(scope, 'approvalGate.parameterPrefix',
        `must be an SSM parameter path such as /ecs-blue-green/approvals (starts with /, no trailing /), got ${prefix}`);
    }
    const timeoutMinutes = wholeMinutes(scope, 'approvalGate.timeout', options.timeout ?? Duration.hours(1), 1, 20160 - 10);
    const onTimeout = options.onTimeout ?? HookTimeoutAction.ROLLBACK;
    if (!Object.values(HookTimeoutAction).includes(onTimeout)) {
      throw new BlueGreenValidationError(scope, 'approvalGate.onTimeout', `must be ROLLBACK or CONTINUE, got ${onTimeout}`);
    }
    const fn = new LifecycleHookFunction(scope, id, {
      code: lambda.Code.fromAsset(path.join(HANDLERS_DIR, 'approval-gate.lambda')),
      timeout: Duration.seconds(30),
      description: 'ECS lifecycle hook: waits for an approve/reject decision in SSM Parameter Store',
      defaultStages: options.stages ?? [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT],
      defaultDetails: { parameterPrefix: prefix, timeoutMinutes, onTimeout },
      // ECS's own timeout is a backstop, 10 minutes after the handler's, with the same action.
      defaultTimeout: Duration.minutes(timeoutMinutes + 10),
      defaultOnTimeout: onTimeout,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [Stack.of(fn).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${prefix.slice(1)}/*` })],
    }));
    exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Reads only the decision parameters under the configured prefix, one per cluster/service: the wildcard stands for <cluster>/<service>.',
    }]);
    return fn;
  }

  /**
   * Fails the deployment as soon as one of `alarms` is in ALARM or `metric` crosses `threshold`;
   * succeeds after `duration` without either.
   */
  public static metricCheck(scope: Construct, id: string, options: MetricCheckOptions): LifecycleHookFunction {
    const alarms = options.alarms ?? [];
    if (alarms.length === 0 && !options.metric) {
      throw new BlueGreenValidationError(scope, 'metricCheck.alarms', 'give alarms, a metric with a threshold, or both');
    }
    if (options.metric && options.threshold === undefined) {
      throw new BlueGreenValidationError(scope, 'metricCheck.threshold', 'is required with metric');
    }
    if (options.threshold !== undefined) finiteNumber(scope, 'metricCheck.threshold', options.threshold);
    const windowMinutes = wholeMinutes(scope, 'metricCheck.duration', options.duration ?? Duration.minutes(10), 1, 1440);
    const metric = options.metric ? metricDetails(options.metric) : undefined;
    const fn = new LifecycleHookFunction(scope, id, {
      code: lambda.Code.fromAsset(path.join(HANDLERS_DIR, 'metric-check.lambda')),
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
    });
    if (alarms.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: alarms.map((a) => a.alarmArn) }));
    }
    if (metric) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
      exemptFromNag(fn.role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'cloudwatch:GetMetricData does not support resource-level permissions (AWS service authorization reference).',
        appliesTo: ['Resource::*'],
      }]);
    }
    return fn;
  }

  /** The Lambda function. */
  public readonly function: lambda.Function;

  /** The function's execution role. */
  public readonly role: iam.Role;

  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  private readonly defaultStages?: LifecycleStage[];
  private readonly defaultDetails?: { [key: string]: any };
  private readonly defaultTimeout?: Duration;
  private readonly defaultOnTimeout?: HookTimeoutAction;
  private readonly bindDetails?: (details: { [key: string]: any }, bound: LifecycleHookBindOptions, scope: Construct) => { [key: string]: any };

  constructor(scope: Construct, id: string, props: LifecycleHookFunctionProps);
  /** @internal */
  constructor(scope: Construct, id: string, props: LifecycleHookFunctionProps & { defaultTimeout?: Duration; defaultOnTimeout?: HookTimeoutAction },
    bindDetails?: (details: { [key: string]: any }, bound: LifecycleHookBindOptions, scope: Construct) => { [key: string]: any });
  constructor(scope: Construct, id: string, props: LifecycleHookFunctionProps & { defaultTimeout?: Duration; defaultOnTimeout?: HookTimeoutAction },
    bindDetails?: (details: { [key: string]: any }, bound: LifecycleHookBindOptions, scope: Construct) => { [key: string]: any }) {
    super(scope, id);
    if (props.memorySize !== undefined) integerInRange(this, 'memorySize', props.memorySize, 128, 10240);
    this.defaultStages = props.defaultStages;
    this.defaultDetails = props.defaultDetails;
    this.defaultTimeout = props.defaultTimeout;
    this.defaultOnTimeout = props.defaultOnTimeout;
    this.bindDetails = bindDetails;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of an ECS lifecycle hook function',
    });
    // The log group's ARN (Fn::GetAtt Arn) already ends in ':*', covering its streams.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
    if (props.vpc) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
      exemptFromNag(this.role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'Lambda in a VPC manages its network interfaces; these EC2 actions cannot be scoped to interfaces that do not exist yet.',
        appliesTo: ['Resource::*'],
      }]);
    }

    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: props.handler ?? 'index.handler',
      code: props.code,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 256,
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      description: props.description ?? 'ECS lifecycle hook',
    });
    this.function.node.addDependency(this.role);
    exemptFromNag(this.function, [{
      id: 'AwsSolutions-L1',
      reason: 'Hook handlers target Node.js 22, the runtime they are built and tested for; the runtime is bumped deliberately with the handlers.',
    }]);
  }

  /** Security group connections (when the function runs in a VPC). */
  public get connections(): ec2.Connections {
    return this.function.connections;
  }

  /** Adds a statement to the function's execution role. */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }

  /** A lifecycle hook that runs this function. */
  public toHook(options: ToHookOptions = {}): LifecycleHook {
    return new FunctionHook(this, options);
  }

  /** @internal */
  public _bindHook(scope: Construct, options: ToHookOptions, bound: LifecycleHookBindOptions): LifecycleHookConfig {
    const stages = options.stages ?? this.defaultStages;
    if (!stages) {
      throw new BlueGreenValidationError(scope, 'hooks.stages', `${this.node.path} has no default stages: pass stages to toHook()`);
    }
    let details: { [key: string]: any } | undefined = this.defaultDetails || options.details
      ? stripUndefined({ ...this.defaultDetails, ...options.details })
      : undefined;
    if (this.bindDetails) details = stripUndefined(this.bindDetails(details ?? {}, bound, scope));
    return LifecycleHook.lambda(this.function, {
      stages,
      details,
      timeout: options.timeout ?? this.defaultTimeout,
      onTimeout: options.onTimeout ?? this.defaultOnTimeout,
    }).bind(scope, bound);
  }
}

class FunctionHook extends LifecycleHook {
  constructor(private readonly fn: LifecycleHookFunction, private readonly options: ToHookOptions) {
    super();
  }

  public bind(scope: Construct, options: LifecycleHookBindOptions): LifecycleHookConfig {
    return this.fn._bindHook(scope, this.options, options);
  }
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

function stripUndefined(o: { [key: string]: any }): { [key: string]: any } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
