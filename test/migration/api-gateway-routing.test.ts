import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MigrationOption3Stack } from '../../examples/migration-option-3';
import { CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, MigrationOption, MigrationPhase, RoutingLayer } from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

type Api = 'http-url' | 'http-alb' | 'rest';

/** The user's API in front of the fixture's load balancer. */
function apiFor(kind: Api, stack: Stack, f: CodeDeployFixture): RoutingLayer {
  if (kind === 'rest') {
    const api = new apigateway.RestApi(stack, 'Rest');
    api.root.addMethod('ANY', new apigateway.HttpIntegration(`http://${f.alb.loadBalancerDnsName}/`, { proxy: true, httpMethod: 'ANY' }));
    return RoutingLayer.apiGateway({ restApi: api });
  }
  const defaultIntegration = kind === 'http-url'
    ? new integrations.HttpUrlIntegration('Shop', `http://${f.alb.loadBalancerDnsName}`)
    : new integrations.HttpAlbIntegration('Shop', f.productionListener, {
      vpcLink: new apigwv2.VpcLink(stack, 'Link', { vpc: f.vpc, securityGroups: [new ec2.SecurityGroup(stack, 'LinkGroup', { vpc: f.vpc })] }),
    });
  return RoutingLayer.apiGateway({ httpApi: new apigwv2.HttpApi(stack, 'Http', { defaultIntegration }) });
}

function build(kind: Api, phase?: MigrationPhase, extra: Partial<CodeDeployToEcsMigrationProps> = {}) {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack);
  const routing = apiFor(kind, stack, f);
  const migration = phase === undefined ? undefined : new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f), option: MigrationOption.newServiceNewLoadBalancer({ routing }), phase, ...extra,
  });
  return { stack, f, migration, template: checkStack(stack).toJSON() };
}

const ofType = (t: any, type: string) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type);
const one = (t: any, type: string) => {
  const found = ofType(t, type);
  expect(found).toHaveLength(1);
  return { id: found[0][0], ...found[0][1] };
};
const idOf = (t: any, re: RegExp) => Object.keys(t.Resources).find((id) => re.test(id))!;
const json = (v: unknown) => JSON.stringify(v);

describe('HTTP API, HTTP proxy integration to the load balancer\'s DNS name', () => {
  const before = build('http-url').template;
  const uri = (t: any) => one(t, 'AWS::ApiGatewayV2::Integration').Properties.IntegrationUri;

  test('PREPARE and ROLLBACK leave the integration as it was; CUTOVER and CLEANUP point it at the new load balancer', () => {
    const old = uri(before);
    expect(json(old)).toContain(idOf(before, /^Alb[0-9A-F]{8}$/));
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.ROLLBACK]) expect(uri(build('http-url', phase).template)).toEqual(old);
    for (const phase of [MigrationPhase.CUTOVER, MigrationPhase.CLEANUP]) {
      const { template } = build('http-url', phase);
      expect(json(uri(template))).toContain(`"Fn::GetAtt":["${idOf(template, /^MigrationLoadBalancer[0-9A-F]{8}$/)}","DNSName"]`);
      expect(json(uri(template))).not.toContain('"Alb');
    }
  });

  test('CLEANUP: the check reads the live integration and the API\'s stages (apigateway:GET on those only) before the old load balancer goes', () => {
    const { template, migration } = build('http-url', MigrationPhase.CLEANUP);
    const check = one(template, 'Custom::EcsBlueGreenCleanupPrecondition').Properties.Checks;
    const integrationId = one(template, 'AWS::ApiGatewayV2::Integration').id;
    expect(check).toEqual([
      expect.objectContaining({ Type: 'ServiceOnEcs' }),
      { Type: 'IntegrationPointsTo', Api: 'HTTP', ApiId: { Ref: idOf(template, /^Http[0-9A-F]{8}$/) }, IntegrationId: { Ref: integrationId }, Uri: uri(template) },
    ]);
    const statements = ofType(template, 'AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
    const get = statements.find((s: any) => s.Action === 'apigateway:GET');
    const arn = (path: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apis/', ...path]] });
    const api = { Ref: idOf(template, /^Http[0-9A-F]{8}$/) };
    expect(get.Resource).toEqual([arn([api, '/integrations/', { Ref: integrationId }]), arn([api, '/stages'])]);
    expect(ofType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id)).toEqual([idOf(template, /^MigrationLoadBalancer[0-9A-F]{8}$/)]);
    expect(migration!.plan[1]).toMatch(/what every stage of the API serves already points at the new load balancer/);
  });

  test('moves all at once: cutoverPercent other than 100 is refused', () => {
    expect(() => build('http-url', MigrationPhase.CUTOVER, { cutoverPercent: 50 }))
      .toThrow(/invalid cutoverPercent: must be 100 with RoutingLayer.apiGateway \(an integration moves all traffic at once\), got 50/);
  });
});

