import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, MigrationOption, MigrationOptionKind, MigrationPhase, RoutingLayer } from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42';
const SNI_B = 'arn:aws:acm:us-east-1:123456789012:certificate/bbbbbbbb-0000-0000-0000-000000000002';
const SNI_C = 'arn:aws:acm:us-east-1:123456789012:certificate/cccccccc-0000-0000-0000-000000000003';
const TRUST_STORE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/shop/0123456789abcdef';
const POLICY = elbv2.SslPolicy.TLS13_RES;

/**
 * The fixture with an HTTPS production listener on 443 as real shops have it: a default
 * certificate of the app, two SNI certificates, a TLS 1.3 policy, mutual TLS and an attribute.
 */
function httpsFixture(stack: Stack): CodeDeployFixture {
  const f = codeDeployFixture(stack);
  const cfn = f.productionListener.node.defaultChild as elbv2.CfnListener;
  cfn.protocol = 'HTTPS';
  cfn.port = 443;
  cfn.sslPolicy = POLICY;
  cfn.mutualAuthentication = { mode: 'verify', trustStoreArn: TRUST_STORE, ignoreClientCertificateExpiry: false };
  cfn.listenerAttributes = [{ key: 'routing.http.response.server.enabled', value: 'false' }];
  const main = new acm.Certificate(stack, 'ShopCert', { domainName: 'shop.example.com' });
  f.productionListener.addCertificates('Certs', [main, elbv2.ListenerCertificate.fromArn(SNI_B)]);
  new elbv2.ApplicationListenerCertificate(stack, 'MoreCerts', { listener: f.productionListener, certificates: [elbv2.ListenerCertificate.fromArn(SNI_C)] });
  return f;
}

function migrate(stack: Stack, f: CodeDeployFixture, option: MigrationOption, phase: MigrationPhase,
  extra: Partial<CodeDeployToEcsMigrationProps> = {}) {
  return new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f), option, phase, ...(option.kind === MigrationOptionKind.IN_PLACE ? { runningTaskDefinitionArn: RUNNING } : {}), ...extra,
  });
}

const existingLb = () => MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 });

function listenerOf(template: any, pathPrefix: RegExp): any {
  const found = Object.entries<any>(template.Resources).filter(([id, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && pathPrefix.test(id));
  expect(found).toHaveLength(1);
  return { id: found[0][0], ...found[0][1] };
}

/** The certificate ARNs of a listener: its default one and those of ListenerCertificate resources. */
function certificatesOf(template: any, listenerId: string): unknown[] {
  const listener = template.Resources[listenerId].Properties;
  const extra = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerCertificate' && r.Properties.ListenerArn?.Ref === listenerId)
    .flatMap((r) => r.Properties.Certificates.map((c: any) => c.CertificateArn));
  return [...(listener.Certificates ?? []).map((c: any) => c.CertificateArn), ...extra];
}

describe('option 2: the new production listener is a full copy of the old one', () => {
  test.each([MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP])('%s: SslPolicy, every certificate, mutual TLS, attributes', (phase) => {
    const stack = newStack('Shop');
    const f = httpsFixture(stack);
    migrate(stack, f, existingLb(), phase);
    const template = checkStack(stack, { nag: true }).toJSON();
    const certId = Object.keys(template.Resources).find((id) => /^ShopCert[0-9A-F]{8}$/.test(id));
    const listener = listenerOf(template, /^MigrationProductionListener[0-9A-F]{8}$/);
    expect(listener.Properties).toMatchObject({
      Protocol: 'HTTPS',
      Port: phase === MigrationPhase.PREPARE ? 8080 : 443,
      SslPolicy: POLICY,
      MutualAuthentication: { Mode: 'verify', TrustStoreArn: TRUST_STORE, IgnoreClientCertificateExpiry: false },
      ListenerAttributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }],
    });
    expect(certificatesOf(template, listener.id)).toEqual([{ Ref: certId }, SNI_B, SNI_C]);
  });

  test('an HTTP listener stays a plain copy: no TLS settings appear', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    migrate(stack, f, existingLb(), MigrationPhase.CUTOVER);
    const listener = listenerOf(checkStack(stack).toJSON(), /^MigrationProductionListener[0-9A-F]{8}$/).Properties;
    expect(listener.Protocol).toBe('HTTP');
    expect(listener.SslPolicy).toBeUndefined();
    expect(listener.Certificates).toBeUndefined();
    expect(listener.MutualAuthentication).toBeUndefined();
  });
});

