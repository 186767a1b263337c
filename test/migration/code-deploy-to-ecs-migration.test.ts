import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagSuppressions } from 'cdk-nag';
import {
  CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, DeploymentGroupMapping, DeploymentStrategy, DeploymentStrategyType,
  MigrationOption, MigrationPhase, RoutingLayer,
} from '../../src';
import { BlueGreenValidationError } from '../../src/errors';
import { infrastructureRoleSlot } from '../../src/service/infrastructure-role';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, CodeDeployFixtureOptions, codeDeployPathOf } from '../support/codedeploy-fixture';

const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42';
const PHASES = [MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP, MigrationPhase.ROLLBACK];
type OptionName = 'in-place' | 'existing-lb' | 'new-lb' | 'new-lb-cloudfront';

function optionFor(name: OptionName, stack: Stack): MigrationOption {
  switch (name) {
    case 'in-place': return MigrationOption.inPlace();
    case 'existing-lb': return MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 });
    case 'new-lb-cloudfront':
      return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.cloudFrontOrigin({ distribution: cdnFor(stack) }) });
    default: {
      const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
      return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) });
    }
  }
}

/** The user's CloudFront distribution in front of the fixture's load balancer. */
function cdnFor(stack: Stack): cloudfront.Distribution {
  const alb = stack.node.findChild('Alb') as elbv2.ApplicationLoadBalancer;
  const distribution = new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: { origin: new origins.LoadBalancerV2Origin(alb, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
  });
  NagSuppressions.addResourceSuppressions(distribution, ['CFR1', 'CFR2', 'CFR3', 'CFR4', 'CFR5'].map((id) => ({
    id: `AwsSolutions-${id}`, reason: 'Test fixture distribution: geo restriction, WAF, logging, viewer and origin TLS policies are the user\'s choice.',
  })));
  return distribution;
}

interface Built {
  readonly stack: Stack;
  readonly fixture: CodeDeployFixture;
  readonly migration?: CodeDeployToEcsMigration;
  readonly template: any;
}

/** The user's app, before the migration (phase undefined) or in a phase. */
function build(option: OptionName, phase?: MigrationPhase, extra: Partial<CodeDeployToEcsMigrationProps> = {},
  fixtureOptions: CodeDeployFixtureOptions = {}): Built {
  const stack = newStack('Shop');
  const fixture = codeDeployFixture(stack, fixtureOptions);
  const opt = optionFor(option, stack);
  const migration = phase === undefined ? undefined : new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(fixture),
    option: opt,
    phase,
    // Option 1's prop: the other options refuse it.
    runningTaskDefinitionArn: option === 'in-place' ? RUNNING : undefined,
    ...extra,
  });
  return { stack, fixture, migration, template: checkStack(stack, { nag: true }).toJSON() };
}

function resources(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
}

/** The logical ID of the resource whose construct path (without /Resource) spells `prefix`. */
function idOf(template: any, prefix: string): string {
  const found = Object.keys(template.Resources).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  expect({ prefix, found }).toEqual({ prefix, found: [expect.any(String)] });
  return found[0];
}

function byId(template: any, prefix: string): any {
  return template.Resources[idOf(template, prefix)];
}

/**
 * AWS::ECS::Service properties that force a replacement, per the CloudFormation registry schema of
 * 2026-06 (createOnlyProperties). DeploymentController is not among them: ECS switches controllers
 * in place. @aws-cdk/cloudformation-diff's bundled spec still marks it as a replacement, so the
 * check below uses this list for services and asserts these properties themselves are unchanged.
 */
const SERVICE_CREATE_ONLY = ['Cluster', 'Role', 'SchedulingStrategy', 'ServiceName'];

/** Resources CloudFormation would replace or delete going from one template to the next. */
function replacedOrRemoved(before: any, after: any): string[] {
  const diff = fullDiff(before, after);
  const out: string[] = [];
  const replacing = [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE];
  diff.resources.forEachDifference((id, change) => {
    let impact = change.changeImpact;
    if (change.resourceType === 'AWS::ECS::Service' && replacing.includes(impact) && change.oldValue && change.newValue) {
      const replaced = Object.entries(change.propertyUpdates).filter(([, u]) => replacing.includes(u.changeImpact!)).map(([k]) => k);
      if (replaced.every((k) => k === 'DeploymentController')
        && SERVICE_CREATE_ONLY.every((k) => JSON.stringify(change.oldValue!.Properties?.[k]) === JSON.stringify(change.newValue!.Properties?.[k]))) {
        impact = ResourceImpact.WILL_UPDATE;
      }
    }
    if (replacing.includes(impact) || impact === ResourceImpact.WILL_DESTROY || impact === ResourceImpact.WILL_ORPHAN) {
      out.push(`${change.oldResourceType ?? change.newResourceType} ${id} ${impact}`);
    }
  });
  return out.sort();
}

