import * as fs from 'fs';
import * as path from 'path';

/**
 * Shape parity with deploy-verified templates: for the resources ECS blue/green involves (the
 * service, listeners, listener rules, target groups, and the IAM roles ECS assumes with their
 * policies), the JSON type at each property path of our templates must be one the deploy-verified
 * templates use at the same path. Values are not compared: names, ports and ARNs differ by
 * design; a string where AWS takes an object (or the reverse) is what breaks a deployment that
 * cfn-lint accepts (HookDetails: the registry schema allows both, the service takes a string).
 */

/** A JSON type, with CloudFormation's intrinsic functions as one kind of their own. */
export type ShapeType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'intrinsic';

/** Intrinsics that yield a list; every other one yields a single value. */
const LIST_INTRINSICS = new Set(['Fn::GetAZs', 'Fn::Split', 'Fn::Cidr']);

export function shapeType(value: unknown): ShapeType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return LIST_INTRINSICS.has(keys[0]) ? 'array' : 'intrinsic';
    return 'object';
  }
  return typeof value as ShapeType;
}

/**
 * Whether our type may stand where the reference has `reference`. An intrinsic (`Ref`,
 * `Fn::GetAtt`, `Fn::Join`, ...) resolves to one scalar value at deploy time, so it matches a
 * string, number or boolean, and a literal scalar matches an intrinsic; never an object or array.
 */
export function compatible(ours: ShapeType, reference: Set<ShapeType>): boolean {
  if (reference.has(ours)) return true;
  const scalar = (t: ShapeType) => t === 'string' || t === 'number' || t === 'boolean';
  if (ours === 'intrinsic') return [...reference].some(scalar);
  return scalar(ours) && reference.has('intrinsic');
}

/** The resources compared, by kind: a type, or an IAM resource of a role that ECS assumes. */
function kindOf(template: Template, logicalId: string): string | undefined {
  const resource = template.Resources[logicalId];
  switch (resource.Type) {
    case 'AWS::ECS::Service':
    case 'AWS::ElasticLoadBalancingV2::Listener':
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return resource.Type;
    case 'AWS::IAM::Role':
      return assumedByEcs(resource) ? 'AWS::IAM::Role (assumed by ecs.amazonaws.com)' : undefined;
    case 'AWS::IAM::Policy': {
      const roles: unknown[] = resource.Properties?.Roles ?? [];
      const ecsRole = roles.some((r: any) => typeof r?.Ref === 'string' && template.Resources[r.Ref] && assumedByEcs(template.Resources[r.Ref]));
      return ecsRole ? 'AWS::IAM::Policy (of a role assumed by ecs.amazonaws.com)' : undefined;
    }
    default:
      return undefined;
  }
}

function assumedByEcs(role: Resource): boolean {
  return JSON.stringify(role.Properties?.AssumeRolePolicyDocument ?? {}).includes('"ecs.amazonaws.com"');
}

/**
 * IAM policy grammar: Action, NotAction, Resource, NotResource and a principal's Service take one
 * string or a list of strings ("IAM JSON policy elements", IAM User Guide), and CDK renders a list
 * of one as its single string. Such a single value is compared as a list.
 */
const IAM_LIST_ELEMENTS = /(PolicyDocument|AssumeRolePolicyDocument)\.Statement\[\]\.(Action|NotAction|Resource|NotResource|Principal\.Service)$/;

interface Resource { readonly Type: string; readonly Properties?: any }
interface Template { readonly Resources: Record<string, Resource> }

/** Where a shape was seen (template file and logical ID), for the failure message. */
export interface ShapeSighting { readonly file: string; readonly logicalId: string }

/** `kind path` → type → first place seen. */
export type ShapeIndex = Map<string, Map<ShapeType, ShapeSighting>>;

/** Adds every property path (array indices as `[]`) of the compared resources of a template. */
export function indexShapes(index: ShapeIndex, file: string, template: Template): void {
  for (const logicalId of Object.keys(template.Resources ?? {})) {
    const kind = kindOf(template, logicalId);
    if (!kind) continue;
    const visit = (p: string, value: unknown) => {
      let type = shapeType(value);
      if (type !== 'array' && IAM_LIST_ELEMENTS.test(p)) {
        type = 'array';
        value = [value];
      }
      const key = `${kind} ${p}`;
      if (!index.has(key)) index.set(key, new Map());
      if (!index.get(key)!.has(type)) index.get(key)!.set(type, { file, logicalId });
      if (Array.isArray(value)) value.forEach((v) => visit(`${p}[]`, v));
      if (type === 'object') Object.entries(value as object).forEach(([k, v]) => visit(p ? `${p}.${k}` : k, v));
    };
    Object.entries(template.Resources[logicalId].Properties ?? {}).forEach(([k, v]) => visit(k, v));
  }
}

/** One property path whose type in our templates the deploy-verified ones never use. */
export interface ShapeMismatch {
  readonly path: string;
  readonly ours: ShapeType;
  readonly oursAt: ShapeSighting;
  readonly reference: ShapeType[];
  readonly referenceAt: ShapeSighting;
}

/** Compares every path both indexes have; returns the paths compared and the mismatches. */
export function compareShapes(ours: ShapeIndex, reference: ShapeIndex): { compared: string[]; mismatches: ShapeMismatch[] } {
  const compared: string[] = [];
  const mismatches: ShapeMismatch[] = [];
  for (const [key, types] of ours) {
    const ref = reference.get(key);
    if (!ref) continue;
    compared.push(key);
    const refTypes = new Set(ref.keys());
    for (const [type, at] of types) {
      if (!compatible(type, refTypes)) {
        mismatches.push({ path: key, ours: type, oursAt: at, reference: [...refTypes], referenceAt: [...ref.values()][0] });
      }
    }
  }
  return { compared, mismatches };
}

export function describeMismatch(m: ShapeMismatch): string {
  return `${m.path}: ours is ${m.ours} (${m.oursAt.file} ${m.oursAt.logicalId}), ` +
    `deploy-verified is ${m.reference.join(' or ')} (${m.referenceAt.file} ${m.referenceAt.logicalId})`;
}

/**
 * The folder of deploy-verified reference templates: `$REFERENCE_TEMPLATES_DIR`, else the first
 * `shared/reference` beside the repository or one of its parent folders (CI lays a copy of
 * shared/ beside its clone). They stay outside the project: third-party material, read in place.
 */
export function referenceDir(root: string): string {
  if (process.env.REFERENCE_TEMPLATES_DIR) return process.env.REFERENCE_TEMPLATES_DIR;
  const tried: string[] = [];
  for (let dir = path.resolve(root, '..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'reference');
    tried.push(candidate);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`no reference templates found (tried ${tried.join(', ')}); set REFERENCE_TEMPLATES_DIR`);
}

/**
 * The CloudFormation templates of the reference folder. The aws-samples files are ECS API request
 * bodies (camelCase, `hookDetails` as a JSON document), not templates: CloudFormation takes some
 * of the same fields in another form, so they cannot teach template shapes and are left out,
 * like the registry schema files.
 */
export function referenceTemplates(dir: string): Array<{ file: string; template: Template }> {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, template: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8')) }))
    .filter(({ template }) => template.Resources !== undefined && typeof template.Resources === 'object');
}
