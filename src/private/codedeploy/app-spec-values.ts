// Small readers for the values of a parsed AppSpec. Every check fails with a
// BlueGreenValidationError `[AppSpec] invalid <field path>: <what is wrong>; <what is allowed>`
// (the AppSpec is no construct: its "path" is `AppSpec`, its "prop" the field's path in the
// document, e.g. `Resources[0].TargetService.Properties.TaskDefinition`), and nothing here trusts
// the shape of the parsed value (it may be null, a number, a list, ...). errors.ts imports no
// aws-cdk-lib or constructs at run time, so the CLI bundle stays free of both.
import { BlueGreenValidationError } from '../../errors';

/** Longest string value read (an ARN, a name or an ID is far shorter). */
const MAX_STRING_CHARS = 2048;
/** Values quoted in error messages are cut to this length. */
const MAX_QUOTED_CHARS = 80;

/** A parsed YAML/JSON map. */
export type JsonMap = { [key: string]: unknown };

/** What an AppSpec error names as its construct path. */
export const APP_SPEC = 'AppSpec';

/**
 * Throws `[AppSpec] invalid <path>: <problem>; <allowed>`.
 * @param path the field's path in the document (`text` for the text itself, `document` for its root)
 */
export function fail(path: string, problem: string, allowed: string): never {
  throw new BlueGreenValidationError(APP_SPEC, path, `${problem}; ${allowed}`);
}

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Object]';
}
/** A short, safe description of any value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isMap(value)) return 'a map';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a value of type ${typeof value === 'object' ? Object.prototype.toString.call(value).slice(8, -1) : typeof value}`;
}

export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return JSON.stringify(cut);
}

/** Looks a key up exactly, then case-insensitively (AppSpec docs spell section names both ways). */
export function field(map: JsonMap, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(map, key)) return map[key];
  const lower = key.toLowerCase();
  const found = Object.keys(map).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : map[found];
}

export function requiredString(value: unknown, path: string, allowed: string): string {
  if (value === undefined || value === null) fail(path, 'is missing', allowed);
  if (typeof value !== 'string' || value.trim() === '') fail(path, `must be a non-empty string, got ${describe(value)}`, allowed);
  if (value.length > MAX_STRING_CHARS) fail(path, `is ${value.length} characters long`, `${allowed}, at most ${MAX_STRING_CHARS} characters`);
  return value.trim();
}

export function optionalString(value: unknown, path: string, allowed: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requiredString(value, path, allowed);
}

export function readInteger(value: unknown, path: string, min: number, max: number, required: boolean): number | undefined {
  const allowed = `allowed: an integer from ${min} to ${max}`;
  if (value === undefined || value === null) {
    if (required) fail(path, 'is missing', allowed);
    return undefined;
  }
  const n = typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(path, `must be an integer from ${min} to ${max}, got ${describe(value)}`, allowed);
  return n;
}

export function readStringList(value: unknown, path: string, allowed: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, `must be a list, got ${describe(value)}`, allowed);
  return value.map((item, i) => requiredString(item, `${path}[${i}]`, allowed));
}
