import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './bind-contract';
import { blueGreenTarget } from './blue-green-target';
import { listenerUrl, mappingProtocol, requirePort, sharedTargetGroupProps } from './load-balancer-targets';
import type { ApplicationLoadBalancerRoutingOptions, TestTrafficHeader } from './options';
import { BlueGreenValidationError } from '../../errors';
import type { HookTestEndpoint } from '../../hooks/hook-facts';
import { validateConditions } from '../../private/conditions';
import { integerInRange } from '../../private/validate';
import { WeightedListenerRule } from '../../routing/weighted-listener-rule';
import { loadBalancerTargetsOf, testEndpointOf } from '../test-endpoint';

/** ALB http-header condition: the name is an RFC 7230 token of at most 40 characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/;
/** ALB http-header condition: a value has at most 128 characters. */
const MAX_HEADER_VALUE_LENGTH = 128;

/** Checks the test header of an ALB rule: a valid header name and a value ALB accepts. */
function validateTestHeader(ctx: RoutingBindContext, header: TestTrafficHeader): void {
  const scope = ctx.scope;
  if (!header.name || !header.value) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`, 'needs a non-empty name and value');
  }
  if (!Token.isUnresolved(header.name) && !HEADER_NAME.test(header.name)) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
      `name must be an HTTP header name of at most 40 characters (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(header.name.slice(0, 60))}`);
  }
  if (!Token.isUnresolved(header.value) && header.value.length > MAX_HEADER_VALUE_LENGTH) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
      `value must have at most ${MAX_HEADER_VALUE_LENGTH} characters, got ${header.value.length}`);
  }
}

/** `TrafficRouting.applicationLoadBalancer()`: weighted listener rules that ECS flips. @internal */
export class AlbRouting implements RoutingKind {
  constructor(private readonly options: ApplicationLoadBalancerRoutingOptions) {}

  public _kind(): string {
    return 'alb';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    const o = this.options;
    const scope = ctx.scope;
    if (o.testListener && o.testHeader) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
        'use either a test listener or a test header on the production listener, not both');
    }
    if (o.testListener && (o.testListener === o.listener || (!Token.isUnresolved(o.testListener.listenerArn)
      && o.testListener.listenerArn === o.listener.listenerArn))) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testListener`,
        'must differ from the production listener; for test traffic on the production listener use testHeader');
    }
    requirePort(ctx);
    if (mappingProtocol(ctx) !== ecs.Protocol.TCP) {
      throw new BlueGreenValidationError(scope, 'container',
        `port ${ctx.containerPort} of container ${ctx.container.containerName} is ${mappingProtocol(ctx)}; an ALB forwards HTTP(S) over TCP only`);
    }
    const protocol = o.targetProtocol ?? elbv2.ApplicationProtocol.HTTP;
    if (protocol !== elbv2.ApplicationProtocol.HTTP && protocol !== elbv2.ApplicationProtocol.HTTPS) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.targetProtocol`, `must be HTTP or HTTPS, got ${protocol}`);
    }
    const priority = integerInRange(scope, `${ctx.prop}.priority`, o.priority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
    if (o.conditions) validateConditions(scope, `${ctx.prop}.conditions`, o.conditions, 'the production rule');
    if ((o.testListener || o.testHeader) && o.testPriority !== undefined) {
      integerInRange(scope, `${ctx.prop}.testPriority`, o.testPriority, 1, 50000);
    }
    let headerTestPriority: number | undefined;
    if (o.testHeader) {
      validateTestHeader(ctx, o.testHeader);
      validateConditions(scope, `${ctx.prop}.conditions`,
        [...(o.conditions ?? []), elbv2.ListenerCondition.httpHeader(o.testHeader.name, [o.testHeader.value])],
        'the test header rule (routing.conditions plus the test header)');
      headerTestPriority = o.testPriority ?? priority - 1;
      if (!Token.isUnresolved(headerTestPriority) && !Token.isUnresolved(priority) && headerTestPriority >= priority) {
        throw new BlueGreenValidationError(scope, `${ctx.prop}.testPriority`,
          `must be lower than the production rule's priority (${priority}) so the header rule is evaluated first, got ${headerTestPriority}`);
      }
      if (headerTestPriority < 1) {
        throw new BlueGreenValidationError(scope, `${ctx.prop}.testPriority`,
          `priority ${priority} leaves no lower priority for the test header rule; set routing.priority to 2 or more, or set testPriority`);
      }
    }

    const tgProps: elbv2.ApplicationTargetGroupProps = { ...sharedTargetGroupProps(ctx, o), protocol };
    const blue = new elbv2.ApplicationTargetGroup(scope, 'BlueTargetGroup', tgProps);
    const green = new elbv2.ApplicationTargetGroup(scope, 'GreenTargetGroup', tgProps);

    const productionRule = new WeightedListenerRule(scope, 'ProductionRule', {
      listener: o.listener,
      blueTargetGroup: blue,
      greenTargetGroup: green,
      priority,
      conditions: o.conditions,
      preserveLiveWeights: o.preserveLiveWeights,
      cluster: ctx.cluster,
    });

    let testRule: WeightedListenerRule | undefined;
    let testUrl: string | undefined;
    let testEndpoint: HookTestEndpoint | undefined;
    if (o.testListener) {
      testRule = new WeightedListenerRule(scope, 'TestRule', {
        listener: o.testListener,
        blueTargetGroup: blue,
        greenTargetGroup: green,
        priority: o.testPriority ?? priority,
        conditions: o.conditions,
        preserveLiveWeights: o.preserveLiveWeights,
        cluster: ctx.cluster,
      });
      testUrl = listenerUrl(o.testListener);
      testEndpoint = testEndpointOf(o.testListener, o.conditions);
    } else if (o.testHeader) {
      const testPriority = headerTestPriority!;
      testRule = new WeightedListenerRule(scope, 'TestRule', {
        listener: o.listener,
        blueTargetGroup: blue,
        greenTargetGroup: green,
        priority: testPriority,
        conditions: [
          ...(o.conditions ?? []),
          elbv2.ListenerCondition.httpHeader(o.testHeader.name, [o.testHeader.value]),
        ],
        preserveLiveWeights: o.preserveLiveWeights,
        cluster: ctx.cluster,
      });
      testUrl = listenerUrl(o.listener);
      testEndpoint = testEndpointOf(o.listener, o.conditions);
    }

    const listenerArns = [o.listener.listenerArn, ...(o.testListener ? [o.testListener.listenerArn] : [])];
    return {
      networkLoadBalancer: false,
      blueTargetGroup: blue,
      greenTargetGroup: green,
      productionRule,
      testRule,
      loadBalancer: {
        resources: {
          targetGroupArns: [blue.targetGroupArn, green.targetGroupArn],
          listenerRuleArns: [productionRule.ruleArn, ...(testRule ? [testRule.ruleArn] : [])],
          listenerArns,
        },
        productionListenerRule: productionRule.ruleArn,
        testListenerRule: testRule?.ruleArn,
        // ECS registers green tasks itself during a deployment; the same port is open to the ALB.
        attach: (roleArn) => blueGreenTarget({
          service: ctx.service,
          containerName: ctx.container.containerName,
          containerPort: ctx.containerPort,
          green,
          productionListenerRule: productionRule.ruleArn,
          testListenerRule: testRule?.ruleArn,
          roleArn,
        }).attachToApplicationTargetGroup(blue),
      },
      productionUrl: listenerUrl(o.listener),
      testUrl,
      testHeader: o.testHeader,
      testEndpoint,
      loadBalancerTargets: [loadBalancerTargetsOf(o.listener, blue, green)],
    };
  }
}
