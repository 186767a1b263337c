import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { BlueGreenEcsService, TrafficRouting } from '../../src';
import { albFixture, fargateTask, newStack } from '../support';
import { errorOf } from '../support/errors';

/**
 * The NLB routing sets its listeners' default action (the forward ECS rewrites by listener ARN), so
 * a listener that already has one must be refused rather than silently replaced: whatever that
 * action served (another service's target groups, a fixed target group) would stop receiving traffic.
 */

function setup() {
  const stack = newStack();
  const f = albFixture(stack);
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
  const other = new elbv2.NetworkTargetGroup(stack, 'Other', { vpc: f.vpc, port: 80, targetType: elbv2.TargetType.IP });
  const service = (id: string, listener: elbv2.NetworkListener, testListener?: elbv2.NetworkListener) => new BlueGreenEcsService(stack, id, {
    cluster: f.cluster, taskDefinition: fargateTask(stack, `${id}Task`), routing: TrafficRouting.networkLoadBalancer({ listener, testListener }),
  });
  return { stack, nlb, other, service };
}

describe('an NLB listener that already has a default action', () => {
  test('fails for a listener created with defaultTargetGroups', () => {
    const f = setup();
    const listener = f.nlb.addListener('Prod', { port: 80, defaultTargetGroups: [f.other] });

    const e = errorOf(() => f.service('Api', listener));

    expect(e.prop).toBe('routing.listener');
    expect(e.constructPath).toBe('TestStack/Api');
    expect(e.message).toMatch(/invalid routing.listener: TestStack\/Nlb\/Prod already has a default action; this routing sets it to the forward ECS shifts, which would replace it: create the listener without defaultAction or defaultTargetGroups/);
  });

  test('fails for a test listener created with a defaultAction', () => {
    const f = setup();
    const listener = f.nlb.addListener('Prod', { port: 80 });
    const testListener = f.nlb.addListener('Test', { port: 8080, defaultAction: elbv2.NetworkListenerAction.forward([f.other]) });

    const e = errorOf(() => f.service('Api', listener, testListener));

    expect(e.prop).toBe('routing.testListener');
    expect(e.message).toMatch(/TestStack\/Nlb\/Test already has a default action/);
  });

  test('fails for DefaultActions set on the listener\'s L1', () => {
    const f = setup();
    const listener = f.nlb.addListener('Prod', { port: 80 });
    (listener.node.defaultChild as elbv2.CfnListener).addPropertyOverride('DefaultActions', [{ Type: 'forward', TargetGroupArn: f.other.targetGroupArn }]);

    const e = errorOf(() => f.service('Api', listener));

    expect(e.message).toMatch(/TestStack\/Nlb\/Prod already has a default action/);
  });

  test('fails for a second service on the listener of the first (its default action is the first service\'s forward)', () => {
    const f = setup();
    const listener = f.nlb.addListener('Prod', { port: 80 });
    f.service('One', listener);

    const e = errorOf(() => f.service('Two', listener));

    expect(e.prop).toBe('routing.listener');
    expect(e.constructPath).toBe('TestStack/Two');
    expect(e.message).toMatch(/TestStack\/Nlb\/Prod already has a default action/);
  });

  test('a listener without a default action gets the weighted forward', () => {
    const f = setup();
    f.service('Api', f.nlb.addListener('Prod', { port: 80 }));
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'TCP', DefaultActions: [Match.objectLike({ Type: 'forward', ForwardConfig: { TargetGroups: [Match.anyValue(), Match.anyValue()] } })],
    });
  });
});
