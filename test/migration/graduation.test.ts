import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  BlueGreenEcsService, CodeDeployToEcsMigration, DeploymentEventRule, DeploymentGroupMapping, LifecycleHook, LifecycleStage, MigratedEcsService,
  MigrationOption, MigrationPhase, RoutingLayer, TrafficRouting,
} from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, CodeDeployKept, codeDeployKept, codeDeployPathOf } from '../support/codedeploy-fixture';
import { impacts, trafficHazards } from '../support/graduation-diff';
import { readmeBlock, runSnippet } from '../support/snippets';

const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42';

/** The app in CLEANUP, the last phase of the in-place migration. */
function cleanup(): any {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack);
  new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: MigrationPhase.CLEANUP, runningTaskDefinitionArn: RUNNING,
  });
  return checkStack(stack, { nag: true }).toJSON();
}

/**
 * The same app graduated: the deployment group deleted from the code, the migration replaced by
 * `MigratedEcsService` under the same ID, given what the mapping printed (`ecs-blue-green plan`).
 */
function graduated(): { template: any; stack: Stack; migrated: MigratedEcsService } {
  // What the migration mapped, read once from the old code (in a real app: the plan's output).
  const scratch = codeDeployFixture(newStack('Scratch'));
  const mapping = DeploymentGroupMapping.of(scratch.deploymentGroup);

  const stack = newStack('Shop');
  const f: CodeDeployFixture = codeDeployFixture(stack);
  // The user deletes the deployment group (with its application and role) from the app.
  stack.node.tryRemoveChild(f.deploymentGroup.node.id);
  const migrated = new MigratedEcsService(stack, 'Migration', {
    service: f.service,
    productionListener: f.productionListener,
    testListener: f.testListener,
    blueTargetGroup: f.blueTargetGroup,
    greenTargetGroup: f.greenTargetGroup,
    strategy: mapping.strategy,
    alarms: [f.alarm],
    hooks: mapping.approvalHook ? [mapping.approvalHook] : [],
    notifications: mapping.triggers.map((t) => ({
      topic: f.topic, eventNames: t.ecsEventNames, description: `ECS deployment events of the service (was CodeDeploy trigger ${t.name})`,
    })),
  });
  return { template: checkStack(stack, { nag: true }).toJSON(), stack, migrated };
}

