import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { HookLoadBalancerTargets, HookTestEndpoint } from './hook-facts';
import { HOOK_FUNCTION, HOOK_OPTION_TYPES } from './hook-prop-types';
import { BlueGreenValidationError } from '../errors';
import { MAX_HOOK_TIMEOUT_MINUTES } from '../private/codedeploy/ecs-limits';
import { exemptFromNag } from '../private/nag';
import { T, checkArg } from '../private/prop-types';
import { wholeMinutes } from '../private/validate';

/**
 * Stages of an ECS blue/green, linear or canary deployment at which a lifecycle hook can run
 * (every stage the CloudFormation schema of `AWS::ECS::Service` lists).
 */
export enum LifecycleStage {
  /** ECS starts a deployment of a service with more than one revision running. */
  RECONCILE_SERVICE = 'RECONCILE_SERVICE',
  /** Before the green tasks start (CodeDeploy: BeforeInstall). */
  PRE_SCALE_UP = 'PRE_SCALE_UP',
  /** The green tasks run, no traffic yet (CodeDeploy: AfterInstall). */
  POST_SCALE_UP = 'POST_SCALE_UP',
  /** Test traffic is being moved to green. May be invoked more than once. */
  TEST_TRAFFIC_SHIFT = 'TEST_TRAFFIC_SHIFT',
  /** Test traffic reaches green (CodeDeploy: AfterAllowTestTraffic). */
  POST_TEST_TRAFFIC_SHIFT = 'POST_TEST_TRAFFIC_SHIFT',
  /** Just before production traffic starts to move, once (CodeDeploy: BeforeAllowTraffic). */
  PRE_PRODUCTION_TRAFFIC_SHIFT = 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  /** Production traffic is being moved (no CodeDeploy event). May be invoked more than once, and again on rollback. */
  PRODUCTION_TRAFFIC_SHIFT = 'PRODUCTION_TRAFFIC_SHIFT',
  /** All production traffic reaches green (CodeDeploy: AfterAllowTraffic). */
  POST_PRODUCTION_TRAFFIC_SHIFT = 'POST_PRODUCTION_TRAFFIC_SHIFT',
}

/** What ECS does when a hook has not answered within its timeout. */
export enum HookTimeoutAction {
  /** Roll the deployment back (ECS's default). */
  ROLLBACK = 'ROLLBACK',
  /** Go on with the deployment. */
  CONTINUE = 'CONTINUE',
}

/** Facts about the service a hook is bound to, for hooks that default their settings from it. */
export interface LifecycleHookBindOptions {
  /**
   * URL that reaches the green revision through the test listener or test header rule.
   * @default - the service has no test traffic path
   */
  readonly testEndpointUrl?: string;

  /**
   * Header (name and value) that routes a request to the green revision on the production
   * listener, when test traffic is header-based.
   * @default - none
   */
  readonly testHeaderName?: string;

  /** Value of `testHeaderName`. @default - none */
  readonly testHeaderValue?: string;

  /**
   * URL of the production endpoint.
   * @default - the service has no load balancer
   */
  readonly productionEndpointUrl?: string;

  /**
   * The listener behind `testEndpointUrl`, for hooks that check at synth time that they can reach it.
   * @default - unknown (no test traffic path, or an imported listener)
   */
  readonly testEndpoint?: HookTestEndpoint;

  /**
   * The load balancers in front of the service and their blue and green target groups, for hooks
   * that read their metrics.
   * @default - none (Service Connect, VPC Lattice or no routing)
   */
  readonly loadBalancerTargets?: HookLoadBalancerTargets[];

  /**
   * Name of the service's cluster (service revision ARNs contain it).
   * @default - unknown
   */
  readonly clusterName?: string;

  /**
   * Name of the service when the app sets it (`serviceName`; service revision ARNs contain it).
   * @default - unknown (CloudFormation names the service)
   */
  readonly serviceName?: string;
}

