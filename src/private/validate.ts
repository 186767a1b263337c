import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { T } from './prop-types';
import { BlueGreenValidationError } from '../errors';

/**
 * Converts a Duration to whole minutes for a CloudFormation `...InMinutes` field, checking the
 * allowed range. Returns the token unchanged when the duration is unresolved.
 */
export function wholeMinutes(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number {
  T.duration.check(scope, prop, value);
  if (Token.isUnresolved(value.toSeconds({ integral: false }))) {
    return value.toMinutes();
  }
  const seconds = value.toSeconds({ integral: false });
  if (seconds % 60 !== 0) {
    throw new BlueGreenValidationError(scope, prop, `must be a whole number of minutes, got ${value.toHumanString() || `${seconds} seconds`}; allowed: ${min}–${max} minutes`);
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
  T.number.check(scope, prop, value);
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

/**
 * Checks an integer against a range. Unresolved tokens pass unchecked. `note` follows the value
 * in the error (e.g. where a default came from).
 */
export function integerInRange(scope: IConstruct, prop: string, value: number, min: number, max: number, note?: string): number {
  T.number.check(scope, prop, value);
  if (Token.isUnresolved(value)) return value;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BlueGreenValidationError(scope, prop, `must be an integer from ${min} to ${max}, got ${value}${note ? ` ${note}` : ''}`);
  }
  return value;
}

/**
 * Converts a Duration to whole seconds within a range (e.g. a target group's deregistration
 * delay, 0–3600 s). Returns the token unchanged when the duration is unresolved.
 */
export function wholeSeconds(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number {
  T.duration.check(scope, prop, value);
  const seconds = value.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) return seconds;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new BlueGreenValidationError(scope, prop, `must be a whole number of seconds from ${min} to ${max}, got ${value.toHumanString() || seconds}`);
  }
  return seconds;
}

/**
 * Converts a Duration to whole milliseconds within a range. Returns the token unchanged when the
 * duration is unresolved.
 */
export function wholeMillis(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number {
  T.duration.check(scope, prop, value);
  const millis = value.toMilliseconds({ integral: false });
  if (Token.isUnresolved(millis)) return millis;
  if (!Number.isInteger(millis) || millis < min || millis > max) {
    throw new BlueGreenValidationError(scope, prop, `must be a whole number of milliseconds from ${min} to ${max}, got ${millis}`);
  }
  return millis;
}

/** Checks that a number is finite (not NaN or ±Infinity). Unresolved tokens pass unchecked. */
export function finiteNumber(scope: IConstruct, prop: string, value: number): number {
  T.number.check(scope, prop, value);
  if (Token.isUnresolved(value)) return value;
  if (!Number.isFinite(value)) throw new BlueGreenValidationError(scope, prop, `must be a finite number, got ${value}`);
  return value;
}
