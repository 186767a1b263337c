import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ListenerPriorities } from './listener-priorities';
import { LiveWeights } from './live-weights';
import { BlueGreenValidationError } from '../errors';
import { validateConditions } from '../private/conditions';
import { PropTable, T, checkProps } from '../private/prop-types';
import { integerInRange } from '../private/validate';

const TARGET_GROUP = T.required(T.construct('an elbv2.IApplicationTargetGroup'));

/** The runtime types of `WeightedListenerRuleProps`, for JavaScript callers. */
const RULE_PROP_TYPES: PropTable = {
  listener: T.required(T.construct('an elbv2.IApplicationListener')),
  blueTargetGroup: TARGET_GROUP,
  greenTargetGroup: TARGET_GROUP,
  priority: T.number,
  conditions: T.list(T.shape('an elbv2.ListenerCondition (e.g. ListenerCondition.pathPatterns([...]))', ['renderRawCondition'])),
  stickinessDurationSeconds: T.number,
  preserveLiveWeights: T.boolean,
  cluster: T.construct('an ecs.ICluster'),
};

/** Props of `WeightedListenerRule`. */
export interface WeightedListenerRuleProps {
  /** The ALB listener the rule is added to. */
  readonly listener: elbv2.IApplicationListener;

  /** Target group that receives the traffic when the rule is created (weight 1). */
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;

  /** Target group ECS deploys the new revision into (weight 0 until ECS shifts traffic). */
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;

  /**
   * Rule priority, 1–50000, unique per listener. Lower numbers are evaluated first.
   * @default 50000 - evaluated last, so the rule is the listener's catch-all
   */
  readonly priority?: number;

  /**
   * Conditions that select the requests this rule forwards (host, path, header, query string,
   * source IP, HTTP method). As ALB allows: at most one each of host, path, HTTP method and
   * source IP, at most 3 values per condition and 5 in total.
   * @default [ListenerCondition.pathPatterns(['/*'])] - every request
   */
  readonly conditions?: elbv2.ListenerCondition[];

  /**
   * Keep a client on the same target group for this long (ALB target group stickiness on the
   * forward action). Leave unset for stateless services.
   * @default - no stickiness
   */
  readonly stickinessDurationSeconds?: number;

  /**
   * Keep the weights ECS has set when a stack update rewrites the rule. After a deployment ECS has
   * moved the weights (e.g. green 100, blue 0); a later update that touches the rule would write
   * the coded blue 1 / green 0 back and send production traffic to the drained target group
   * (aws/aws-cdk#36649). With this on, a custom resource (one per stack) reads the live weights
   * whenever CloudFormation is about to write the rule, and the rule is written with those.
   * @default true
   */
  readonly preserveLiveWeights?: boolean;

  /**
   * The cluster of the ECS service(s) that deploy through this rule. With live weights kept, the
   * reader then refuses a stack update (and so rolls it back) while one of those services has a
   * deployment under way: the weights it would read are about to change, and the rule would be
   * written with stale ones. `BlueGreenEcsService` and `CodeDeployToEcsMigration` set it.
   * @default - no check for deployments under way
   */
  readonly cluster?: ecs.ICluster;
}

/**
 * An ALB listener rule that forwards to two target groups, blue with weight 1 and green with
 * weight 0: the rule ECS's blue/green deployment controller flips.
 *
 * ECS needs a real `AWS::ElasticLoadBalancingV2::ListenerRule` for an ALB: it rewrites the rule's
 * weights by ARN, and CloudFormation exposes no ARN for a listener's default action. So the
 * production path is a rule (by default a `/*` catch-all with the lowest precedence) and the
 * listener's default action stays what it was (a fixed 404 is a good choice).
 *
 * @example
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { WeightedListenerRule } from 'cdk-ecs-blue-green';
 *
 * declare const listener: elbv2.ApplicationListener;
 * declare const blue: elbv2.ApplicationTargetGroup;
 * declare const green: elbv2.ApplicationTargetGroup;
 * new WeightedListenerRule(this, 'Production', { listener, blueTargetGroup: blue, greenTargetGroup: green });
 */
export class WeightedListenerRule extends Construct {
  /**
   * Priority given to a rule when none is set: the highest number an ALB allows, so the rule is
   * evaluated after every other rule of the listener and acts as its catch-all.
   */
  public static readonly DEFAULT_PRIORITY = 50000;