describe('graduation: option 1 ends in a normal service, without the migration', () => {
  test('CLEANUP -> MigratedEcsService replaces nothing, keeps the rules and their live weights, and drops only the migration\'s checks', () => {
    const before = cleanup();
    const { template: after, stack } = graduated();
    const changes = impacts(before, after);
    const replacedOrGone = Object.entries(changes).filter(([, i]) => i !== 'WILL_UPDATE' && i !== 'WILL_CREATE' && i !== 'NO_CHANGE');
    expect(replacedOrGone.map(([r, i]) => `${r} ${i}`).sort()).toEqual([
      expect.stringMatching(/^AWS::IAM::Role EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::Lambda::Function EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler\w+ WILL_DESTROY$/),
      expect.stringMatching(/^Custom::EcsBlueGreenCleanupPrecondition MigrationCleanupPrecondition\w+ WILL_DESTROY$/),
      expect.stringMatching(/^Custom::EcsBlueGreenTaskDefinitionPin MigrationTaskDefinitionPin\w+ WILL_DESTROY$/),
    ]);
    expect(Object.entries(changes).filter(([, i]) => i === 'WILL_CREATE')).toEqual([]);
    // The weighted rules, the live-weights reader, listeners, target groups, the infrastructure
    // role, the notification rule: byte-identical, so no weight is reset.
    const same = (type: RegExp) => Object.keys(before.Resources).filter((id) => type.test(before.Resources[id].Type));
    for (const id of same(/^AWS::ElasticLoadBalancingV2::|^Custom::EcsBlueGreenLiveWeights$|^AWS::Events::Rule$/)) {
      expect({ id, resource: after.Resources[id] }).toEqual({ id, resource: before.Resources[id] });
    }
    // The service: one property changes, the task definition, from the migration's pin to the app's revision.
    const svcId = Object.keys(before.Resources).find((id) => before.Resources[id].Type === 'AWS::ECS::Service')!;
    const { TaskDefinition: t1, ...rest1 } = before.Resources[svcId].Properties;
    const { TaskDefinition: t2, ...rest2 } = after.Resources[svcId].Properties;
    expect(rest2).toEqual(rest1);
    expect(t1).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MigrationTaskDefinitionPin/), 'TaskDefinitionArn'] });
    expect(t2).toEqual({ Ref: expect.stringMatching(/^TaskDef/) });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(trafficHazards(before, after)).toEqual([]);
  });

  test('the README\'s option 1 code, run as it is: nothing replaced, no security group or listener change, only the task definition pin goes', () => {
    const before = cleanup();
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    stack.node.tryRemoveChild(f.deploymentGroup.node.id);
    runSnippet(readmeBlock("new MigratedEcsService(this, 'Migration'"), stack, {
      service: f.service,
      productionListener: f.productionListener,
      testListener: f.testListener,
      blue: f.blueTargetGroup,
      green: f.greenTargetGroup,
      errors: f.alarm,
    }, require);
    const after = checkStack(stack, { nag: true }).toJSON();
    expect(trafficHazards(before, after)).toEqual([]);
    const svcId = Object.keys(before.Resources).find((id) => before.Resources[id].Type === 'AWS::ECS::Service')!;
    const { TaskDefinition: _t1, ...rest1 } = before.Resources[svcId].Properties;
    const { TaskDefinition: _t2, ...rest2 } = after.Resources[svcId].Properties;
    expect(rest2).toEqual(rest1);
    for (const id of Object.keys(before.Resources).filter((r) => /^AWS::ElasticLoadBalancingV2::|^Custom::EcsBlueGreenLiveWeights$/.test(before.Resources[r].Type))) {
      expect({ id, resource: after.Resources[id] }).toEqual({ id, resource: before.Resources[id] });
    }
  });

  test('the CLEANUP plan says how to graduate', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: MigrationPhase.CLEANUP, runningTaskDefinitionArn: RUNNING,
    });
    expect(migration.plan.join('\n')).toMatch(/Then graduate: replace this construct with MigratedEcsService under the same ID/);
  });

  test('the service\'s code may say ECS already', () => {
    const { template } = graduated();
    const [, svc] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::ECS::Service')!;
    expect(svc.Properties.DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('a service without a load balancer entry is refused', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const strategy = DeploymentGroupMapping.of(f.deploymentGroup).strategy;
    // Graduated: the deployment group is gone from the app (otherwise graduation is refused first).
    stack.node.tryRemoveChild(f.deploymentGroup.node.id);
    (f.service.node.defaultChild as any).loadBalancers = undefined;
    expect(() => new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy,
    })).toThrow(/\[Shop\/Migration\] invalid service: has no load balancer entry/);
  });
});

