// Option 3: who may reach the new load balancer. It must admit what the old one admitted on the
// production port and nothing more (security group ingress, WAF web ACL, the routing layer's
// secret header), so that PREPARE opens no direct path around CloudFront or API Gateway.
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { CodeDeployToEcsMigration, DeploymentStrategy, MigrationOption, MigrationPhase, NewLoadBalancerOptions, RoutingLayer } from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';
import { errorOf } from '../support/errors';

/** The CloudFront origin-facing managed prefix list (com.amazonaws.global.cloudfront.origin-facing) in us-east-1. */
const CLOUDFRONT_PREFIX_LIST = 'pl-3b927c52';

type Layer = 'cloudfront' | 'route53' | 'api-vpc-link';

interface Setup {
  readonly stack: Stack;
  readonly f: CodeDeployFixture;
  readonly routing: RoutingLayer;
}

/**
 * The user's app: the CodeDeploy fixture, its production listener closed (open: false) unless
 * `open`, and the routing layer in front of the old load balancer.
 */
function setup(layer: Layer, open = false): Setup {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack, { openProduction: open });
  if (layer === 'route53') {
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    return { stack, f, routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) };
  }
  if (layer === 'api-vpc-link') {
    const linkGroup = new ec2.SecurityGroup(stack, 'LinkGroup', { vpc: f.vpc });
    f.alb.connections.allowFrom(linkGroup, ec2.Port.tcp(80), 'API Gateway VPC link');
    const vpcLink = new apigwv2.VpcLink(stack, 'Link', { vpc: f.vpc, securityGroups: [linkGroup] });
    const httpApi = new apigwv2.HttpApi(stack, 'Http', { defaultIntegration: new integrations.HttpAlbIntegration('Shop', f.productionListener, { vpcLink }) });
    NagSuppressions.addResourceSuppressions(httpApi, [
      { id: 'AwsSolutions-APIG1', reason: 'Test fixture API: access logging is the user\'s choice.' },
      { id: 'AwsSolutions-APIG4', reason: 'Test fixture API: the shop is public, as before the migration.' },
    ], true);
    return { stack, f, routing: RoutingLayer.apiGateway({ httpApi }) };
  }
  // Closed to everyone but CloudFront's origin-facing servers.
  f.alb.connections.allowFrom(ec2.Peer.prefixList(CLOUDFRONT_PREFIX_LIST), ec2.Port.tcp(80), 'CloudFront origin-facing servers');
  const distribution = new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: { origin: new origins.LoadBalancerV2Origin(f.alb, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
  });
  NagSuppressions.addResourceSuppressions(distribution, ['CFR1', 'CFR2', 'CFR3', 'CFR4', 'CFR5'].map((id) => ({
    id: `AwsSolutions-${id}`, reason: 'Test fixture distribution: geo restriction, WAF, logging, viewer and origin TLS policies are the user\'s choice.',
  })));
  return { stack, f, routing: RoutingLayer.cloudFrontOrigin({ distribution }) };
}

function migrate(s: Setup, phase: MigrationPhase, options: Partial<NewLoadBalancerOptions> = {}): CodeDeployToEcsMigration {
  return new CodeDeployToEcsMigration(s.stack, 'Migration', {
    ...codeDeployPathOf(s.f),
    option: MigrationOption.newServiceNewLoadBalancer({ routing: s.routing, ...options }),
    phase,
  });
}

const resolve = (stack: Stack, v: unknown) => stack.resolve(v);

/** Every ingress rule of the new load balancer's security groups: inline and separate resources. */
function newIngress(template: any, groupPrefix = 'MigrationLoadBalancerSecurityGroup'): any[] {
  const entries = Object.entries<any>(template.Resources);
  const groups = entries.filter(([id, r]) => r.Type === 'AWS::EC2::SecurityGroup' && id.startsWith(groupPrefix)).map(([id]) => id);
  expect(groups).toHaveLength(1);
  const inline = template.Resources[groups[0]].Properties.SecurityGroupIngress ?? [];
  const separate = entries.filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroupIngress'
    && JSON.stringify(r.Properties.GroupId) === JSON.stringify({ 'Fn::GetAtt': [groups[0], 'GroupId'] }))
    .map(([, r]) => { const { GroupId, ...rest } = r.Properties; return rest; });
  return [...inline, ...separate];
}

