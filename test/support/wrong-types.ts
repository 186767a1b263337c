import { App, Stack } from 'aws-cdk-lib';
import { BlueGreenValidationError } from '../../src/errors';

/**
 * Table-driven bad-input tests for JavaScript callers: each case builds a construct (or calls a
 * factory) with one prop of the wrong JS type (`as any`), and the app is synthesized. The result
 * must be a BlueGreenValidationError naming the prop, with the construct path printed once, never
 * a TypeError or an aws-cdk-lib error.
 */
export interface WrongTypeCase {
  /** The prop the error must name, e.g. `strategy.bakeTime`. */
  readonly prop: string;
  /** What is wrong, for the test name, e.g. `a number`. */
  readonly given: string;
  /** Builds the construct(s) in `stack` with the wrong value (synthesis follows). */
  readonly build: (stack: Stack) => void;
  /** The path the error must name. @default the stack's path plus `construct` */
  readonly path?: string;
}

/** Runs one case: builds, synthesizes, and checks the error. */
export function expectWrongType(c: WrongTypeCase, construct: string): BlueGreenValidationError {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  let err: unknown;
  try {
    c.build(stack);
    app.synth();
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new Error(`no error for ${c.prop} = ${c.given}`);
  if (!BlueGreenValidationError.isBlueGreenValidationError(err)) {
    const e = err as Error;
    throw new Error(`expected a BlueGreenValidationError naming ${c.prop}, got ${e?.constructor?.name}: ${e?.message}`);
  }
  const path = c.path ?? `TestStack/${construct}`;
  expect(err.name).toBe('BlueGreenValidationError');
  expect(err).toBeInstanceOf(BlueGreenValidationError);
  expect({ prop: err.prop, path: err.constructPath }).toEqual({ prop: c.prop, path });
  expect(err.message.startsWith(`[${path}] invalid ${c.prop}: `)).toBe(true);
  // The path once: no second copy from a wrapper.
  expect(err.message.split(path).length - 1).toBe(1);
  return err;
}

/** The usual wrong values of a kind of prop. */
export const WRONG = {
  /** For a Duration: seconds as a number, a string. */
  duration: [[60, 'a number'], ['5 minutes', 'a string']] as const,
  /** For a construct: its ARN or name as a string, a plain object. */
  construct: [['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2', 'a string'], [{}, 'an object']] as const,
  number: [['10', 'a string']] as const,
  string: [[10, 'a number']] as const,
  boolean: [['false', 'a string']] as const,
};
