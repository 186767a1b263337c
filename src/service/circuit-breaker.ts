import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/** ECS's `ThresholdConfiguration.Type` values. */
const THRESHOLD_TYPES = ['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT'];
/** ECS takes a 32-bit integer. */
const MAX_THRESHOLD_VALUE = 2147483647;

/**
 * How many failed tasks the deployment circuit breaker tolerates before it fails (and rolls back)
 * a deployment: `DeploymentCircuitBreaker.ThresholdConfiguration` of `AWS::ECS::Service`.
 * ECS's default is `boundedPercent(50)`: half the desired count, kept between 3 and 200.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html
 */
export class CircuitBreakerThreshold {
  /** Fail after `failedTasks` failed tasks, whatever the desired count. */
  public static count(failedTasks: number): CircuitBreakerThreshold {
    return new CircuitBreakerThreshold('COUNT', failedTasks);
  }

  /**
   * Fail after `percent` % of the desired count have failed, kept between 3 and 200 tasks
   * (ECS's default type, with 50).
   */
  public static boundedPercent(percent: number): CircuitBreakerThreshold {
    return new CircuitBreakerThreshold('BOUNDED_PERCENT', percent);
  }

  /** Fail after `percent` % of the desired count have failed, without the 3–200 bounds. */
  public static unboundedPercent(percent: number): CircuitBreakerThreshold {
    return new CircuitBreakerThreshold('UNBOUNDED_PERCENT', percent);
  }

  /** `COUNT`, `BOUNDED_PERCENT` or `UNBOUNDED_PERCENT`. */
  public readonly type: string;

  /** The number of tasks (COUNT) or the percentage of the desired count. */
  public readonly value: number;

  private constructor(type: string, value: number) {
    this.type = type;
    this.value = value;
  }

  /**
   * Validates the threshold and returns it as rendered `ThresholdConfiguration`.
   * @internal
   */
  public _render(scope: IConstruct, prop: string): { Type: string; Value: number } {
    if (!THRESHOLD_TYPES.includes(this.type)) {
      throw new BlueGreenValidationError(scope, prop, `type must be one of ${THRESHOLD_TYPES.join(', ')}, got ${this.type}`);
    }
    if (!Token.isUnresolved(this.value) && !(Number.isInteger(this.value) && this.value >= 1 && this.value <= MAX_THRESHOLD_VALUE)) {
      throw new BlueGreenValidationError(scope, prop,
        `${this.type === 'COUNT' ? 'the number of failed tasks' : 'the percentage'} must be a whole number from 1 to ${MAX_THRESHOLD_VALUE}, got ${this.value}`);
    }
    return { Type: this.type, Value: this.value };
  }
}