describe('security group ingress of the new load balancer', () => {
  test('behind CloudFront: the old load balancer admits only CloudFront; so does the new one (no 0.0.0.0/0)', () => {
    const s = setup('cloudfront');
    const migration = migrate(s, MigrationPhase.PREPARE);
    const template = checkStack(s.stack, { nag: true }).toJSON();
    expect(migration.plan[2]).toMatch(/^The new load balancer admits on port 80 only what the old one admits there \(1 source\(s\) copied from its security groups\); port 9000 admits nobody/);
    const ingress = newIngress(template);
    expect(JSON.stringify(ingress)).not.toContain('0.0.0.0/0');
    expect(JSON.stringify(ingress)).not.toContain('::/0');
    expect(ingress).toEqual([{
      Description: 'CloudFront origin-facing servers', FromPort: 80, IpProtocol: 'tcp', SourcePrefixListId: CLOUDFRONT_PREFIX_LIST, ToPort: 80,
    }]);
  });

  test('every phase behind CloudFront keeps the same ingress; CLEANUP deletes the old load balancer without a dangling reference', () => {
    for (const phase of Object.values(MigrationPhase)) {
      const s = setup('cloudfront');
      migrate(s, phase);
      const template = checkStack(s.stack, { nag: true }).toJSON();
      expect(newIngress(template)).toEqual([expect.objectContaining({ SourcePrefixListId: CLOUDFRONT_PREFIX_LIST })]);
    }
  });

  test('upgrading at CUTOVER behind CloudFront updates only the new group\'s ingress, in place: 0.0.0.0/0 out, the prefix list in', () => {
    const s = setup('cloudfront');
    migrate(s, MigrationPhase.CUTOVER);
    const after = checkStack(s.stack).toJSON();
    // The same app under earlier versions: they opened the production port of an internet-facing
    // new load balancer to everyone (the rule and cdk-nag metadata the integ snapshot used to hold).
    const before = JSON.parse(JSON.stringify(after));
    const [groupId] = Object.keys(before.Resources).filter((id) => id.startsWith('MigrationLoadBalancerSecurityGroup') && before.Resources[id].Type === 'AWS::EC2::SecurityGroup');
    before.Resources[groupId].Properties.SecurityGroupIngress = [{ CidrIp: '0.0.0.0/0', Description: 'Allow from anyone on port 80', FromPort: 80, IpProtocol: 'tcp', ToPort: 80 }];
    const changes: string[] = [];
    fullDiff(before, after).resources.forEachDifference((id, change) => changes.push(`${id} ${change.changeImpact}`));
    expect(changes).toEqual([`${groupId} ${ResourceImpact.WILL_UPDATE}`]);
    // CloudFront, now pointing at the new load balancer, is among the sources it admits.
    expect(after.Resources[groupId].Properties.SecurityGroupIngress)
      .toEqual([expect.objectContaining({ SourcePrefixListId: CLOUDFRONT_PREFIX_LIST, FromPort: 80 })]);
  });

  test('a public load balancer behind Route 53: the same 0.0.0.0/0 rule as before (the template of the group does not change)', () => {
    const s = setup('route53', true);
    migrate(s, MigrationPhase.PREPARE);
    const template = checkStack(s.stack, { nag: true }).toJSON();
    expect(newIngress(template)).toEqual([{ CidrIp: '0.0.0.0/0', Description: 'Allow from anyone on port 80', FromPort: 80, IpProtocol: 'tcp', ToPort: 80 }]);
  });

  test('rules from other security groups are copied; rules on other ports and the old group\'s own references are not', () => {
    const s = setup('route53');
    const proxy = new ec2.SecurityGroup(s.stack, 'Proxy', { vpc: s.f.vpc });
    s.f.alb.connections.allowFrom(proxy, ec2.Port.tcp(80), 'proxy fleet');
    s.f.alb.connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(9000), 'testers on the test port');
    s.f.alb.connections.allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.allTcp(), 'office, every TCP port');
    s.f.alb.connections.securityGroups[0].addIngressRule(s.f.alb.connections.securityGroups[0], ec2.Port.tcp(80), 'itself');
    migrate(s, MigrationPhase.PREPARE);
    const template = checkStack(s.stack).toJSON();
    const proxyId = Object.keys(template.Resources).find((id) => /^Proxy[0-9A-F]{8}$/.test(id));
    expect(newIngress(template)).toEqual(expect.arrayContaining([
      { CidrIp: '10.1.0.0/16', Description: 'office, every TCP port', FromPort: 80, IpProtocol: 'tcp', ToPort: 80 },
      { Description: 'proxy fleet', FromPort: 80, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [proxyId, 'GroupId'] }, ToPort: 80 },
    ]));
    expect(newIngress(template)).toHaveLength(2);
  });

  test('an internal old load balancer: its VPC clients reach the new one as well', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack, { openProduction: false });
    (f.alb.node.defaultChild as elbv2.CfnLoadBalancer).scheme = 'internal';
    f.alb.connections.allowFrom(ec2.Peer.ipv4(f.vpc.vpcCidrBlock), ec2.Port.tcp(80), 'the VPC');
    const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'example.internal', vpc: f.vpc });
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) }),
      phase: MigrationPhase.PREPARE,
    });
    const template = checkStack(stack).toJSON();
    expect(newIngress(template)).toEqual([expect.objectContaining({ CidrIp: resolve(stack, f.vpc.vpcCidrBlock), FromPort: 80, ToPort: 80 })]);
  });

  test('API Gateway VPC link admitted by the old load balancer: admitted once on the new one', () => {
    const s = setup('api-vpc-link');
    migrate(s, MigrationPhase.CUTOVER);
    const template = checkStack(s.stack).toJSON();
    const linkId = Object.keys(template.Resources).find((id) => /^LinkGroup[0-9A-F]{8}$/.test(id));
    const fromLink = newIngress(template).filter((r) => JSON.stringify(r.SourceSecurityGroupId) === JSON.stringify({ 'Fn::GetAtt': [linkId, 'GroupId'] }));
    expect(fromLink).toEqual([expect.objectContaining({ FromPort: 80, ToPort: 80, IpProtocol: 'tcp' })]);
    expect(JSON.stringify(newIngress(template))).not.toContain('0.0.0.0/0');
  });

  test('ingress added to the old load balancer after the migration is constructed fails synthesis, naming it', () => {
    const s = setup('cloudfront');
    migrate(s, MigrationPhase.PREPARE);
    s.f.alb.connections.allowFrom(ec2.Peer.ipv4('192.0.2.0/24'), ec2.Port.tcp(80), 'late');
    expect(() => (s.stack.node.root as App).synth()).toThrow(/Shop\/Migration.*option.securityGroups.*192\.0\.2\.0\/24.*after the migration/);
  });
});

