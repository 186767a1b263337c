import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase } from '../../src';
import { handler } from '../../src/migration/cleanup-precondition.lambda';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

// `cdk init` writes every recommended feature flag into cdk.json (aws-cdk-lib
// cx-api/FEATURE_FLAGS.md, "Currently recommended cdk.json": the flags as `cdk init` generates
// them), among them @aws-cdk/core:validateAgainstDefaultRules (aws-cdk-lib >= 2.262.0), which
// makes aws-cdk-lib's built-in CloudFormation validation fail synthesis on its findings. Its
// E3054 (cfn-lint's rule of that ID, aws_ecs_service/service_fargate.json) reads `NetworkMode` and
// `RequiresCompatibilities` from the resource a FARGATE service's `TaskDefinition` references;
// unlike cfn-lint 1.58 it does not stop at resources of type AWS::ECS::TaskDefinition, so it reads
// them from option 1's pin custom resource as well.
const RECOMMENDED_FLAGS = {
  ...JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf-8')),
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};
const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42';

function synth(phase: MigrationPhase, context: Record<string, unknown> = {}): any {
  const app = new App({ context });
  const stack = new Stack(app, 'Shop');
  const f = codeDeployFixture(stack);
  new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase, runningTaskDefinitionArn: RUNNING });
  app.synth(); // runs the validation plugins where aws-cdk-lib has them
  return Template.fromStack(stack).toJSON();
}

/** What E3054 reads: the resource a service's TaskDefinition names by Ref or GetAtt, whatever its type. */
function referencedTaskDefinition(template: any, service: any): any {
  const ref = service.Properties.TaskDefinition;
  const id = ref?.Ref ?? ref?.['Fn::GetAtt']?.[0];
  return template.Resources[id];
}

describe('option 1\'s task definition pin under aws-cdk-lib\'s CloudFormation validation (cdk init\'s flags)', () => {
  test.each([MigrationPhase.CUTOVER, MigrationPhase.CLEANUP, MigrationPhase.ROLLBACK])(
    'at %s the FARGATE service\'s TaskDefinition reference states awsvpc and FARGATE, as the revision it names has', (phase) => {
      const template = synth(phase);
      const services = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service' && r.Properties.LaunchType === 'FARGATE');
      expect(services).toHaveLength(1);
      const target = referencedTaskDefinition(template, services[0]);
      expect(target.Type).toBe('Custom::EcsBlueGreenTaskDefinitionPin');
      expect(target.Properties.NetworkMode).toBe('awsvpc');
      expect(target.Properties.RequiresCompatibilities).toEqual(['FARGATE']);
      // The same facts as the app's task definition (the pin names it or an older revision of its family).
      const taskDefinition = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
      expect(target.Properties.RequiresCompatibilities).toEqual(taskDefinition.Properties.RequiresCompatibilities);
      expect(target.Properties.NetworkMode).toEqual(taskDefinition.Properties.NetworkMode);
    });

  test.each([MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP, MigrationPhase.ROLLBACK])(
    'at %s synthesizes with every recommended flag, validateAgainstDefaultRules included', (phase) => {
      expect(() => synth(phase, RECOMMENDED_FLAGS)).not.toThrow();
    });

  test('the first deploy with the new properties (an Update of an existing pin) answers what the pin answered before', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const pin = { Running: RUNNING, Template: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:40' };
    const created = await handler({ RequestType: 'Create', ResourceProperties: { TaskDefinitionPin: pin } });
    const updated = await handler({
      RequestType: 'Update',
      ResourceProperties: { TaskDefinitionPin: pin, NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'] } as any,
      OldResourceProperties: { TaskDefinitionPin: pin },
      PhysicalResourceId: created.PhysicalResourceId,
    });
    expect(updated).toEqual(created);
    expect(updated.Data!.TaskDefinitionArn).toBe(RUNNING);
    jest.restoreAllMocks();
  });
});
