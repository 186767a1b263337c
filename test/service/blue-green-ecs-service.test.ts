import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { NagSuppressions } from 'cdk-nag';
import {
  BlueGreenEcsService, BlueGreenEcsServiceProps, DeploymentStrategy, LifecycleHook, LifecycleStage, TrafficRouting,
} from '../../src';
import { liveWeightsKey } from '../../src/routing/live-weights';
import { infrastructureRoleSlot } from '../../src/service/infrastructure-role';
import { AlbFixture, albFixture, checkStack, fargateTask, newStack, suppressFixtureFindings } from '../support';
import { errorOf } from '../support/errors';

type RoutingKind = 'alb-test-listener' | 'alb-test-header' | 'alb-no-test' | 'nlb' | 'service-connect' | 'none';

interface Built {
  readonly stack: Stack;
  readonly fixture: AlbFixture;
  readonly service: BlueGreenEcsService;
}

function routingFor(stack: Stack, f: AlbFixture, kind: RoutingKind): TrafficRouting {
  switch (kind) {
    case 'alb-test-listener':
      return TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener });
    case 'alb-test-header':
      return TrafficRouting.applicationLoadBalancer({ listener: f.listener, testHeader: { name: 'X-Test-Traffic', value: 'true' } });
    case 'alb-no-test':
      return TrafficRouting.applicationLoadBalancer({ listener: f.listener, priority: 100, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])] });
    case 'nlb': {
      const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
      suppressNlb(nlb);
      return TrafficRouting.networkLoadBalancer({
        listener: nlb.addListener('Prod', { port: 80 }),
        testListener: nlb.addListener('Test', { port: 8080 }),
      });
    }
    case 'service-connect':
      f.cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
      return TrafficRouting.serviceConnect({ portMappingName: 'web', testTrafficHeader: { name: 'x-canary', value: 'yes' } });
    default:
      return TrafficRouting.none();
  }
}

function suppressNlb(nlb: elbv2.NetworkLoadBalancer) {
  // Same reasons as the ALB fixture: not this library's resource.
  NagSuppressions.addResourceSuppressions(nlb, [
    { id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs need a user-owned bucket, not part of this library.' },
  ], true);
}

function build(kind: RoutingKind, props: Partial<BlueGreenEcsServiceProps> = {}): Built {
  const stack = newStack();
  const fixture = albFixture(stack);
  const service = new BlueGreenEcsService(stack, 'Api', {
    cluster: fixture.cluster,
    taskDefinition: fixture.taskDefinition,
    routing: routingFor(stack, fixture, kind),
    ...props,
  });
  return { stack, fixture, service };
}

function ecsService(template: Template): any {
  const services = Object.values(template.findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  return (services[0] as any).Properties;
}


const STRATEGIES: Array<[string, DeploymentStrategy, Record<string, unknown>]> = [
  ['blue/green', DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(10) }), { Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 10 }],
  ['linear', DeploymentStrategy.linear({ stepPercent: 25, stepBakeTime: Duration.minutes(2) }),
    { Strategy: 'LINEAR', BakeTimeInMinutes: 5, LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 2 } }],
  ['canary', DeploymentStrategy.canary({ canaryPercent: 5, canaryBakeTime: Duration.minutes(15) }),
    { Strategy: 'CANARY', BakeTimeInMinutes: 5, CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 15 } }],
];
const ROUTINGS: RoutingKind[] = ['alb-test-listener', 'alb-test-header', 'alb-no-test', 'nlb', 'service-connect', 'none'];

