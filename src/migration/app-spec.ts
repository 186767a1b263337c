import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { parseDocument } from 'yaml';
import { HookTimeoutAction, LifecycleHook, LifecycleStage } from '../hooks/lifecycle-hook';
import { LifecycleStages } from '../hooks/lifecycle-stages';

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

/** An AppSpec longer than this is not an AppSpec (a real one is a few hundred bytes). */
const MAX_TEXT_CHARS = 1_000_000;
/** YAML aliases a document may expand (guards against "billion laughs" documents). */
const MAX_YAML_ALIASES = 100;
/**
 * Upper bound of the nesting the YAML parser is given (see `nestingBound`). The parser recurses
 * per level and runs out of stack at about 800 levels, which can abort the whole process (V8
 * then fails to compile a regular expression); an AppSpec nests about 8 levels deep.
 */
const MAX_NESTING = 100;
/** Longest string value read (an ARN, a name or an ID is far shorter). */
const MAX_STRING_CHARS = 2048;
/** Values quoted in error messages are cut to this length. */
const MAX_QUOTED_CHARS = 80;
/** ECS's ranges for a capacity provider strategy item. */
const MAX_CAPACITY_BASE = 100000;
const MAX_CAPACITY_WEIGHT = 1000;
/** Why an event maps where it does, where that differs from a one-to-one reading of the names. */
const STAGE_NOTES: Record<string, string> = {
  BeforeAllowTraffic: 'runs once before production traffic moves, as BeforeAllowTraffic did (PRODUCTION_TRAFFIC_SHIFT would run ' +
    'at every traffic step and again on rollback; take it only for a hook that must run during the shift, and make it idempotent)',
};
const RUNTIME_MODULE = 'cdk-ecs-blue-green/lib/hooks/runtime';

const LAMBDA_NAME = '[a-zA-Z0-9_-]{1,64}';
const LAMBDA_QUALIFIER = '(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?';
const FULL_ARN = new RegExp(`^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]{1,32}:\\d{12}:function:${LAMBDA_NAME}${LAMBDA_QUALIFIER}$`);
const PARTIAL_ARN = new RegExp(`^(?:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):)?(\\d{12}):function:(${LAMBDA_NAME}${LAMBDA_QUALIFIER})$`);
const PLAIN_NAME = new RegExp(`^${LAMBDA_NAME}${LAMBDA_QUALIFIER}$`);
const FUNCTION_FORMS = 'a Lambda function name (my-hook), name:alias, a partial ARN (123456789012:function:my-hook) or a full ARN';