describe('graduation before CLEANUP is refused: the switch would skip the migration\'s checks', () => {
  /** MigratedEcsService on the fixture's service, under `id`. */
  const graduate = (stack: Stack, f: CodeDeployFixture, id = 'Migration') => new MigratedEcsService(stack, id, {
    service: f.service,
    productionListener: f.productionListener,
    testListener: f.testListener,
    blueTargetGroup: f.blueTargetGroup,
    greenTargetGroup: f.greenTargetGroup,
    strategy: DeploymentGroupMapping.of(f.deploymentGroup).strategy,
  });

  test('fails when the app still holds the deployment group of the service (CLEANUP not deployed)', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    expect(() => graduate(stack, f)).toThrow(new RegExp(
      '^\\[Shop/Migration\\] invalid service: the CodeDeploy deployment group Shop/DeploymentGroup still deploys this service.*' +
      'live target group check.*task definition pin.*deploy CLEANUP first, then replace CodeDeployToEcsMigration with MigratedEcsService under the same ID'));
  });

  test('fails when a CodeDeployToEcsMigration of the service is still in the app, naming it and its phase', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: MigrationPhase.CUTOVER, runningTaskDefinitionArn: RUNNING });
    expect(() => graduate(stack, f, 'Graduated')).toThrow(
      /^\[Shop\/Graduated\] invalid service: the migration Shop\/Migration \(phase CUTOVER\) still manages this service.*deploy CLEANUP first/);
  });

  test('fails when the deployment group is added after the service (at synthesis)', () => {
    const stack = newStack('Shop');
    const scratch = codeDeployFixture(newStack('Scratch'));
    const f = codeDeployFixture(stack);
    stack.node.tryRemoveChild(f.deploymentGroup.node.id);
    new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy: DeploymentGroupMapping.of(scratch.deploymentGroup).strategy,
    });
    // (An L1: the L2 EcsDeploymentGroup already refuses a service whose task definition is an ARN.)
    new codedeploy.CfnDeploymentGroup(stack, 'LateGroup', {
      applicationName: 'shop',
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      ecsServices: [{ clusterName: f.cluster.clusterName, serviceName: f.service.serviceName }],
    });
    expect(() => Template.fromStack(stack)).toThrow(/\[Shop\/Migration\] invalid service: the CodeDeploy deployment group Shop\/LateGroup still deploys this service/);
  });

  test('a deployment group of another service does not stop graduation', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const other = new ecs.FargateService(stack, 'Other', {
      cluster: f.cluster, taskDefinition: f.service.taskDefinition, deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
    });
    const strategy = DeploymentGroupMapping.of(f.deploymentGroup).strategy;
    // The fixture's group now deploys the other service: graduation of the first one is fine.
    const group = f.deploymentGroup.node.defaultChild as codedeploy.CfnDeploymentGroup;
    group.ecsServices = [{ clusterName: f.cluster.clusterName, serviceName: other.serviceName }];
    new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy,
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('deployment group'))).toEqual([]);
  });

  test('warns when a deployment group of the app names a service it cannot compare (a literal name)', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const strategy = DeploymentGroupMapping.of(f.deploymentGroup).strategy;
    (f.deploymentGroup.node.defaultChild as codedeploy.CfnDeploymentGroup).ecsServices = [{ clusterName: 'prod', serviceName: 'shop-web' }];
    new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy,
    });
    Annotations.fromStack(stack).hasWarning('/Shop/Migration', Match.stringLikeRegexp(
      'cannot tell whether the CodeDeploy deployment group Shop/DeploymentGroup .*"shop-web".* deploys this service.*deploy CLEANUP first'));
  });
});

