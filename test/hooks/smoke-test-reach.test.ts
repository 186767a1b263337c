// httpSmokeTest's default URL, checked against the setups users have: where the function runs
// (VPC or not), the load balancer's scheme, the listener's openness, TLS and the test rule's
// conditions. A setup whose requests cannot arrive is refused at synth with the fix; the common
// ones work (the function admitted to the listener where that is what it takes).
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, LifecycleHookFunction, TrafficRouting } from '../../src';
import { albFixture, checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';
import { hookDetailsOf } from '../support/hook-details';

function smokeDetails(template: Template): any {
  const service = Object.values(template.findResources('AWS::ECS::Service'))[0] as any;
  return hookDetailsOf(service.Properties.DeploymentConfiguration.LifecycleHooks[0].HookDetails);
}

function ingressFromFunction(template: Template, stack: Stack, fn: LifecycleHookFunction, port: number): void {
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(fn.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    Description: 'ECS lifecycle hook smoke test',
  });
}

describe('fails at synth, naming the fix, where the requests cannot arrive', () => {
  test('README quick start as it was: a test listener not open to the internet, the function outside the VPC', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { path: '/health' });
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
      hooks: [smoke.toHook()],
    }));
    expect(error.prop).toBe('httpSmokeTest.url');
    expect(error.constructPath).toBe('TestStack/Api');
    expect(error.message).toMatch(/SmokeTest tests http:\/\/<load balancer>:9000, a listener that admits no traffic from the internet, and the function runs outside the VPC/);
    expect(error.message).toMatch(/Fixes: test through the production listener with routing testHeader.*internal load balancer.*httpSmokeTest\(\{ vpc \}\)/);
  });

  test('examples/app.ts as it was: the function in the VPC, allowed on the listener, but the load balancer internet-facing', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { path: '/', requests: 20, vpc: f.vpc });
    f.testListener.connections.allowDefaultPortFrom(smoke);
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Web', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
      hooks: [smoke.toHook()],
    }));
    expect(error.prop).toBe('httpSmokeTest.url');
    expect(error.message).toMatch(/internet-facing, so its DNS name resolves to public addresses: from the VPC the requests leave through NAT and arrive from the NAT gateway's public address/);
  });

  test('an HTTPS test listener without a host name its certificate covers', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const tls = httpsListener(f.alb);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    const error = errorOf(() => serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: tls }), smoke));
    expect(error.prop).toBe('httpSmokeTest.hostHeader');
    expect(error.message).toMatch(/an HTTPS listener: its certificate does not cover the load balancer's DNS name.*set hostHeader to a name the certificate covers/);
  });

  test('an internal load balancer and the function outside any VPC', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest');
    const routing = TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener });
    const error = errorOf(() => serviceOn(stack, f, routing, smoke));
    expect(error.prop).toBe('httpSmokeTest.vpc');
    expect(error.message).toMatch(/on an internal load balancer, which only its VPC reaches, .* pass the load balancer's VPC/);
  });

  test('a host header the test rule does not match, or a rule that matches only host patterns', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const conditions = [elbv2.ListenerCondition.hostHeaders(['api.example.com'])];
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc, hostHeader: 'www.example.com' });
    const routing = TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, conditions });
    expect(errorOf(() => serviceOn(stack, f, routing, smoke)).message)
      .toMatch(/www.example.com does not match the test rule's host condition \(api.example.com\)/);
    const other = newStack('Other');
    const g = albFixture(other, { internetFacing: false });
    const wildcard = LifecycleHookFunction.httpSmokeTest(other, 'SmokeTest', { vpc: g.vpc });
    const error = errorOf(() => serviceOn(other, g, TrafficRouting.applicationLoadBalancer({
      listener: g.listener, testListener: g.testListener, conditions: [elbv2.ListenerCondition.hostHeaders(['*.example.com'])],
    }), wildcard));
    expect(error.prop).toBe('httpSmokeTest.hostHeader');
    expect(error.message).toMatch(/whose rule matches only the hosts \*\.example\.com; set hostHeader/);
  });

  test('a path the test rule does not match', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc, path: '/health' });
    const error = errorOf(() => serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({
      listener: f.listener, testListener: f.testListener, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])],
    }), smoke));
    expect(error.prop).toBe('httpSmokeTest.path');
    expect(error.message).toMatch(/\/health does not match the test rule's path condition \(\/api\/\*\)/);
  });

  test('a UDP test listener on an NLB', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    const task = udpTask(stack);
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Dns', {
      cluster: f.cluster,
      taskDefinition: task,
      routing: TrafficRouting.networkLoadBalancer({
        listener: nlb.addListener('Udp', { port: 53, protocol: elbv2.Protocol.UDP }),
        testListener: nlb.addListener('UdpTest', { port: 5353, protocol: elbv2.Protocol.UDP }),
      }),
      hooks: [smoke.toHook()],
    }));
    expect(error.message).toMatch(/a UDP listener, which HTTP requests cannot test; set url/);
  });
});