/** What `AppSpec.parse` read from the AppSpec file. */
interface AppSpecContent {
  readonly resourceName: string;
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly platformVersion?: string;
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly assignPublicIp?: boolean;
  readonly hasNetworkConfiguration: boolean;
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
  readonly hooks: AppSpecHookMapping[];
}

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
   * @throws if the text is not an ECS AppSpec: not YAML/JSON, a version other than 0.0, no or
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
   * CodePipeline fills in).
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
    return this.content.hooks.map((h) => ({ ...h }));
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
    const prefix = options.idPrefix ?? 'AppSpecHookFunction';
    return this.functionGroups().map((group, i) => {
      const id = `${prefix}${i + 1}`;
      if (scope.node.tryFindChild(id) !== undefined) {
        throw new Error(`AppSpec: ${scope.node.path || 'the scope'} already has a child '${id}' (toLifecycleHooks called twice in one scope?); ` +
          'pass another idPrefix in the options');
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
    const order = LifecycleStages.codeDeployEvents();
    const groups = new Map<string, AppSpecHookMapping[]>();
    for (const hook of this.content.hooks) {
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
      return `TaskDefinition ${td} (a placeholder CodePipeline fills in) → ${target}: with the ECS controller a deployment is an update ` +
        "of the service's task definition (cdk deploy, or CodePipeline's Amazon ECS deploy action), not an AppSpec";
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
      const note = Object.prototype.hasOwnProperty.call(STAGE_NOTES, h.event) ? STAGE_NOTES[h.event] : undefined;
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

// ---------------------------------------------------------------------------------------------
// Reading the file. Every check fails with `AppSpec: <what is wrong>; <what is allowed>`, and
// nothing here trusts the shape of the parsed value (it may be null, a number, a list, ...).
// ---------------------------------------------------------------------------------------------

type JsonMap = { [key: string]: unknown };

function fail(what: string, allowed: string): never {
  throw new Error(`AppSpec: ${what}; ${allowed}`);
}

function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Object]';
}

/** A short, safe description of any value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isMap(value)) return 'a map';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a value of type ${typeof value === 'object' ? Object.prototype.toString.call(value).slice(8, -1) : typeof value}`;
}

function quote(text: string): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return JSON.stringify(cut);
}

/** Looks a key up exactly, then case-insensitively (AppSpec docs spell section names both ways). */
function field(map: JsonMap, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(map, key)) return map[key];
  const lower = key.toLowerCase();
  const found = Object.keys(map).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : map[found];
}

function parseText(text: unknown): unknown {
  if (typeof text !== 'string') fail(`expected the AppSpec file's text, got ${describe(text)}`, 'allowed: YAML or JSON text');
  if (text.length > MAX_TEXT_CHARS) {
    fail(`the text is ${text.length} characters long`, `allowed: at most ${MAX_TEXT_CHARS} (an ECS AppSpec is a few hundred bytes)`);
  }
  if (text.trim() === '') fail('the text is empty', 'allowed: YAML or JSON with version, Resources and Hooks');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON (comments, trailing commas, ...): YAML may still read it.
    }
  }
  // JSON.parse does not recurse; the YAML parser does: bound the nesting before it runs.
  const nesting = nestingBound(text);
  if (nesting > MAX_NESTING) {
    fail(`the text may nest up to ${nesting} levels deep (counting indentation, '- ', ': ', '? ', '[' and '{')`,
      `allowed: at most ${MAX_NESTING} (an ECS AppSpec nests about 8 levels deep)`);
  }
  let problem: string;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length === 0) return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    problem = doc.errors[0].message;
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  const firstLine = problem.split('\n')[0].replace(/:$/, '');
  return fail(`the text is neither valid YAML nor valid JSON (${firstLine.slice(0, 200)})`,
    'allowed: one YAML or JSON document with version, Resources and Hooks');
}

/**
 * An upper bound of the nesting depth of a YAML text, without parsing it: per line, the
 * indentation (each block level indents at least one more column), plus the indicators that can
 * open a level on the same line (`- `, `? `, `: `), plus the open flow brackets.
 */
function nestingBound(text: string): number {
  let flow = 0;
  let bound = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    let indent = 0;
    while (indent < line.length && (line[indent] === ' ' || line[indent] === '\t')) indent++;
    let indicators = 0;
    let peak = flow;
    for (let i = indent; i < line.length; i++) {
      const c = line[i];
      if (c === '[' || c === '{') {
        flow++;
        peak = Math.max(peak, flow);
      } else if (c === ']' || c === '}') {
        flow = Math.max(0, flow - 1);
      } else if ((c === '-' || c === '?' || c === ':') && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
        indicators++;
      }
    }
    bound = Math.max(bound, indent + indicators + peak);
  }
  return bound;
}

function readAppSpec(text: unknown): AppSpecContent {
  const root = parseText(text);
  if (!isMap(root)) {
    fail(`the file must be a map with version, Resources and Hooks, got ${describe(root)}`, 'allowed: version: 0.0, Resources: [...], Hooks: [...]');
  }
  readVersion(field(root, 'version'));
  const { name, properties, path } = readServiceResource(field(root, 'Resources'));

  const taskDefinition = requiredString(field(properties, 'TaskDefinition'), `${path}.TaskDefinition`,
    'allowed: a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>)');

  const lbPath = `${path}.LoadBalancerInfo`;
  const lb = field(properties, 'LoadBalancerInfo');
  if (lb === undefined || lb === null) {
    fail(`${lbPath} is missing`, 'allowed: LoadBalancerInfo: { ContainerName: <container>, ContainerPort: <port> }');
  }
  if (!isMap(lb)) fail(`${lbPath} must be a map, got ${describe(lb)}`, 'allowed: LoadBalancerInfo: { ContainerName: <container>, ContainerPort: <port> }');
  const containerName = requiredString(field(lb, 'ContainerName'), `${lbPath}.ContainerName`,
    'allowed: the name of the container that receives traffic');
  const containerPort = readInteger(field(lb, 'ContainerPort'), `${lbPath}.ContainerPort`, 1, 65535, true)!;

  const platformVersion = optionalString(field(properties, 'PlatformVersion'), `${path}.PlatformVersion`, 'allowed: LATEST or a version such as 1.4.0');

  const network = readNetwork(field(properties, 'NetworkConfiguration'), `${path}.NetworkConfiguration`);
  const capacityProviderStrategies = readCapacityProviders(field(properties, 'CapacityProviderStrategy'), `${path}.CapacityProviderStrategy`);
  const hooks = readHooks(field(root, 'Hooks'));

  return {
    resourceName: name,
    taskDefinition,
    containerName,
    containerPort,
    platformVersion,
    ...network,
    capacityProviderStrategies,
    hooks,
  };
}