describe('security groups the old load balancer\'s ingress cannot be read from', () => {
  function importedGroupSetup(): Setup {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack, { openProduction: false });
    f.alb.addSecurityGroup(ec2.SecurityGroup.fromSecurityGroupId(stack, 'Shared', 'sg-0123456789abcdef0'));
    const distribution = new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: { origin: new origins.LoadBalancerV2Origin(f.alb, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
    });
    return { stack, f, routing: RoutingLayer.cloudFrontOrigin({ distribution }) };
  }

  test('fails when the old load balancer has a security group from outside the stack, saying what to pass', () => {
    const e = errorOf(() => migrate(importedGroupSetup(), MigrationPhase.PREPARE));
    expect(e.constructPath).toBe('Shop/Migration');
    expect(e.prop).toBe('option.securityGroups');
    expect(e.message).toMatch(/sg-0123456789abcdef0 is not defined in this stack.*cannot be read.*securityGroups: \[/);
  });

  test('an imported old load balancer is refused, saying why and what to do', () => {
    const s = setup('route53', true);
    const imported = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(s.stack, 'ImportedAlb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/0123456789abcdef',
      securityGroupId: 'sg-0123456789abcdef0',
      vpc: s.f.vpc,
    });
    const listener = imported.addListener('Production', { port: 80, defaultTargetGroups: [s.f.blueTargetGroup] });
    const e = errorOf(() => new CodeDeployToEcsMigration(s.stack, 'Migration', {
      ...codeDeployPathOf(s.f),
      deploymentGroup: codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(s.stack, 'Group', {
        application: codedeploy.EcsApplication.fromEcsApplicationName(s.stack, 'App', 'shop'), deploymentGroupName: 'shop',
      }),
      strategy: DeploymentStrategy.blueGreen(),
      productionListener: listener,
      testListener: undefined,
      option: MigrationOption.newServiceNewLoadBalancer({ routing: s.routing, securityGroups: [s.f.alb.connections.securityGroups[0]] }),
      phase: MigrationPhase.PREPARE,
    }));
    expect(e.prop).toBe('productionListener');
    expect(e.message).toMatch(/must belong to a load balancer defined in this app.*imported load balancer.*its scheme and security group ingress cannot be read/);
  });

  test('securityGroups given: the new load balancer uses them and copies nothing', () => {
    const s = importedGroupSetup();
    const shared = ec2.SecurityGroup.fromSecurityGroupId(s.stack, 'Given', 'sg-0fedcba9876543210');
    migrate(s, MigrationPhase.PREPARE, { securityGroups: [shared] });
    const template = checkStack(s.stack).toJSON();
    const [lb] = Object.entries<any>(template.Resources).filter(([id, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && id.startsWith('MigrationLoadBalancer'));
    expect(lb[1].Properties.SecurityGroups).toEqual(['sg-0fedcba9876543210']);
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('MigrationLoadBalancerSecurityGroup'))).toEqual([]);
  });

  test('behind CloudFront, given groups open to everyone where the old one was not are refused', () => {
    const s = setup('cloudfront');
    const open = new ec2.SecurityGroup(s.stack, 'Open', { vpc: s.f.vpc });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    const e = errorOf(() => migrate(s, MigrationPhase.PREPARE, { securityGroups: [open] }));
    expect(e.prop).toBe('option.securityGroups');
    expect(e.message).toMatch(/Shop\/Open admits 0\.0\.0\.0\/0 on port 80.*the old load balancer does not/);
  });

  test('a group of the old load balancer itself is refused: CLEANUP deletes it', () => {
    const s = setup('cloudfront');
    const e = errorOf(() => migrate(s, MigrationPhase.PREPARE, { securityGroups: [s.f.alb.connections.securityGroups[0]] }));
    expect(e.message).toMatch(/Shop\/Alb\/SecurityGroup belongs to the old load balancer: CLEANUP deletes it/);
  });
});

