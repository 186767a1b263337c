import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { rulesProperty, serviceProperty, strategyProperty } from './fuzz-properties';
import { RulesSpec, ServiceSpec, buildRules, buildService } from './service-specs';
import { DeploymentStrategy, WeightedListenerRule } from '../../src';
import { checkStack } from '../support';
import { errorOf } from '../support/errors';

/**
 * Prop sets the property-based tests (props.fuzz.test.ts) found to be mishandled, minimized, kept
 * as regression tests whatever FUZZ_RUNS is. "seed" is the FUZZ_SEED of the run that found the bug:
 * 20250611 is the CI default, 1 a wider run (300–500 prop sets per property) while the generators
 * were written; `FUZZ_SEED=1 FUZZ_RUNS=500` still stops at the first of them on the code before
 * the fixes. Each case runs through the same property as the fuzz test, and states the expected error.
 */

const BASE: ServiceSpec = { vpc: 'imported', task: 'web', routing: { kind: 'none' }, hooks: [], alarms: 0 };

function alb(extra: Partial<Extract<ServiceSpec['routing'], { kind: 'alb' }>> = {}): ServiceSpec['routing'] {
  return { kind: 'alb', listener: 'new', test: 'none', header: { name: 'X-Test-Traffic', value: 'true' }, ...extra };
}