/** One entry of `AWS::ECS::Service` `DeploymentConfiguration.LifecycleHooks`. */
export interface LifecycleHookConfig {
  /** `TargetType`: AWS_LAMBDA or PAUSE. */
  readonly targetType: string;
  /** `LifecycleStages`. */
  readonly lifecycleStages: string[];
  /** `HookTargetArn` (Lambda hooks). @default - PAUSE hook */
  readonly hookTargetArn?: string;
  /** `RoleArn` that ECS assumes to invoke the target (Lambda hooks). @default - PAUSE hook */
  readonly roleArn?: string;
  /**
   * `HookDetails` passed to the handler: an object of JSON values (rendered as a JSON string) or
   * a JSON string.
   * @default - none
   */
  readonly hookDetails?: any;
  /**
   * The role behind `roleArn`. The service depends on it (and so on its policies): ECS checks
   * the role when the service changes, and invokes the hook minutes later.
   * @default - the service does not wait for the role (PAUSE hooks, or a role made elsewhere)
   */
  readonly invokeRole?: iam.IRole;
  /** `TimeoutConfiguration.TimeoutInMinutes`, 1–20160. @default - ECS default (1440) */
  readonly timeoutInMinutes?: number;
  /** `TimeoutConfiguration.Action`. @default - ECS default (ROLLBACK) */
  readonly timeoutAction?: string;
}

/** Options shared by every hook. */
export interface HookOptions {
  /** The stages at which ECS runs the hook (at least one). */
  readonly stages: LifecycleStage[];

  /**
   * How long ECS waits for the hook to finish, 1–20160 minutes (whole minutes).
   * @default - ECS's default (24 hours)
   */
  readonly timeout?: Duration;

  /**
   * What ECS does when the timeout expires.
   * @default HookTimeoutAction.ROLLBACK
   */
  readonly onTimeout?: HookTimeoutAction;
}

/** Options of `LifecycleHook.lambda()`. */
export interface LambdaHookOptions extends HookOptions {
  /**
   * JSON-serializable details ECS passes to the function as `hookDetails`.
   * @default - none
   */
  readonly details?: { [key: string]: any };
}

/** Options of `LifecycleHook.pause()`. */
export interface PauseHookOptions extends HookOptions {}

/**
 * Stages a PAUSE hook cannot wait at. The ECS API reference (DeploymentLifecycleHook,
 * lifecycleStages; also in @aws-sdk/client-ecs 3.1164's model) says pause hooks cannot be configured
 * at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT, which take AWS_LAMBDA hooks only; the developer
 * guide's "Pause hooks for Amazon ECS service deployments" lists the stages a pause hook may use,
 * without these two. They are the stages ECS may invoke more than once (and again on rollback).
 */
const NO_PAUSE_STAGES: string[] = [LifecycleStage.TEST_TRAFFIC_SHIFT, LifecycleStage.PRODUCTION_TRAFFIC_SHIFT];
/** ECS caps HookDetails; keep well under it. */
const MAX_DETAILS_BYTES = 8192;

/**
 * A lifecycle hook of an ECS deployment: a Lambda function ECS invokes, or a pause that waits for
 * `ContinueServiceDeployment`.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { LifecycleHook, LifecycleStage } from 'cdk-ecs-blue-green';
 *
 * // Wait up to an hour for `ecs-blue-green continue` before production traffic moves.
 * const approval = LifecycleHook.pause({ stages: [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT], timeout: Duration.hours(1) });
 */
export abstract class LifecycleHook {
  /**
   * ECS invokes `fn` at each of `stages`. The function answers SUCCEEDED, FAILED or
   * IN_PROGRESS (ECS calls again after `callBackDelay`). ECS assumes a role, shared by all hooks
   * of the stack, that may invoke exactly the hook functions of the stack.
   *
   * The same as `LifecycleHook.function`; `lambda` is a Python keyword, so Python names this
   * method `lambda_`.
   */
  public static lambda(fn: lambda.IFunction, options: LambdaHookOptions): LifecycleHook {
    return new LambdaHook(fn, options);
  }

