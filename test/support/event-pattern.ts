// An offline EventBridge event-pattern matcher and input-transformer renderer for tests, following
// the EventBridge User Guide ("Creating event patterns", "Comparison operators for use in event
// patterns", "Amazon EventBridge input transformation"). It covers what this library's rules use
// and a little more: exact values, prefix, suffix, anything-but (value, list, prefix), exists,
// equals-ignore-case, nested objects and $or. An unknown operator throws, so a pattern using one
// cannot pass a test by accident.

type Json = any;

/** True when `event` matches `pattern` with EventBridge semantics. */
export function matchesEventPattern(pattern: Json, event: Json): boolean {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new Error(`an event pattern is an object, got ${JSON.stringify(pattern)}`);
  }
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new Error('$or takes an array of at least two patterns');
      return rule.some((p) => matchesEventPattern(p, event));
    }
    const value = event !== null && typeof event === 'object' ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesField(rule, value, key in (event ?? {}));
    if (rule !== null && typeof rule === 'object') {
      return value !== null && typeof value === 'object' && !Array.isArray(value) && matchesEventPattern(rule, value);
    }
    throw new Error(`pattern field ${key}: values are arrays or nested patterns, got ${JSON.stringify(rule)}`);
  });
}

/** One field: any of the alternatives matches the value (any element, if the event holds an array). */
function matchesField(alternatives: Json[], value: Json, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return alternatives.some((alt) => {
    if (alt !== null && typeof alt === 'object') {
      if ('exists' in alt) return alt.exists === (present && value !== undefined);
      if (!present) return false;
      return values.some((v) => matchesOperator(alt, v));
    }
    return present && values.some((v) => v === alt);
  });
}

function matchesOperator(op: Json, v: Json): boolean {
  const [name, arg, ...more] = Object.entries(op).flat();
  if (more.length > 0) throw new Error(`one operator per object, got ${JSON.stringify(op)}`);
  switch (name) {
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'anything-but':
      if (Array.isArray(arg)) return !arg.includes(v);
      if (arg !== null && typeof arg === 'object') return !matchesOperator(arg, v);
      return v !== arg;
    default:
      throw new Error(`operator ${String(name)} is not supported by this matcher`);
  }
}

/** Reads an input-transformer JSON path (`$.a.b`, `$.resources[0]`) from an event. */
export function readPath(event: Json, path: string): Json {
  if (!path.startsWith('$')) throw new Error(`JSON paths start with $, got ${path}`);
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  return steps.reduce((v, s) => (v === undefined || v === null ? undefined : s.startsWith('[') ? v[Number(s.slice(1, -1))] : v[s.slice(1)]), event);
}

/**
 * What a target receives from an input transformer with a string template (`"..."`): each
 * `<name>` replaced by the value of its InputPathsMap path. Throws on a placeholder without a path
 * or a path the event does not have, so a test sees a message that would lose a field.
 */
export function renderInputTransformer(transformer: { InputPathsMap?: Record<string, string>; InputTemplate: string }, event: Json): string {
  const paths = transformer.InputPathsMap ?? {};
  const filled = transformer.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_m, key: string) => {
    if (!(key in paths)) throw new Error(`placeholder <${key}> has no InputPathsMap entry`);
    const value = readPath(event, paths[key]);
    if (value === undefined) throw new Error(`the event has no ${paths[key]} (placeholder <${key}>)`);
    return JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)).slice(1, -1);
  });
  const text = JSON.parse(filled);
  if (typeof text !== 'string') throw new Error('renderInputTransformer handles string templates only');
  return text;
}

/**
 * Replaces CloudFormation intrinsics in a resolved template value by the strings given for them
 * (`{ Ref: 'X' }` by `values.X`, `{ 'Fn::GetAtt': ['X', 'A'] }` by `values['X.A']`), joining
 * `Fn::Join`: what the value reads once deployed. An intrinsic without a value throws.
 */
export function deployedValue(value: Json, values: Record<string, string>): Json {
  if (Array.isArray(value)) return value.map((v) => deployedValue(v, values));
  if (value === null || typeof value !== 'object') return value;
  if ('Ref' in value) return known(values, value.Ref);
  if ('Fn::GetAtt' in value) return known(values, value['Fn::GetAtt'].join('.'));
  if ('Fn::Join' in value) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map((p: Json) => deployedValue(p, values)).join(sep);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployedValue(v, values)]));
}

function known(values: Record<string, string>, key: string): string {
  if (!(key in values)) throw new Error(`no deployed value given for ${key}`);
  return values[key];
}