const TRAFFIC_TYPES = /ECS::Service |ElasticLoadBalancingV2::(Listener|TargetGroup|LoadBalancer) /;

describe('DeploymentGroupMapping', () => {
  test('maps the fixture group: canary 10%/5 min, bake = termination wait, alarms with rollback, approval pause, SNS trigger', () => {
    const stack = newStack();
    const f = codeDeployFixture(stack);
    const m = DeploymentGroupMapping.of(f.deploymentGroup);
    const strategy = m.strategy.bind(stack);
    expect(strategy).toEqual({ strategy: 'CANARY', bakeTimeInMinutes: 10, canaryPercent: 10, canaryBakeTimeInMinutes: 5 });
    expect(m.deploymentConfigName).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(m.bakeTime.toMinutes()).toBe(10);
    expect(stack.resolve(m.alarmNames)).toEqual([{ Ref: stack.getLogicalId(f.alarm.node.defaultChild as any) }]);
    expect(m.rollbackOnAlarm).toBe(true);
    expect(m.approvalHook!.bind(stack, {})).toEqual({
      targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutInMinutes: 30, timeoutAction: 'ROLLBACK',
    });
    expect(m.triggers).toHaveLength(1);
    expect(m.triggers[0].ecsEventNames).toEqual(['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED']);
    expect(m.notes.join('\n')).toMatch(/deploymentApprovalWaitTime 30 min \(STOP_DEPLOYMENT\) → PAUSE hook/);
    expect(m.notes.join('\n')).toMatch(/trigger notify → EventBridge rule/);
  });

  test.each([
    ['ALL_AT_ONCE', codedeploy.EcsDeploymentConfig.ALL_AT_ONCE, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 }],
    ['LINEAR_10PERCENT_EVERY_3MINUTES', codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
      { strategy: 'LINEAR', bakeTimeInMinutes: 10, linearStepPercent: 10, linearStepBakeTimeInMinutes: 3 }],
    ['CANARY_10PERCENT_15MINUTES', codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_15MINUTES,
      { strategy: 'CANARY', bakeTimeInMinutes: 10, canaryPercent: 10, canaryBakeTimeInMinutes: 15 }],
  ])('predefined %s', (_name, config, expected) => {
    const stack = newStack();
    const f = codeDeployFixture(stack, { deploymentConfig: config });
    expect(DeploymentGroupMapping.of(f.deploymentGroup).strategy.bind(stack)).toEqual(expected);
  });

  test('a custom configuration of the app (time-based linear 20% every 4 minutes)', () => {
    const stack = newStack();
    const config = new codedeploy.EcsDeploymentConfig(stack, 'Custom', {
      trafficRouting: new codedeploy.TimeBasedLinearTrafficRouting({ interval: Duration.minutes(4), percentage: 20 }),
    });
    const f = codeDeployFixture(stack, { deploymentConfig: config });
    const m = DeploymentGroupMapping.of(f.deploymentGroup);
    expect(m.strategy.type).toBe(DeploymentStrategyType.LINEAR);
    expect(m.strategy.bind(stack)).toMatchObject({ linearStepPercent: 20, linearStepBakeTimeInMinutes: 4 });
    expect(m.deploymentConfigName).toBe('TestStack/Custom');
    expect(m.notes).toContain('deployment config TestStack/Custom → LINEAR strategy');
  });

  test('an imported deployment group is refused with a clear error', () => {
    const stack = newStack();
    const app = codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'shop');
    const group = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'Group', { application: app, deploymentGroupName: 'shop' });
    expect(() => DeploymentGroupMapping.of(group)).toThrow(/invalid deploymentGroup: must be an EcsDeploymentGroup defined in this app/);
  });

  test('no approval wait, no trigger: no pause hook, no rule', () => {
    const stack = newStack();
    const f = codeDeployFixture(stack, { approvalWait: Duration.minutes(0), withTrigger: false });
    const m = DeploymentGroupMapping.of(f.deploymentGroup);
    expect(m.approvalHook).toBeUndefined();
    expect(m.triggers).toEqual([]);
  });
});