  /**
   * ECS invokes `fn` at each of `stages`: the same hook as `LifecycleHook.lambda`, under a name
   * that is no keyword in any jsii language (Python: `LifecycleHook.function`, Java:
   * `LifecycleHook.function`, Go: `LifecycleHook_Function`, C#: `LifecycleHook.Function`).
   *
   * @example
   * import { Duration } from 'aws-cdk-lib';
   * import * as lambda from 'aws-cdk-lib/aws-lambda';
   * import { LifecycleHook, LifecycleStage } from 'cdk-ecs-blue-green';
   *
   * declare const fn: lambda.IFunction;
   * const hook = LifecycleHook.function(fn, { stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(30) });
   */
  public static function(fn: lambda.IFunction, options: LambdaHookOptions): LifecycleHook {
    return new LambdaHook(fn, options);
  }

  /**
   * The deployment pauses at `stages` until someone calls `ContinueServiceDeployment` (e.g.
   * `aws ecs continue-service-deployment`, or this library's CLI) or the timeout expires. ECS
   * refuses pause hooks at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT (Lambda hooks only):
   * those stages fail at synth.
   */
  public static pause(options: PauseHookOptions): LifecycleHook {
    return new PauseHook(options);
  }

  /**
   * Validates the hook and returns what it renders on the service. Called once per service.
   * @param scope the service construct the hook is bound to (named in errors; owns any role)
   */
  public abstract bind(scope: Construct, options: LifecycleHookBindOptions): LifecycleHookConfig;
}

/** Validates what every hook has: stages and timeout. */
function commonConfig(scope: IConstruct, options: HookOptions): { stages: string[]; timeoutInMinutes?: number; timeoutAction?: string } {
  checkArg(scope, 'hooks', options, T.required(T.props('hook options ({ stages, timeout?, onTimeout? })', HOOK_OPTION_TYPES)));
  const stages = options.stages ?? [];
  if (stages.length === 0) {
    throw new BlueGreenValidationError(scope, 'hooks.stages', `needs at least one stage; allowed: ${Object.values(LifecycleStage).join(', ')}`);
  }
  const allowed = new Set<string>(Object.values(LifecycleStage));
  const seen = new Set<string>();
  for (const stage of stages) {
    if (!allowed.has(stage)) {
      throw new BlueGreenValidationError(scope, 'hooks.stages', `'${stage}' is not a lifecycle stage; allowed: ${[...allowed].join(', ')}`);
    }
    if (seen.has(stage)) throw new BlueGreenValidationError(scope, 'hooks.stages', `lists ${stage} twice`);
    seen.add(stage);
  }
  if (options.onTimeout !== undefined && !Object.values(HookTimeoutAction).includes(options.onTimeout)) {
    throw new BlueGreenValidationError(scope, 'hooks.onTimeout', `must be ROLLBACK or CONTINUE, got ${options.onTimeout}`);
  }
  return {
    stages: [...stages],
    timeoutInMinutes: options.timeout ? wholeMinutes(scope, 'hooks.timeout', options.timeout, 1, MAX_HOOK_TIMEOUT_MINUTES) : undefined,
    timeoutAction: options.onTimeout ?? (options.timeout ? HookTimeoutAction.ROLLBACK : undefined),
  };
}

const INVOKE_ROLE_ID = 'EcsBlueGreenHookInvokeRole';

/**
 * The role ECS assumes to invoke Lambda hooks: one per stack, allowed to invoke exactly the
 * functions used as hooks in the stack, with their versions and aliases (`arn` and `arn:*`, as
 * aws-cdk-lib's `DeploymentLifecycleLambdaTarget` grants in the deploy-verified
 * integ.blue-green-deployment-strategy template).
 */
