import { Construct } from 'constructs';

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
  /** Just before production traffic starts to move. */
  PRE_PRODUCTION_TRAFFIC_SHIFT = 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  /** Production traffic is being moved (CodeDeploy: BeforeAllowTraffic). May be invoked more than once. */
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
  /** `HookDetails` passed to the handler. @default - none */
  readonly hookDetails?: any;
  /** `TimeoutConfiguration.TimeoutInMinutes`, 1–20160. @default - ECS default (1440) */
  readonly timeoutInMinutes?: number;
  /** `TimeoutConfiguration.Action`. @default - ECS default (ROLLBACK) */
  readonly timeoutAction?: string;
}

/**
 * A lifecycle hook of an ECS deployment: a Lambda function ECS invokes, or a pause that waits for
 * `ContinueServiceDeployment`.
 */
export abstract class LifecycleHook {
  /**
   * Validates the hook and returns what it renders on the service. Called once per service.
   * @param scope the service construct the hook is bound to (named in errors; owns any role)
   */
  public abstract bind(scope: Construct, options: LifecycleHookBindOptions): LifecycleHookConfig;
}
