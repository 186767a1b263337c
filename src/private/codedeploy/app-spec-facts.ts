// What the `plan` command needs from an AppSpec that may be partial (a deployment's revision can
// carry only its hooks): the hooks, read strictly, and the container when the file names one.
import { AppSpecHookEntry, readHooks } from './app-spec-reader';
import { parseAppSpecText } from './app-spec-text';
import { describe, fail, field, isMap } from './app-spec-values';

/** The hooks and the container of an AppSpec. */
export interface AppSpecFacts {
  readonly hooks: AppSpecHookEntry[];
  readonly containerName?: string;
  readonly containerPort?: number;
}

/** Reads the hooks (strictly) and the container (when present) of an ECS AppSpec, YAML or JSON. */
export function readAppSpecFacts(text: string): AppSpecFacts {
  const root = parseAppSpecText(text);
  if (!isMap(root)) {
    fail('document', `must be a map with version, Resources and Hooks, got ${describe(root)}`, 'allowed: version: 0.0, Resources: [...], Hooks: [...]');
  }
  const hooks = readHooks(field(root, 'Hooks'));
  const resources = field(root, 'Resources');
  for (const entry of Array.isArray(resources) ? resources : []) {
    for (const resource of isMap(entry) ? Object.values(entry) : []) {
      const properties = isMap(resource) ? field(resource, 'Properties') : undefined;
      const lb = isMap(properties) ? field(properties, 'LoadBalancerInfo') : undefined;
      if (!isMap(lb)) continue;
      const name = field(lb, 'ContainerName');
      const port = Number(field(lb, 'ContainerPort'));
      return { hooks, containerName: typeof name === 'string' ? name : undefined, containerPort: Number.isInteger(port) ? port : undefined };
    }
  }
  return { hooks };
}