class HookInvokeRole extends Construct {
  static of(scope: IConstruct): HookInvokeRole {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(INVOKE_ROLE_ID) as HookInvokeRole | undefined) ?? new HookInvokeRole(stack, INVOKE_ROLE_ID);
  }

  public readonly role: iam.Role;
  private readonly functions = new Set<string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'Lets ECS invoke the lifecycle hook functions of this stack during deployments',
    });
  }

  allow(fn: lambda.IFunction): void {
    const key = Token.isUnresolved(fn.functionArn) ? fn.node.path : fn.functionArn;
    if (this.functions.has(key)) return;
    this.functions.add(key);
    // A version or alias (or a literal ARN with a qualifier) is granted as it is.
    const qualified = fn instanceof lambda.QualifiedFunctionBase
      || (!Token.isUnresolved(fn.functionArn) && fn.functionArn.split(':').length > 7);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: qualified ? [fn.functionArn] : [fn.functionArn, `${fn.functionArn}:*`],
    }));
    exemptFromNag(this.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'The wildcard stands for the versions and aliases of each hook function (function-arn:*); no other function is invokable.',
      // The finding of `Fn::Join [<fn>.Arn, ':*']` is `Resource::<LogicalId.Arn>:*`; of a literal ARN, the ARN and `:*`.
      appliesTo: [{ regex: '/^Resource::(<[A-Za-z0-9]+\\.Arn>|arn:[^*]+):\\*$/' }],
    }]);
  }
}

class LambdaHook extends LifecycleHook {
  constructor(private readonly fn: lambda.IFunction, private readonly options: LambdaHookOptions) {
    super();
  }

  public bind(scope: Construct, _options: LifecycleHookBindOptions): LifecycleHookConfig {
    checkArg(scope, 'hooks.fn', this.fn, HOOK_FUNCTION);
    const common = commonConfig(scope, this.options);
    let details: string | undefined;
    if (this.options.details !== undefined) {
      try {
        details = JSON.stringify(this.options.details);
      } catch (e) {
        throw new BlueGreenValidationError(scope, 'hooks.details', `must be JSON-serializable: ${(e as Error).message}`);
      }
      if (details === undefined || this.options.details === null || typeof this.options.details !== 'object' || Array.isArray(this.options.details)) {
        throw new BlueGreenValidationError(scope, 'hooks.details', 'must be an object of JSON values');
      }
      if (Buffer.byteLength(details) > MAX_DETAILS_BYTES) {
        throw new BlueGreenValidationError(scope, 'hooks.details', `is ${Buffer.byteLength(details)} bytes as JSON; at most ${MAX_DETAILS_BYTES} are allowed`);
      }
    }
    const invoke = HookInvokeRole.of(scope);
    invoke.allow(this.fn);
    return {
      targetType: 'AWS_LAMBDA',
      lifecycleStages: common.stages,
      hookTargetArn: this.fn.functionArn,
      roleArn: invoke.role.roleArn,
      invokeRole: invoke.role,
      hookDetails: this.options.details,
      timeoutInMinutes: common.timeoutInMinutes,
      timeoutAction: common.timeoutAction,
    };
  }
}

class PauseHook extends LifecycleHook {
  constructor(private readonly options: PauseHookOptions) {
    super();
  }

  public bind(scope: Construct, _options: LifecycleHookBindOptions): LifecycleHookConfig {
    const common = commonConfig(scope, this.options);
    const refused = common.stages.filter((s) => NO_PAUSE_STAGES.includes(s));
    if (refused.length > 0) {
      const allowed = Object.values(LifecycleStage).filter((s) => !NO_PAUSE_STAGES.includes(s));
      throw new BlueGreenValidationError(scope, 'hooks.stages',
        `a PAUSE hook cannot wait at ${refused.join(' or ')}; ECS allows pause hooks at ${allowed.join(', ')} ` +
        '(to wait before production traffic moves, use POST_TEST_TRAFFIC_SHIFT or PRE_PRODUCTION_TRAFFIC_SHIFT)');
    }
    return {
      targetType: 'PAUSE',
      lifecycleStages: common.stages,
      timeoutInMinutes: common.timeoutInMinutes,
      timeoutAction: common.timeoutAction,
    };
  }
}