function readVersion(version: unknown): void {
  if (version === undefined || version === null) fail('version is missing', 'allowed: version: 0.0');
  const ok = version === 0 || (typeof version === 'string' && version.trim() === '0.0');
  if (!ok) fail(`version must be 0.0, got ${describe(version)}`, 'allowed: 0.0 (the only AppSpec version CodeDeploy has)');
}

function readServiceResource(resources: unknown): { name: string; properties: JsonMap; path: string } {
  const allowed = 'allowed: exactly one resource of Type AWS::ECS::Service (Resources: [ { TargetService: { Type: AWS::ECS::Service, Properties: {...} } } ])';
  if (resources === undefined || resources === null) fail('no ECS service resource: Resources is missing', allowed);
  if (!Array.isArray(resources)) fail(`Resources must be a list, got ${describe(resources)}`, allowed);
  if (resources.length === 0) fail('no ECS service resource: Resources is empty', allowed);
  const entries: Array<[string, unknown, number]> = [];
  resources.forEach((entry, i) => {
    if (!isMap(entry)) fail(`Resources[${i}] must be a map of a logical name to the resource, got ${describe(entry)}`, allowed);
    for (const key of Object.keys(entry)) entries.push([key, entry[key], i]);
  });
  if (entries.length === 0) fail('no ECS service resource: Resources[0] is an empty map', allowed);
  if (entries.length > 1) {
    fail(`more than one resource (${entries.map(([k]) => quote(k)).join(', ').slice(0, 300)})`,
      `${allowed}; an ECS AppSpec deploys one service`);
  }
  const [key, resource, index] = entries[0];
  const path = `Resources[${index}].${key.length > 40 ? `${key.slice(0, 40)}…` : key}`;
  if (!isMap(resource)) fail(`${path} must be a map with Type and Properties, got ${describe(resource)}`, allowed);
  const type = field(resource, 'Type');
  if (type !== 'AWS::ECS::Service') {
    fail(`no ECS service resource: ${path}.Type is ${describe(type)}`, `${allowed}; this mapping reads ECS AppSpec files only`);
  }
  const properties = field(resource, 'Properties');
  if (!isMap(properties)) {
    fail(`${path}.Properties must be a map, got ${describe(properties)}`, 'allowed: TaskDefinition, LoadBalancerInfo, PlatformVersion, NetworkConfiguration, CapacityProviderStrategy');
  }
  return { name: key, properties, path: `${path}.Properties` };
}

function requiredString(value: unknown, path: string, allowed: string): string {
  if (value === undefined || value === null) fail(`${path} is missing`, allowed);
  if (typeof value !== 'string' || value.trim() === '') fail(`${path} must be a non-empty string, got ${describe(value)}`, allowed);
  if (value.length > MAX_STRING_CHARS) fail(`${path} is ${value.length} characters long`, `${allowed}, at most ${MAX_STRING_CHARS} characters`);
  return value.trim();
}

function optionalString(value: unknown, path: string, allowed: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requiredString(value, path, allowed);
}

function readInteger(value: unknown, path: string, min: number, max: number, required: boolean): number | undefined {
  const allowed = `allowed: an integer from ${min} to ${max}`;
  if (value === undefined || value === null) {
    if (required) fail(`${path} is missing`, allowed);
    return undefined;
  }
  const n = typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(`${path} must be an integer from ${min} to ${max}, got ${describe(value)}`, allowed);
  return n;
}

function readStringList(value: unknown, path: string, allowed: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`${path} must be a list, got ${describe(value)}`, allowed);
  return value.map((item, i) => requiredString(item, `${path}[${i}]`, allowed));
}