test('option 3: the new load balancer\'s production listener copies the same settings', () => {
  const stack = newStack('Shop');
  const f = httpsFixture(stack);
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  migrate(stack, f, MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) }), MigrationPhase.PREPARE);
  const template = checkStack(stack, { nag: true }).toJSON();
  const listener = listenerOf(template, /^MigrationLoadBalancerProduction[0-9A-F]{8}$/);
  expect(listener.Properties).toMatchObject({ Protocol: 'HTTPS', Port: 443, SslPolicy: POLICY, MutualAuthentication: { Mode: 'verify' } });
  expect(certificatesOf(template, listener.id)).toHaveLength(3);
});

describe('option 2: rules the migration does not own on the old listeners', () => {
  function withRule(addRule: (stack: Stack, f: CodeDeployFixture) => void) {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    addRule(stack, f);
    return { stack, f };
  }
  const otherApp = (stack: Stack, f: CodeDeployFixture) => {
    const other = new elbv2.ApplicationTargetGroup(stack, 'OtherTG', { vpc: f.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    new elbv2.ApplicationListenerRule(stack, 'OtherApp', {
      listener: f.productionListener, priority: 10, conditions: [elbv2.ListenerCondition.hostHeaders(['other.example.com'])], targetGroups: [other],
    });
  };

  test.each([MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP])('%s fails, naming the rule and its priority', (phase) => {
    const { stack, f } = withRule(otherApp);
    expect(() => migrate(stack, f, existingLb(), phase)).toThrow(
      /\[Shop\/Migration\] invalid productionListener: Shop\/Alb\/Production carries listener rules the migration does not own: Shop\/OtherApp \(priority 10\)\. .*404/);
  });

  test('ROLLBACK is not refused: it gives the port back to the old listener and its rules', () => {
    const { stack, f } = withRule(otherApp);
    expect(() => migrate(stack, f, existingLb(), MigrationPhase.ROLLBACK)).not.toThrow();
  });

  test('a rule on the test listener, and one that does more than forward to the old target groups, are refused too', () => {
    const test = withRule((_stack, f) => f.testListener.addAction('Maintenance', {
      priority: 5, conditions: [elbv2.ListenerCondition.pathPatterns(['/maintenance'])], action: elbv2.ListenerAction.fixedResponse(503),
    }));
    expect(() => migrate(test.stack, test.f, existingLb(), MigrationPhase.PREPARE))
      .toThrow(/invalid testListener: Shop\/Alb\/Test carries listener rules the migration does not own: Shop\/Alb\/Test\/MaintenanceRule \(priority 5\)/);
    const redirect = withRule((_stack, f) => f.productionListener.addAction('Old', {
      priority: 7, conditions: [elbv2.ListenerCondition.pathPatterns(['/old'])], action: elbv2.ListenerAction.redirect({ path: '/new' }),
    }));
    expect(() => migrate(redirect.stack, redirect.f, existingLb(), MigrationPhase.PREPARE)).toThrow(/Shop\/Alb\/Production\/OldRule \(priority 7\)/);
  });

  test('a rule forwarding only to the deployment group\'s target groups belongs to the old path: a warning, no error', () => {
    const { stack, f } = withRule((_s, fx) => fx.productionListener.addTargetGroups('Api', {
      priority: 20, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])], targetGroups: [fx.blueTargetGroup],
    }));
    migrate(stack, f, existingLb(), MigrationPhase.PREPARE);
    Annotations.fromStack(stack).hasWarning('/Shop/Migration',
      Match.stringLikeRegexp("Shop/Alb/Production/ApiRule \\(priority 20\\) on Shop/Alb/Production forward to the deployment group's target groups"));
  });

  test('CLEANUP deletes the old path\'s own rules and SNI certificates defined outside the old listener with it', () => {
    const stack = newStack('Shop');
    const f = httpsFixture(stack);
    new elbv2.ApplicationListenerRule(stack, 'ApiRule', {
      listener: f.productionListener, priority: 20, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])], targetGroups: [f.greenTargetGroup],
    });
    migrate(stack, f, existingLb(), MigrationPhase.CLEANUP);
    const template = checkStack(stack, { nag: true }).toJSON();
    const types = Object.entries<any>(template.Resources).map(([id, r]) => `${r.Type} ${id.replace(/[0-9A-F]{8}$/, '')}`);
    expect(types.filter((t) => /ListenerRule|ListenerCertificate/.test(t)).sort()).toEqual([
      'AWS::ElasticLoadBalancingV2::ListenerCertificate MigrationProductionListenerDefaultCertificates1',
      'AWS::ElasticLoadBalancingV2::ListenerCertificate MigrationProductionListenerDefaultCertificates2',
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::ListenerRule MigrationService/),
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::ListenerRule MigrationService/),
    ]);
  });

  test('options 1 and 3 keep the old listener, so its other rules are no reason to refuse', () => {
    const { stack, f } = withRule(otherApp);
    expect(() => migrate(stack, f, MigrationOption.inPlace(), MigrationPhase.CUTOVER)).not.toThrow();
  });
});
