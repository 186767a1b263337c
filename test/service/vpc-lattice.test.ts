import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import {
  BlueGreenEcsService, DeploymentStrategy, LifecycleHookFunction, LifecycleStage, TrafficRouting, VpcLatticeCondition, VpcLatticeRoutingOptions,
} from '../../src';
import { infrastructureRoleSlot } from '../../src/service/infrastructure-role';
import { albFixture, checkStack, fargateTask, newStack, suppressFixtureFindings } from '../support';
import { errorOf } from '../support/errors';

/**
 * TrafficRouting.vpcLattice: blue and green Lattice target groups, the production (and test)
 * rule ECS shifts, the service's VpcLatticeConfigurations entry with its AdvancedConfiguration,
 * and the pooled infrastructure role's Lattice statements.
 */

interface Built {
  readonly stack: Stack;
  readonly service: BlueGreenEcsService;
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.Vpc;
}

interface BuildExtras {
  readonly strategy?: DeploymentStrategy;
  readonly task?: (stack: Stack) => ecs.TaskDefinition;
}

function build(options: VpcLatticeRoutingOptions = {}, extra: BuildExtras = {}): Built {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskDefinition = extra.task ? extra.task(stack) : fargateTask(stack);
  suppressFixtureFindings(vpc, undefined, taskDefinition);
  const service = new BlueGreenEcsService(stack, 'Api', {
    cluster, taskDefinition, routing: TrafficRouting.vpcLattice(options), strategy: extra.strategy,
  });
  return { stack, service, cluster, vpc };
}

/** A user's own Lattice service with an HTTP listener on 80 and one on 8080. */
function userLattice(stack: Stack) {
  const latticeService = new vpclattice.CfnService(stack, 'UserLatticeService', { authType: 'NONE' });
  const listener = new vpclattice.CfnListener(stack, 'UserListener', {
    serviceIdentifier: latticeService.attrId, protocol: 'HTTP', port: 80, defaultAction: { fixedResponse: { statusCode: 404 } },
  });
  const testListener = new vpclattice.CfnListener(stack, 'UserTestListener', {
    serviceIdentifier: latticeService.attrId, protocol: 'HTTP', port: 8080, defaultAction: { fixedResponse: { statusCode: 404 } },
  });
  return { latticeService, listener, testListener };
}

/**
 * A construct standing in for a Lattice listener or service where the conflict with another
 * option is reported before the construct is used (the props' type check needs a construct).
 */
const PLACEHOLDER = new Construct(new Stack(), 'Placeholder') as any;
const LISTENER_ARN = 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0';

