import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct } from 'constructs';
import { CodeDeployToEcsMigration } from './code-deploy-to-ecs-migration';
import { BlueGreenValidationError } from '../errors';
import { refersTo } from '../private/same-ref';

const FIX = 'Graduating now would switch the controller without the migration\'s live target group check and task definition pin ' +
  '(and while CodeDeploy may still be deploying the service): deploy CLEANUP first, then replace CodeDeployToEcsMigration with ' +
  'MigratedEcsService under the same ID';

/** The ECSServices entries of a deployment group, as written (an unresolved list is one unknown entry). */
function ecsServicesOf(group: codedeploy.CfnDeploymentGroup): unknown[] {
  const list = group.ecsServices;
  if (!Array.isArray(list)) return list === undefined ? [] : [list];
  return list.map((e) => (e as codedeploy.CfnDeploymentGroup.ECSServiceProperty | undefined)?.serviceName ?? e);
}

/** The service's name as its code gives it (`serviceName` prop), when it is a literal. */
function literalName(service: ecs.BaseService): string | undefined {
  const name = (service.node.defaultChild as ecs.CfnService).serviceName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/**
 * Whether `name`, a service name in a deployment group's ECSServices, names `service`: `true`,
 * `false` (another service of the app, or another literal name), or `undefined` when it cannot be
 * told (a literal name against a generated one, an import, a value from another stack).
 */
function namesService(group: IConstruct, name: unknown, service: ecs.BaseService): boolean | undefined {
  const stack = Stack.of(service);
  if (refersTo(group, name, stack, service.serviceName)) return true;
  const literal = literalName(service);
  if (typeof name === 'string' && !Token.isUnresolved(name)) return literal === undefined ? undefined : name === literal;
  if (Stack.of(group) !== stack) return undefined;
  // Another service of this stack (its Name attribute, or its literal serviceName) is not this one.
  const others = stack.node.findAll().filter((c): c is ecs.CfnService => c instanceof ecs.CfnService && c !== service.node.defaultChild);
  const resolved = JSON.stringify(stack.resolve(name));
  return others.some((o) => JSON.stringify(stack.resolve(o.attrName)) === resolved) ? false : undefined;
}

/**
 * What in the app still deploys `service` through CodeDeploy (the migrations first, then the
 * deployment groups), and warnings for deployment groups whose service cannot be compared.
 */
function findings(reporter: Construct, service: ecs.BaseService): { left: string[]; warnings: string[] } {
  const migrations: string[] = [];
  const groups: string[] = [];
  const warnings: string[] = [];
  for (const c of reporter.node.root.node.findAll()) {
    if (c instanceof CodeDeployToEcsMigration && c._service === service) {
      migrations.push(`the migration ${c.node.path} (phase ${c._phase}) still manages this service`);
    } else if (c instanceof codedeploy.CfnDeploymentGroup) {
      const owner = c.node.scope && c.node.scope.node.defaultChild === c ? c.node.scope : c;
      const verdicts = ecsServicesOf(c).map((name) => ({ name, says: namesService(c, name, service) }));
      if (verdicts.some((v) => v.says === true)) {
        groups.push(`the CodeDeploy deployment group ${owner.node.path} still deploys this service`);
      } else {
        for (const v of verdicts.filter((x) => x.says === undefined)) {
          warnings.push(`cannot tell whether the CodeDeploy deployment group ${owner.node.path} (its ECSServices name ` +
            `${JSON.stringify(Stack.of(c).resolve(v.name))}) deploys this service. If it does: ${FIX.charAt(0).toLowerCase()}${FIX.slice(1)}`);
        }
      }
    }
  }
  return { left: [...migrations, ...groups], warnings };
}

/** The error message for what is left, with the fix. */
function message(left: string[]): string {
  return `${left.join('; ')}. ${FIX}`;
}

/**
 * `MigratedEcsService` is the step after CLEANUP. While the app still holds the deployment group
 * of its service (or the migration itself), graduating would switch the controller without the
 * migration's live target group check and task definition pin: refused, naming what is left and
 * the fix. A deployment group whose service cannot be compared draws a warning. Checked now and
 * again at synthesis (a group added later in the code).
 * @internal
 */
export function checkGraduation(reporter: Construct, service: ecs.BaseService): void {
  const now = findings(reporter, service);
  if (now.left.length > 0) throw new BlueGreenValidationError(reporter, 'service', message(now.left));
  for (const w of now.warnings) Annotations.of(reporter).addWarningV2('cdk-ecs-blue-green:graduation-deployment-group', w);
  reporter.node.addValidation({
    validate: () => {
      const later = findings(reporter, service).left;
      return later.length > 0 ? [new BlueGreenValidationError(reporter, 'service', message(later)).message] : [];
    },
  });
}
