import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { HookTimeoutAction, LifecycleHook, LifecycleStage } from '../hooks/lifecycle-hook';
import { AppSpecContent, readAppSpec } from '../private/codedeploy/app-spec-reader';
import { HOOK_EVENT_NOTES, hookEvents } from '../private/codedeploy/hook-events';
import { FULL_ARN, PARTIAL_ARN } from '../private/codedeploy/lambda-function-name';
import { T, checkArg, checkProps } from '../private/prop-types';

/** One entry of an AppSpec's `Hooks` section and the ECS lifecycle stage it becomes. */
export interface AppSpecHookMapping {
  /** The CodeDeploy hook event, e.g. `BeforeAllowTraffic`. */
  readonly event: string;

  /**
   * The Lambda function the AppSpec names for the event, as written: a name, `name:alias`, a
   * partial ARN (`123456789012:function:name`) or a full ARN.
   */
  readonly functionName: string;

  /** The ECS lifecycle stage that takes the event's place. */
  readonly stage: LifecycleStage;
}

/** Options of `AppSpec.toLifecycleHooks()`. */
export interface AppSpecLifecycleHookOptions {
  /**
   * How long ECS waits for each hook, 1–20160 minutes. CodeDeploy failed a hook after one
   * hour; pass `Duration.hours(1)` to keep that limit.
   * @default - ECS's default (24 hours)
   */
  readonly timeout?: Duration;

  /**
   * What ECS does when a hook's timeout expires.
   * @default HookTimeoutAction.ROLLBACK
   */
  readonly onTimeout?: HookTimeoutAction;

  /**
   * Prefix of the construct IDs of the imported functions, which are created in `scope` as
   * `<idPrefix>1`, `<idPrefix>2`, … (one per distinct function). Pass another prefix to call
   * `toLifecycleHooks` twice in one scope.
   * @default 'AppSpecHookFunction'
   */
  readonly idPrefix?: string;
}

const RUNTIME_MODULE = 'cdk-ecs-blue-green/lib/hooks/runtime';

/**
 * A CodeDeploy AppSpec file for an Amazon ECS deployment, read and mapped to what each part
 * becomes under the ECS deployment controller (`BlueGreenEcsService`, `LifecycleHook`).
 *
 * `AppSpec.parse(text)` reads YAML or JSON:
 *
 * ```yaml
 * version: 0.0
 * Resources:
 *   - TargetService:
 *       Type: AWS::ECS::Service
 *       Properties:
 *         TaskDefinition: arn:aws:ecs:us-east-1:111122223333:task-definition/web:42
 *         LoadBalancerInfo: { ContainerName: web, ContainerPort: 8080 }
 * Hooks:
 *   - AfterAllowTestTraffic: SmokeTestFunction
 * ```
 *
 * `report()` says what becomes what; `toLifecycleHooks()` makes the ECS lifecycle hooks that
 * call the AppSpec's Lambda functions (which must be adapted to the ECS hook contract).
 * Malformed files fail with an error whose message starts with `AppSpec:` and says what is
 * wrong and what is allowed.
 */
export class AppSpec {
  /**
   * Reads an AppSpec file for an Amazon ECS deployment.
   *
   * @param text the AppSpec file's content, YAML or JSON
   * @throws BlueGreenValidationError naming the field (`[AppSpec] invalid <field path>: ...`) if the text is not an ECS AppSpec: not YAML/JSON, a version other than 0.0, no or
   * more than one `AWS::ECS::Service` resource, no `LoadBalancerInfo.ContainerName`/`ContainerPort`,
   * or a hook event ECS AppSpecs do not have
   */
  public static parse(text: string): AppSpec {
    return new AppSpec(readAppSpec(text));
  }

  /** Logical name of the service resource in the AppSpec (e.g. `TargetService`). */
  public readonly resourceName: string;

  /**
   * `TaskDefinition`: the task definition ARN (or a placeholder such as `<TASK_DEFINITION>` that
   * the deploy step fills in: CodePipeline, CodeCatalyst or GitHub Actions).
   */
  public readonly taskDefinition: string;

  /** `LoadBalancerInfo.ContainerName`: the container that receives traffic. */
  public readonly containerName: string;

  /** `LoadBalancerInfo.ContainerPort`: the container port that receives traffic. */
  public readonly containerPort: number;

  /**
   * `PlatformVersion` of the Fargate tasks.
   * @default - not in the AppSpec
   */
  public readonly platformVersion?: string;

  /**
   * `NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp` (`ENABLED` is true).
   * @default - not in the AppSpec
   */
  public readonly assignPublicIp?: boolean;

  /** What was read; the array properties below return copies of it. */
  private readonly content: AppSpecContent;

  private constructor(content: AppSpecContent) {
    this.content = content;
    this.resourceName = content.resourceName;
    this.taskDefinition = content.taskDefinition;
    this.containerName = content.containerName;
    this.containerPort = content.containerPort;
    this.platformVersion = content.platformVersion;
    this.assignPublicIp = content.assignPublicIp;
  }

