// examples/app.ts (the README's example app): each stack synthesizes cfn-lint and cdk-nag clean,
// and what it renders would pass its own smoke test: the requests go where they can arrive.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BlueGreenAlbStack, CanaryAlbStack } from '../../examples/app';
import { checkStack } from '../support';
import { hookDetailsOf } from '../support/hook-details';

function serviceOf(template: Template): any {
  return Object.values(template.findResources('AWS::ECS::Service'))[0];
}

function smokeHook(template: Template): any {
  const hooks: any[] = serviceOf(template).Properties.DeploymentConfiguration.LifecycleHooks;
  const fn = Object.entries(template.findResources('AWS::Lambda::Function'))
    .find(([, r]: [string, any]) => r.Properties.Description === 'ECS lifecycle hook: HTTP smoke test of the green revision')!;
  return { hook: hooks.find((h) => h.HookTargetArn['Fn::GetAtt'][0] === fn[0]), fn: fn[1] };
}

describe('examples/app.ts', () => {
  test('EcsBlueGreenAlb: the smoke test runs in the VPC against the internal ALB\'s test listener, which admits it', () => {
    const stack: Stack = new BlueGreenAlbStack(new App(), 'EcsBlueGreenAlb');
    const template = checkStack(stack, { nag: true });
    const albs = template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const [albId, alb] = Object.entries(albs)[0] as [string, any];
    expect(alb.Properties.Scheme).toBe('internal');
    const { hook, fn } = smokeHook(template);
    expect(hookDetailsOf(hook.HookDetails).url).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [albId, 'DNSName'] }, ':9000']] });
    expect(fn.Properties.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
    const fnSg = fn.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9000,
      ToPort: 9000,
      IpProtocol: 'tcp',
      GroupId: { 'Fn::GetAtt': [alb.Properties.SecurityGroups[0]['Fn::GetAtt'][0], 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [fnSg, 'GroupId'] },
    });
  });

  test('EcsCanaryAlb: every ready-made hook and the default alarm; the smoke test goes through the open production listener with the test header', () => {
    const stack: Stack = new CanaryAlbStack(new App(), 'EcsCanaryAlb');
    const template = checkStack(stack, { nag: true });
    const [albId, alb] = Object.entries(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as [string, any];
    expect(alb.Properties.Scheme).toBe('internet-facing');
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp', Description: 'Allow from anyone on port 80' }],
    });
    const { hook, fn } = smokeHook(template);
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(hookDetailsOf(hook.HookDetails)).toMatchObject({
      url: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [albId, 'DNSName'] }, ':80']] },
      headerName: 'X-Test-Traffic',
      headerValue: 'true',
    });

    // Every ready-made hook, and the default deployment alarm next to the user's.
    const dc = serviceOf(template).Properties.DeploymentConfiguration;
    const functions = template.findResources('AWS::Lambda::Function');
    expect(dc.LifecycleHooks.map((h: any) => `${functions[h.HookTargetArn['Fn::GetAtt'][0]].Properties.Description.split(': ')[1]} @ ${h.LifecycleStages}`)).toEqual([
      'HTTP smoke test of the green revision @ POST_TEST_TRAFFIC_SHIFT',
      'waits for an approve/reject decision in SSM Parameter Store @ PRE_PRODUCTION_TRAFFIC_SHIFT',
      'compares the green target group\'s 5xx rate and p99 latency with blue\'s @ PRODUCTION_TRAFFIC_SHIFT',
      'fails the deployment on alarms or a metric threshold @ POST_PRODUCTION_TRAFFIC_SHIFT',
    ]);
    expect(dc.Alarms.AlarmNames).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('^Rolls back ECS deployments of EcsCanaryAlb/Web') });
  });
});
