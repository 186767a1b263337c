import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { pathTo, reachableFrom } from '../private/references';
import { addValidation } from '../private/validation';

const WAITS_ID = 'EcsBlueGreenHookRoleWaits';

interface Wait {
  readonly service: CfnElement;
  readonly reporter: IConstruct;
  readonly role: iam.IRole;
}

/**
 * The services of a stack that wait for a hook invoke role, checked once per stack at synthesis
 * (the references of each role are followed once, however many services wait for it).
 */
class HookRoleWaits extends Construct {
  static of(scope: IConstruct): HookRoleWaits {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(WAITS_ID) as HookRoleWaits | undefined) ?? new HookRoleWaits(stack, WAITS_ID);
  }

  private readonly waits: Wait[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    addValidation(this, () => this.cycles());
  }

  add(wait: Wait): void {
    if (!this.waits.some((w) => w.service === wait.service && w.role === wait.role)) this.waits.push(wait);
  }

  private cycles(): BlueGreenValidationError[] {
    const stack = Stack.of(this);
    const reachedFrom = new Map<iam.IRole, Map<string, string | undefined>>();
    return this.waits.flatMap(({ service, reporter, role }) => {
      if (!reachedFrom.has(role)) {
        reachedFrom.set(role, reachableFrom(stack, role.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c))));
      }
      const reached = reachedFrom.get(role)!;
      const serviceId = stack.getLogicalId(service);
      if (!reached.has(serviceId)) return [];
      return [new BlueGreenValidationError(reporter, 'hooks', `the service must wait for the hook invoke role ${role.node.path}, whose policy ` +
        `names the hook functions, and one of them refers back to the service (${pathTo(reached, serviceId).join(' → ')}): ` +
        'CloudFormation would reject the circular dependency. ' +
        'A hook function must not refer to the service (an environment variable, or an alarm on the service\'s metrics in its role\'s policy); ' +
        'read the service from the hook event (executionDetails.serviceArn) and give alarms to BlueGreenEcsService `alarms` or by name')];
    });
  }
}

/**
 * Makes the service resource wait for the role ECS assumes to invoke one of its hooks, with the
 * role's policies: ECS checks a hook's role when the service changes and invokes the hook minutes
 * later, and IAM is eventually consistent, so a policy created in the same update must exist first
 * (as the service waits for its infrastructure role). Shared by BlueGreenEcsService and the
 * in-place migration.
 *
 * The invoke policy refers to the hook functions; a function that refers back to the service (its
 * environment, or through its role an alarm on the service's metrics) would close a cycle that
 * CloudFormation rejects. That is reported at synthesis naming the path, not left to deploy.
 * @internal
 */
export function waitForHookRole(service: CfnElement, reporter: IConstruct, role: iam.IRole): void {
  service.node.addDependency(role);
  HookRoleWaits.of(service).add({ service, reporter, role });
}
