export { ValidationErrors } from './errors';
export * from './service/deployment-strategy';
export * from './service/traffic-routing';
export * from './service/blue-green-ecs-service';
export * from './routing/weighted-listener-rule';
export * from './hooks/lifecycle-hook';
export * from './hooks/lifecycle-stages';
export * from './hooks/lifecycle-hook-function';
export * from './migration/app-spec';
