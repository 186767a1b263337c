// Reads a CodeCatalyst workflow and rewrites it for the ECS deployment controller: each
// `aws/ecs-deploy@v1` action loses its `codedeploy-*` keys (they only apply to a CODE_DEPLOY
// service) and is followed by an `aws/build@v1` action running `ecs-blue-green wait`, because the
// action's reference lists nothing that waits for the deployment (src/cli/codecatalyst-schema.ts).
// The yaml Document API keeps comments, key order and unknown keys of the input.
import { Document, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import {
  ACTION_NAME, BUILD_ACTION, CODEDEPLOY_KEYS, ECS_DEPLOY_ACTION, ECS_DEPLOY_ACTION_KEYS, ECS_DEPLOY_CONFIGURATION_KEYS, KNOWN_ACTIONS,
  RENDER_TASK_DEFINITION_ACTION, WORKFLOW_KEYS,
} from './codecatalyst-schema';

/** One `aws/ecs-deploy@v1` action of the workflow. */
export interface WorkflowDeployAction {
  /** The action's name (its key under Actions). */
  readonly action: string;
  /** The action group it is in, if any. */
  readonly group?: string;
  readonly region?: string;
  readonly cluster?: string;
  readonly service?: string;
  readonly taskDefinition?: string;
  /** The `codedeploy-*` keys and their values. */
  readonly codeDeploy: Record<string, string>;
  /** Environment.Name and the role of its first connection. */
  readonly environment?: { readonly name?: string; readonly role?: string };
}

/** One render action: the container the build's image goes to. */
export interface WorkflowRenderAction {
  readonly action: string;
  readonly containerName?: string;
  readonly image?: string;
  readonly taskDefinition?: string;
}

/** What `readWorkflow` found. */
export interface WorkflowReading {
  readonly name?: string;
  readonly deployActions: WorkflowDeployAction[];
  readonly renderActions: WorkflowRenderAction[];
  /** Branches of the Push triggers. */
  readonly pushBranches: string[];
  /** Keys and actions the checked list does not know, by path: kept as they are. */
  readonly unknown: string[];
}

/** A bad workflow file (not YAML, no Actions map). */
export class WorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

/** Parses the workflow's text into a Document (comments and order kept). */
export function parseWorkflow(text: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new WorkflowError(`not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  if (!isMap(doc.contents)) throw new WorkflowError('a workflow is a map with Name, SchemaVersion, Triggers and Actions');
  if (!isMap(doc.get('Actions'))) throw new WorkflowError('the workflow has no Actions map');
  return doc;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Each action of the workflow (action groups opened), with the map that holds it. */
export function actionEntries(doc: Document): Array<{ name: string; group?: string; node: YAMLMap; parent: YAMLMap }> {
  const out: Array<{ name: string; group?: string; node: YAMLMap; parent: YAMLMap }> = [];
  const visit = (actions: YAMLMap, group?: string) => {
    for (const pair of actions.items as Pair[]) {
      const name = keyOf(pair);
      if (!isMap(pair.value)) continue;
      const node = pair.value as YAMLMap;
      if (!node.has('Identifier') && isMap(node.get('Actions'))) visit(node.get('Actions') as YAMLMap, name);
      else out.push({ name, group, node, parent: actions });
    }
  };
  visit(doc.get('Actions') as YAMLMap);
  return out;
}

/** Reads the workflow: its ECS deploy and render actions, triggers, and what it has that is not in the checked list. */
export function readWorkflow(doc: Document): WorkflowReading {
  const unknown: string[] = [];
  for (const pair of (doc.contents as YAMLMap).items as Pair[]) {
    if (!WORKFLOW_KEYS.includes(keyOf(pair))) unknown.push(keyOf(pair));
  }
  const deployActions: WorkflowDeployAction[] = [];
  const renderActions: WorkflowRenderAction[] = [];
  for (const { name, group, node } of actionEntries(doc)) {
    const path = `Actions.${group ? `${group}.Actions.` : ''}${name}`;
    const identifier = str(node.get('Identifier'));
    if (!identifier || !KNOWN_ACTIONS.includes(identifier)) {
      unknown.push(`${path} (Identifier ${identifier ?? 'missing'}: not read, kept as it is)`);
      continue;
    }
    const config = node.get('Configuration');
    const get = (key: string) => (isMap(config) ? str(config.get(key)) : undefined);
    if (identifier === RENDER_TASK_DEFINITION_ACTION) {
      renderActions.push({ action: name, containerName: get('container-name'), image: get('image'), taskDefinition: get('task-definition') });
      continue;
    }
    if (identifier !== ECS_DEPLOY_ACTION) continue;
    for (const pair of node.items as Pair[]) {
      if (!ECS_DEPLOY_ACTION_KEYS.includes(keyOf(pair))) unknown.push(`${path}.${keyOf(pair)}`);
    }
    const codeDeploy: Record<string, string> = {};
    if (isMap(config)) {
      for (const pair of config.items as Pair[]) {
        const key = keyOf(pair);
        if (!ECS_DEPLOY_CONFIGURATION_KEYS.includes(key)) unknown.push(`${path}.Configuration.${key}`);
        if (CODEDEPLOY_KEYS.includes(key)) codeDeploy[key] = str(isScalar(pair.value) ? pair.value.value : pair.value) ?? '';
      }
    }
    const env = node.get('Environment');
    const connections = isMap(env) ? env.get('Connections') : undefined;
    const first = isSeq(connections) ? connections.items[0] : undefined;
    deployActions.push({
      action: name,
      group,
      region: get('region'),
      cluster: get('cluster'),
      service: get('service'),
      taskDefinition: get('task-definition'),
      codeDeploy,
      environment: isMap(env) ? { name: str(env.get('Name')), role: isMap(first) ? str(first.get('Role')) : undefined } : undefined,
    });
  }
  const pushBranches: string[] = [];
  const triggers = doc.get('Triggers');
  for (const trigger of isSeq(triggers) ? triggers.items : []) {
    if (!isMap(trigger) || str(trigger.get('Type'))?.toUpperCase() !== 'PUSH') continue;
    const branches = trigger.get('Branches');
    for (const b of isSeq(branches) ? branches.items : []) {
      const v = isScalar(b) ? str(b.value) : undefined;
      if (v) pushBranches.push(v);
    }
  }
  return { name: str(doc.get('Name')), deployActions, renderActions, pushBranches, unknown };
}

/** Options of the wait step. */
export interface WaitStepOptions {
  /** Version of cdk-ecs-blue-green the step installs. */
  readonly version: string;
  /** `ecs-blue-green wait --timeout`. */
  readonly timeout: string;
}

/** The name of the wait action that follows `action`. */
export function waitActionName(action: string): string {
  const name = `${action}_WaitForEcs`;
  return ACTION_NAME.test(name) ? name : 'WaitForEcsDeployment';
}

/** The shell command the wait step runs. */
export function waitCommand(action: WorkflowDeployAction, timeout: string): string {
  return `ecs-blue-green wait ${action.cluster ?? 'default'} ${action.service ?? '<service>'} --timeout ${timeout}` +
    (action.region ? ` --region ${action.region}` : '');
}

/** What `migrateCodeCatalyst` changed, per deploy action. */
export interface CodeCatalystChange {
  readonly action: string;
  readonly removed: string[];
  readonly waitAction: string;
  /** Actions that depended on the deploy action and now depend on the wait action. */
  readonly rewired: string[];
}

/**
 * Rewrites `doc` in place: drops the `codedeploy-*` keys of each ECS deploy action, adds the wait
 * action after it and points the actions that depended on the deploy action at the wait action.
 */
export function migrateCodeCatalyst(doc: Document, reading: WorkflowReading, options: WaitStepOptions): CodeCatalystChange[] {
  const changes: CodeCatalystChange[] = [];
  const entries = actionEntries(doc);
  for (const action of reading.deployActions) {
    const entry = entries.find((e) => e.name === action.action && e.group === action.group)!;
    const config = entry.node.get('Configuration') as YAMLMap | undefined;
    const removed = CODEDEPLOY_KEYS.filter((key) => config?.has(key));
    for (const key of removed) config!.delete(key);
    const waitName = waitActionName(action.action);
    const body: Record<string, unknown> = { Identifier: BUILD_ACTION, DependsOn: [action.action] };
    const env = entry.node.get('Environment');
    if (env !== undefined) body.Environment = (env as YAMLMap).toJSON();
    body.Configuration = {
      Steps: [
        { Run: `npm install --global --no-audit --no-fund --legacy-peer-deps cdk-ecs-blue-green@${options.version}` },
        { Run: waitCommand(action, options.timeout) },
      ],
    };
    const key = doc.createNode(waitName) as Scalar;
    key.commentBefore = ` Added by ecs-blue-green plan --workflow: ${action.action} starts the ECS deployment, this waits for its outcome\n` +
      ' (exit 0 succeeded, 1 failed or rolled back, 3 timeout).';
    const index = (entry.parent.items as Pair[]).findIndex((p) => p.value === entry.node);
    const rewired: string[] = [];
    for (const other of entries) {
      if (other.node === entry.node) continue;
      const depends = other.node.get('DependsOn');
      if (!isSeq(depends)) continue;
      depends.items.forEach((item, i) => {
        if (isScalar(item) && item.value === action.action) {
          depends.items[i] = doc.createNode(waitName);
          rewired.push(other.name);
        }
      });
    }
    entry.parent.items.splice(index + 1, 0, doc.createPair(key, body) as Pair);
    changes.push({ action: action.action, removed, waitAction: waitName, rewired });
  }
  return changes;
}
