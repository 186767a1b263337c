import { IConstruct } from 'constructs';

const VALIDATION_ERROR_SYMBOL = Symbol.for('cdk-ecs-blue-green.BlueGreenValidationError');

/**
 * Thrown at synth time when a construct of this library receives props it cannot turn into a
 * valid deployment. The message names the construct path, the prop, what was received and what
 * is allowed.
 *
 * jsii cannot export subclasses of `Error`, so TypeScript/JavaScript users import it from
 * `cdk-ecs-blue-green/lib/errors`; other languages receive the message through jsii and can
 * test it with `ValidationErrors.isValidationError()` from the main module.
 */
export class BlueGreenValidationError extends Error {
  /** True for any BlueGreenValidationError, also across copies of this package. */
  public static isBlueGreenValidationError(x: unknown): x is BlueGreenValidationError {
    return typeof x === 'object' && x !== null && VALIDATION_ERROR_SYMBOL in x;
  }

  /** Path of the construct that rejected its props (e.g. `MyStack/Api`). */
  public readonly constructPath: string;

  /** Name of the prop at fault (e.g. `strategy.stepPercent`). */
  public readonly prop: string;

  /**
   * @param scope the construct that validates
   * @param prop the prop at fault
   * @param message what was received and what is allowed
   */
  constructor(scope: IConstruct, prop: string, message: string) {
    super(`[${scope.node.path}] invalid ${prop}: ${message}`);
    this.name = 'BlueGreenValidationError';
    this.constructPath = scope.node.path;
    this.prop = prop;
    Object.defineProperty(this, VALIDATION_ERROR_SYMBOL, { value: true });
    Object.setPrototypeOf(this, BlueGreenValidationError.prototype);
  }
}

/**
 * Helpers to recognize this library's synth-time validation errors from any jsii language.
 */
export class ValidationErrors {
  /**
   * Whether `x` is a validation error thrown by a construct of this library.
   * @param x the caught error
   */
  public static isValidationError(x: any): boolean {
    return BlueGreenValidationError.isBlueGreenValidationError(x);
  }

  private constructor() {}
}