describe('graduation: option 2 ends in the BlueGreenEcsService the migration built', () => {
  function cleanup2(): any {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }),
      phase: MigrationPhase.CLEANUP,
    });
    return checkStack(stack, { nag: true }).toJSON();
  }

  /**
   * The graduated app as the README writes it: the old path's code never built (the user deleted
   * it), and the README's two snippets (the service with its listeners, then the notification
   * rule) run as they are, on what the app kept.
   */
  function graduated2(): { template: any; stack: Stack } {
    const stack = newStack('Shop');
    const kept = codeDeployKept(stack);
    const { scope, service } = runSnippet(readmeBlock("new Construct(this, 'Migration')"), stack,
      { alb: kept.alb, cluster: kept.cluster, taskDefinition: kept.taskDefinition, errors: kept.alarm }, require, ['scope', 'service']);
    runSnippet(readmeBlock("new DeploymentEventRule(scope, 'Notify0'"), stack, { scope, service, topic: kept.topic }, require);
    return { template: checkStack(stack, { nag: true }).toJSON(), stack };
  }

  test('the README\'s graduated app changes no security group, rule or listener, and replaces nothing (a closed port cuts clients off)', () => {
    expect(trafficHazards(cleanup2(), graduated2().template)).toEqual([]);
  });

  test('an alarm the migration copied onto the new path, left out as the README says: the copy goes, the service updates in place', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    f.deploymentGroup.addAlarm(new cloudwatch.Alarm(stack, 'TargetErrors', {
      metric: f.blueTargetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT), threshold: 5, evaluationPeriods: 1,
    }));
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }),
      phase: MigrationPhase.CLEANUP,
    });
    const before = checkStack(stack, { nag: true }).toJSON();
    // The README's graduated app as it is: the copied alarm is not named in it.
    const after = newStack('Shop');
    const kept = codeDeployKept(after);
    const { scope, service } = runSnippet(readmeBlock("new Construct(this, 'Migration')"), after,
      { alb: kept.alb, cluster: kept.cluster, taskDefinition: kept.taskDefinition, errors: kept.alarm }, require, ['scope', 'service']);
    runSnippet(readmeBlock("new DeploymentEventRule(scope, 'Notify0'"), after, { scope, service, topic: kept.topic }, require);
    const afterTemplate = checkStack(after, { nag: true }).toJSON();
    expect(trafficHazards(before, afterTemplate)).toEqual([]);
    const changed = Object.entries(impacts(before, afterTemplate)).filter(([, i]) => i !== 'NO_CHANGE').map(([r, i]) => `${r} ${i}`).sort();
    expect(changed).toEqual([
      expect.stringMatching(/^AWS::CloudWatch::Alarm MigrationNewPathAlarmTargetErrors\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::ECS::Service MigrationService\w+ WILL_UPDATE$/),
      expect.stringMatching(/^AWS::IAM::Role EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::Lambda::Function EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler\w+ WILL_DESTROY$/),
      expect.stringMatching(/^Custom::EcsBlueGreenCleanupPrecondition MigrationCleanupPrecondition\w+ WILL_DESTROY$/),
    ]);
  });

  test('CLEANUP -> BlueGreenEcsService replaces nothing; the service, listeners, target groups and rules are byte-identical', () => {
    const before = cleanup2();
    const { template: after } = graduated2();
    const changes = impacts(before, after);
    const notUpdates = Object.entries(changes).filter(([, i]) => i !== 'WILL_UPDATE' && i !== 'NO_CHANGE').map(([r, i]) => `${r} ${i}`).sort();
    expect(notUpdates).toEqual([
      expect.stringMatching(/^AWS::IAM::Role EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::Lambda::Function EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler\w+ WILL_DESTROY$/),
      expect.stringMatching(/^Custom::EcsBlueGreenCleanupPrecondition MigrationCleanupPrecondition\w+ WILL_DESTROY$/),
    ]);
    const traffic = Object.keys(before.Resources).filter((id) => /^AWS::(ECS::Service|ElasticLoadBalancingV2::.*)$|^Custom::EcsBlueGreenLiveWeights$/.test(before.Resources[id].Type));
    expect(traffic.length).toBeGreaterThan(5);
    for (const id of traffic) expect({ id, resource: after.Resources[id] }).toEqual({ id, resource: before.Resources[id] });
    // Whatever else updates is listed here, so that a change is seen.
    expect(Object.entries(changes).filter(([, i]) => i === 'WILL_UPDATE').map(([r]) => r)).toEqual([]);
  });
});

describe('graduation: the CLEANUP plan of options 2 and 3 says how to graduate', () => {
  const options: Array<[string, RegExp, (stack: Stack) => MigrationOption]> = [
    ['option 2', /give each new listener the `open` of the old listener whose port it holds/,
      () => MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 })],
    ['option 3, Route 53', /keep the load balancer's access as this phase renders it \(both listeners open: false, the same ingress rules on its security group/, (stack) => MigrationOption.newServiceNewLoadBalancer({
      routing: RoutingLayer.route53Weighted({ zone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' }), recordName: 'shop' }),
    })],
  ];
  test.each(options)('%s', (_name, open, option) => {
    const stack = newStack('Shop');
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(codeDeployFixture(stack)), option: option(stack), phase: MigrationPhase.CLEANUP });
    const plan = migration.plan.join('\n');
    expect(plan).toMatch(/Then graduate: replace this construct with the BlueGreenEcsService it built, written out under a plain construct with the same ID and child IDs/);
    expect(plan).toMatch(/README, "After CLEANUP: graduate"/);
    // The hazard of the README's first version: listeners written with open: false close the port.
    expect(plan).toMatch(open);
  });
});

