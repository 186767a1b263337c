import { CfnElement, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { referencesOf } from './references';
import { addValidation } from './validation';
import { BlueGreenValidationError } from '../errors';

/**
 * Takes constructs of the user's app out of the construct tree, so that the next deploy deletes
 * their resources: a migration's CLEANUP phase, run by deploying the same app. Security group
 * rules elsewhere that only connect a removed resource go too. Any other reference left to a
 * removed resource (an alarm on an old target group, an output) is an error naming both ends
 * (a BlueGreenValidationError on `prop` for what the app holds already, a validation error at
 * synthesis for what it adds later), instead of an invalid template.
 * @internal
 */
export function removeFromApp(reporter: Construct, prop: string, constructs: IConstruct[]): void {
  const stack = Stack.of(reporter);
  const removed = new Map<string, string>();
  for (const c of constructs) {
    for (const el of c.node.findAll()) {
      if (CfnElement.isCfnElement(el)) removed.set(stack.getLogicalId(el), el.node.path);
    }
    c.node.scope?.node.tryRemoveChild(c.node.id);
  }
  for (const el of stack.node.findAll()) {
    const isRule = el instanceof ec2.CfnSecurityGroupIngress || el instanceof ec2.CfnSecurityGroupEgress;
    if (isRule && referencesOf(stack, el).some((id) => removed.has(id))) {
      el.node.scope?.node.tryRemoveChild(el.node.id);
    }
  }
  const dangling = () => [...new Set(stack.node.findAll()
    .filter((el): el is CfnElement => CfnElement.isCfnElement(el))
    .flatMap((el) => referencesOf(stack, el)
      .filter((id) => removed.has(id))
      .map((id) => `${el.node.path} still references ${removed.get(id)}, which this phase removes; ` +
        'remove it from the app or point it at the new resources in this phase')))];
  // What the app holds already fails at once; what it adds later fails at synthesis.
  const now = dangling();
  if (now.length > 0) throw new BlueGreenValidationError(reporter, prop, now.join('; '));
  addValidation(reporter, () => {
    const later = dangling();
    return later.length > 0 ? [new BlueGreenValidationError(reporter, prop, later.join('; '))] : [];
  });
}