describe('TrafficRouting.vpcLattice', () => {
  test('creates a Lattice service, listener, two IP target groups and a production rule forwarding to blue and green', () => {
    const { stack } = build();
    const t = checkStack(stack, { nag: true });
    t.resourceCountIs('AWS::VpcLattice::Service', 1);
    t.hasResourceProperties('AWS::VpcLattice::Service', { AuthType: 'AWS_IAM' });
    t.hasResourceProperties('AWS::VpcLattice::Listener', { Protocol: 'HTTP', Port: 80, DefaultAction: { FixedResponse: { StatusCode: 404 } } });
    const groups = t.findResources('AWS::VpcLattice::TargetGroup');
    expect(Object.keys(groups)).toHaveLength(2);
    for (const g of Object.values<any>(groups)) {
      expect(g.Properties).toEqual({
        Type: 'IP',
        Config: { Port: 80, Protocol: 'HTTP', ProtocolVersion: 'HTTP1', IpAddressType: 'IPV4', VpcIdentifier: { Ref: expect.stringMatching(/^Vpc/) } },
      });
    }
    t.hasResourceProperties('AWS::VpcLattice::Rule', {
      Priority: 100,
      Match: { HttpMatch: { PathMatch: { Match: { Prefix: '/' } } } },
      Action: {
        Forward: {
          // Both target groups, as ECS expects (weights 0–999: VPC Lattice User Guide, "Listener rules
          // for your VPC Lattice service"), with the weights the live-weights reader reports (1/0 on
          // create; see live-weights-lattice.test.ts).
          TargetGroups: [
            {
              TargetGroupIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiBlueTargetGroup'), 'Id'] },
              Weight: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcsBlueGreenLiveWeights'), Match.stringLikeRegexp('^W[0-9a-f]{7}B$')] },
            },
            {
              TargetGroupIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiGreenTargetGroup'), 'Id'] },
              Weight: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcsBlueGreenLiveWeights'), Match.stringLikeRegexp('^W[0-9a-f]{7}G$')] },
            },
          ],
        },
      },
    });
    t.resourceCountIs('AWS::VpcLattice::Rule', 1);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
  });

  test('renders VpcLatticeConfigurations with PortName, RoleArn and the AdvancedConfiguration, and no LoadBalancers', () => {
    const { stack, service } = build({ testHeader: { name: 'x-green', value: 'yes' } });
    const t = checkStack(stack);
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
    expect(svc.LoadBalancers).toBeUndefined();
    expect(svc.VpcLatticeConfigurations).toEqual([{
      PortName: 'web',
      RoleArn: { 'Fn::GetAtt': [stack.resolve((service.infrastructureRole!.node.defaultChild as any).logicalId), 'Arn'] },
      TargetGroupArn: { 'Fn::GetAtt': [stack.resolve(service.blueLatticeTargetGroup!.logicalId), 'Arn'] },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { 'Fn::GetAtt': [stack.resolve(service.greenLatticeTargetGroup!.logicalId), 'Arn'] },
        ProductionListenerRule: { 'Fn::GetAtt': [stack.resolve(service.latticeProductionRule!.logicalId), 'Arn'] },
        TestListenerRule: { 'Fn::GetAtt': [stack.resolve(service.latticeTestRule!.logicalId), 'Arn'] },
      },
    }]);
    expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('header test traffic: a test rule on the production listener with the conditions plus the header, one priority lower', () => {
    const { stack, service } = build({ conditions: [VpcLatticeCondition.pathPrefix('/api'), VpcLatticeCondition.method('GET')], priority: 20, testHeader: { name: 'x-green', value: 'yes' } });
    const t = checkStack(stack);
    const rules = t.findResources('AWS::VpcLattice::Rule');
    const test = rules[stack.resolve(service.latticeTestRule!.logicalId)].Properties;
    const production = rules[stack.resolve(service.latticeProductionRule!.logicalId)].Properties;
    expect(production.Priority).toBe(20);
    expect(test.Priority).toBe(19);
    expect(test.ListenerIdentifier).toEqual(production.ListenerIdentifier);
    expect(test.Match.HttpMatch).toEqual({
      PathMatch: { Match: { Prefix: '/api' } },
      Method: 'GET',
      HeaderMatches: [{ Name: 'x-green', Match: { Exact: 'yes' } }],
    });
    expect(stack.resolve(service.testUrl)).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [stack.resolve(service.latticeService!.logicalId), 'DnsEntry.DomainName'] }, ':80']],
    });
  });

  test('uses the user\'s listener (L1) and test listener: no Lattice service created, rules on those listeners', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = fargateTask(stack);
    suppressFixtureFindings(vpc, undefined, taskDefinition);
    const { latticeService, listener, testListener } = userLattice(stack);
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster, taskDefinition, routing: TrafficRouting.vpcLattice({ listener, testListener, latticeService, priority: 10 }),
    });
    const t = checkStack(stack, { nag: true });
    t.resourceCountIs('AWS::VpcLattice::Service', 1);
    t.resourceCountIs('AWS::VpcLattice::Listener', 2);
    const rules = t.findResources('AWS::VpcLattice::Rule');
    expect(rules[stack.resolve(service.latticeProductionRule!.logicalId)].Properties.ListenerIdentifier)
      .toEqual({ 'Fn::GetAtt': [stack.resolve(listener.logicalId), 'Id'] });
    expect(rules[stack.resolve(service.latticeTestRule!.logicalId)].Properties).toMatchObject({
      ListenerIdentifier: { 'Fn::GetAtt': [stack.resolve(testListener.logicalId), 'Id'] },
      ServiceIdentifier: { 'Fn::GetAtt': [stack.resolve(latticeService.logicalId), 'Id'] },
      Priority: 10,
    });
    expect(service.latticeService).toBe(latticeService);
    expect(stack.resolve(service.testUrl)).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [stack.resolve(latticeService.logicalId), 'DnsEntry.DomainName'] }, ':8080']] });
  });

  test('an imported listener ARN: service and listener IDs come from the ARN', () => {
    const { stack, service } = build({ listenerArn: LISTENER_ARN });
    const t = checkStack(stack);
    t.resourceCountIs('AWS::VpcLattice::Service', 0);
    t.hasResourceProperties('AWS::VpcLattice::Rule', { ServiceIdentifier: 'svc-0123456789abcdef0', ListenerIdentifier: 'listener-0123456789abcdef0' });
    expect(service.productionUrl).toBeUndefined();
  });

  test('associates the created service with a service network when asked, with the given auth type and port', () => {
    const { stack } = build({ serviceNetworkIdentifier: 'sn-0123456789abcdef0', authType: 'NONE', listenerPort: 8000 });
    const t = checkStack(stack);
    t.hasResourceProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', { ServiceNetworkIdentifier: 'sn-0123456789abcdef0' });
    t.hasResourceProperties('AWS::VpcLattice::Service', { AuthType: 'NONE' });
    t.hasResourceProperties('AWS::VpcLattice::Listener', { Port: 8000 });
  });

  test('target group protocol, protocol version and health check are passed through', () => {
    const { stack } = build({
      targetProtocol: 'HTTPS',
      protocolVersion: 'GRPC',
      healthCheck: { enabled: true, path: '/healthz', matcher: { httpCode: '200' } },
    });
    checkStack(stack).hasResourceProperties('AWS::VpcLattice::TargetGroup', {
      Config: Match.objectLike({ Protocol: 'HTTPS', ProtocolVersion: 'GRPC', HealthCheck: { Enabled: true, Path: '/healthz', Matcher: { HttpCode: '200' } } }),
    });
  });

  test('the tasks admit VPC Lattice\'s link-local range on the container port', () => {
    const { stack } = build();
    checkStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '169.254.171.0/24', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' })]),
    });
  });

  test('the pooled infrastructure role names exactly the service\'s Lattice target groups and rules', () => {
    const { stack, service } = build({ testHeader: { name: 'x-green', value: 'yes' } });
    const t = checkStack(stack, { nag: true });
    const role = Object.values<any>(t.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs.amazonaws.com' } }] } } }));
    const doc = role.find((r) => r.Properties.Policies)!.Properties.Policies[0].PolicyDocument;
    const att = (c: any, a: string) => ({ 'Fn::GetAtt': [stack.resolve(c.logicalId), a] });
    expect(doc.Statement).toEqual(expect.arrayContaining([
      { Sid: 'ReadForVpcLattice', Effect: 'Allow', Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeInstances'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['vpc-lattice:RegisterTargets', 'vpc-lattice:DeregisterTargets', 'vpc-lattice:GetTargetGroup', 'vpc-lattice:ListTargets'],
        Resource: [att(service.blueLatticeTargetGroup!, 'Arn'), att(service.greenLatticeTargetGroup!, 'Arn')],
      },
      {
        Effect: 'Allow',
        Action: ['vpc-lattice:GetRule', 'vpc-lattice:UpdateRule'],
        Resource: [att(service.latticeProductionRule!, 'Arn'), att(service.latticeTestRule!, 'Arn')],
      },
    ]));
    // No ELB write statements for a Lattice-only service.
    expect(JSON.stringify(doc)).not.toMatch(/RegisterTargets","elasticloadbalancing|ModifyRule|ModifyListener/);
    // The service waits for its role (ECS checks it at creation).
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([stack.resolve((service.infrastructureRole!.node.defaultChild as any).logicalId)]));
  });

  test('a Lattice service changes nothing of an ALB service in another role slot, and shares the role of one in its own slot', () => {
    const ids = ['Alb0', 'Alb1', 'Alb2', 'Alb3', 'Alb4', 'Alb5', 'Alb6', 'Alb7', 'Alb8', 'Alb9'];
    const latticeSlot = infrastructureRoleSlot('Lattice');
    const other = ids.find((id) => infrastructureRoleSlot(id) !== latticeSlot)!;
    const synth = (withLattice: boolean) => {
      const stack = newStack();
      const f = albFixture(stack);
      new BlueGreenEcsService(stack, other, {
        cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      });
      if (withLattice) new BlueGreenEcsService(stack, 'Lattice', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.vpcLattice() });
      return Template.fromStack(stack).toJSON().Resources;
    };
    const roleId = (r: any) => Object.keys(r).find((k) => k.startsWith(`EcsBlueGreenInfrastructureRolesRole${infrastructureRoleSlot(other) + 1}`))!;
    const without = synth(false);
    const withLattice = synth(true);
    expect(withLattice[roleId(withLattice)]).toEqual(without[roleId(without)]);
    expect(JSON.stringify(without)).not.toMatch(/vpc-lattice|ReadForVpcLattice/);

    // An ALB service in the Lattice service's slot shares its role, which then has both statement sets.
    const same = Array.from({ length: 200 }, (_, i) => `Alb${i}`).find((id) => infrastructureRoleSlot(id) === latticeSlot)!;
    const stack = newStack();
    const f = albFixture(stack);
    const alb = new BlueGreenEcsService(stack, same, {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
    });
    const lattice = new BlueGreenEcsService(stack, 'Lattice', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.vpcLattice() });
    expect(alb.infrastructureRole).toBe(lattice.infrastructureRole);
    const role = checkStack(stack, { nag: true }).toJSON().Resources[stack.resolve((lattice.infrastructureRole!.node.defaultChild as any).logicalId)];
    const text = JSON.stringify(role.Properties.Policies);
    expect(text).toMatch(/elasticloadbalancing:ModifyRule/);
    expect(text).toMatch(/vpc-lattice:UpdateRule/);
  });

  test('ordinary app changes (image, environment, task size) leave the Lattice rules and target groups untouched', () => {
    const rulesOf = (image: string, cpu: number, env: string) => {
      const { stack } = build({ testHeader: { name: 'x-green', value: 'yes' } }, {
        task: (s) => {
          const td = new ecs.FargateTaskDefinition(s, 'TaskDef', { cpu, memoryLimitMiB: 2048 });
          td.addContainer('web', {
            image: ecs.ContainerImage.fromRegistry(image),
            environment: { VERSION: env },
            portMappings: [{ containerPort: 80, name: 'web' }],
            logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
          });
          return td;
        },
      });
      const t = Template.fromStack(stack);
      return { ...t.findResources('AWS::VpcLattice::Rule'), ...t.findResources('AWS::VpcLattice::TargetGroup') };
    };
    expect(rulesOf('nginx:1.27', 256, 'a')).toEqual(rulesOf('nginx:1.28', 1024, 'b'));
  });

  describe('33-hour budget', () => {
    test('counts ~3 minutes at POST_SCALE_UP and ~90 s per weight change with VPC Lattice', () => {
      const linear = DeploymentStrategy.linear({ stepPercent: 10, stepBakeTime: Duration.minutes(10), bakeTime: Duration.minutes(5) });
      // 9 × 10 + 5 = 95 minutes; Lattice: + 3 + (10 steps + test shift + reconcile) × 1.5 = 95 + 3 + 18 = 116.
      expect(linear.estimatedDuration().toMinutes()).toBe(95);
      expect(linear.estimatedDuration(false, true).toMinutes()).toBe(116);
    });

    test('fails when Lattice\'s waits push a strategy over 33 hours that fits without them', () => {
      // 34 steps of 3 %: 33 × 60 + 0 = 1980 minutes without Lattice (the limit), 1980 + 3 + 36 × 1.5 = 2037 with it.
      const strategy = DeploymentStrategy.linear({ stepPercent: 3, stepBakeTime: Duration.minutes(60), bakeTime: Duration.minutes(0) });
      expect(strategy.estimatedDuration().toMinutes()).toBe(1980);
      expect(() => build({}, { strategy })).toThrow(/about 2037 minutes/);
      const e = errorOf(() => build({}, { strategy }));
      expect(e.prop).toBe('strategy');
      expect(e.message).toMatch(/~3 minutes at POST_SCALE_UP and ~90 s per weight change with VPC Lattice/);
    });
  });

  describe('httpSmokeTest through the Lattice test route', () => {
    test('gets the Lattice test URL and header; warns that AWS_IAM auth needs signed requests', () => {
      const { stack, service, vpc } = build({ testHeader: { name: 'x-green', value: 'yes' } });
      const fn = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { vpc });
      service.addLifecycleHook(fn.toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }));
      Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('AWS_IAM auth'));
    });

    test('no warning with auth type NONE', () => {
      const { stack, service, vpc } = build({ testHeader: { name: 'x-green', value: 'yes' }, authType: 'NONE' });
      const fn = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { vpc });
      service.addLifecycleHook(fn.toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }));
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('AWS_IAM auth'));
      checkStack(stack);
    });

    test('no warning for the user\'s Lattice service without an auth type (VPC Lattice\'s default is NONE); one with AWS_IAM warns', () => {
      for (const [authType, warns] of [[undefined, false], ['AWS_IAM', true]] as const) {
        const stack = newStack();
        const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
        const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
        const latticeService = new vpclattice.CfnService(stack, 'UserLatticeService', { authType });
        const listener = new vpclattice.CfnListener(stack, 'UserListener', {
          serviceIdentifier: latticeService.attrId, protocol: 'HTTP', defaultAction: { fixedResponse: { statusCode: 404 } },
        });
        const service = new BlueGreenEcsService(stack, 'Api', {
          cluster,
          taskDefinition: fargateTask(stack),
          routing: TrafficRouting.vpcLattice({ listener, latticeService, testHeader: { name: 'x-green', value: 'yes' } }),
        });
        service.addLifecycleHook(LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { vpc }).toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }));
        const annotations = Annotations.fromStack(stack);
        if (warns) annotations.hasWarning('*', Match.stringLikeRegexp('AWS_IAM auth'));
        else annotations.hasNoWarning('*', Match.stringLikeRegexp('AWS_IAM auth'));
      }
    });

    test('fails at synth with an imported listener ARN and no latticeService (no URL to test)', () => {
      const { stack, service, vpc } = build({ listenerArn: LISTENER_ARN, testHeader: { name: 'x-green', value: 'yes' } });
      const fn = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { vpc });
      expect(() => service.addLifecycleHook(fn.toHook({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] }))).toThrow(/url/i);
    });
  });

  describe('validation', () => {
    test.each<[string, VpcLatticeRoutingOptions, RegExp, string]>([
      ['priority above 100', { priority: 101 }, /integer from 1 to 100, got 101/, 'routing.priority'],
      ['priority 0', { priority: 0 }, /integer from 1 to 100/, 'routing.priority'],
      ['test priority not below the production one', { priority: 10, testPriority: 10, testHeader: { name: 'x', value: 'y' } }, /lower than the production rule's priority \(10\)/, 'routing.testPriority'],
      ['priority 1 with a test header', { priority: 1, testHeader: { name: 'x', value: 'y' } }, /leaves no lower priority/, 'routing.testPriority'],
      ['two path conditions', { conditions: [VpcLatticeCondition.pathPrefix('/a'), VpcLatticeCondition.pathExact('/b')] }, /2 path conditions/, 'routing.conditions'],
      ['two methods', { conditions: [VpcLatticeCondition.method('GET'), VpcLatticeCondition.method('POST')] }, /2 method conditions/, 'routing.conditions'],
      ['six headers', { conditions: ['a', 'b', 'c', 'd', 'e', 'f'].map((h) => VpcLatticeCondition.header(`x-${h}`, 'v')) }, /6 header conditions; .* at most 5/, 'routing.conditions'],
      ['five headers plus the test header', { conditions: ['a', 'b', 'c', 'd', 'e'].map((h) => VpcLatticeCondition.header(`x-${h}`, 'v')), testHeader: { name: 'x-green', value: 'y' } }, /the test header rule .* 6 header conditions/, 'routing.conditions'],
      ['unknown method', { conditions: [VpcLatticeCondition.method('PATCH')] }, /method must be one of CONNECT, DELETE, GET, HEAD, OPTIONS, POST, PUT, TRACE/, 'routing.conditions'],
      ['path without /', { conditions: [VpcLatticeCondition.pathPrefix('api')] }, /paths must start with \//, 'routing.conditions'],
      ['long header value', { conditions: [VpcLatticeCondition.header('x-a', 'v'.repeat(129))] }, /1–128 characters, got 129/, 'routing.conditions'],
      ['bad header name', { conditions: [VpcLatticeCondition.header('x a', 'v')] }, /header names must be HTTP header names/, 'routing.conditions'],
      ['the same header twice', { conditions: [VpcLatticeCondition.header('X-A', 'v'), VpcLatticeCondition.headerPrefix('x-a', 'w')] }, /matches header x-a twice/, 'routing.conditions'],
      ['no conditions', { conditions: [] }, /at least one condition/, 'routing.conditions'],
      ['test header and test listener ARN', { testHeader: { name: 'x', value: 'y' }, testListenerArn: LISTENER_ARN }, /one of testHeader, testListener and testListenerArn/, 'routing.testListenerArn'],
      ['listener and listenerArn', { listener: PLACEHOLDER, listenerArn: LISTENER_ARN }, /either listener or listenerArn/, 'routing.listenerArn'],
      ['a malformed listener ARN', { listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c' }, /must be a VPC Lattice listener ARN/, 'routing.listenerArn'],
      ['the same listener ARN for test traffic', { listenerArn: LISTENER_ARN, testListenerArn: LISTENER_ARN }, /must differ from the production listener/, 'routing.testListener'],
      ['serviceNetworkIdentifier with an existing listener', { listenerArn: LISTENER_ARN, serviceNetworkIdentifier: 'sn-1' }, /created for you only/, 'routing.serviceNetworkIdentifier'],
      ['latticeService without a listener', { latticeService: PLACEHOLDER }, /needs listener or listenerArn/, 'routing.latticeService'],
      ['unknown auth type', { authType: 'IAM' }, /must be one of AWS_IAM, NONE, got "IAM"/, 'routing.authType'],
      ['unknown target protocol', { targetProtocol: 'TCP' }, /must be one of HTTP, HTTPS, got "TCP"/, 'routing.targetProtocol'],
      ['unknown protocol version', { protocolVersion: 'HTTP3' }, /must be one of HTTP1, HTTP2, GRPC/, 'routing.protocolVersion'],
      ['GRPC over HTTP', { targetProtocol: 'HTTP', protocolVersion: 'GRPC' }, /GRPC needs targetProtocol HTTPS/, 'routing.protocolVersion'],
      ['an empty test header', { testHeader: { name: '', value: 'y' } }, /non-empty name and value/, 'routing.testHeader'],
      ['listener port out of range', { listenerPort: 70000 }, /integer from 1 to 65535/, 'routing.listenerPort'],
    ])('fails with %s', (_what, options, message, prop) => {
      const e = errorOf(() => build(options));
      expect(e.message).toMatch(message);
      expect(e.prop).toBe(prop);
      expect(e.constructPath).toBe('TestStack/Api');
    });

    test('fails when the container port has no name (ECS registers Lattice targets by port name)', () => {
      const e = errorOf(() => build({}, {
        task: (s) => {
          const td = new ecs.FargateTaskDefinition(s, 'TaskDef');
          td.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
          return td;
        },
      }));
      expect(e.prop).toBe('container');
      expect(e.message).toMatch(/has no name; ECS registers a VPC Lattice target by port mapping name/);
    });

    test('fails for a UDP port', () => {
      const e = errorOf(() => build({}, {
        task: (s) => {
          const td = new ecs.FargateTaskDefinition(s, 'TaskDef');
          td.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 53, name: 'dns', protocol: ecs.Protocol.UDP }] });
          return td;
        },
      }));
      expect(e.message).toMatch(/is udp; VPC Lattice forwards HTTP\(S\) over TCP only/);
    });

    test('fails without a port mapping', () => {
      const e = errorOf(() => build({}, {
        task: (s) => {
          const td = new ecs.FargateTaskDefinition(s, 'TaskDef');
          td.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
          return td;
        },
      }));
      expect(e.message).toMatch(/no port mapping for VPC Lattice to reach/);
    });

    test('fails for the bridge network mode (Lattice blue/green needs IP targets)', () => {
      const e = errorOf(() => build({}, {
        task: (s) => {
          const td = new ecs.Ec2TaskDefinition(s, 'TaskDef', { networkMode: ecs.NetworkMode.BRIDGE });
          td.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 256, portMappings: [{ containerPort: 80, hostPort: 80, name: 'web' }] });
          return td;
        },
      }));
      expect(e.prop).toBe('taskDefinition');
      expect(e.message).toMatch(/awsvpc network mode/);
    });

    test('fails for a TLS_PASSTHROUGH listener (no rules there)', () => {
      const e = errorOf(() => {
        const stack = newStack();
        const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
        const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
        const svc = new vpclattice.CfnService(stack, 'S');
        const listener = new vpclattice.CfnListener(stack, 'L', {
          serviceIdentifier: svc.attrId, protocol: 'TLS_PASSTHROUGH', port: 443, defaultAction: { fixedResponse: { statusCode: 404 } },
        });
        new BlueGreenEcsService(stack, 'Api', { cluster, taskDefinition: fargateTask(stack), routing: TrafficRouting.vpcLattice({ listener }) });
      });
      expect(e.prop).toBe('routing.listener');
      expect(e.message).toMatch(/TLS_PASSTHROUGH listener; VPC Lattice listener rules, which ECS shifts, exist on HTTP and HTTPS listeners only/);
    });

    test('fails as an additional exposure (ECS shifts several load balancers, not Lattice routings)', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const e = errorOf(() => new BlueGreenEcsService(stack, 'Api', {
        cluster,
        taskDefinition: fargateTask(stack),
        routing: TrafficRouting.vpcLattice(),
        additionalRouting: { Other: TrafficRouting.vpcLattice() },
      }));
      expect(e.prop).toBe('additionalRouting');
    });
  });
});
