import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/**
 * Converts a Duration to whole minutes for a CloudFormation `...InMinutes` field, checking the
 * allowed range. Returns the token unchanged when the duration is unresolved.
 */
export function wholeMinutes(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number {
  if (Token.isUnresolved(value.toSeconds({ integral: false }))) {
    return value.toMinutes();
  }
  const seconds = value.toSeconds({ integral: false });
  if (seconds % 60 !== 0) {
    throw new BlueGreenValidationError(scope, prop, `must be a whole number of minutes, got ${value.toHumanString()}; allowed: ${min}–${max} minutes`);
  }
  const minutes = seconds / 60;
  if (minutes < min || minutes > max) {
    throw new BlueGreenValidationError(scope, prop, `must be ${min}–${max} minutes, got ${minutes}`);
  }
  return minutes;
}

/**
 * Checks a percentage against a range and a 0.1 granularity (ECS's multipleOf 0.1).
 * Unresolved tokens pass unchecked.
 */
export function tenthPercent(scope: IConstruct, prop: string, value: number, min: number, max: number): number {
  if (Token.isUnresolved(value)) return value;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new BlueGreenValidationError(scope, prop, `must be a percentage from ${min} to ${max} in steps of 0.1, got ${value}`);
  }
  const tenths = Math.round(value * 10);
  if (Math.abs(tenths - value * 10) > 1e-9) {
    throw new BlueGreenValidationError(scope, prop, `must be a multiple of 0.1 (${min}–${max}), got ${value}`);
  }
  return tenths / 10;
}

/** Checks an integer against a range. Unresolved tokens pass unchecked. */
export function integerInRange(scope: IConstruct, prop: string, value: number, min: number, max: number): number {
  if (Token.isUnresolved(value)) return value;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BlueGreenValidationError(scope, prop, `must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
