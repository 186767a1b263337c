import { CustomResource } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { migrationProvider } from './cleanup-precondition';

/**
 * Option 1, CUTOVER and ROLLBACK: a check of the migration's provider that reads, at deploy time
 * and before traffic moves, which target group serves production (handler: the
 * `ProductionLive` check). CodeDeploy alternates blue and green, so after an odd number of its
 * deployments the app's `blueTargetGroup` is idle:
 * - CUTOVER creates the weighted rule at blue 1 / green 0, so the listener's default action must
 *   forward to blue; otherwise the deploy fails naming the live target group (swap the two props).
 * - ROLLBACK deletes the weighted rule, so production falls back to the listener's default
 *   action: where the rule sends production now (ECS may have flipped it) must be that target
 *   group; otherwise the deploy fails naming both.
 * The rule (CUTOVER) or the service (ROLLBACK) waits for it. One construct ID for both phases:
 * going from one to the other updates it, which runs the check again.
 * @internal
 */
export class LiveTargetGroupCheck extends Construct {
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: {
    readonly phase: 'CUTOVER' | 'ROLLBACK';
    readonly listener: elbv2.IApplicationListener;
    readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
    readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
    /** ROLLBACK: the priority of the weighted production rule CUTOVER created. */
    readonly rulePriority?: number;
  }) {
    super(scope, id);
    const provider = migrationProvider(this, [{
      id: 'AwsSolutions-IAM5',
      reason: 'elasticloadbalancing:DescribeRules and DescribeListeners do not support resource-level permissions; the check changes nothing.',
      appliesTo: ['Resource::*'],
    }]);
    provider.addToRolePolicy({ Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'], Resource: '*' });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsBlueGreenLiveTargetGroupCheck',
      properties: {
        Refusal: props.phase,
        Checks: [{
          Type: 'ProductionLive',
          ListenerArn: props.listener.listenerArn,
          Blue: props.blueTargetGroup.targetGroupArn,
          Green: props.greenTargetGroup.targetGroupArn,
          BlueName: props.blueTargetGroup.node.path,
          GreenName: props.greenTargetGroup.node.path,
          ...(props.rulePriority !== undefined ? { RulePriority: props.rulePriority } : {}),
        }],
      },
    });
  }
}
