import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/**
 * Adds a check that runs in the construct tree's validation phase (for what is only known once the
 * whole app is built: what the L2 attached, escape-hatch overrides, references between stacks'
 * constructs) and throws what it finds as a BlueGreenValidationError.
 *
 * aws-cdk-lib wraps the strings a validation returns in its own UnscopedValidationError
 * ("Validation failed with the following errors: [path] message"), which hides our error class
 * and, with our `[path] invalid prop:` message, printed the path twice. A validation that throws
 * is not wrapped (`Node.validate()` calls it directly), so the user catches our error: the first
 * one of this construct, with any others of the same construct appended to its message.
 */
export function addValidation(scope: IConstruct, check: () => BlueGreenValidationError[]): void {
  scope.node.addValidation({
    validate: () => {
      throwFirst(check());
      return [];
    },
  });
}

/** Throws nothing for no errors, the error for one, the first with the others appended for more. */
export function throwFirst(errors: BlueGreenValidationError[]): void {
  if (errors.length === 0) return;
  const [first, ...more] = errors;
  if (more.length === 0) throw first;
  // The others of the same construct without its path again.
  const shortened = more.map((e) => (e.constructPath === first.constructPath ? e.message.slice(`[${e.constructPath}] `.length) : e.message));
  throw new BlueGreenValidationError(first.constructPath, first.prop,
    `${bodyOf(first)}\n  and ${more.length} more: ${shortened.join('\n  ')}`);
}

function bodyOf(e: BlueGreenValidationError): string {
  return e.message.slice(`[${e.constructPath}] invalid ${e.prop}: `.length);
}
