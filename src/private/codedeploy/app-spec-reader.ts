// Reads a CodeDeploy AppSpec file for an Amazon ECS deployment: the service resource, its
// container, network and capacity providers, and the hooks with the ECS stage of each. Strict:
// anything that is not an ECS AppSpec fails with `AppSpec: <what is wrong>; <what is allowed>`.
import { parseAppSpecText } from './app-spec-text';
import {
  JsonMap, describe, fail, field, isMap, optionalString, quote, readInteger, readStringList, requiredString,
} from './app-spec-values';
import { MAX_CAPACITY_BASE, MAX_CAPACITY_WEIGHT } from './ecs-limits';
import { HookEventStage, hookEvents, stageOfHookEvent } from './hook-events';
import { FUNCTION_FORMS, isLambdaFunctionReference } from './lambda-function-name';

/** One entry of the AppSpec's `Hooks` section and the ECS lifecycle stage it becomes. */
export interface AppSpecHookEntry {
  readonly event: string;
  readonly functionName: string;
  readonly stage: HookEventStage;
}

/** One `CapacityProviderStrategy` item (the shape of `ecs.CapacityProviderStrategy`). */
export interface AppSpecCapacityProvider {
  readonly capacityProvider: string;
  readonly base?: number;
  readonly weight?: number;
}

/** What `readAppSpec` read from the AppSpec file. */
export interface AppSpecContent {
  readonly resourceName: string;
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly platformVersion?: string;
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly assignPublicIp?: boolean;
  readonly hasNetworkConfiguration: boolean;
  readonly capacityProviderStrategies?: AppSpecCapacityProvider[];
  readonly hooks: AppSpecHookEntry[];
}