  /** `NetworkConfiguration.AwsvpcConfiguration.Subnets` (empty when not in the AppSpec). */
  public get subnets(): string[] {
    return [...this.content.subnets];
  }

  /** `NetworkConfiguration.AwsvpcConfiguration.SecurityGroups` (empty when not in the AppSpec). */
  public get securityGroups(): string[] {
    return [...this.content.securityGroups];
  }

  /**
   * `CapacityProviderStrategy`, ready for `BlueGreenEcsService`'s `capacityProviderStrategies`.
   * Undefined rather than empty when absent: an empty strategy list would drop the service's
   * launch type in favor of the cluster's default strategy.
   * @default - not in the AppSpec
   */
  public get capacityProviderStrategies(): ecs.CapacityProviderStrategy[] | undefined {
    return this.content.capacityProviderStrategies?.map((s) => ({ ...s }));
  }

  /** The `Hooks` entries in file order, each with its ECS lifecycle stage. */
  public get hooks(): AppSpecHookMapping[] {
    return this.content.hooks.map((h) => ({ event: h.event, functionName: h.functionName, stage: LifecycleStage[h.stage] }));
  }

  /**
   * What each part of the AppSpec becomes under the ECS deployment controller, one line per
   * part, for a human to read (a migration plan, a pull request description).
   */
  public report(): string[] {
    const lines: string[] = [
      this.reportTaskDefinition(),
      `LoadBalancerInfo ContainerName ${this.containerName}, ContainerPort ${this.containerPort} → the service's LoadBalancers entry ` +
        `(ContainerName, ContainerPort): BlueGreenEcsService container: { containerName: '${this.containerName}', containerPort: ${this.containerPort} }`,
    ];
    if (this.platformVersion !== undefined) lines.push(this.reportPlatformVersion(this.platformVersion));
    if (this.content.hasNetworkConfiguration) lines.push(this.reportNetwork());
    const strategies = this.content.capacityProviderStrategies;
    if (strategies !== undefined) {
      const items = strategies.map((s) => {
        const parts = [`capacityProvider: '${s.capacityProvider}'`];
        if (s.base !== undefined) parts.push(`base: ${s.base}`);
        if (s.weight !== undefined) parts.push(`weight: ${s.weight}`);
        return `{ ${parts.join(', ')} }`;
      });
      lines.push(`CapacityProviderStrategy → BlueGreenEcsService capacityProviderStrategies: [${items.join(', ')}] (appSpec.capacityProviderStrategies)`);
    }
    lines.push(...this.reportHooks());
    lines.push('Not in the AppSpec (read them from the CodeDeploy deployment group): the deployment configuration → ' +
      'DeploymentStrategy.fromCodeDeployConfig(); listeners and target groups → TrafficRouting.applicationLoadBalancer() ' +
      'or networkLoadBalancer(); alarms and automatic rollback → BlueGreenEcsService alarms and circuitBreaker');
    return lines;
  }

  /**
   * ECS lifecycle hooks that call the AppSpec's Lambda functions at the stages that take the
   * place of the AppSpec's events. Functions are imported (`lambda.Function.fromFunctionName`
   * or `fromFunctionArn`) into `scope`; a function named for several events becomes one hook with
   * several stages. The functions must be adapted to the ECS hook contract first (see
   * `report()`).
   *
   * @param scope where the imported functions are created
   */
  public toLifecycleHooks(scope: Construct, options: AppSpecLifecycleHookOptions = {}): LifecycleHook[] {
    checkArg('AppSpec.toLifecycleHooks', 'scope', scope, T.required(T.construct('a construct (the stack or a construct of it)')));
    checkProps('AppSpec.toLifecycleHooks', 'options', options, { idPrefix: T.string, timeout: T.duration, onTimeout: T.string });
    const prefix = options.idPrefix ?? 'AppSpecHookFunction';
    return this.functionGroups().map((group, i) => {
      const id = `${prefix}${i + 1}`;
      if (scope.node.tryFindChild(id) !== undefined) {
        throw new BlueGreenValidationError(scope, 'idPrefix', `'${id}' is already a child of this scope ` +
          '(toLifecycleHooks called twice in one scope?); pass another idPrefix in the options');
      }
      return LifecycleHook.lambda(importFunction(scope, id, group.functionName), {
        stages: group.stages,
        timeout: options.timeout,
        onTimeout: options.onTimeout,
      });
    });
  }

  /** Distinct functions in order of first appearance, each with its stages in deployment order. */
  private functionGroups(): Array<{ functionName: string; events: string[]; stages: LifecycleStage[] }> {
    const order = hookEvents();
    const groups = new Map<string, AppSpecHookMapping[]>();
    for (const hook of this.hooks) {
      groups.set(hook.functionName, [...(groups.get(hook.functionName) ?? []), hook]);
    }
    return [...groups.entries()].map(([functionName, hooks]) => {
      const sorted = [...hooks].sort((a, b) => order.indexOf(a.event) - order.indexOf(b.event));
      return { functionName, events: sorted.map((h) => h.event), stages: sorted.map((h) => h.stage) };
    });
  }

