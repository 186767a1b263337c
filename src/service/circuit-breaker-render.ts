import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { CircuitBreakerThreshold } from './circuit-breaker';
import { BlueGreenValidationError } from '../errors';

/** The circuit breaker settings of a blue/green service. @internal */
export interface CircuitBreakerSettings {
  readonly enabled: boolean;
  readonly threshold?: CircuitBreakerThreshold;
  readonly resetOnHealthyTask?: boolean;
}

/**
 * Adds `ThresholdConfiguration` and `ResetOnHealthyTask` to the circuit breaker the L2 renders
 * (aws-cdk-lib 2.257's L1 lacks both; cfn-lint 1.58's schema of AWS::ECS::Service has them).
 * The overrides merge into the L2's `DeploymentCircuitBreaker` {Enable, Rollback}.
 * @internal
 */
export function renderCircuitBreakerExtras(scope: IConstruct, service: ecs.CfnService, settings: CircuitBreakerSettings): void {
  if (!settings.enabled) {
    for (const [prop, value] of [['circuitBreakerThreshold', settings.threshold], ['circuitBreakerResetOnHealthyTask', settings.resetOnHealthyTask]] as const) {
      if (value !== undefined) {
        throw new BlueGreenValidationError(scope, prop, 'configures the deployment circuit breaker, which circuitBreaker: false turns off; remove one of them');
      }
    }
    return;
  }
  if (settings.threshold) {
    service.addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker.ThresholdConfiguration',
      settings.threshold._render(scope, 'circuitBreakerThreshold'));
  }
  if (settings.resetOnHealthyTask !== undefined) {
    service.addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker.ResetOnHealthyTask', settings.resetOnHealthyTask);
  }
}
