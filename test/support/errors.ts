import { BlueGreenValidationError } from '../../src/errors';

/** The BlueGreenValidationError `fn` throws; any other error is rethrown, no error fails. */
export function errorOf(fn: () => unknown): BlueGreenValidationError {
  try {
    fn();
  } catch (e) {
    if (BlueGreenValidationError.isBlueGreenValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a BlueGreenValidationError');
}
