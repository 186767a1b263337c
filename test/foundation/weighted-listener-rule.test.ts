import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { BlueGreenValidationError } from '../../src/errors';
import { WeightedListenerRule } from '../../src/routing/weighted-listener-rule';
import { albFixture, checkStack, newStack } from '../support';

function targetGroups(stack: ReturnType<typeof newStack>, vpc: elbv2.ApplicationTargetGroupProps['vpc']) {
  const props: elbv2.ApplicationTargetGroupProps = { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP };
  return {
    blue: new elbv2.ApplicationTargetGroup(stack, 'Blue', props),
    green: new elbv2.ApplicationTargetGroup(stack, 'Green', props),
  };
}

describe('WeightedListenerRule (foundation)', () => {
  test('forwards to blue with weight 1 and green with weight 0 on a /* catch-all at priority 50000', () => {
    const stack = newStack();
    const { vpc, listener } = albFixture(stack);
    const { blue, green } = targetGroups(stack, vpc);
    const rule = new WeightedListenerRule(stack, 'Prod', { listener, blueTargetGroup: blue, greenTargetGroup: green, preserveLiveWeights: false });
    const template = checkStack(stack);

    const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    const [props] = Object.values(rules).map((r: any) => r.Properties);
    expect(props.Priority).toBe(50000);
    expect(props.Conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
    const groups = props.Actions[0].ForwardConfig.TargetGroups;
    expect(props.Actions[0].Type).toBe('forward');
    expect(groups.map((g: any) => g.Weight)).toEqual([1, 0]);
    expect(groups[0].TargetGroupArn).toEqual({ Ref: stack.getLogicalId(blue.node.defaultChild as elbv2.CfnTargetGroup) });
    expect(groups[1].TargetGroupArn).toEqual({ Ref: stack.getLogicalId(green.node.defaultChild as elbv2.CfnTargetGroup) });
    expect(rule.priority).toBe(50000);
    expect(stack.resolve(rule.ruleArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(rule.resource), 'RuleArn'] });
  });

  test('rejects the same target group twice and out-of-range priorities', () => {
    const stack = newStack();
    const { vpc, listener } = albFixture(stack);
    const { blue, green } = targetGroups(stack, vpc);
    const errorOf = (fn: () => unknown) => {
      try { fn(); } catch (e) { return e as BlueGreenValidationError; }
      throw new Error('expected an error');
    };
    const same = errorOf(() => new WeightedListenerRule(stack, 'Same', { listener, blueTargetGroup: blue, greenTargetGroup: blue }));
    expect(BlueGreenValidationError.isBlueGreenValidationError(same)).toBe(true);
    expect(same.message).toMatch(/\[TestStack\/Same\] invalid greenTargetGroup: must differ from blueTargetGroup/);
    const prio = errorOf(() => new WeightedListenerRule(stack, 'Prio', { listener, blueTargetGroup: blue, greenTargetGroup: green, priority: 50001 }));
    expect(prio.message).toMatch(/invalid priority: must be an integer from 1 to 50000, got 50001/);
    const none = errorOf(() => new WeightedListenerRule(stack, 'NoCond', { listener, blueTargetGroup: blue, greenTargetGroup: green, conditions: [] }));
    expect(none.message).toMatch(/invalid conditions: must hold at least one condition/);
  });
});
