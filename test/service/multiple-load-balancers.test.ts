// Several load balancers in front of one blue/green service (additionalRouting), and what the L2
// or the user attaches to the service's LoadBalancers list besides.
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, BlueGreenEcsServiceProps, TrafficRouting } from '../../src';
import { pathInStack } from '../../src/private/path';
import { infrastructureRoleSlot } from '../../src/service/infrastructure-role';
import { AlbFixture, albFixture, checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';

interface TwoAlbs {
  readonly stack: Stack;
  readonly f: AlbFixture;
  readonly internalListener: elbv2.ApplicationListener;
}

function twoAlbs(): TwoAlbs {
  const stack = newStack();
  const f = albFixture(stack);
  const internal = new elbv2.ApplicationLoadBalancer(stack, 'InternalAlb', { vpc: f.vpc, internetFacing: false });
  NagSuppressions.addResourceSuppressions(internal, [
    { id: 'AwsSolutions-ELB2', reason: 'Test fixture ALB: access logs need a user-owned bucket, not part of this library.' },
  ], true);
  const internalListener = internal.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(404),
  });
  internalListener.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'), 'clients inside the VPC');
  return { stack, f, internalListener };
}

function service(t: TwoAlbs, props: Partial<BlueGreenEcsServiceProps> = {}): BlueGreenEcsService {
  return new BlueGreenEcsService(t.stack, 'Api', {
    cluster: t.f.cluster,
    taskDefinition: t.f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: t.f.listener, testListener: t.f.testListener }),
    additionalRouting: { Internal: TrafficRouting.applicationLoadBalancer({ listener: t.internalListener }) },
    ...props,
  });
}

function loadBalancers(template: Template): any[] {
  const services = Object.values(template.findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  return (services[0] as any).Properties.LoadBalancers;
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | undefined): string {
  return stack.getLogicalId((construct as any).node.defaultChild);
}

describe('an internet-facing and an internal ALB on one service', () => {
  test('each ALB gets its own blue/green pair, rule and AdvancedConfiguration, under one scoped role', () => {
    const t = twoAlbs();
    const api = service(t);
    const template = checkStack(t.stack, { nag: true });
    const internal = api.additionalExposures.Internal;
    const role = { 'Fn::GetAtt': [logicalId(t.stack, api.infrastructureRole as iam.Role), 'Arn'] };

    // The entry shape of the deploy-verified aws-cdk integ template (shared/reference,
    // aws-cdk-integ.blue-green-deployment-strategy): TargetGroupArn blue, AdvancedConfiguration with
    // the alternate target group, the production rule and the role; here once per load balancer.
    expect(loadBalancers(template)).toEqual([
      {
        ContainerName: 'web',
        ContainerPort: 80,
        TargetGroupArn: { Ref: logicalId(t.stack, api.blueTargetGroup as any) },
        AdvancedConfiguration: {
          AlternateTargetGroupArn: { Ref: logicalId(t.stack, api.greenTargetGroup as any) },
          ProductionListenerRule: { 'Fn::GetAtt': [logicalId(t.stack, api.productionRule as any), 'RuleArn'] },
          TestListenerRule: { 'Fn::GetAtt': [logicalId(t.stack, api.testRule as any), 'RuleArn'] },
          RoleArn: role,
        },
      },
      {
        ContainerName: 'web',
        ContainerPort: 80,
        TargetGroupArn: { Ref: logicalId(t.stack, internal.blueTargetGroup as any) },
        AdvancedConfiguration: {
          AlternateTargetGroupArn: { Ref: logicalId(t.stack, internal.greenTargetGroup as any) },
          ProductionListenerRule: { 'Fn::GetAtt': [logicalId(t.stack, internal.productionRule as any), 'RuleArn'] },
          RoleArn: role,
        },
      },
    ]);
    // The internal rule sits on the internal listener and forwards blue 1 / green 0.
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: { Ref: logicalId(t.stack, t.internalListener) },
      Actions: [Match.objectLike({
        ForwardConfig: Match.objectLike({
          TargetGroups: [
            Match.objectLike({ TargetGroupArn: { Ref: logicalId(t.stack, internal.blueTargetGroup as any) } }),
            Match.objectLike({ TargetGroupArn: { Ref: logicalId(t.stack, internal.greenTargetGroup as any) } }),
          ],
        }),
      })],
    });
    // One statement set covers both exposures' target groups and rules.
    // (the pooled role carries its policy inline, see infrastructure-role.ts).
    const roles = Object.values(template.findResources('AWS::IAM::Role'))
      .filter((r: any) => JSON.stringify(r).includes('elasticloadbalancing:RegisterTargets')) as any[];
    expect(roles).toHaveLength(1);
    const statements = roles[0].Properties.Policies[0].PolicyDocument.Statement;
    const register = statements.find((s: any) => s.Action.includes?.('elasticloadbalancing:RegisterTargets'));
    expect(register.Resource).toEqual([api.blueTargetGroup, api.greenTargetGroup, internal.blueTargetGroup, internal.greenTargetGroup]
      .map((tg) => ({ Ref: logicalId(t.stack, tg as any) })));
    const modifyRule = statements.find((s: any) => s.Action === 'elasticloadbalancing:ModifyRule');
    expect(modifyRule.Resource).toHaveLength(3);
    // The internal ALB reaches the tasks on the container port.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 80,
      ToPort: 80,
      SourceSecurityGroupId: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('InternalAlbSecurityGroup'), 'GroupId'] }),
    });
  });

  test('the primary exposure keeps its logical IDs; the second one gets IDs of its own', () => {
    const withOne = newStack();
    const f1 = albFixture(withOne);
    new BlueGreenEcsService(withOne, 'Api', {
      cluster: f1.cluster,
      taskDefinition: f1.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f1.listener, testListener: f1.testListener }),
    });
    const before = Template.fromStack(withOne).toJSON().Resources;
    const t = twoAlbs();
    service(t);
    const after = Template.fromStack(t.stack).toJSON().Resources;
    for (const id of ['ApiBlueTargetGroup', 'ApiGreenTargetGroup', 'ApiProductionRule', 'ApiTestRule']) {
      const match = Object.keys(before).filter((k) => k.startsWith(id));
      expect(match.length).toBeGreaterThan(0);
      for (const k of match) expect(after[k]).toEqual(before[k]);
    }
    expect(Object.keys(after).filter((k) => k.startsWith('ApiInternal')).sort()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ApiInternalBlueTargetGroup/), expect.stringMatching(/^ApiInternalGreenTargetGroup/),
      expect.stringMatching(/^ApiInternalProductionRule/),
    ]));
  });

  test('an ALB and an NLB together: typed target groups, and the NLB counts for the 33-hour check', () => {
    const t = twoAlbs();
    const nlb = new elbv2.NetworkLoadBalancer(t.stack, 'Nlb', { vpc: t.f.vpc });
    NagSuppressions.addResourceSuppressions(nlb, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs are the user\'s choice.' }], true);
    const api = service(t, { additionalRouting: { Tcp: TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Tcp', { port: 8080 }) }) } });
    const template = checkStack(t.stack);
    const lbs = loadBalancers(template);
    expect(lbs).toHaveLength(2);
    expect(lbs[1].AdvancedConfiguration.ProductionListenerRule).toEqual({ Ref: expect.stringMatching(/^NlbTcp/) });
    expect(api.blueApplicationTargetGroup).toBe(api.blueTargetGroup);
    expect(api.blueNetworkTargetGroup).toBeUndefined();
    expect(api.additionalExposures.Tcp.blueNetworkTargetGroup).toBe(api.additionalExposures.Tcp.blueTargetGroup);
    expect(api.additionalExposures.Tcp.blueApplicationTargetGroup).toBeUndefined();
  });
});