test('HTTP API private integration (VPC link to the listener): CUTOVER names the new listener; the VPC link may reach it', () => {
  const { template } = build('http-alb', MigrationPhase.CUTOVER);
  const integration = one(template, 'AWS::ApiGatewayV2::Integration').Properties;
  expect(integration.IntegrationUri).toEqual({ Ref: idOf(template, /^MigrationLoadBalancerProduction[0-9A-F]{8}$/) });
  expect(integration.ConnectionType).toBe('VPC_LINK');
  // The new load balancer admits the VPC link's security group on the production port.
  const ingress = ofType(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
  expect(ingress).toEqual(expect.arrayContaining([expect.objectContaining({
    FromPort: 80,
    ToPort: 80,
    GroupId: { 'Fn::GetAtt': [idOf(template, /^MigrationLoadBalancerSecurityGroup[0-9A-F]{8}$/), 'GroupId'] },
    SourceSecurityGroupId: { 'Fn::GetAtt': [idOf(template, /^LinkGroup[0-9A-F]{8}$/), 'GroupId'] },
  })]));
});

describe('REST API', () => {
  const deploymentId = (t: any) => one(t, 'AWS::ApiGateway::Deployment').id;
  const methodUri = (t: any) => one(t, 'AWS::ApiGateway::Method').Properties.Integration.Uri;

  test('CUTOVER repoints the method and redeploys the stage; ROLLBACK points back with the deployment of before', () => {
    const before = build('rest').template;
    const prepare = build('rest', MigrationPhase.PREPARE).template;
    const cutover = build('rest', MigrationPhase.CUTOVER).template;
    const rollback = build('rest', MigrationPhase.ROLLBACK).template;
    expect(methodUri(prepare)).toEqual(methodUri(before));
    expect(deploymentId(prepare)).toBe(deploymentId(before));
    expect(json(methodUri(cutover))).toContain(idOf(cutover, /^MigrationLoadBalancer[0-9A-F]{8}$/));
    expect(json(methodUri(cutover))).not.toContain('"Alb');
    // A new deployment, and the stage moves to it: the change is published.
    expect(deploymentId(cutover)).not.toBe(deploymentId(before));
    expect(one(cutover, 'AWS::ApiGateway::Stage').Properties.DeploymentId).toEqual({ Ref: deploymentId(cutover) });
    expect(methodUri(rollback)).toEqual(methodUri(before));
    expect(deploymentId(rollback)).toBe(deploymentId(before));
  });

  test('CLEANUP checks what every stage serves: the method by path and verb, read from the stages\' exports (apigateway:GET on those only)', () => {
    const { template } = build('rest', MigrationPhase.CLEANUP);
    const restApi = { Ref: idOf(template, /^Rest[0-9A-F]{8}$/) };
    expect(one(template, 'Custom::EcsBlueGreenCleanupPrecondition').Properties.Checks[1]).toEqual({
      Type: 'IntegrationPointsTo',
      Api: 'REST',
      ApiId: restApi,
      Path: '/',
      HttpMethod: 'ANY',
      Uri: methodUri(template),
    });
    const statements = ofType(template, 'AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
    const arn = (path: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', restApi, path]] });
    expect(statements.filter((s: any) => s.Action === 'apigateway:GET')).toEqual([
      { Effect: 'Allow', Action: 'apigateway:GET', Resource: [arn('/stages'), arn('/stages/*/exports/oas30')] },
    ]);
  });

  test('a stage on a deployment of its own is refused: CUTOVER redeploys only latestDeployment, so that stage would stay on the old load balancer', () => {
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.CLEANUP]) {
      const stack = newStack('Shop');
      const f = codeDeployFixture(stack);
      const api = new apigateway.RestApi(stack, 'Rest');
      api.root.addMethod('ANY', new apigateway.HttpIntegration(`http://${f.alb.loadBalancerDnsName}/`, { proxy: true, httpMethod: 'ANY' }));
      // Sharing latestDeployment is fine; a deployment of its own is not.
      new apigateway.Stage(stack, 'Beta', { deployment: api.latestDeployment!, stageName: 'beta' });
      new apigateway.Stage(stack, 'Legacy', { deployment: new apigateway.Deployment(stack, 'Pinned', { api }), stageName: 'legacy' });
      expect(() => new CodeDeployToEcsMigration(stack, 'Migration', {
        ...codeDeployPathOf(f), option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.apiGateway({ restApi: api }) }), phase,
      })).toThrow(/\[Shop\/Migration\] invalid option.routing: the stages of the REST API Shop\/Rest must serve its latestDeployment, .*; not so: Shop\/Legacy\/Resource/);
    }
  });

  test('ROLLBACK is never refused for a stage on a deployment of its own: that stage still serves the old load balancer, so the rollback only warns', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const api = new apigateway.RestApi(stack, 'Rest');
    api.root.addMethod('ANY', new apigateway.HttpIntegration(`http://${f.alb.loadBalancerDnsName}/`, { proxy: true, httpMethod: 'ANY' }));
    new apigateway.Stage(stack, 'Legacy', { deployment: new apigateway.Deployment(stack, 'Pinned', { api }), stageName: 'legacy' });
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.apiGateway({ restApi: api }) }),
      phase: MigrationPhase.ROLLBACK,
    });
    const warnings = Annotations.fromStack(stack).findWarning(`/${migration.node.path}`, Match.stringLikeRegexp('Shop/Legacy/Resource'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/must serve its latestDeployment/);
  });
});