  private reportTaskDefinition(): string {
    const td = this.taskDefinition;
    const target = "the service's task definition (BlueGreenEcsService taskDefinition)";
    if (/^<[^<>]*>$/.test(td)) {
      return `TaskDefinition ${td} (a placeholder the deploy step fills in: CodePipeline, CodeCatalyst's aws/ecs-deploy@v1 or GitHub's ` +
        `amazon-ecs-deploy-task-definition) → ${target}: with the ECS controller a deployment is an update of the service's task ` +
        "definition (cdk deploy, CodePipeline's Amazon ECS deploy action, or those deploy actions without their codedeploy-* keys), not an AppSpec";
    }
    const revision = /(?:^|task-definition\/)([a-zA-Z0-9_-]{1,255}):(\d+)$/.exec(td);
    if (revision) {
      return `TaskDefinition ${td} → ${target}, pinned: the template must render revision ${revision[2]} of family ${revision[1]} ` +
        '(the revision that runs) when the controller switches, or the switch also deploys another revision';
    }
    return `TaskDefinition ${td} → ${target}, pinned: the AppSpec names no revision (CodeDeploy takes the latest ACTIVE one); ` +
      'render the revision that runs when the controller switches, or the switch also deploys another revision';
  }

  private reportPlatformVersion(version: string): string {
    if (version === 'LATEST') {
      return "PlatformVersion LATEST → the Fargate service's platformVersion: LATEST is the default, nothing to set";
    }
    return `PlatformVersion ${version} → the Fargate service's platformVersion (ecs.FargatePlatformVersion): BlueGreenEcsService ` +
      `renders none (LATEST); set it on its service, e.g. (api.service.node.defaultChild as ecs.CfnService).platformVersion = '${version}'`;
  }

  private reportNetwork(): string {
    const parts: string[] = [];
    const { subnets, securityGroups } = this.content;
    if (subnets.length > 0) parts.push(`vpcSubnets: { subnets: [${subnets.join(', ')}] } (ec2.Subnet.fromSubnetId)`);
    if (securityGroups.length > 0) parts.push(`securityGroups: [${securityGroups.join(', ')}] (ec2.SecurityGroup.fromSecurityGroupId)`);
    if (this.assignPublicIp !== undefined) parts.push(`assignPublicIp: ${this.assignPublicIp}`);
    const props = parts.length > 0 ? parts.join(', ') : "nothing set: BlueGreenEcsService's defaults apply";
    return `NetworkConfiguration.AwsvpcConfiguration → the service's network configuration: BlueGreenEcsService ${props}`;
  }

  private reportHooks(): string[] {
    const hooks = this.content.hooks;
    if (hooks.length === 0) return ['Hooks: none → no lifecycle hooks'];
    const lines = hooks.map((h) => {
      const line = `Hook ${h.event}: ${h.functionName} → LifecycleHook.lambda(fn, { stages: [LifecycleStage.${h.stage}] })`;
      const note = Object.prototype.hasOwnProperty.call(HOOK_EVENT_NOTES, h.event) ? HOOK_EVENT_NOTES[h.event] : undefined;
      return note ? `${line}; ${note}` : line;
    });
    for (const group of this.functionGroups()) {
      if (group.events.length < 2) continue;
      lines.push(`${group.functionName} serves ${group.events.join(', ')} → toLifecycleHooks() makes one hook with stages ` +
        `[${group.stages.map((s) => `LifecycleStage.${s}`).join(', ')}]; the function tells them apart by event.lifecycleStage`);
    }
    lines.push('Hook functions must be adapted: a CodeDeploy hook receives { DeploymentId, LifecycleEventHookExecutionId } and reports ' +
      'with codedeploy:PutLifecycleEventHookExecutionStatus; an ECS hook receives { executionDetails, executionId, lifecycleStage, ' +
      "resourceArn, hookDetails } and returns { hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS' }. " +
      `Wrap the handler in hookHandler from '${RUNTIME_MODULE}' (README "Lifecycle hooks")`);
    lines.push('Hook timeouts: CodeDeploy failed a hook after 1 hour; ECS waits 24 hours by default: ' +
      'toLifecycleHooks(scope, { timeout: Duration.hours(1) }) keeps the old limit');
    return lines;
  }
}

/** Imports a hook function by name, `name:qualifier`, partial ARN or full ARN. */
function importFunction(scope: Construct, id: string, functionName: string): lambda.IFunction {
  if (FULL_ARN.test(functionName)) return lambda.Function.fromFunctionArn(scope, id, functionName);
  const partial = PARTIAL_ARN.exec(functionName);
  if (partial) {
    const arn = Stack.of(scope).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: partial[3],
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      region: partial[1],
      account: partial[2],
    });
    return lambda.Function.fromFunctionArn(scope, id, arn);
  }
  return lambda.Function.fromFunctionName(scope, id, functionName);
}
