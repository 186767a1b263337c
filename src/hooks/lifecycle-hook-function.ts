import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AnalysisOptions, analysisSpec } from './analysis';
import { ApprovalGateOptions, approvalGateSpec } from './approval-gate';
import { HOOK_FUNCTION_PROP_TYPES, TO_HOOK_OPTION_TYPES } from './hook-prop-types';
import { HttpSmokeTestOptions, httpSmokeTestSpec } from './http-smoke-test';
import {
  HookTimeoutAction, LifecycleHook, LifecycleHookBindOptions, LifecycleHookConfig, LifecycleStage,
} from './lifecycle-hook';
import { MetricCheckOptions, metricCheckSpec } from './metric-check';
import { BindDetails, ReadyMadeProps, ReadyMadeSpec } from './ready-made';
import { BlueGreenValidationError } from '../errors';
import { exemptFromNag } from '../private/nag';
import { checkProps } from '../private/prop-types';
import { integerInRange } from '../private/validate';

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

/**
 * A Lambda function shaped for ECS lifecycle hooks: Node.js 22 on arm64, a log group with
 * retention, a least-privilege execution role. One function can serve many services and stages:
 * `toHook()` makes a hook for each use. Ready-made hooks: `httpSmokeTest`, `approvalGate`,
 * `metricCheck`, `analysis`.
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { LifecycleHookFunction } from 'cdk-ecs-blue-green';
 *
 * declare const vpc: ec2.IVpc;   // where the internal load balancer is
 * const smokeTest = LifecycleHookFunction.httpSmokeTest(this, 'SmokeTest', { path: '/health', vpc });
 * const hook = smokeTest.toHook();   // for BlueGreenEcsService's `hooks`
 */
export class LifecycleHookFunction extends Construct implements ec2.IConnectable {
  /**
   * Sends HTTP requests to the green revision (by default through the service's test endpoint) and
   * fails the deployment on an unexpected status, body or latency. At synth time each service it
   * is bound to is checked: the requests must be able to reach the test listener from where the
   * function runs (see `HttpSmokeTestOptions`), else the error names the fix.
   */
  public static httpSmokeTest(scope: Construct, id: string, options: HttpSmokeTestOptions = {}): LifecycleHookFunction {
    return LifecycleHookFunction.readyMade(scope, id, httpSmokeTestSpec(scope, id, options));
  }

  /**
   * Waits for an operator's decision before production traffic moves (CodeDeploy's manual
   * re-route). Approve with
   * `aws ssm put-parameter --name /ecs-blue-green/approvals/<cluster>/<service> --type String --overwrite --value approve`
   * (or `reject`).
   */
  public static approvalGate(scope: Construct, id: string, options: ApprovalGateOptions = {}): LifecycleHookFunction {
    return LifecycleHookFunction.readyMade(scope, id, approvalGateSpec(scope, options));
  }

  /**
   * Fails the deployment as soon as one of `alarms` is in ALARM (or cannot be found) or `metric`
   * crosses `threshold`; succeeds after `duration` without either.
   */
  public static metricCheck(scope: Construct, id: string, options: MetricCheckOptions): LifecycleHookFunction {
    return LifecycleHookFunction.readyMade(scope, id, metricCheckSpec(scope, options));
  }

  /**
   * Judges green by its load balancer metrics, the way progressive-delivery tools analyse a
   * canary: each measurement (one `interval`) compares the green target group's target 5xx rate
   * and p99 TargetResponseTime with thresholds and with blue's over the same minutes; too few
   * requests make it inconclusive. SUCCEEDED after `measurements` passing measurements in a row,
   * FAILED after more than `failureLimit` failing ones or at its timeout. Which target group holds
   * green is read from ECS (the green service revision), and an invocation while traffic moves back
   * to blue (a rollback) answers SUCCEEDED at once. Needs an application load balancer.
   */
  public static analysis(scope: Construct, id: string, options: AnalysisOptions = {}): LifecycleHookFunction {
    return LifecycleHookFunction.readyMade(scope, id, analysisSpec(scope, id, options));
  }

  private static readyMade(scope: Construct, id: string, spec: ReadyMadeSpec): LifecycleHookFunction {
    const fn = new LifecycleHookFunction(scope, id, spec.props, spec.bindDetails);
    spec.configure?.(fn);
    return fn;
  }

  /** The Lambda function. */
  public readonly function: lambda.Function;

  /** The function's execution role. */
  public readonly role: iam.Role;

  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  /** The VPC the function runs in. @default - not in a VPC */
  public readonly vpc?: ec2.IVpc;

  private readonly defaultStages?: LifecycleStage[];
  private readonly defaultDetails?: { [key: string]: any };
  private readonly defaultTimeout?: Duration;
  private readonly defaultOnTimeout?: HookTimeoutAction;
  private readonly bindDetails?: BindDetails;

  constructor(scope: Construct, id: string, props: LifecycleHookFunctionProps);
  /** @internal */
  constructor(scope: Construct, id: string, props: ReadyMadeProps, bindDetails?: BindDetails);
  constructor(scope: Construct, id: string, props: ReadyMadeProps, bindDetails?: BindDetails) {
    super(scope, id);
    checkProps(this, '', props, HOOK_FUNCTION_PROP_TYPES);
    this.vpc = props.vpc;
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
    // cdk-nag's L1 (2.x and 3.0.2, rules/lambda/LambdaLatestVersion.ts) calls "latest" the newest
    // runtime of the family in the installed aws-cdk-lib's lambda.Runtime.ALL: nodejs24.x in the
    // library's minimum 2.257.0, nodejs26.x in 2.278.0. No pinned runtime satisfies every version.
    exemptFromNag(this.function, [{
      id: 'AwsSolutions-L1',
      reason: 'Hook handlers target Node.js 22, the runtime they are built and tested for; the runtime is bumped deliberately with the handlers. '
        + 'cdk-nag takes as latest the newest runtime the installed aws-cdk-lib knows (Node.js 24 in the library\'s minimum 2.257.0, newer in later '
        + 'releases), so no pinned runtime passes on every aws-cdk-lib version.',
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
    checkProps(scope, 'hooks', options, TO_HOOK_OPTION_TYPES);
    const stages = options.stages ?? this.defaultStages;
    if (!stages) {
      throw new BlueGreenValidationError(scope, 'hooks.stages', `${this.node.path} has no default stages: pass stages to toHook()`);
    }
    let details: { [key: string]: any } | undefined = this.defaultDetails || options.details
      ? stripUndefined({ ...this.defaultDetails, ...options.details })
      : undefined;
    if (this.bindDetails) details = stripUndefined(this.bindDetails(details ?? {}, bound, scope, this));
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

function stripUndefined(o: { [key: string]: any }): { [key: string]: any } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
