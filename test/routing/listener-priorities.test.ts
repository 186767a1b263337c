import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { BlueGreenValidationError } from '../../src/errors';
import { ListenerPriorities } from '../../src/routing/listener-priorities';
import { WeightedListenerRule } from '../../src/routing/weighted-listener-rule';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/prod';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2';

/** A stack in its own App with the listener imported by ARN and two imported target groups. */
function importedListener(stackId = 'TestStack') {
  const stack = new Stack(new App(), stackId);
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn: LISTENER,
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0'),
  });
  const blue = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Blue', { targetGroupArn: BLUE });
  const green = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Green', { targetGroupArn: GREEN });
  return { stack, listener, blue, green };
}

function ruleAt(f: ReturnType<typeof importedListener>, id: string, priority: number): WeightedListenerRule {
  return new WeightedListenerRule(f.stack, id, {
    listener: f.listener, blueTargetGroup: f.blue, greenTargetGroup: f.green, priority, preserveLiveWeights: false,
  });
}

function errorOf(fn: () => unknown): BlueGreenValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BlueGreenValidationError);
    return e as BlueGreenValidationError;
  }
  throw new Error('expected a BlueGreenValidationError');
}

describe('listener priorities live in the construct tree', () => {
  test('two apps in one process each use priority 100 on a listener imported with the same ARN', () => {
    // GIVEN two apps that import the same listener ARN
    const first = importedListener('First');
    const second = importedListener('Second');

    // WHEN each adds a rule at priority 100
    ruleAt(first, 'Rule', 100);
    expect(() => ruleAt(second, 'Rule', 100)).not.toThrow();

    // THEN each app's registry knows only its own rule
    expect(ListenerPriorities.of(first.listener).holderOf(100)).toBe('First/Rule');
    expect(ListenerPriorities.of(second.listener).holderOf(100)).toBe('Second/Rule');
    for (const f of [first, second]) {
      Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { ListenerArn: LISTENER, Priority: 100 });
    }
  });

  test('fails when two rules use one priority on one listener', () => {
    const f = importedListener();
    ruleAt(f, 'One', 100);

    const error = errorOf(() => ruleAt(f, 'Two', 100));

    expect(error.message).toMatch(/\[TestStack\/Two\] invalid priority: 100 is already used on this listener by TestStack\/One; each rule of a listener needs its own priority/);
    // Another priority on the same listener is fine.
    expect(() => ruleAt(f, 'Three', 101)).not.toThrow();
  });

  test('fails when the priority is held by a rule created as the listener\'s child', () => {
    // GIVEN a listener rule made by the L2 (a CfnListenerRule under the listener), not by us
    const f = importedListener();
    f.listener.addAction('Existing', {
      priority: 7,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/old/*'])],
      action: elbv2.ListenerAction.fixedResponse(410),
    });

    const error = errorOf(() => ruleAt(f, 'Rule', 7));

    expect(error.message).toMatch(/7 is already used on this listener by TestStack\/Listener\/ExistingRule\/Resource/);
  });

  test('a rejected rule leaves its priority free', () => {
    const f = importedListener();
    errorOf(() => new WeightedListenerRule(f.stack, 'Bad', {
      listener: f.listener, blueTargetGroup: f.blue, greenTargetGroup: f.blue, priority: 5, preserveLiveWeights: false,
    }));

    expect(() => ruleAt(f, 'Good', 5)).not.toThrow();
  });

  test('the registry is one plain construct per listener that adds nothing to the template', () => {
    const f = importedListener();
    ruleAt(f, 'One', 1);
    ruleAt(f, 'Two', 2);

    const registries = f.stack.node.findAll().filter((c) => c instanceof ListenerPriorities);
    expect(registries.map((c) => c.node.path)).toEqual(['TestStack/Listener/BlueGreenListenerPriorities']);
    expect(registries[0].node.findAll().some((c) => c instanceof CfnElement)).toBe(false);
    expect(Object.keys(Template.fromStack(f.stack).toJSON().Resources)).toEqual([
      expect.stringMatching(/^One/), expect.stringMatching(/^Two/),
    ]);
  });
});
