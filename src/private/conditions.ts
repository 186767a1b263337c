import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/** Condition fields an ALB rule may hold at most once. */
const SINGLE_CONDITION_FIELDS = ['host-header', 'http-request-method', 'path-pattern', 'source-ip'];
/** ALB: at most 3 values (match evaluations) per condition and 5 per rule. */
const MAX_VALUES_PER_CONDITION = 3;
const MAX_VALUES_PER_RULE = 5;

/**
 * Checks a rule's conditions against ALB's limits: at least one condition, at most one each of
 * host-header, http-request-method, path-pattern and source-ip, at most 3 values per condition
 * and 5 in the whole rule. Conditions whose values are tokens are not counted.
 * @param what names the rule in the message (e.g. 'the test header rule')
 */
export function validateConditions(scope: IConstruct, prop: string, conditions: elbv2.ListenerCondition[], what = 'the rule'): void {
  if (conditions.length === 0) {
    throw new BlueGreenValidationError(scope, prop,
      'must hold at least one condition (an ALB rule needs one); omit the prop to match every request with path-pattern /*');
  }
  const seen = new Set<string>();
  let total = 0;
  for (const condition of conditions) {
    const raw = condition.renderRawCondition() as { field?: string; [config: string]: any };
    const field = raw.field ?? 'unknown';
    if (SINGLE_CONDITION_FIELDS.includes(field)) {
      if (seen.has(field)) {
        throw new BlueGreenValidationError(scope, prop,
          `${what} has more than one ${field} condition; ALB allows one each of ${SINGLE_CONDITION_FIELDS.join(', ')} per rule (put the values in one condition)`);
      }
      seen.add(field);
    }
    const values = Object.values(raw).find((v): v is { values: unknown } => typeof v === 'object' && v !== null && 'values' in v)?.values;
    if (!Array.isArray(values)) continue; // a token: counted by ELB at deploy time
    if (values.length > MAX_VALUES_PER_CONDITION) {
      throw new BlueGreenValidationError(scope, prop,
        `${what} has a ${field} condition with ${values.length} values; ALB allows at most ${MAX_VALUES_PER_CONDITION} per condition`);
    }
    total += values.length;
  }
  if (total > MAX_VALUES_PER_RULE) {
    throw new BlueGreenValidationError(scope, prop,
      `${what} has ${total} condition values in total; ALB allows at most ${MAX_VALUES_PER_RULE} per rule`);
  }
}
