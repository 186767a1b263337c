import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/**
 * Checks a required prop for JavaScript callers, who get no type checking: a missing value is
 * reported with the prop and what is expected instead of a TypeError further on.
 * @param expected what the prop takes, e.g. `a TrafficRouting (TrafficRouting.applicationLoadBalancer(...))`
 */
export function requireProp<T>(scope: IConstruct, prop: string, value: T | undefined | null, expected: string): T {
  if (value === undefined || value === null) {
    throw new BlueGreenValidationError(scope, prop, `is required: pass ${expected}`);
  }
  return value;
}

/**
 * Checks an optional list prop: an array (when set) without undefined or null entries.
 * @param expected what each entry is, e.g. `a LifecycleHook`
 */
export function checkListEntries(scope: IConstruct, prop: string, list: readonly unknown[] | undefined, expected: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    throw new BlueGreenValidationError(scope, prop, `must be a list of ${expected} entries, got ${typeof list}`);
  }
  list.forEach((entry, i) => {
    if (entry === undefined || entry === null) {
      throw new BlueGreenValidationError(scope, `${prop}[${i}]`, `is ${entry}: every entry must be ${expected}`);
    }
  });
}