  /** ARN of the rule: `ProductionListenerRule` / `TestListenerRule` of the ECS service. */
  public readonly ruleArn: string;

  /** The rule's priority on its listener. */
  public readonly priority: number;

  /** The listener the rule belongs to. */
  public readonly listener: elbv2.IApplicationListener;

  /** Weight 1 when created. */
  public readonly blueTargetGroup: elbv2.IApplicationTargetGroup;

  /** Weight 0 when created. */
  public readonly greenTargetGroup: elbv2.IApplicationTargetGroup;

  /** The underlying CloudFormation rule. */
  public readonly resource: elbv2.CfnListenerRule;

  /** Whether the rule's weights are read from the live rule at deploy time. */
  public readonly preservesLiveWeights: boolean;

  constructor(scope: Construct, id: string, props: WeightedListenerRuleProps) {
    super(scope, id);

    // Validate everything before recording the priority as taken, so a rejected rule leaves no trace.
    checkProps(this, '', props, RULE_PROP_TYPES);
    this.priority = integerInRange(this, 'priority', props.priority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
    if (props.blueTargetGroup === props.greenTargetGroup
      || (!Token.isUnresolved(props.blueTargetGroup.targetGroupArn)
        && props.blueTargetGroup.targetGroupArn === props.greenTargetGroup.targetGroupArn)) {
      throw new BlueGreenValidationError(this, 'greenTargetGroup',
        'must differ from blueTargetGroup: ECS moves traffic between two distinct target groups');
    }
    const conditions = props.conditions ?? [elbv2.ListenerCondition.pathPatterns(['/*'])];
    validateConditions(this, 'conditions', conditions);
    if (props.stickinessDurationSeconds !== undefined) {
      integerInRange(this, 'stickinessDurationSeconds', props.stickinessDurationSeconds, 1, 604800);
    }
    if (!Token.isUnresolved(this.priority)) {
      const priorities = ListenerPriorities.of(props.listener);
      const holder = priorities.holderOf(this.priority);
      if (holder !== undefined) {
        throw new BlueGreenValidationError(this, 'priority',
          `${this.priority} is already used on this listener by ${holder}; each rule of a listener needs its own priority (1–50000)`);
      }
      priorities.take(this.priority, this.node.path);
    }

    this.listener = props.listener;
    this.blueTargetGroup = props.blueTargetGroup;
    this.greenTargetGroup = props.greenTargetGroup;

    this.resource = new elbv2.CfnListenerRule(this, 'Resource', {
      listenerArn: props.listener.listenerArn,
      priority: this.priority,
      conditions: conditions.map((c) => c.renderRawCondition()),
      actions: [forwardAction(props, 1, 0)],
    });
    this.ruleArn = this.resource.attrRuleArn;

    this.preservesLiveWeights = props.preserveLiveWeights ?? true;
    if (this.preservesLiveWeights) {
      const weights = LiveWeights.of(this).register({
        kind: 'rule',
        resource: this.resource,
        listenerArn: props.listener.listenerArn,
        priority: this.priority,
        blueTargetGroupArn: props.blueTargetGroup.targetGroupArn,
        greenTargetGroupArn: props.greenTargetGroup.targetGroupArn,
        cluster: props.cluster,
      });
      this.resource.actions = [forwardAction(props, weights.blue, weights.green)];
    }

    // Tell the target groups they are reachable through this listener, so that an ECS service
    // registered with them waits for the rule (and security groups can be wired).
    props.blueTargetGroup.registerListener(props.listener, this);
    props.greenTargetGroup.registerListener(props.listener, this);
  }
}

/** The weighted forward to blue and green. */
function forwardAction(props: WeightedListenerRuleProps, blueWeight: number, greenWeight: number): elbv2.CfnListenerRule.ActionProperty {
  return {
    type: 'forward',
    forwardConfig: {
      targetGroups: [
        { targetGroupArn: props.blueTargetGroup.targetGroupArn, weight: blueWeight },
        { targetGroupArn: props.greenTargetGroup.targetGroupArn, weight: greenWeight },
      ],
      targetGroupStickinessConfig: props.stickinessDurationSeconds !== undefined
        ? { enabled: true, durationSeconds: props.stickinessDurationSeconds }
        : undefined,
    },
  };
}