describe('BlueGreenEcsService: every routing × strategy', () => {
  const cases = ROUTINGS.flatMap((r) => STRATEGIES.map(([name, strategy, expected]) => [r, name, strategy, expected] as const));
  test.each(cases)('%s with %s', (routing, _name, strategy, expected) => {
    const { stack } = build(routing, { strategy });
    const template = checkStack(stack, { nag: true });
    const props = ecsService(template);

    expect(props.DeploymentController).toEqual({ Type: 'ECS' });
    expect(props.DeploymentConfiguration).toMatchObject({
      ...expected,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
    });
    if (expected.Strategy !== 'LINEAR') expect(props.DeploymentConfiguration.LinearConfiguration).toBeUndefined();
    if (expected.Strategy !== 'CANARY') expect(props.DeploymentConfiguration.CanaryConfiguration).toBeUndefined();

    const tgs = template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup');
    const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    if (routing.startsWith('alb') || routing === 'nlb') {
      const [lb] = props.LoadBalancers;
      expect(Object.keys(tgs)).toHaveLength(2);
      expect(lb.ContainerName).toBe('web');
      expect(lb.ContainerPort).toBe(80);
      expect(lb.AdvancedConfiguration.AlternateTargetGroupArn).toEqual({ Ref: expect.stringMatching(/^ApiGreenTargetGroup/) });
      expect(lb.TargetGroupArn).toEqual({ Ref: expect.stringMatching(/^ApiBlueTargetGroup/) });
      // The pooled role of the slot the service's path hashes to.
      expect(lb.AdvancedConfiguration.RoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^EcsBlueGreenInfrastructureRolesRole${infrastructureRoleSlot('Api') + 1}[0-9A-F]{8}$`)), 'Arn'] });
    } else {
      expect(props.LoadBalancers).toBeUndefined();
      expect(Object.keys(tgs)).toHaveLength(0);
      expect(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs.amazonaws.com' } }] } } })).toEqual({});
    }
    if (routing.startsWith('alb')) {
      const [lb] = props.LoadBalancers;
      expect(lb.AdvancedConfiguration.ProductionListenerRule).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiProductionRule/), 'RuleArn'] });
      if (routing === 'alb-no-test') {
        expect(lb.AdvancedConfiguration.TestListenerRule).toBeUndefined();
        expect(Object.keys(rules)).toHaveLength(1);
      } else {
        expect(lb.AdvancedConfiguration.TestListenerRule).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiTestRule/), 'RuleArn'] });
        expect(Object.keys(rules)).toHaveLength(2);
      }
    }
    if (routing === 'nlb') {
      const [lb] = props.LoadBalancers;
      expect(lb.AdvancedConfiguration.ProductionListenerRule).toEqual({ Ref: expect.stringMatching(/^NlbProd/) });
      expect(lb.AdvancedConfiguration.TestListenerRule).toEqual({ Ref: expect.stringMatching(/^NlbTest/) });
      const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))
        .filter((l: any) => l.Properties.Protocol === 'TCP') as any[];
      expect(listeners).toHaveLength(2);
      // Weights come from the live listener at deploy time (1/0 when it is new), from the reader's
      // attributes named by each listener's own key.
      const keys = ['Prod', 'Test'].map((id) => liveWeightsKey((stack.node.findChild('Nlb').node.findChild(id).node.defaultChild as any)));
      listeners.forEach((l, i) => {
        expect(l.Properties.DefaultActions[0].ForwardConfig.TargetGroups.map((g: any) => g.Weight)).toEqual([
          { 'Fn::GetAtt': [expect.stringMatching(/^EcsBlueGreenLiveWeights/), `${keys[i]}B`] },
          { 'Fn::GetAtt': [expect.stringMatching(/^EcsBlueGreenLiveWeights/), `${keys[i]}G`] },
        ]);
      });
    }
    if (routing === 'service-connect') {
      expect(props.ServiceConnectConfiguration.Services[0].ClientAliases[0].TestTrafficRules)
        .toEqual({ Header: { Name: 'x-canary', Value: { Exact: 'yes' } } });
    }
  });
});

describe('ALB routing details', () => {
  test('the production rule forwards blue 1 / green 0 with the given conditions; a header test rule is evaluated first', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const svc = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({
        listener: f.listener,
        priority: 20,
        conditions: [elbv2.ListenerCondition.hostHeaders(['api.example.com'])],
        testHeader: { name: 'X-Test-Traffic', value: 'true' },
        healthCheck: { path: '/health', healthyHttpCodes: '200-299' },
      }),
    });
    const template = checkStack(stack);
    const prod = template.toJSON().Resources[stack.getLogicalId(svc.productionRule!.resource)].Properties;
    const test = template.toJSON().Resources[stack.getLogicalId(svc.testRule!.resource)].Properties;
    expect(prod.Priority).toBe(20);
    expect(prod.Conditions).toEqual([{ Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } }]);
    // Weights come from the live rule at deploy time (1/0 for a new rule): see test/routing.
    // The reader's attributes are named by the rule's own key (a hash of its path), never by position.
    const key = liveWeightsKey(svc.productionRule!.resource);
    expect(key).toMatch(/^W[0-9a-f]{7}$/);
    expect(prod.Actions[0].ForwardConfig.TargetGroups.map((g: any) => g.Weight)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^EcsBlueGreenLiveWeights/), `${key}B`] },
      { 'Fn::GetAtt': [expect.stringMatching(/^EcsBlueGreenLiveWeights/), `${key}G`] },
    ]);
    expect(test.Priority).toBe(19);
    expect(test.Conditions).toEqual([
      { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Test-Traffic', Values: ['true'] } },
    ]);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health', Matcher: { HttpCode: '200-299' }, TargetType: 'ip', Port: 80, Protocol: 'HTTP',
    });
    expect(stack.resolve(svc.testUrl)).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.any(String), 'DNSName'] }, ':80']] });
  });

  test('the infrastructure role is scoped to the service\'s target groups, rules and listeners', () => {
    const { stack, service } = build('alb-test-listener');
    const template = checkStack(stack);
    const role = template.toJSON().Resources[stack.getLogicalId(service.infrastructureRole!.node.defaultChild as any)];
    // The policy is inline (one resource per role), and no other policy is attached.
    expect(role.Properties.Policies).toHaveLength(1);
    expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(service.infrastructureRole!.node.defaultChild as any) }] } })).toEqual({});
    const statements = role.Properties.Policies[0].PolicyDocument.Statement;
    const byAction = (a: string) => statements.find((s: any) => [s.Action].flat().includes(a));
    expect(byAction('elasticloadbalancing:DescribeRules').Resource).toBe('*');
    expect(byAction('elasticloadbalancing:RegisterTargets').Resource).toEqual([
      { Ref: stack.getLogicalId(service.blueTargetGroup!.node.defaultChild as any) },
      { Ref: stack.getLogicalId(service.greenTargetGroup!.node.defaultChild as any) },
    ]);
    expect(byAction('elasticloadbalancing:ModifyRule').Resource).toEqual([
      { 'Fn::GetAtt': [stack.getLogicalId(service.productionRule!.resource), 'RuleArn'] },
      { 'Fn::GetAtt': [stack.getLogicalId(service.testRule!.resource), 'RuleArn'] },
    ]);
    expect(byAction('elasticloadbalancing:ModifyListener').Resource).toHaveLength(2);
    // No statement grants anything beyond these resources.
    for (const s of statements) {
      if (s.Resource === '*') expect([s.Action].flat().every((a: string) => a.startsWith('elasticloadbalancing:Describe'))).toBe(true);
    }
  });

  test('services share pooled infrastructure roles, one per slot their paths hash to; each role lists exactly its services\' resources', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const services = Array.from({ length: 20 }, (_, i) => new BlueGreenEcsService(stack, `Svc${i}`, {
      cluster: f.cluster,
      taskDefinition: fargateTask(stack, `Task${i}`),
      routing: TrafficRouting.applicationLoadBalancer({
        listener: f.listener, priority: 100 + i, conditions: [elbv2.ListenerCondition.hostHeaders([`s${i}.example.com`])],
      }),
    }));
    const template = checkStack(stack).toJSON();
    const roles = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role'
      && r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'ecs.amazonaws.com' && r.Properties.Description?.includes('shift traffic'));
    const slots = new Set(services.map((s) => infrastructureRoleSlot(s.node.path.slice('TestStack/'.length))));
    // A role for each slot in use, named by the slot: Role<slot + 1>.
    expect(roles.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([...slots].map((n) => `EcsBlueGreenInfrastructureRolesRole${n + 1}`).sort());
    for (const s of services) {
      const slot = infrastructureRoleSlot(s.node.path.slice('TestStack/'.length));
      expect(stack.resolve(s.infrastructureRole!.roleArn)['Fn::GetAtt'][0]).toMatch(new RegExp(`^EcsBlueGreenInfrastructureRolesRole${slot + 1}[0-9A-F]{8}$`));
    }
    for (const [id, role] of roles) {
      // Exactly the target groups of the services of this role, in path order.
      const members = services.filter((s) => stack.resolve(s.infrastructureRole!.roleArn)['Fn::GetAtt'][0] === id)
        .sort((a, b) => (a.node.path < b.node.path ? -1 : 1));
      const register = role.Properties.Policies[0].PolicyDocument.Statement.find((x: any) => [x.Action].flat().includes('elasticloadbalancing:RegisterTargets'));
      expect(register.Resource).toEqual(members.flatMap((m) => [
        { Ref: stack.getLogicalId(m.blueTargetGroup!.node.defaultChild as any) },
        { Ref: stack.getLogicalId(m.greenTargetGroup!.node.defaultChild as any) },
      ]));
      // The inline policy stays below IAM's 10,240-character quota once resolved (estimated with
      // 165-character ARNs, longer than any ELBv2 ARN, in place of the references).
      const text = JSON.stringify(role.Properties.Policies[0].PolicyDocument).replace(/\{"(Ref|Fn::GetAtt)":[^}]*\}/g, `"${'x'.repeat(165)}"`);
      expect(text.length).toBeLessThan(10240);
    }
  });

  test('ordinary app changes leave the listener rules and target groups untouched', () => {
    const synth = (image: string, env: string, cpu: number, desiredCount: number) => {
      const stack = newStack();
      const f = albFixture(stack);
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'AppTask', { cpu, memoryLimitMiB: cpu * 2 });
      taskDefinition.addContainer('web', {
        image: ecs.ContainerImage.fromRegistry(image),
        portMappings: [{ containerPort: 80 }],
        environment: { FEATURE: env },
        logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
      });
      new BlueGreenEcsService(stack, 'Api', {
        cluster: f.cluster, taskDefinition, desiredCount, routing: routingFor(stack, f, 'alb-test-listener'),
      });
      const t = checkStack(stack).toJSON();
      const pick = (type: string) => Object.fromEntries(Object.entries(t.Resources).filter(([, r]: any) => r.Type === type));
      return {
        rules: pick('AWS::ElasticLoadBalancingV2::ListenerRule'),
        tgs: pick('AWS::ElasticLoadBalancingV2::TargetGroup'),
        task: pick('AWS::ECS::TaskDefinition'),
      };
    };
    const before = synth('public.ecr.aws/nginx/nginx:1.27', 'off', 256, 2);
    const after = synth('public.ecr.aws/nginx/nginx:1.28', 'on', 512, 6);
    expect(Object.keys(before.rules)).toHaveLength(2);
    expect(after.rules).toEqual(before.rules);
    expect(after.tgs).toEqual(before.tgs);
    expect(after.task).not.toEqual(before.task); // the change did happen
  });
});

describe('hooks, alarms, outputs', () => {
  test('hooks and alarms render on DeploymentConfiguration; addLifecycleHook appends', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const alarm = new cloudwatch.Alarm(stack, 'Errors', {
      metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    });
    const svc = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: routingFor(stack, f, 'alb-test-listener'),
      alarms: [alarm],
      hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.hours(2) })],
      outputs: true,
    });
    svc.addLifecycleHook(LifecycleHook.pause({ stages: [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT] }));
    const template = checkStack(stack);
    const dc = ecsService(template).DeploymentConfiguration;
    expect(dc.Alarms).toEqual({
      AlarmNames: [
        { Ref: stack.getLogicalId(alarm.node.defaultChild as any) },
        { Ref: stack.getLogicalId(svc.defaultAlarms[0].node.defaultChild as any) },
      ],
      Enable: true,
      Rollback: true,
    });
    expect(dc.LifecycleHooks).toEqual([
      { LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], TargetType: 'PAUSE', TimeoutConfiguration: { TimeoutInMinutes: 120, Action: 'ROLLBACK' } },
      { LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'], TargetType: 'PAUSE' },
    ]);
    template.hasOutput('*', { Description: 'Production endpoint' });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('^Test endpoint') });
  });

  test('no outputs unless asked; circuit breaker can be turned off', () => {
    const { stack } = build('none', { circuitBreaker: false });
    const template = checkStack(stack);
    expect(Object.keys(template.toJSON().Outputs ?? {})).toHaveLength(0);
    expect(ecsService(template).DeploymentConfiguration.DeploymentCircuitBreaker).toBeUndefined();
  });

  test('EC2 task definitions make an EC2 service with instance targets (bridge mode)', () => {
    const stack = newStack();
    const f = albFixture(stack);
    f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), minCapacity: 1 });
    const td = new ecs.Ec2TaskDefinition(stack, 'Ec2Task');
    td.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      memoryLimitMiB: 256,
      portMappings: [{ containerPort: 80, hostPort: 0 }],
    });
    const svc = new BlueGreenEcsService(stack, 'Api', { cluster: f.cluster, taskDefinition: td, routing: routingFor(stack, f, 'alb-test-listener') });
    expect(svc.service).toBeInstanceOf(ecs.Ec2Service);
    const template = Template.fromStack(stack);
    expect(ecsService(template).LaunchType).toBe('EC2');
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'instance' });
  });
});

describe('validation', () => {
  test.each([
    ['an unknown container', { container: { containerName: 'nope' } }, 'container.containerName', /'nope' is not a container of the task definition; containers: web/],
    ['a port that is not mapped', { container: { containerName: 'web', containerPort: 8080 } }, 'container.containerPort', /8080 is not a port mapping of container web; mapped ports: 80/],
    ['min healthy above 100', { minHealthyPercent: 120 }, 'minHealthyPercent', /from 0 to 100/],
    ['max not above min', { minHealthyPercent: 100, maxHealthyPercent: 100 }, 'maxHealthyPercent', /must be above minHealthyPercent \(100\)/],
    ['a negative desired count', { desiredCount: -1 }, 'desiredCount', /from 0 to 100000/],
    ['a strategy out of range', { strategy: DeploymentStrategy.canary({ canaryPercent: 0 }) }, 'strategy.canaryPercent', /from 0.1 to 100/],
  ])('rejects %s', (_name, props, prop, message) => {
    const error = errorOf(() => build('alb-test-listener', props as Partial<BlueGreenEcsServiceProps>));
    expect(error.prop).toBe(prop);
    expect(error.constructPath).toBe('TestStack/Api');
    expect(error.message).toMatch(message);
  });

  test('rejects the production listener as test listener, and both a test listener and a test header', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const make = (id: string, routing: TrafficRouting) => () =>
      new BlueGreenEcsService(stack, id, { cluster: f.cluster, taskDefinition: f.taskDefinition, routing });
    expect(errorOf(make('A', TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.listener }))).message)
      .toMatch(/\[TestStack\/A\] invalid routing.testListener: must differ from the production listener/);
    expect(errorOf(make('B', TrafficRouting.applicationLoadBalancer({
      listener: f.listener, testListener: f.testListener, testHeader: { name: 'x', value: 'y' },
    }))).prop).toBe('routing.testHeader');
  });

  test('rejects priority collisions on one listener, naming the rule that holds the priority', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const routing = () => TrafficRouting.applicationLoadBalancer({ listener: f.listener, priority: 10 });
    new BlueGreenEcsService(stack, 'One', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: routing() });
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Two', { cluster: f.cluster, taskDefinition: fargateTask(stack, 'T2'), routing: routing() }));
    expect(error.message).toMatch(/\[TestStack\/Two\/ProductionRule\] invalid priority: 10 is already used on this listener by TestStack\/One\/ProductionRule/);
  });

  test('rejects a header test rule that cannot be evaluated before the production rule', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, priority: 5, testPriority: 6, testHeader: { name: 'x', value: 'y' } }),
    }));
    expect(error.prop).toBe('routing.testPriority');
    expect(error.message).toMatch(/must be lower than the production rule's priority \(5\)/);
  });

  test('rejects Service Connect without a namespace and with an unknown port mapping', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const noNamespace = errorOf(() => new BlueGreenEcsService(stack, 'A', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.serviceConnect({ portMappingName: 'web' }),
    }));
    expect(noNamespace.prop).toBe('routing.namespace');
    expect(noNamespace.message).toMatch(/pass routing.namespace or give the cluster a default namespace/);
    const badName = errorOf(() => new BlueGreenEcsService(stack, 'B', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.serviceConnect({ portMappingName: 'api', namespace: 'ns' }),
    }));
    expect(badName.message).toMatch(/'api' is not a named port mapping of container web; named mappings: web/);
  });

  test('rejects an NLB listener whose protocol cannot carry the container port', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Udp', { port: 53, protocol: elbv2.Protocol.UDP }) }),
    }));
    expect(error.prop).toBe('routing.listener');
    expect(error.message).toMatch(/listener protocol UDP cannot forward to container port 80\/tcp/);
  });

  test('rejects a rolling-only EarlySuccessCriteria added by an escape hatch, at synth', () => {
    const { stack, service } = build('alb-test-listener');
    (service.service.node.defaultChild as ecs.CfnService).addPropertyOverride('DeploymentConfiguration.EarlySuccessCriteria', { Percent: 50 });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Api\] invalid DeploymentConfiguration.EarlySuccessCriteria: ECS accepts it for ROLLING deployments only/);
  });

  // ECS API reference, DeploymentLifecycleHook.lifecycleStages: PAUSE hooks cannot be configured at
  // TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT (those stages take AWS_LAMBDA hooks only).
  test.each([
    [[LifecycleStage.PRODUCTION_TRAFFIC_SHIFT], 'PRODUCTION_TRAFFIC_SHIFT'],
    [[LifecycleStage.POST_SCALE_UP, LifecycleStage.TEST_TRAFFIC_SHIFT], 'TEST_TRAFFIC_SHIFT'],
  ])('fails on a PAUSE hook at a stage ECS refuses for pause hooks (%s)', (stages, named) => {
    const error = errorOf(() => build('alb-test-listener', { hooks: [LifecycleHook.pause({ stages })] }));
    expect(error.prop).toBe('hooks.stages');
    expect(error.message).toMatch(new RegExp(`\\[TestStack/Api\\] invalid hooks.stages: a PAUSE hook cannot wait at ${named}; ` +
      'ECS allows pause hooks at RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT'));
  });

  test('a PAUSE hook at PRE_PRODUCTION_TRAFFIC_SHIFT synthesizes without a warning', () => {
    const { stack } = build('alb-test-listener', { hooks: [LifecycleHook.pause({ stages: [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT] })] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('PAUSE'))).toHaveLength(0);
  });
});

void suppressFixtureFindings;
