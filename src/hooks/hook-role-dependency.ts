import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Dependable, IConstruct } from 'constructs';
import { LifecycleHookConfig } from './lifecycle-hook';
import { pathTo, reachableFrom } from '../private/references';

/**
 * Makes the service resource wait for the roles ECS assumes to invoke its hooks, with their
 * policies: ECS checks a hook's role when the service changes and invokes the hook minutes later,
 * and IAM is eventually consistent, so a policy created in the same update must exist first (as
 * the service waits for its infrastructure role). Shared by BlueGreenEcsService and the in-place
 * migration.
 *
 * The invoke policy refers to the hook functions; a function that refers back to the service
 * (its environment, or through its role an alarm on the service's metrics) would close a cycle
 * that CloudFormation rejects. That is reported at synthesis naming the path, not left to deploy.
 * @internal
 */
export function waitForHookRoles(service: CfnElement, reporter: IConstruct, hooks: () => LifecycleHookConfig[]): void {
  const roles = () => [...new Set(hooks().map((h) => h.invokeRole).filter((r): r is iam.IRole => r !== undefined))];
  // Read when the app is synthesized, so hooks added later (addLifecycleHook) count too.
  const waitFor = {};
  Dependable.implement(waitFor, { get dependencyRoots() { return roles().flatMap((r) => Dependable.of(r).dependencyRoots); } });
  service.node.addDependency(waitFor);
  reporter.node.addValidation({
    validate: () => {
      const stack = Stack.of(service);
      const serviceId = stack.getLogicalId(service);
      return roles().flatMap((role) => {
        const elements = role.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c));
        const reached = reachableFrom(stack, elements);
        if (!reached.has(serviceId)) return [];
        // CDK prefixes validation errors with the construct path.
        return [`invalid hooks: the service must wait for the hook invoke role ${role.node.path}, whose policy ` +
          `names the hook functions, and one of them refers back to the service (${pathTo(reached, serviceId).join(' → ')}): ` +
          'CloudFormation would reject the circular dependency. ' +
          'A hook function must not refer to the service (an environment variable, or an alarm on the service\'s metrics in its role\'s policy); ' +
          'read the service from the hook event (executionDetails.serviceArn) and give alarms to BlueGreenEcsService `alarms` or by name'];
      });
    },
  });
}