describe('WAF web ACL of the old load balancer', () => {
  function withAcl(): { s: Setup; acl: wafv2.CfnWebACL } {
    const s = setup('cloudfront');
    const acl = new wafv2.CfnWebACL(s.stack, 'Acl', {
      scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'shop', sampledRequestsEnabled: true },
    });
    new wafv2.CfnWebACLAssociation(s.stack, 'AclAssociation', { resourceArn: s.f.alb.loadBalancerArn, webAclArn: acl.attrArn });
    return { s, acl };
  }
  const associations = (t: any) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'AWS::WAFv2::WebACLAssociation');

  test('is associated with the new load balancer too, from PREPARE', () => {
    const { s } = withAcl();
    const migration = migrate(s, MigrationPhase.PREPARE);
    expect(migration.plan[2]).toMatch(/the old load balancer's WAF web ACL is associated with it too/);
    const template = checkStack(s.stack).toJSON();
    const lbId = Object.keys(template.Resources).find((id) => /^MigrationLoadBalancer[0-9A-F]{8}$/.test(id));
    const aclArn = { 'Fn::GetAtt': [Object.keys(template.Resources).find((id) => /^Acl([0-9A-F]{8})?$/.test(id)), 'Arn'] };
    expect(associations(template).map(([, r]) => r.Properties)).toEqual(expect.arrayContaining([
      { ResourceArn: { Ref: lbId }, WebACLArn: aclArn },
      { ResourceArn: { Ref: Object.keys(template.Resources).find((id) => /^Alb[0-9A-F]{8}$/.test(id)) }, WebACLArn: aclArn },
    ]));
  });

  test('CLEANUP deletes the old load balancer\'s association with it and keeps the new one', () => {
    const { s } = withAcl();
    migrate(s, MigrationPhase.CLEANUP);
    const template = checkStack(s.stack).toJSON();
    expect(associations(template).map(([id]) => id)).toEqual([expect.stringMatching(/^MigrationWebAclAssociation/)]);
  });
});