describe('option 1: in place', () => {
  const before = build('in-place').template;

  test('the fixture is a CODE_DEPLOY service with a family-name task definition', () => {
    const svc = byId(before, 'Service').Properties;
    expect(svc.DeploymentController).toEqual({ Type: 'CODE_DEPLOY' });
    expect(typeof svc.TaskDefinition).toBe('string');
    expect(resources(before, 'AWS::CodeDeploy::DeploymentGroup')).toHaveLength(1);
  });

  test('PREPARE deploys nothing: the template is the one from before', () => {
    const { template, migration } = build('in-place', MigrationPhase.PREPARE);
    expect(template).toEqual(before);
    expect(migration!.plan[0]).toMatch(/changes nothing/);
    expect(migration!.plan.join('\n')).toMatch(/runningTaskDefinitionArn/);
  });

  test('CUTOVER switches the same service to ECS with the mapped strategy, a weighted rule and a scoped role', () => {
    const { template, stack, fixture, migration } = build('in-place', MigrationPhase.CUTOVER);
    const svc = byId(template, 'Service').Properties;
    expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
    // The pin answers the running revision at the switch (test/migration/in-place-releases.test.ts).
    expect(svc.TaskDefinition).toEqual({ 'Fn::GetAtt': [idOf(template, 'MigrationTaskDefinitionPin'), 'TaskDefinitionArn'] });
    expect(byId(template, 'MigrationTaskDefinitionPin').Properties.TaskDefinitionPin).toEqual({ Running: RUNNING, Template: { Ref: idOf(template, 'TaskDef') } });
    expect(svc.DeploymentConfiguration).toEqual({
      MaximumPercent: 200,
      MinimumHealthyPercent: 50,
      Strategy: 'CANARY',
      BakeTimeInMinutes: 10,
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { AlarmNames: [{ Ref: idOf(template, 'Errors5xx') }], Enable: true, Rollback: true },
      LifecycleHooks: [{ LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], TargetType: 'PAUSE', TimeoutConfiguration: { TimeoutInMinutes: 30, Action: 'ROLLBACK' } }],
    });
    const blue = { Ref: idOf(template, 'BlueTG') };
    const green = { Ref: idOf(template, 'GreenTG') };
    expect(svc.LoadBalancers).toEqual([{
      ContainerName: 'web',
      ContainerPort: 80,
      TargetGroupArn: blue,
      AdvancedConfiguration: {
        AlternateTargetGroupArn: green,
        ProductionListenerRule: { 'Fn::GetAtt': [idOf(template, 'MigrationProductionRule'), 'RuleArn'] },
        TestListenerRule: { 'Fn::GetAtt': [idOf(template, 'MigrationTestRule'), 'RuleArn'] },
        // The pooled role of the slot the migration's path hashes to.
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^EcsBlueGreenInfrastructureRolesRole${infrastructureRoleSlot('Migration') + 1}[0-9A-F]{8}$`)), 'Arn'] },
      },
    }]);
    const prodRule = byId(template, 'MigrationProductionRule').Properties;
    expect(prodRule.ListenerArn).toEqual({ Ref: idOf(template, 'AlbProduction') });
    expect(prodRule.Priority).toBe(50000);
    expect(prodRule.Actions[0].ForwardConfig.TargetGroups.map((g: any) => g.TargetGroupArn)).toEqual([blue, green]);
    expect(byId(template, 'MigrationTestRule').Properties.ListenerArn).toEqual({ Ref: idOf(template, 'AlbTest') });
    expect(byId(template, 'Service').DependsOn).toEqual(expect.arrayContaining([idOf(template, 'MigrationProductionRule'), idOf(template, 'MigrationTestRule')]));
    // SNS trigger → EventBridge rule on the service's deployment events, to the same topic.
    const [[, rule]] = resources(template, 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.ecs'],
      'detail-type': ['ECS Deployment State Change'],
      'resources': [{ Ref: idOf(template, 'Service') }],
      'detail': { eventName: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'] },
    });
    expect(rule.Properties.Targets[0].Arn).toEqual({ Ref: idOf(template, 'DeployEvents') });
    expect(resources(template, 'AWS::SNS::TopicPolicy')).toHaveLength(1);
    // Same logical IDs: no replacement of service, listeners, target groups.
    expect(replacedOrRemoved(before, template)).toEqual([]);
    expect(migration!.productionRule).toBeDefined();
    expect(migration!.plan[0]).toMatch(/switches the service to the ECS controller with CANARY/);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(fixture.service.node.dependencies.length).toBeGreaterThan(0);
  });

  test('CUTOVER without the running task definition warns about the known rollback failure', () => {
    const { stack } = build('in-place', MigrationPhase.CUTOVER, { runningTaskDefinitionArn: undefined });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Unable to update task definition on services with a CODE_DEPLOY'));
    expect(warnings).toHaveLength(1);
  });

  test('CLEANUP removes the deployment group, its application and role; the service stays on ECS', () => {
    const cutover = build('in-place', MigrationPhase.CUTOVER).template;
    const { template } = build('in-place', MigrationPhase.CLEANUP);
    expect(resources(template, 'AWS::CodeDeploy::DeploymentGroup')).toEqual([]);
    expect(resources(template, 'AWS::CodeDeploy::Application')).toEqual([]);
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('DeploymentGroup'))).toEqual([]);
    expect(byId(template, 'Service').Properties.DeploymentController).toEqual({ Type: 'ECS' });
    expect(replacedOrRemoved(cutover, template).filter((l) => TRAFFIC_TYPES.test(l))).toEqual([]);
    expect(replacedOrRemoved(cutover, template)).toEqual([
      expect.stringMatching(/^AWS::CodeDeploy::Application DeploymentGroupApplication\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::CodeDeploy::DeploymentGroup DeploymentGroup\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::IAM::Role DeploymentGroupServiceRole\w+ WILL_DESTROY$/),
      // CUTOVER's live target group check: its delete reads and changes nothing.
      expect.stringMatching(/^Custom::EcsBlueGreenLiveTargetGroupCheck MigrationLiveTargetGroupCheck\w+ WILL_DESTROY$/),
    ]);
  });

  test('ROLLBACK restores the pre-migration template exactly (the pinned task definition and its resource aside)', () => {
    // Besides the pin, ROLLBACK adds the live target group check (test/migration/live-target-group.test.ts) and its function.
    const withoutAdded = (t: any) => {
      const copy = JSON.parse(JSON.stringify(t));
      const added = Object.keys(copy.Resources).filter((id) => !(id in before.Resources));
      for (const id of added) delete copy.Resources[id];
      for (const r of Object.values<any>(copy.Resources)) {
        r.DependsOn = r.DependsOn?.filter((d: string) => !added.includes(d));
        if (r.DependsOn?.length === 0) delete r.DependsOn;
      }
      return { copy, added };
    };
    const unpinned = withoutAdded(build('in-place', MigrationPhase.ROLLBACK, { runningTaskDefinitionArn: undefined }).template);
    expect(unpinned.added.sort()).toEqual([
      expect.stringMatching(/^EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler/),
      expect.stringMatching(/^EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole/),
      expect.stringMatching(/^MigrationLiveTargetGroupCheck/),
    ]);
    expect(unpinned.copy).toEqual(before);
    const pinned = build('in-place', MigrationPhase.ROLLBACK).template;
    const svcId = idOf(before, 'Service');
    // The service keeps the revision it runs: the pin, frozen (test/migration/in-place-releases.test.ts).
    const pinId = idOf(pinned, 'MigrationTaskDefinitionPin');
    expect(pinned.Resources[svcId].Properties.TaskDefinition).toEqual({ 'Fn::GetAtt': [pinId, 'TaskDefinitionArn'] });
    expect(pinned.Resources[pinId].Properties.TaskDefinitionPin.Frozen).toBe('true');
    pinned.Resources[svcId].Properties.TaskDefinition = before.Resources[svcId].Properties.TaskDefinition;
    const rest = withoutAdded(pinned);
    expect(rest.added.sort()).toEqual([
      expect.stringMatching(/^EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler/),
      expect.stringMatching(/^EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole/),
      expect.stringMatching(/^MigrationLiveTargetGroupCheck/),
      pinId,
    ]);
    expect(rest.copy).toEqual(before);
    const cutover = build('in-place', MigrationPhase.CUTOVER).template;
    expect(replacedOrRemoved(cutover, pinned).filter((l) => TRAFFIC_TYPES.test(l))).toEqual([]);
  });

  test('validation: a service that is not on CODE_DEPLOY, and a rule priority out of range', () => {
    const stack = newStack();
    const f = codeDeployFixture(stack);
    const props = {
      ...codeDeployPathOf(f),
      option: MigrationOption.inPlace(),
    };
    expect(() => new CodeDeployToEcsMigration(stack, 'Bad', { ...props, phase: MigrationPhase.CUTOVER, rulePriority: 0 }))
      .toThrow(/\[TestStack\/Bad\] invalid rulePriority: must be an integer from 1 to 50000, got 0/);
    (f.service.node.defaultChild as any).deploymentController = { type: 'ECS' };
    const err = (() => {
      try { new CodeDeployToEcsMigration(stack, 'Bad2', { ...props, phase: MigrationPhase.PREPARE }); } catch (e) { return e; }
      return undefined;
    })();
    expect(BlueGreenValidationError.isBlueGreenValidationError(err)).toBe(true);
    expect((err as Error).message).toMatch(/invalid service: must be the service CodeDeploy deploys today \(deploymentController CODE_DEPLOY\), got ECS/);
  });
});

describe('an imported deployment group', () => {
  function imported(phase: MigrationPhase, extra: Partial<CodeDeployToEcsMigrationProps> = {}) {
    const stack = newStack();
    const f = codeDeployFixture(stack);
    const app = codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'shop');
    const group = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'Group', { application: app, deploymentGroupName: 'shop' });
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
      service: f.service,
      deploymentGroup: group,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      option: MigrationOption.inPlace(),
      phase,
      runningTaskDefinitionArn: RUNNING,
      ...extra,
    });
    return { stack, migration };
  }

  test('needs an explicit strategy (its configuration is unknown at synth time)', () => {
    expect(() => imported(MigrationPhase.CUTOVER)).toThrow(/invalid strategy: is required when deploymentGroup is imported.*ecs-blue-green plan/);
  });

  test('with a strategy, CUTOVER switches the service; CLEANUP warns that the group must be deleted by hand', () => {
    const { stack, migration } = imported(MigrationPhase.CUTOVER, { strategy: DeploymentStrategy.blueGreen({ bakeTime: Duration.minutes(15) }) });
    expect(migration.mapping).toBeUndefined();
    const svc = Object.values<any>(checkStack(stack).toJSON().Resources).find((r) => r.Type === 'AWS::ECS::Service').Properties;
    expect(svc.DeploymentConfiguration).toMatchObject({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 15 });
    expect(svc.DeploymentConfiguration.Alarms).toBeUndefined();
    const cleanup = imported(MigrationPhase.CLEANUP, { strategy: DeploymentStrategy.blueGreen() });
    expect(Annotations.fromStack(cleanup.stack).findWarning('*', Match.stringLikeRegexp('CLEANUP cannot delete it: run aws deploy delete-deployment-group'))).toHaveLength(1);
  });
});

describe('option 2: new service, existing load balancer', () => {
  const before = build('existing-lb').template;
  const port = (t: any, prefix: string) => byId(t, prefix).Properties.Port;

  test('PREPARE adds a new service behind new listeners on the temporary ports; the old path is untouched', () => {
    const { template, migration } = build('existing-lb', MigrationPhase.PREPARE);
    expect(port(template, 'MigrationProductionListener')).toBe(8080);
    expect(port(template, 'MigrationTestListener')).toBe(8081);
    expect(port(template, 'AlbProduction')).toBe(80);
    expect(port(template, 'AlbTest')).toBe(9000);
    const services = resources(template, 'AWS::ECS::Service');
    expect(services.map(([id]) => id).sort()).toEqual([idOf(template, 'MigrationService'), idOf(template, 'Service')].sort());
    const newSvc = byId(template, 'MigrationService').Properties;
    expect(newSvc.DeploymentController).toEqual({ Type: 'ECS' });
    expect(newSvc.DeploymentConfiguration).toMatchObject({ Strategy: 'CANARY', BakeTimeInMinutes: 10 });
    expect(newSvc.DesiredCount).toBe(2);
    expect(newSvc.TaskDefinition).toEqual({ Ref: idOf(template, 'TaskDef') });
    // Everything that existed before is unchanged, but for the topic's policy: EventBridge may now publish.
    const topicPolicy = idOf(template, 'DeployEventsPolicy');
    for (const [id, r] of Object.entries<any>(before.Resources)) {
      if (id !== topicPolicy) expect({ id, r: template.Resources[id] }).toEqual({ id, r });
    }
    const statements = (t: any) => t.Resources[topicPolicy].Properties.PolicyDocument.Statement;
    const added = statements(template).slice(statements(before).length);
    expect(added).toEqual([expect.objectContaining({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]);
    expect(migration!.newProductionListener).toBeDefined();
    expect(migration!.plan[0]).toMatch(/ports 8080 \(production\) and 8081 \(test\)/);
  });

  test('CUTOVER parks the old listeners, then the new ones take the original ports (one deploy, ordered)', () => {
    const prepare = build('existing-lb', MigrationPhase.PREPARE).template;
    const { template } = build('existing-lb', MigrationPhase.CUTOVER);
    expect(port(template, 'AlbProduction')).toBe(8082);
    expect(port(template, 'AlbTest')).toBe(8083);
    expect(port(template, 'MigrationProductionListener')).toBe(80);
    expect(port(template, 'MigrationTestListener')).toBe(9000);
    expect(byId(template, 'MigrationProductionListener').DependsOn).toContain(idOf(template, 'AlbProduction'));
    expect(byId(template, 'MigrationTestListener').DependsOn).toContain(idOf(template, 'AlbTest'));
    expect(replacedOrRemoved(prepare, template)).toEqual([]);
  });

  test('ROLLBACK swaps back in reverse order and restores the old listeners exactly', () => {
    const cutover = build('existing-lb', MigrationPhase.CUTOVER).template;
    const { template } = build('existing-lb', MigrationPhase.ROLLBACK);
    for (const prefix of ['AlbProduction', 'AlbTest']) {
      const { DependsOn, ...rest } = byId(template, prefix);
      expect(rest).toEqual(byId(before, prefix));
      expect(DependsOn).toEqual([idOf(template, prefix === 'AlbProduction' ? 'MigrationProductionListener' : 'MigrationTestListener')]);
    }
    expect(port(template, 'MigrationProductionListener')).toBe(8080);
    expect(replacedOrRemoved(cutover, template)).toEqual([]);
  });

  test('CLEANUP deletes the old service, listeners, target groups and CodeDeploy resources only', () => {
    const cutover = build('existing-lb', MigrationPhase.CUTOVER).template;
    const { template } = build('existing-lb', MigrationPhase.CLEANUP);
    expect(port(template, 'MigrationProductionListener')).toBe(80);
    expect(resources(template, 'AWS::ECS::Service').map(([id]) => id)).toEqual([idOf(template, 'MigrationService')]);
    const gone = replacedOrRemoved(cutover, template);
    expect(gone.every((l) => l.endsWith('WILL_DESTROY'))).toBe(true);
    expect(gone.map((l) => l.split(' ')[1].replace(/[0-9A-F]{8}$/, ''))).toEqual(expect.arrayContaining([
      'Service', 'AlbProduction', 'AlbTest', 'BlueTG', 'GreenTG', 'DeploymentGroup',
    ]));
    expect(gone.filter((l) => /Migration|Alb[0-9A-F]{8} |Vpc|Cluster/.test(l))).toEqual([]);
  });

  test('port collisions are rejected with the ports named', () => {
    expect(() => build('existing-lb', MigrationPhase.PREPARE, { option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 9000 }) }))
      .toThrow(/invalid option.temporaryProductionPort: 9000 collides with another port of the migration \(listeners on 80, 9000/);
    expect(() => build('existing-lb', MigrationPhase.PREPARE, {
      option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080, parkingProductionPort: 8081 }),
    })).toThrow(/invalid option.parkingProductionPort: 8081 collides .*temporaryTestPort 8081/);
  });
});

describe('option 3: new service, new load balancer, Route 53 weighted records', () => {
  const weights = (t: any) => Object.fromEntries(resources(t, 'AWS::Route53::RecordSet').map(([, r]) => [r.Properties.SetIdentifier, r.Properties.Weight]));

  test('PREPARE: a new load balancer and service; records old 100 / new 0', () => {
    const { template, migration } = build('new-lb', MigrationPhase.PREPARE);
    expect(resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toHaveLength(2);
    expect(weights(template)).toEqual({ 'codedeploy': 100, 'ecs-blue-green': 0 });
    const [, record] = resources(template, 'AWS::Route53::RecordSet')[0];
    expect(record.Properties.Name).toBe('shop.example.com.');
    expect(migration!.newLoadBalancer).toBeDefined();
  });

  test.each([[10, 90], [50, 50], [100, 0]])('CUTOVER with cutoverPercent %i sends that share to the new load balancer', (percent, old) => {
    const { template } = build('new-lb', MigrationPhase.CUTOVER, { cutoverPercent: percent });
    expect(weights(template)).toEqual({ 'codedeploy': old, 'ecs-blue-green': percent });
  });

  test('ROLLBACK: back to 100/0 with nothing replaced; CLEANUP: the old load balancer and its path are deleted', () => {
    const cutover = build('new-lb', MigrationPhase.CUTOVER).template;
    const rollback = build('new-lb', MigrationPhase.ROLLBACK).template;
    expect(weights(rollback)).toEqual({ 'codedeploy': 100, 'ecs-blue-green': 0 });
    expect(replacedOrRemoved(cutover, rollback)).toEqual([]);
    const cleanup = build('new-lb', MigrationPhase.CLEANUP).template;
    expect(weights(cleanup)).toEqual({ 'ecs-blue-green': 100 });
    expect(resources(cleanup, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id)).toEqual([idOf(cleanup, 'MigrationLoadBalancer')]);
    expect(replacedOrRemoved(cutover, cleanup).filter((l) => /Migration/.test(l))).toEqual([expect.stringMatching(/^AWS::Route53::RecordSet MigrationOldRecord\w+ WILL_DESTROY$/)]);
    expect(replacedOrRemoved(cutover, cleanup).filter((l) => /LoadBalancer /.test(l))).toEqual([expect.stringMatching(/^AWS::ElasticLoadBalancingV2::LoadBalancer Alb\w+ WILL_DESTROY$/)]);
  });

  test('cutoverPercent out of range is rejected', () => {
    expect(() => build('new-lb', MigrationPhase.CUTOVER, { cutoverPercent: 101 })).toThrow(/invalid cutoverPercent: must be an integer from 0 to 100, got 101/);
  });
});

describe('option 3 with a CloudFront origin', () => {
  const originDomain = (t: any) => byId(t, 'Cdn').Properties.DistributionConfig.Origins[0].DomainName;
  const before = build('new-lb-cloudfront').template;

  test('PREPARE and ROLLBACK keep the origin on the old load balancer; CUTOVER and CLEANUP point it at the new one', () => {
    const old = { 'Fn::GetAtt': [idOf(before, 'Alb'), 'DNSName'] };
    expect(originDomain(before)).toEqual(old);
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.ROLLBACK]) {
      const { template } = build('new-lb-cloudfront', phase);
      expect(originDomain(template)).toEqual(old);
      expect(byId(template, 'Cdn')).toEqual(byId(before, 'Cdn'));
    }
    const cutover = build('new-lb-cloudfront', MigrationPhase.CUTOVER).template;
    expect(originDomain(cutover)).toEqual({ 'Fn::GetAtt': [idOf(cutover, 'MigrationLoadBalancer'), 'DNSName'] });
    expect(replacedOrRemoved(before, cutover)).toEqual([]);
    const cleanup = build('new-lb-cloudfront', MigrationPhase.CLEANUP).template;
    expect(originDomain(cleanup)).toEqual({ 'Fn::GetAtt': [idOf(cleanup, 'MigrationLoadBalancer'), 'DNSName'] });
    expect(resources(cleanup, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id)).toEqual([idOf(cleanup, 'MigrationLoadBalancer')]);
    const [[, check]] = resources(cleanup, 'Custom::EcsBlueGreenCleanupPrecondition');
    expect(check.Properties.Checks.map((c: any) => c.Type)).toEqual(['ServiceOnEcs', 'OriginPointsTo']);
    // The origin is checked before the distribution is written.
    expect(byId(cleanup, 'Cdn').DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MigrationCleanupPrecondition/)]));
  });

  test('moves all traffic at once: a cutoverPercent other than 100 is refused', () => {
    expect(() => build('new-lb-cloudfront', MigrationPhase.CUTOVER, { cutoverPercent: 10 }))
      .toThrow(/invalid cutoverPercent: must be 100 with RoutingLayer.cloudFrontOrigin .* got 10; use RoutingLayer.route53Weighted/);
  });

  test('a distribution without an origin on the old load balancer is refused', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const other = new cloudfront.Distribution(stack, 'Other', { defaultBehavior: { origin: new origins.HttpOrigin('example.org') } });
    expect(() => new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      phase: MigrationPhase.PREPARE,
      option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.cloudFrontOrigin({ distribution: other }) }),
    })).toThrow(/invalid option.routing: the distribution Shop\/Other has no origin whose domain is the old load balancer Shop\/Alb/);
  });
});

describe('CLEANUP precondition', () => {
  const checksOf = (t: any) => resources(t, 'Custom::EcsBlueGreenCleanupPrecondition').map(([, r]) => r.Properties.Checks.map((c: any) => c.Type));

  test.each([
    ['in-place', ['ServiceOnEcs', 'RuleForwardsTo']],
    ['existing-lb', ['ServiceOnEcs', 'ListenerOnPort']],
    ['new-lb', ['ServiceOnEcs', 'RecordDrained']],
  ] as const)('%s: one check resource with the checks of the option, only in CLEANUP', (option, types) => {
    const { template } = build(option, MigrationPhase.CLEANUP);
    expect(checksOf(template)).toEqual([types]);
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.ROLLBACK]) {
      expect(checksOf(build(option, phase).template)).toEqual([]);
    }
  });

  test('its role reads the service by ARN and the hosted zone by ARN; ELB reads are the only wildcard', () => {
    const { template } = build('new-lb', MigrationPhase.CLEANUP);
    const [, role] = resources(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('EcsBlueGreenCleanupPreconditionProvider'))!;
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: { Ref: idOf(template, 'MigrationService') } },
      { Effect: 'Allow', Action: 'route53:ListResourceRecordSets', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: idOf(template, 'Zone') }]] } },
    ]);
    // The check names the record types the layer writes under the old set identifier.
    expect(resources(template, 'Custom::EcsBlueGreenCleanupPrecondition')[0][1].Properties.Checks[1]).toEqual({
      Type: 'RecordDrained', HostedZoneId: { Ref: idOf(template, 'Zone') }, RecordName: 'shop.example.com', SetIdentifier: 'codedeploy', RecordTypes: ['A'],
    });
    // The old record's weight is read before any record changes.
    expect(byId(template, 'MigrationNewRecord').DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MigrationCleanupPrecondition/)]));
  });
});

describe('every option × phase', () => {
  const options: OptionName[] = ['in-place', 'existing-lb', 'new-lb', 'new-lb-cloudfront'];
  test.each(options.flatMap((o) => PHASES.map((p) => [o, p] as const)))('%s %s: cfn-lint and cdk-nag clean, a plan, snapshot', (option, phase) => {
    const { template, migration } = build(option, phase, { planOutput: true });
    expect(migration!.plan.length).toBeGreaterThan(1);
    const [[, output]] = Object.entries<any>(template.Outputs).filter(([id]) => id.startsWith('MigrationPlan'));
    expect(output.Value).toMatch(/^1\. /);
    // The snapshot holds what the phase changes relative to the app before the migration.
    const before = build(option).template;
    const changed = Object.fromEntries(Object.entries<any>(template.Resources)
      .filter(([id, r]) => JSON.stringify(before.Resources[id]) !== JSON.stringify(r)));
    const removed = Object.keys(before.Resources).filter((id) => !(id in template.Resources));
    // Snapshots are of the pinned aws-cdk-lib; the newest-aws-cdk-lib pass checks the assertions only.
    if (!process.env.CDK_LATEST_PASS) expect({ changed, removed, outputs: template.Outputs }).toMatchSnapshot();
  });

  test('a reference left to a removed resource is an error naming both ends, at once or at synthesis', () => {
    const migrate = (stack: Stack, f: CodeDeployFixture) => new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      phase: MigrationPhase.CLEANUP,
      option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }),
    });
    // Defined before the migration: refused when the migration is constructed.
    const early = newStack('Shop');
    const f1 = codeDeployFixture(early);
    new CfnOutput(early, 'OldTg', { value: f1.blueTargetGroup.targetGroupArn });
    expect(() => migrate(early, f1)).toThrow(/\[Shop\/Migration\] invalid phase: Shop\/OldTg still references Shop\/BlueTG\/Resource, which this phase removes/);
    // Defined after it: refused when the app is synthesized.
    const late = newStack('Shop');
    const f2 = codeDeployFixture(late);
    migrate(late, f2);
    new CfnOutput(late, 'OldTg', { value: f2.blueTargetGroup.targetGroupArn });
    expect(() => (late.node.root as App).synth()).toThrow(/Shop\/OldTg still references Shop\/BlueTG\/Resource, which this phase removes/);
  });

  test('the deployment group\'s listeners must be the ones given', () => {
    const stack = newStack();
    const f = codeDeployFixture(stack);
    const props = {
      service: f.service,
      deploymentGroup: f.deploymentGroup,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      option: MigrationOption.inPlace(),
      phase: MigrationPhase.PREPARE,
    };
    expect(() => new CodeDeployToEcsMigration(stack, 'NoTest', { ...props, productionListener: f.productionListener }))
      .toThrow(/invalid testListener: is required: the deployment group routes test traffic through a test listener/);
    expect(() => new CodeDeployToEcsMigration(stack, 'Swapped', { ...props, productionListener: f.testListener, testListener: f.productionListener }))
      .toThrow(/invalid productionListener: must be the deployment group's production listener \(ProdTrafficRoute\), got TestStack\/Alb\/Test/);
  });

});
