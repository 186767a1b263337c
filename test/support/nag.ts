import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

const NAG_APPLIED = Symbol.for('cdk-ecs-blue-green.test.nag-applied');

/**
 * Adds cdk-nag's AwsSolutions pack to a stack (before it is synthesized).
 * cdk-nag 2.x is used: 3.x reports nothing on aws-cdk-lib 2.257.
 */
export function applyNag(stack: Stack): void {
  if ((stack as any)[NAG_APPLIED]) return;
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }) as IAspect);
  (stack as any)[NAG_APPLIED] = true;
}

/** AwsSolutions findings (errors and warnings) left unsuppressed on a synthesized stack. */
export function nagFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  const pattern = Match.stringLikeRegexp('AwsSolutions-');
  const errors = annotations.findError('*', pattern);
  const warnings = annotations.findWarning('*', pattern);
  return [...errors, ...warnings].map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}