describe('a secret header the routing layer sends, required by the old listener', () => {
  function withHeaderRule(): Setup {
    const s = setup('cloudfront');
    // The old listener forwards only requests that carry CloudFront's secret header.
    new elbv2.ApplicationListenerRule(s.stack, 'OriginVerify', {
      listener: s.f.productionListener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.httpHeader('X-Origin-Verify', ['s3cr3t'])],
      action: elbv2.ListenerAction.forward([s.f.blueTargetGroup]),
    });
    return s;
  }

  test('is required on the new production rule too: without conditions synthesis fails naming the header', () => {
    const e = errorOf(() => migrate(withHeaderRule(), MigrationPhase.PREPARE));
    expect(e.prop).toBe('option.conditions');
    expect(e.message).toMatch(/Shop\/OriginVerify.*http-header X-Origin-Verify.*conditions: \[elbv2.ListenerCondition.httpHeader\('X-Origin-Verify'/);
    expect(e.message).not.toContain('s3cr3t');
  });

  test('with conditions, the new service\'s production rule requires the header', () => {
    const s = withHeaderRule();
    migrate(s, MigrationPhase.PREPARE, { conditions: [elbv2.ListenerCondition.httpHeader('X-Origin-Verify', ['s3cr3t'])] });
    const template = checkStack(s.stack).toJSON();
    const [[, rule]] = Object.entries<any>(template.Resources).filter(([id, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' && id.startsWith('MigrationServiceProductionRule'));
    expect(rule.Properties.Conditions).toEqual([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: ['s3cr3t'] } }]);
  });
});

describe('wrong values from JavaScript callers', () => {
  test.each([
    ['securityGroups', 'sg-0123', /invalid option.securityGroups: expected a list of ec2.ISecurityGroup entries, got a string/],
    ['securityGroups', ['sg-0123'], /invalid option.securityGroups\[0\]: expected an ec2.ISecurityGroup, got a string/],
    ['securityGroups', [], /invalid option.securityGroups: must name at least one security group/],
    ['conditions', [{ field: 'http-header' }], /invalid option.conditions\[0\]: expected an elbv2.ListenerCondition, got an object/],
    ['conditions', [], /invalid option.conditions: must hold at least one condition/],
  ])('%s = %j is a validation error naming the prop', (prop, value, message) => {
    const s = setup('cloudfront');
    const e = errorOf(() => migrate(s, MigrationPhase.PREPARE, { [prop]: value } as any));
    expect(e.constructPath).toBe('Shop/Migration');
    expect(e.message).toMatch(message);
  });
});