/** Reads an ECS AppSpec file (YAML or JSON text). */
export function readAppSpec(text: unknown): AppSpecContent {
  const root = parseAppSpecText(text);
  if (!isMap(root)) {
    fail('document', `must be a map with version, Resources and Hooks, got ${describe(root)}`, 'allowed: version: 0.0, Resources: [...], Hooks: [...]');
  }
  readVersion(field(root, 'version'));
  const { name, properties, path } = readServiceResource(field(root, 'Resources'));

  const taskDefinition = requiredString(field(properties, 'TaskDefinition'), `${path}.TaskDefinition`,
    'allowed: a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>)');

  const lbPath = `${path}.LoadBalancerInfo`;
  const lb = field(properties, 'LoadBalancerInfo');
  if (lb === undefined || lb === null) {
    fail(lbPath, 'is missing', 'allowed: LoadBalancerInfo: { ContainerName: <container>, ContainerPort: <port> }');
  }
  if (!isMap(lb)) fail(lbPath, `must be a map, got ${describe(lb)}`, 'allowed: LoadBalancerInfo: { ContainerName: <container>, ContainerPort: <port> }');
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

export function readVersion(version: unknown): void {
  if (version === undefined || version === null) fail('version', 'is missing', 'allowed: version: 0.0');
  const ok = version === 0 || (typeof version === 'string' && version.trim() === '0.0');
  if (!ok) fail('version', `must be 0.0, got ${describe(version)}`, 'allowed: 0.0 (the only AppSpec version CodeDeploy has)');
}

function readServiceResource(resources: unknown): { name: string; properties: JsonMap; path: string } {
  const allowed = 'allowed: exactly one resource of Type AWS::ECS::Service (Resources: [ { TargetService: { Type: AWS::ECS::Service, Properties: {...} } } ])';
  if (resources === undefined || resources === null) fail('Resources', 'is missing: no ECS service resource', allowed);
  if (!Array.isArray(resources)) fail('Resources', `must be a list, got ${describe(resources)}`, allowed);
  if (resources.length === 0) fail('Resources', 'is empty: no ECS service resource', allowed);
  const entries: Array<[string, unknown, number]> = [];
  resources.forEach((entry, i) => {
    if (!isMap(entry)) fail(`Resources[${i}]`, `must be a map of a logical name to the resource, got ${describe(entry)}`, allowed);
    for (const key of Object.keys(entry)) entries.push([key, entry[key], i]);
  });
  if (entries.length === 0) fail('Resources[0]', 'is an empty map: no ECS service resource', allowed);
  if (entries.length > 1) {
    fail('Resources', `has more than one resource (${entries.map(([k]) => quote(k)).join(', ').slice(0, 300)})`,
      `${allowed}; an ECS AppSpec deploys one service`);
  }
  const [key, resource, index] = entries[0];
  const path = `Resources[${index}].${key.length > 40 ? `${key.slice(0, 40)}…` : key}`;
  if (!isMap(resource)) fail(path, `must be a map with Type and Properties, got ${describe(resource)}`, allowed);
  const type = field(resource, 'Type');
  if (type !== 'AWS::ECS::Service') {
    fail(`${path}.Type`, `is ${describe(type)}: no ECS service resource`, `${allowed}; this mapping reads ECS AppSpec files only`);
  }
  const properties = field(resource, 'Properties');
  if (!isMap(properties)) {
    fail(`${path}.Properties`, `must be a map, got ${describe(properties)}`, 'allowed: TaskDefinition, LoadBalancerInfo, PlatformVersion, NetworkConfiguration, CapacityProviderStrategy');
  }
  return { name: key, properties, path: `${path}.Properties` };
}

function readNetwork(value: unknown, path: string): Pick<AppSpecContent, 'subnets' | 'securityGroups' | 'assignPublicIp' | 'hasNetworkConfiguration'> {
  const none = { subnets: [], securityGroups: [], assignPublicIp: undefined, hasNetworkConfiguration: false };
  if (value === undefined || value === null) return none;
  const allowed = 'allowed: NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [...], SecurityGroups: [...], AssignPublicIp: ENABLED | DISABLED } }';
  if (!isMap(value)) fail(path, `must be a map, got ${describe(value)}`, allowed);
  const awsvpc = field(value, 'AwsvpcConfiguration');
  if (!isMap(awsvpc)) fail(`${path}.AwsvpcConfiguration`, `must be a map, got ${describe(awsvpc)}`, allowed);
  const subnets = readStringList(field(awsvpc, 'Subnets'), `${path}.AwsvpcConfiguration.Subnets`, 'allowed: a list of subnet IDs');
  const securityGroups = readStringList(field(awsvpc, 'SecurityGroups'), `${path}.AwsvpcConfiguration.SecurityGroups`, 'allowed: a list of security group IDs');
  const assign = field(awsvpc, 'AssignPublicIp');
  let assignPublicIp: boolean | undefined;
  if (assign !== undefined && assign !== null) {
    if (assign !== 'ENABLED' && assign !== 'DISABLED') {
      fail(`${path}.AwsvpcConfiguration.AssignPublicIp`, `must be ENABLED or DISABLED, got ${describe(assign)}`, 'allowed: ENABLED, DISABLED');
    }
    assignPublicIp = assign === 'ENABLED';
  }
  return { subnets, securityGroups, assignPublicIp, hasNetworkConfiguration: true };
}

function readCapacityProviders(value: unknown, path: string): AppSpecCapacityProvider[] | undefined {
  if (value === undefined || value === null) return undefined;
  const allowed = `allowed: a list of { CapacityProvider: <name>, Base: 0–${MAX_CAPACITY_BASE}, Weight: 0–${MAX_CAPACITY_WEIGHT} }`;
  if (!Array.isArray(value)) fail(path, `must be a list, got ${describe(value)}`, allowed);
  return value.map((item, i) => {
    if (!isMap(item)) fail(`${path}[${i}]`, `must be a map, got ${describe(item)}`, allowed);
    const capacityProvider = requiredString(field(item, 'CapacityProvider'), `${path}[${i}].CapacityProvider`, allowed);
    const base = readInteger(field(item, 'Base'), `${path}[${i}].Base`, 0, MAX_CAPACITY_BASE, false);
    const weight = readInteger(field(item, 'Weight'), `${path}[${i}].Weight`, 0, MAX_CAPACITY_WEIGHT, false);
    return { capacityProvider, base, weight };
  });
}

export function readHooks(value: unknown): AppSpecHookEntry[] {
  if (value === undefined || value === null) return [];
  const events = hookEvents();
  const allowedEvents = `allowed events: ${events.join(', ')}`;
  const shape = `allowed: Hooks: [ { <event>: <Lambda function> }, ... ] with the events ${events.join(', ')}`;
  if (!Array.isArray(value)) fail('Hooks', `must be a list, got ${describe(value)}`, shape);
  const hooks: AppSpecHookEntry[] = [];
  value.forEach((entry, i) => {
    if (!isMap(entry)) fail(`Hooks[${i}]`, `must be a map of an event to a Lambda function, got ${describe(entry)}`, shape);
    for (const event of Object.keys(entry)) {
      if (!events.includes(event)) {
        fail(`Hooks[${i}]`, `names the event ${quote(event)}, which ECS AppSpec files do not have`, allowedEvents);
      }
      if (hooks.some((h) => h.event === event)) {
        fail(`Hooks[${i}]`, `lists ${event} a second time`, 'allowed: one Lambda function per event');
      }
      const functionName = requiredString(entry[event], `Hooks[${i}].${event}`, `allowed: ${FUNCTION_FORMS}`);
      if (!isLambdaFunctionReference(functionName)) {
        fail(`Hooks[${i}].${event}`, `is not a Lambda function name or ARN: ${quote(functionName)}`, `allowed: ${FUNCTION_FORMS}`);
      }
      hooks.push({ event, functionName, stage: stageOfHookEvent(event)! });
    }
  });
  return hooks;
}