function readNetwork(value: unknown, path: string): Pick<AppSpecContent, 'subnets' | 'securityGroups' | 'assignPublicIp' | 'hasNetworkConfiguration'> {
  const none = { subnets: [], securityGroups: [], assignPublicIp: undefined, hasNetworkConfiguration: false };
  if (value === undefined || value === null) return none;
  const allowed = 'allowed: NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [...], SecurityGroups: [...], AssignPublicIp: ENABLED | DISABLED } }';
  if (!isMap(value)) fail(`${path} must be a map, got ${describe(value)}`, allowed);
  const awsvpc = field(value, 'AwsvpcConfiguration');
  if (!isMap(awsvpc)) fail(`${path}.AwsvpcConfiguration must be a map, got ${describe(awsvpc)}`, allowed);
  const subnets = readStringList(field(awsvpc, 'Subnets'), `${path}.AwsvpcConfiguration.Subnets`, 'allowed: a list of subnet IDs');
  const securityGroups = readStringList(field(awsvpc, 'SecurityGroups'), `${path}.AwsvpcConfiguration.SecurityGroups`, 'allowed: a list of security group IDs');
  const assign = field(awsvpc, 'AssignPublicIp');
  let assignPublicIp: boolean | undefined;
  if (assign !== undefined && assign !== null) {
    if (assign !== 'ENABLED' && assign !== 'DISABLED') {
      fail(`${path}.AwsvpcConfiguration.AssignPublicIp must be ENABLED or DISABLED, got ${describe(assign)}`, 'allowed: ENABLED, DISABLED');
    }
    assignPublicIp = assign === 'ENABLED';
  }
  return { subnets, securityGroups, assignPublicIp, hasNetworkConfiguration: true };
}

function readCapacityProviders(value: unknown, path: string): ecs.CapacityProviderStrategy[] | undefined {
  if (value === undefined || value === null) return undefined;
  const allowed = `allowed: a list of { CapacityProvider: <name>, Base: 0–${MAX_CAPACITY_BASE}, Weight: 0–${MAX_CAPACITY_WEIGHT} }`;
  if (!Array.isArray(value)) fail(`${path} must be a list, got ${describe(value)}`, allowed);
  return value.map((item, i) => {
    if (!isMap(item)) fail(`${path}[${i}] must be a map, got ${describe(item)}`, allowed);
    const capacityProvider = requiredString(field(item, 'CapacityProvider'), `${path}[${i}].CapacityProvider`, allowed);
    const base = readInteger(field(item, 'Base'), `${path}[${i}].Base`, 0, MAX_CAPACITY_BASE, false);
    const weight = readInteger(field(item, 'Weight'), `${path}[${i}].Weight`, 0, MAX_CAPACITY_WEIGHT, false);
    return { capacityProvider, base, weight };
  });
}

function readHooks(value: unknown): AppSpecHookMapping[] {
  if (value === undefined || value === null) return [];
  const events = LifecycleStages.codeDeployEvents();
  const allowedEvents = `allowed events: ${events.join(', ')}`;
  const shape = `allowed: Hooks: [ { <event>: <Lambda function> }, ... ] with the events ${events.join(', ')}`;
  if (!Array.isArray(value)) fail(`Hooks must be a list, got ${describe(value)}`, shape);
  const hooks: AppSpecHookMapping[] = [];
  value.forEach((entry, i) => {
    if (!isMap(entry)) fail(`Hooks[${i}] must be a map of an event to a Lambda function, got ${describe(entry)}`, shape);
    for (const event of Object.keys(entry)) {
      if (!events.includes(event)) {
        fail(`Hooks[${i}] names the event ${quote(event)}, which ECS AppSpec files do not have`, allowedEvents);
      }
      if (hooks.some((h) => h.event === event)) {
        fail(`Hooks lists ${event} twice`, 'allowed: one Lambda function per event');
      }
      const functionName = requiredString(entry[event], `Hooks[${i}].${event}`, `allowed: ${FUNCTION_FORMS}`);
      if (!FULL_ARN.test(functionName) && !PARTIAL_ARN.test(functionName) && !PLAIN_NAME.test(functionName)) {
        fail(`Hooks[${i}].${event} is not a Lambda function name or ARN: ${quote(functionName)}`, `allowed: ${FUNCTION_FORMS}`);
      }
      hooks.push({ event, functionName, stage: LifecycleStages.fromCodeDeployEvent(event) });
    }
  });
  return hooks;
}