describe('BlueGreenEcsService regressions', () => {
  test.each<[string, ServiceSpec, string, RegExp]>([
    // seed 1 (and 20250611 with an earlier version of the generators): the smoke test had no URL to call, so the hook could only answer FAILED and
    // every deployment rolled back; now rejected at synth.
    ['an httpSmokeTest without url on a service without test endpoint', { ...BASE, routing: alb(), hooks: [{ kind: 'smoke' }] },
      'httpSmokeTest.url', /Hook0 has no url and the service has no test endpoint/],
    // seed 1: a fractional deregistration delay threw aws-cdk-lib's UnscopedValidationError;
    // 3601 s synthesized a target group ELB refuses.
    ['a fractional deregistration delay', { ...BASE, routing: alb({ deregistrationDelaySeconds: 1.5 }) },
      'routing.deregistrationDelay', /whole number of seconds from 0 to 3600/],
    ['a deregistration delay above 3600 s', { ...BASE, routing: { kind: 'nlb', protocol: 'match', test: 'none', securityGroups: true, deregistrationDelaySeconds: 3601 } },
      'routing.deregistrationDelay', /from 0 to 3600/],
    // seed 1: an out-of-range testPriority was reported as "[.../TestRule] invalid priority".
    ['a fractional testPriority', { ...BASE, routing: alb({ test: 'header', priority: 100, testPriority: 7.5 }) },
      'routing.testPriority', /must be an integer from 1 to 50000, got 7.5/],
    // seed 1: conditions beyond ALB's limits synthesized rules ELB refuses.
    ['a condition with 4 values', { ...BASE, routing: alb({ conditions: [{ field: 'path', values: 4 }] }) },
      'routing.conditions', /the production rule has a path-pattern condition with 4 values; ALB allows at most 3/],
    ['two path conditions', { ...BASE, routing: alb({ conditions: [{ field: 'path', values: 1 }, { field: 'path', values: 1 }] }) },
      'routing.conditions', /more than one path-pattern condition/],
    ['5 condition values plus the test header', { ...BASE, routing: alb({ test: 'header', conditions: [{ field: 'host', values: 3 }, { field: 'query', values: 2 }] }) },
      'routing.conditions', /the test header rule \(routing.conditions plus the test header\) has 6 condition values in total; ALB allows at most 5/],
    // seed 1: header names and values ALB refuses.
    ['a test header value of 129 characters', { ...BASE, routing: alb({ test: 'header', header: { name: 'X-Test', value: 'v'.repeat(129) } }) },
      'routing.testHeader', /value must have at most 128 characters, got 129/],
    ['a test header name with a space', { ...BASE, routing: alb({ test: 'header', header: { name: 'X Test', value: 'true' } }) },
      'routing.testHeader', /name must be an HTTP header name/],
    // seed 1: a container without port mappings behind a load balancer threw aws-cdk-lib's
    // "Container worker hasn't defined any ports".
    ['an ALB in front of a container without ports', { ...BASE, task: 'noport', routing: alb() },
      'container', /container worker has no port mapping for the load balancer to reach/],
    ['an NLB in front of a container without ports', { ...BASE, task: 'noport', routing: { kind: 'nlb', protocol: 'TCP_UDP', test: 'none', securityGroups: true } },
      'container', /container worker has no port mapping/],
    // seed 1: a TCP_UDP listener needs TCP_UDP target groups, which ECS cannot fill.
    ['an NLB TCP_UDP listener', { ...BASE, task: 'udp', routing: { kind: 'nlb', protocol: 'TCP_UDP', test: 'none', securityGroups: true } },
      'routing.listener', /listener protocol TCP_UDP needs TCP_UDP target groups/],
    // seed 1: an NLB without security groups in a VPC imported without vpcCidrBlock threw
    // aws-cdk-lib's "'vpcCidrBlock' was not supplied".
    ['an NLB without security groups in a VPC imported without CIDR', { ...BASE, vpc: 'imported-no-cidr', routing: { kind: 'nlb', protocol: 'match', test: 'none', securityGroups: false } },
      'cluster', /imported without vpcCidrBlock/],
    // seed 1: a Service Connect port of NaN or 0 synthesized.
    ['a Service Connect port of NaN', { ...BASE, routing: { kind: 'service-connect', namespace: 'explicit', portMappingName: 'web', port: NaN } },
      'routing.port', /must be an integer from 1 to 65535, got NaN/],
    ['a Service Connect port of 0', { ...BASE, routing: { kind: 'service-connect', namespace: 'explicit', portMappingName: 'web', port: 0 } },
      'routing.port', /got 0/],
    // seed 1: service names ECS refuses synthesized.
    ['a service name with a space', { ...BASE, serviceName: 'bad name!' }, 'serviceName', /must be 1–255 letters, digits, hyphens and underscores/],
    // seed 1: a fractional maxLatency threw aws-cdk-lib's "0.5 must be a whole number of millis".
    ['an httpSmokeTest maxLatency of 0.5 ms', { ...BASE, hooks: [{ kind: 'smoke', url: 'http://example.com', maxLatencyMs: 0.5 }] },
      'httpSmokeTest.maxLatency', /whole number of milliseconds from 1 to 60000, got 0.5/],
    // seeds 20250611 and 1: a metric threshold of Infinity or NaN synthesized (rendered as null in HookDetails).
    ['a metricCheck threshold of Infinity', { ...BASE, hooks: [{ kind: 'metric', alarms: 1, metric: true, threshold: Infinity }] },
      'metricCheck.threshold', /must be a finite number, got Infinity/],
    // Found while writing the oracle: null details passed the "object of JSON values" check.
    ['null hook details', { ...BASE, hooks: [{ kind: 'lambda', fn: 'imported', stages: ['POST_SCALE_UP'], details: { kind: 'null' } }] },
      'hooks.details', /must be an object of JSON values/],
    // Found while writing the oracle: an approval gate's invalid onTimeout was reported as hooks.onTimeout.
    ['an approvalGate onTimeout that is not an action', { ...BASE, hooks: [{ kind: 'approval', onTimeout: 'SKIP' }] },
      'approvalGate.onTimeout', /must be ROLLBACK or CONTINUE, got SKIP/],
  ])('rejects %s, naming the prop', (_name, spec, prop, message) => {
    expect(serviceProperty(spec)).toBe('rejected');
    const error = errorOf(() => buildService(spec));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  // seed 1 (cfn-lint E3049): behind a load balancer, a container with a dynamic host port (EC2,
  // bridge mode, host port 0) needs target groups that health-check the traffic port.
  test.each<[string, ServiceSpec['routing']]>([
    ['ALB', alb()],
    ['NLB', { kind: 'nlb', protocol: 'match', test: 'none', securityGroups: true }],
  ])('a dynamic host port behind an %s health-checks the traffic port', (_name, routing) => {
    const spec: ServiceSpec = { ...BASE, task: 'ec2', routing };
    expect(serviceProperty(spec)).toBe('accepted');
    // checkStack also runs cfn-lint (E3049) over the template after the file's tests.
    const tgs = Object.values(checkStack(buildService(spec).stack).findResources('AWS::ElasticLoadBalancingV2::TargetGroup')) as any[];
    expect(tgs).toHaveLength(2);
    for (const tg of tgs) expect(tg.Properties.HealthCheckPort).toBe('traffic-port');
  });
});

describe('WeightedListenerRule regressions', () => {
  // seed 1: conditions beyond ALB's limits were accepted.
  test.each<[string, RulesSpec, RegExp]>([
    ['4 values in one condition', { vpc: 'imported', secondListener: 'new', rules: [{ listener: 0, sameTargetGroups: false, conditions: [{ field: 'method', values: 4 }] }] },
      /http-request-method condition with 4 values/],
    ['6 values in the rule', {
      vpc: 'imported',
      secondListener: 'new',
      rules: [{ listener: 0, sameTargetGroups: false, conditions: [{ field: 'query', values: 3 }, { field: 'header', values: 2 }, { field: 'sourceIp', values: 1 }] }],
    }, /6 condition values in total; ALB allows at most 5/],
  ])('rejects %s', (_name, spec, message) => {
    expect(rulesProperty(spec)).toBe('rejected');
    const error = errorOf(() => buildRules(spec));
    expect(error.prop).toBe('conditions');
    expect(error.message).toMatch(message);
  });

  // Found while writing the oracle: a rule rejected for its stickiness had already taken its priority.
  test('a rejected rule does not keep its priority', () => {
    const spec: RulesSpec = { vpc: 'imported', secondListener: 'new', rules: [{ listener: 0, sameTargetGroups: false, priority: 10 }] };
    const { stack, rules } = buildRules(spec);
    const [first] = rules;
    const make = (id: string, stickinessDurationSeconds?: number) => () => new WeightedListenerRule(stack, id, {
      listener: first.listener,
      blueTargetGroup: first.blueTargetGroup,
      greenTargetGroup: first.greenTargetGroup,
      priority: 11,
      stickinessDurationSeconds,
    });
    expect(errorOf(make('Sticky', 0)).prop).toBe('stickinessDurationSeconds');
    expect(make('Plain')).not.toThrow();
  });
});

describe('DeploymentStrategy regressions', () => {
  // seeds 20250611 and 1: estimatedDuration threw aws-cdk-lib's "'61 seconds' cannot be converted into a
  // whole number of minutes" (and "NaN must be a whole number of minutes").
  test('estimatedDuration estimates durations that are not whole minutes', () => {
    expect(strategyProperty({ spec: { type: 'linear', percent: 3, bake: { unit: 'seconds', amount: 61 } }, nlb: false })).toBe('rejected');
    const strategy = DeploymentStrategy.linear({ stepPercent: 50, stepBakeTime: Duration.seconds(90), bakeTime: Duration.seconds(30) });
    expect(strategy.estimatedDuration().toSeconds()).toBe(120);
  });

  test('estimatedDuration names the option it cannot estimate', () => {
    expect(errorOf(() => DeploymentStrategy.canary({ canaryPercent: 5, canaryBakeTime: Duration.minutes(NaN) }).estimatedDuration()).message)
      .toMatch(/^\[DeploymentStrategy\.estimatedDuration\] invalid canaryBakeTime: must be a finite duration/);
    expect(errorOf(() => DeploymentStrategy.linear({ stepPercent: -5 }).estimatedDuration()).message)
      .toMatch(/^\[DeploymentStrategy\.estimatedDuration\] invalid stepPercent: the traffic percentage must be a positive number, got -5/);
    // bind still reports the prop, with the construct's path.
    const error = errorOf(() => DeploymentStrategy.linear({ stepPercent: -5 }).bind(new Construct(new Stack(), 'Svc')));
    expect(error.prop).toBe('strategy.stepPercent');
  });
});