describe('the common setups work', () => {
  test('README quick start as it is now: internal ALB, function in its VPC, admitted to the test listener', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { path: '/health', vpc: f.vpc });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }), smoke);
    const template = checkStack(stack, { nag: true });
    ingressFromFunction(template, stack, smoke, 9000);
    expect(smokeDetails(template).url).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^Alb/), 'DNSName'] }, ':9000']] });
  });

  test('header test route on an internal production listener, function in the VPC', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testHeader: { name: 'X-Green', value: '1' } }), smoke);
    const template = checkStack(stack, { nag: true });
    ingressFromFunction(template, stack, smoke, 80);
    expect(smokeDetails(template)).toMatchObject({ headerName: 'X-Green', headerValue: '1' });
  });

  test('header test route on an internet-facing, open production listener, function outside the VPC: nothing to admit', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest');
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testHeader: { name: 'X-Green', value: '1' } }), smoke);
    const template = checkStack(stack, { nag: true });
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { Description: 'ECS lifecycle hook smoke test' }, 0);
    expect(smokeDetails(template).url['Fn::Join'][1][2]).toBe(':80');
  });

  test('HTTPS with hostHeader: https URL, the name as Host header and TLS server name', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const tls = httpsListener(f.alb);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc, hostHeader: 'api.example.com' });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: tls }), smoke);
    const template = checkStack(stack, { nag: true });
    expect(smokeDetails(template)).toMatchObject({
      hostHeader: 'api.example.com',
      url: { 'Fn::Join': ['', ['https://', expect.anything(), ':8443']] },
    });
    ingressFromFunction(template, stack, smoke, 8443);
  });

  test('a literal host condition gives the host header; a matching pattern accepts the given one', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({
      listener: f.listener, testListener: f.testListener, conditions: [elbv2.ListenerCondition.hostHeaders(['*.internal', 'api.example.com'])],
    }), smoke);
    expect(smokeDetails(checkStack(stack)).hostHeader).toBe('api.example.com');
    const other = newStack('Other');
    const g = albFixture(other, { internetFacing: false });
    const given = LifecycleHookFunction.httpSmokeTest(other, 'SmokeTest', { vpc: g.vpc, hostHeader: 'orders.internal' });
    serviceOn(other, g, TrafficRouting.applicationLoadBalancer({
      listener: g.listener, testListener: g.testListener, conditions: [elbv2.ListenerCondition.hostHeaders(['*.internal'])],
    }), given);
    expect(smokeDetails(checkStack(other)).hostHeader).toBe('orders.internal');
  });

  test('NLB TCP test listener: an http:// URL (before: "<dns>:<port>", which the handler refused)', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
    NagSuppressions.addResourceSuppressions(nlb, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs need a user-owned bucket.' }]);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    new BlueGreenEcsService(stack, 'Tcp', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Prod', { port: 80 }), testListener: nlb.addListener('Test', { port: 9000 }) }),
      hooks: [smoke.toHook()],
    });
    const template = checkStack(stack, { nag: true });
    expect(smokeDetails(template).url).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^Nlb/), 'DNSName'] }, ':9000']] });
    // An NLB without security groups filters nothing: no rule to add.
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { Description: 'ECS lifecycle hook smoke test' }, 0);
  });

  test('an explicit url is used as given, without checks', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { url: 'https://green.example.com:9000' });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }), smoke);
    expect(smokeDetails(checkStack(stack)).url).toBe('https://green.example.com:9000');
  });

  test('other rule conditions are a warning: the requests may not satisfy them', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'SmokeTest', { vpc: f.vpc });
    serviceOn(stack, f, TrafficRouting.applicationLoadBalancer({
      listener: f.listener, testListener: f.testListener, conditions: [elbv2.ListenerCondition.queryStrings([{ key: 'beta', value: '1' }])],
    }), smoke);
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('The test rule also matches on query-string'));
  });
});

function serviceOn(stack: Stack, f: ReturnType<typeof albFixture>, routing: TrafficRouting, smoke: LifecycleHookFunction) {
  return new BlueGreenEcsService(stack, 'Api', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing, hooks: [smoke.toHook()] });
}

function httpsListener(alb: elbv2.ApplicationLoadBalancer): elbv2.ApplicationListener {
  return alb.addListener('Tls', {
    port: 8443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555')],
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(404),
  });
}

function udpTask(stack: Stack): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, 'UdpTask', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('dns', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), portMappings: [{ containerPort: 53, protocol: ecs.Protocol.UDP }] });
  return task;
}
