import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CodeDeployToEcsMigration, DeploymentGroupMapping, MigratedEcsService, MigrationOption, MigrationPhase } from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

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

/** What CloudFormation does to each resource going from `before` to `after`. */
function impacts(before: any, after: any): Record<string, string> {
  const out: Record<string, string> = {};
  fullDiff(before, after).resources.forEachDifference((id, change) => {
    let impact: string = change.changeImpact;
    // cloudformation-diff's spec marks DeploymentController as replacing; ECS updates it in place
    // (see code-deploy-to-ecs-migration.test.ts), and it does not change here anyway.
    if (change.resourceType === 'AWS::ECS::Service' && Object.keys(change.propertyUpdates).every((k) => k !== 'Cluster' && k !== 'ServiceName')) {
      impact = impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE ? 'WILL_UPDATE' : impact;
    }
    out[`${change.oldResourceType ?? change.newResourceType} ${id}`] = impact;
  });
  return out;
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
  });

  test('the service\'s code may say ECS already', () => {
    const { template } = graduated();
    const [, svc] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::ECS::Service')!;
    expect(svc.Properties.DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('a service without a load balancer entry is refused', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    (f.service.node.defaultChild as any).loadBalancers = undefined;
    expect(() => new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy: DeploymentGroupMapping.of(f.deploymentGroup).strategy,
    })).toThrow(/\[Shop\/Migration\] invalid service: has no load balancer entry/);
  });
});
