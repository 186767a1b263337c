import type { IConstruct } from 'constructs';

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

  /**
   * Path of the construct that rejected its props (e.g. `MyStack/Api`), or, for a static factory
   * that has no construct yet, the factory's name (e.g. `DeploymentStrategy.fromCodeDeployConfig`).
   */
  public readonly constructPath: string;

  /** Name of the prop at fault (e.g. `strategy.stepPercent`). */
  public readonly prop: string;

  /**
   * @param scope the construct that validates, or the name of the static factory that does
   * @param prop the prop (or factory parameter) at fault
   * @param message what was received and what is allowed
   */
  constructor(scope: IConstruct | string, prop: string, message: string) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${path}] invalid ${prop}: ${message}`);
    this.name = 'BlueGreenValidationError';
    this.constructPath = path;
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