describe('graduation: option 3 (Route 53) ends in the new load balancer and BlueGreenEcsService', () => {
  const zoneOf = (stack: Stack) => new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });

  function cleanup3(): any {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const zone = zoneOf(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) }),
      phase: MigrationPhase.CLEANUP,
    });
    return checkStack(stack, { nag: true }).toJSON();
  }

  /** The graduated app: the old path's code (service, target groups, load balancer, deployment group) never built. */
  function graduated3(): any {
    const stack = newStack('Shop');
    const f = codeDeployKept(stack, { loadBalancer: false });
    const zone = zoneOf(stack);
    const scope = new Construct(stack, 'Migration');
    const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', { vpc: f.vpc, internetFacing: true });
    NagSuppressions.addResourceSuppressions(loadBalancer, [{ id: 'AwsSolutions-ELB2', reason: 'Access logs: the application owner\'s bucket.' }]);
    NagSuppressions.addResourceSuppressions(loadBalancer.connections.securityGroups[0], [{ id: 'AwsSolutions-EC23', reason: 'Public web endpoint.' }]);
    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
    const productionListener = loadBalancer.addListener('Production', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: true });
    const testListener = loadBalancer.addListener('Test', { port: 9000, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false });
    graduatedService(scope, f, productionListener, testListener);
    // The weighted record stays weighted (one member at 100): a simple record would replace it.
    new route53.ARecord(scope, 'NewRecord', {
      zone, recordName: 'shop', target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)), weight: 100, setIdentifier: 'ecs-blue-green',
    });
    return checkStack(stack, { nag: true }).toJSON();
  }

  test('CLEANUP -> graduated replaces nothing; the load balancer, listeners, service, target groups, rules and record are unchanged', () => {
    const before = cleanup3();
    const after = graduated3();
    const changes = impacts(before, after);
    expect(Object.entries(changes).filter(([, i]) => i !== 'NO_CHANGE' && i !== 'WILL_UPDATE').map(([r, i]) => `${r} ${i}`).sort()).toEqual([
      expect.stringMatching(/^AWS::IAM::Role EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderRole\w+ WILL_DESTROY$/),
      expect.stringMatching(/^AWS::Lambda::Function EcsBlueGreenCleanupPreconditionProviderCustomResourceProviderHandler\w+ WILL_DESTROY$/),
      expect.stringMatching(/^Custom::EcsBlueGreenCleanupPrecondition MigrationCleanupPrecondition\w+ WILL_DESTROY$/),
    ]);
    // The updates touch no property: the user's own cdk-nag reasons (Metadata) and the record's
    // DependsOn on the deleted check. CloudFormation writes neither to the resource.
    for (const [resource] of Object.entries(changes).filter(([, i]) => i === 'WILL_UPDATE')) {
      const id = resource.split(' ')[1];
      const differing = Object.keys({ ...before.Resources[id], ...after.Resources[id] })
        .filter((k) => JSON.stringify(before.Resources[id][k]) !== JSON.stringify(after.Resources[id][k]));
      expect({ id, differing: differing.filter((k) => k !== 'Metadata' && k !== 'DependsOn') }).toEqual({ id, differing: [] });
    }
    const traffic = Object.keys(before.Resources).filter((id) => /^AWS::(ECS::Service|ElasticLoadBalancingV2::.*|Route53::RecordSet)$|^Custom::EcsBlueGreenLiveWeights$/.test(before.Resources[id].Type));
    expect(traffic.length).toBeGreaterThan(5);
    for (const id of traffic) expect({ id, resource: after.Resources[id]?.Properties }).toEqual({ id, resource: before.Resources[id].Properties });
    expect(trafficHazards(before, after)).toEqual([]);
  });
});

/**
 * The new path's service as the migration rendered it (strategy mapped from the deployment group,
 * its pause hook and alarm), with the EventBridge rule the deployment group's SNS trigger became.
 */
function graduatedService(scope: Construct, f: CodeDeployKept,
  listener: elbv2.IApplicationListener, testListener: elbv2.IApplicationListener): BlueGreenEcsService {
  const service = new BlueGreenEcsService(scope, 'Service', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener, testListener }),
    // What the migration mapped from the deployment group (ecs-blue-green plan prints it).
    strategy: DeploymentGroupMapping.of(codeDeployFixture(newStack('Scratch')).deploymentGroup).strategy,
    hooks: [LifecycleHook.pause({ stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.minutes(30) })],
    alarms: [f.alarm],
    desiredCount: 2,
    container: { containerName: 'web', containerPort: 80 },
  });
  new DeploymentEventRule(scope, 'Notify0', {
    service: service.service,
    eventNames: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'],
    target: new targets.SnsTopic(f.topic),
    description: 'ECS deployment events of the service (was CodeDeploy trigger notify)',
  });
  return service;
}
