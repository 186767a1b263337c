export { ValidationErrors } from './errors';
