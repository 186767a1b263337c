import { Annotations, CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/**
 * ECS attaches at most five target groups to a service behind ALBs or NLBs.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/register-multiple-targetgroups.html
 */
export const MAX_SERVICE_TARGET_GROUPS = 5;

/**
 * Checks the service's `LoadBalancers` as rendered, whoever added the entries: this library's
 * routings, or the L2 on the user's behalf (`listener.addTargets('T', { targets: [service] })`,
 * `service.attachToApplicationTargetGroup(tg)`, `service.loadBalancerTarget(...)`).
 *
 * An entry without `AdvancedConfiguration` has no alternate target group: under the ECS
 * controller with a BLUE_GREEN, LINEAR or CANARY strategy, ECS registers the green revision in the
 * alternate target group and moves traffic by rewriting the production rule (ALB) or listener
 * (NLB) named there (AdvancedConfiguration requires AlternateTargetGroupArn in the CloudFormation
 * schema). A plain target group cannot take part in that shift, and the ECS docs do not say that
 * ECS accepts one next to blue/green entries, so such an entry is refused at synth with the way
 * to add the exposure through `additionalRouting`. Classic Load Balancers are refused likewise
 * (ECS blue/green supports ALB and NLB). Entries that do carry AdvancedConfiguration (e.g. the
 * L2's `loadBalancerTarget({ alternateTarget })`) are kept as rendered.
 * @internal
 */
export function loadBalancerErrors(scope: IConstruct, loadBalancers: unknown): BlueGreenValidationError[] {
  if (!Array.isArray(loadBalancers)) return [];
  const errors: BlueGreenValidationError[] = [];
  const error = (message: string) => errors.push(new BlueGreenValidationError(scope, 'LoadBalancers', message));
  for (const entry of loadBalancers) {
    if (entry?.LoadBalancerName !== undefined) {
      error(`Classic Load Balancer ${describe(scope, entry.LoadBalancerName)} is attached to the service; ` +
        'ECS blue/green deployments shift ALB and NLB target groups only: expose the service through routing or additionalRouting instead');
    } else if (entry?.AdvancedConfiguration === undefined) {
      error(`target group ${describe(scope, entry?.TargetGroupArn)} is attached to the service without an alternate target group ` +
        '(listener.addTargets() with the service, service.attachToApplicationTargetGroup() or loadBalancerTarget() without alternateTarget), ' +
        'so ECS blue/green deployments would never register tasks in it. Add that load balancer through the construct instead: ' +
        'additionalRouting: { Internal: TrafficRouting.applicationLoadBalancer({ listener }) } (or networkLoadBalancer), ' +
        'which creates its blue and green target groups and the rule ECS shifts');
    }
  }
  if (loadBalancers.length > MAX_SERVICE_TARGET_GROUPS) {
    error(`${loadBalancers.length} load balancer entries; ECS attaches at most ${MAX_SERVICE_TARGET_GROUPS} target groups to a service`);
  }
  return errors;
}

/**
 * Warns when the blue and green target groups together exceed ECS's documented five target
 * groups per service: the docs predate ECS-native blue/green and do not say whether alternate
 * target groups count.
 * @internal
 */
export function warnOnTargetGroupCount(scope: IConstruct, loadBalancers: unknown): void {
  if (!Array.isArray(loadBalancers)) return;
  const arns = new Set<string>();
  for (const entry of loadBalancers) {
    for (const arn of [entry?.TargetGroupArn, entry?.AdvancedConfiguration?.AlternateTargetGroupArn]) {
      if (arn !== undefined) arns.add(JSON.stringify(arn));
    }
  }
  if (arns.size > MAX_SERVICE_TARGET_GROUPS && loadBalancers.length <= MAX_SERVICE_TARGET_GROUPS) {
    Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:targetGroupCount',
      `the service uses ${arns.size} target groups (blue and green of ${loadBalancers.length} load balancers); ECS documents at most ` +
      `${MAX_SERVICE_TARGET_GROUPS} target groups per service without saying whether alternate target groups count`);
  }
}

/** The construct path of a referenced resource, or the rendered value. */
function describe(scope: IConstruct, value: unknown): string {
  const ref = (value as any)?.Ref;
  if (typeof ref === 'string') {
    const stack = Stack.of(scope);
    const element = stack.node.findAll().find((c) => CfnElement.isCfnElement(c) && stack.getLogicalId(c as CfnElement) === ref);
    if (element) return element.node.path.replace(/\/Resource$/, '');
  }
  return JSON.stringify(value);
}
