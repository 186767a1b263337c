export { ValidationErrors } from './errors';
export * from './service/deployment-strategy';
export * from './routing/weighted-listener-rule';
export * from './hooks/lifecycle-hook';