describe('validation', () => {
  test('exactly one of httpApi and restApi', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const make = (id: string, routing: RoutingLayer) => new CodeDeployToEcsMigration(stack, id, {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceNewLoadBalancer({ routing }),
      phase: MigrationPhase.PREPARE,
    });
    expect(() => make('Neither', RoutingLayer.apiGateway({}))).toThrow(/\[Shop\/Neither\] invalid option.routing: RoutingLayer.apiGateway needs exactly one of httpApi and restApi, got neither/);
  });

  test('an API without an integration on the old load balancer, and an HTTP API stage without autoDeploy, are refused', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const elsewhere = new apigwv2.HttpApi(stack, 'Elsewhere', { defaultIntegration: new integrations.HttpUrlIntegration('X', 'https://example.com') });
    const migrate = (id: string, httpApi: apigwv2.IHttpApi) => new CodeDeployToEcsMigration(stack, id, {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.apiGateway({ httpApi }) }),
      phase: MigrationPhase.CUTOVER,
    });
    expect(() => migrate('A', elsewhere)).toThrow(/invalid option.routing: the HTTP API Shop\/Elsewhere has no integration that points at the old load balancer Shop\/Alb/);
    const manual = new apigwv2.HttpApi(stack, 'Manual', {
      createDefaultStage: false, defaultIntegration: new integrations.HttpUrlIntegration('Y', `http://${f.alb.loadBalancerDnsName}`),
    });
    new apigwv2.HttpStage(stack, 'ManualStage', { httpApi: manual, stageName: 'prod', autoDeploy: false });
    expect(() => migrate('B', manual)).toThrow(/the stages of the HTTP API Shop\/Manual must deploy automatically \(autoDeploy: true\).*Shop\/ManualStage\/Resource/);
  });
});

describe('the option 3 example with -c routing=apiGateway', () => {
  test.each(Object.values(MigrationPhase))('%s synthesizes cfn-lint and cdk-nag clean, the API integration on the right load balancer', (phase) => {
    const stack = new MigrationOption3Stack(new App({ context: { phase, routing: 'apiGateway' } }), 'Example');
    const template = checkStack(stack, { nag: true }).toJSON();
    const moved = phase === MigrationPhase.CUTOVER || phase === MigrationPhase.CLEANUP;
    const target = moved ? /^MigrationLoadBalancer[0-9A-F]{8}$/ : /^ShopAlb[0-9A-F]{8}$/;
    expect(json(one(template, 'AWS::ApiGatewayV2::Integration').Properties.IntegrationUri)).toContain(`"${idOf(template, target)}"`);
  });
});