describe('what ECS rejects with several load balancers', () => {
  test('fails when routing is not behind a load balancer', () => {
    const t = twoAlbs();
    expect(errorOf(() => service(t, { routing: TrafficRouting.none() })).message)
      .toMatch(/\[TestStack\/Api\] invalid additionalRouting: needs routing to be an ALB or NLB routing too .*got a none routing/);
  });

  test('fails when an additional routing is Service Connect or none', () => {
    const t = twoAlbs();
    const e = errorOf(() => service(t, { additionalRouting: { Mesh: TrafficRouting.serviceConnect({ portMappingName: 'web' }) } }));
    expect(e.prop).toBe('additionalRouting.Mesh');
    expect(e.message).toMatch(/must be an ALB or NLB routing .*got service-connect/);
  });

  test('fails on names that are no construct IDs, or taken', () => {
    expect(errorOf(() => service(twoAlbs(), { additionalRouting: { 'in-ternal': TrafficRouting.none() } })).message)
      .toMatch(/names must be 1–64 letters and digits starting with a letter .*got "in-ternal"/);
    const t = twoAlbs();
    const taken = { Service: TrafficRouting.applicationLoadBalancer({ listener: t.internalListener }) };
    expect(errorOf(() => service(t, { additionalRouting: taken })).message)
      .toMatch(/invalid additionalRouting.Service: the name is taken by a child of the service/);
  });

  test('fails when two exposures share an NLB listener', () => {
    const t = twoAlbs();
    const nlb = new elbv2.NetworkLoadBalancer(t.stack, 'Nlb', { vpc: t.f.vpc });
    const listener = nlb.addListener('Tcp', { port: 8080 });
    const e = errorOf(() => service(t, {
      routing: TrafficRouting.networkLoadBalancer({ listener }),
      additionalRouting: { Again: TrafficRouting.networkLoadBalancer({ listener }) },
    }));
    expect(e.message).toMatch(/additionalRouting.Again: uses an NLB listener that routing already uses/);
  });

  test('fails beyond five load balancers', () => {
    const t = twoAlbs();
    const additionalRouting: Record<string, TrafficRouting> = {};
    for (let i = 1; i <= 5; i++) {
      additionalRouting[`Lb${i}`] = TrafficRouting.applicationLoadBalancer({ listener: t.internalListener, priority: 100 + i });
    }
    expect(errorOf(() => service(t, { additionalRouting })).message)
      .toMatch(/5 exposures plus routing make 6 load balancers; ECS attaches at most 5 target groups to a service/);
  });

  test('three load balancers (six target groups) are a warning, not an error', () => {
    const t = twoAlbs();
    service(t, {
      additionalRouting: {
        Internal: TrafficRouting.applicationLoadBalancer({ listener: t.internalListener }),
        Admin: TrafficRouting.applicationLoadBalancer({ listener: t.internalListener, priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/admin/*'])] }),
      },
    });
    Annotations.fromStack(t.stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('uses 6 target groups .* at most 5 target groups per service'));
  });
});

describe('nothing the L2 or the user attached is dropped', () => {
  test('listener.addTargets() with the service fails synth, naming the target group and the way through routing', () => {
    // The scenario: before, the internal target group got security group rules but never a task.
    const t = twoAlbs();
    const api = service(t, { additionalRouting: undefined });
    t.internalListener.addTargets('T', { port: 80, targets: [api.service] });
    expect(() => Template.fromStack(t.stack)).toThrow(
      /\[TestStack\/Api\] invalid LoadBalancers: target group TestStack\/InternalAlb\/Http\/TGroup is attached to the service without an alternate target group .*additionalRouting: \{ Internal: TrafficRouting.applicationLoadBalancer\(\{ listener \}\) \}/);
  });

  test('attachToApplicationTargetGroup() fails synth the same way', () => {
    const t = twoAlbs();
    const api = service(t, { additionalRouting: undefined });
    const tg = new elbv2.ApplicationTargetGroup(t.stack, 'Extra', { vpc: t.f.vpc, port: 80, targetType: elbv2.TargetType.IP });
    api.service.attachToApplicationTargetGroup(tg);
    expect(() => Template.fromStack(t.stack)).toThrow(/target group TestStack\/Extra is attached to the service without an alternate target group/);
  });

  test('an L2 entry with its own alternate target is kept next to ours', () => {
    const t = twoAlbs();
    const api = service(t, { additionalRouting: undefined });
    const blue = new elbv2.ApplicationTargetGroup(t.stack, 'L2Blue', { vpc: t.f.vpc, port: 80, targetType: elbv2.TargetType.IP });
    const green = new elbv2.ApplicationTargetGroup(t.stack, 'L2Green', { vpc: t.f.vpc, port: 80, targetType: elbv2.TargetType.IP });
    const rule = new elbv2.ApplicationListenerRule(t.stack, 'L2Rule', {
      listener: t.internalListener,
      priority: 5,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 1 }, { targetGroup: green, weight: 0 }]),
    });
    const role = iam.Role.fromRoleArn(t.stack, 'L2Role', 'arn:aws:iam::123456789012:role/ecs-lb');
    api.service.loadBalancerTarget({
      containerName: 'web',
      containerPort: 80,
      alternateTarget: new ecs.AlternateTarget('L2Alt', {
        alternateTargetGroup: green,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule),
        role,
      }),
    }).attachToApplicationTargetGroup(blue);
    const lbs = loadBalancers(checkStack(t.stack));
    expect(lbs).toHaveLength(2);
    expect(lbs[1]).toEqual({
      ContainerName: 'web',
      ContainerPort: 80,
      TargetGroupArn: { Ref: logicalId(t.stack, blue) },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { Ref: logicalId(t.stack, green) },
        ProductionListenerRule: { Ref: logicalId(t.stack, rule) },
        RoleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
      },
    });
  });
});

test('a service with two load balancers keeps both exposures in the one role slot its path picks', () => {
  const t = twoAlbs();
  const apis = [0, 1, 2, 3, 4].map((i) => new BlueGreenEcsService(t.stack, `Api${i}`, {
    cluster: t.f.cluster,
    taskDefinition: t.f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: t.f.listener, priority: 100 + i }),
    additionalRouting: { Internal: TrafficRouting.applicationLoadBalancer({ listener: t.internalListener, priority: 100 + i }) },
  }));
  const template = Template.fromStack(t.stack).toJSON();
  for (const api of apis) {
    // Both LoadBalancers entries of a service name the role of its slot (a hash of its path).
    const slot = infrastructureRoleSlot(pathInStack(api));
    expect(api.infrastructureRole!.node.id).toBe(`Role${slot + 1}`);
    const entries = template.Resources[logicalId(t.stack, api.service as any)].Properties.LoadBalancers;
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.AdvancedConfiguration.RoleArn).toEqual({ 'Fn::GetAtt': [logicalId(t.stack, api.infrastructureRole as any), 'Arn'] });
    }
  }
  checkStack(t.stack);
});
