import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase } from '../../src';
import { handler, PreconditionEvent } from '../../src/migration/cleanup-precondition.lambda';
import { checkStack, newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

// CodeDeploy runs revision 42, registered by a pipeline outside the app; the app's own
// TaskDefinition resource is at revision 40 (CloudFormation registered it long ago).
const FAMILY = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web';
const RUNNING = `${FAMILY}:42`;
const PIN_TYPE = 'Custom::EcsBlueGreenTaskDefinitionPin';

/** The app at a phase (undefined: before the migration), with the container image given. */
/** `running` null: no runningTaskDefinitionArn. */
function synth(phase: MigrationPhase | undefined, image = 'public.ecr.aws/nginx/nginx:1.27', running: string | null = RUNNING): { template: any; stack: Stack } {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack);
  (f.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.Image', image);
  if (phase !== undefined) {
    new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase, runningTaskDefinitionArn: running ?? undefined });
  }
  return { template: checkStack(stack, { nag: true }).toJSON(), stack };
}

function only(template: any, type: string): [string, any] | undefined {
  const found = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

/**
 * A small model of what CloudFormation and ECS do with a sequence of templates: the task
 * definition resource gets a new revision whenever its properties change (CloudFormation
 * replaces it); the pin custom resource is created, updated when its resolved properties change
 * (running the real handler) or left alone; the service's resolved TaskDefinition, when it
 * differs from what runs, starts an ECS deployment of that revision.
 */
class Deployments {
  public running = RUNNING;
  public readonly ecsDeployments: string[] = [];
  // Revisions 41 and 42 were registered by the pipeline: CloudFormation's next one is 43.
  private revision = 42;
  private taskDefProps?: string;
  private pin?: { props: any; physicalId: string; arn: string };
  private taskDefArn = `${FAMILY}:40`;

  async deploy(template: any, options: { failsAfterPin?: boolean } = {}): Promise<string> {
    const [taskDefId, taskDef] = only(template, 'AWS::ECS::TaskDefinition')!;
    const props = JSON.stringify(taskDef.Properties);
    const before = { taskDefArn: this.taskDefArn, revision: this.revision, pin: this.pin, taskDefProps: this.taskDefProps };
    if (this.taskDefProps !== undefined && props !== this.taskDefProps) this.taskDefArn = `${FAMILY}:${++this.revision}`;
    this.taskDefProps = props;
    const resolve = (v: any): any => {
      if (v?.Ref === taskDefId) return this.taskDefArn;
      if (Array.isArray(v?.['Fn::GetAtt']) && v['Fn::GetAtt'][1] === 'TaskDefinitionArn') return this.pin!.arn;
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    const pinResource = only(template, PIN_TYPE)?.[1];
    if (pinResource) {
      const { ServiceToken: _, ...pinProps } = resolve(pinResource.Properties);
      if (!this.pin || JSON.stringify(pinProps) !== JSON.stringify(this.pin.props)) {
        const event: PreconditionEvent = this.pin
          ? { RequestType: 'Update', ResourceProperties: pinProps, OldResourceProperties: this.pin.props, PhysicalResourceId: this.pin.physicalId }
          : { RequestType: 'Create', ResourceProperties: pinProps };
        const out = await handler(event);
        this.pin = { props: pinProps, physicalId: out.PhysicalResourceId, arn: out.Data!.TaskDefinitionArn };
      }
    } else {
      this.pin = undefined;
    }
    if (options.failsAfterPin) {
      // The release fails (circuit breaker): CloudFormation rolls back, sending the pin its old
      // properties again (with the physical ID of the failed update) and the old task definition.
      if (before.pin && this.pin && JSON.stringify(before.pin.props) !== JSON.stringify(this.pin.props)) {
        const out = await handler({
          RequestType: 'Update', ResourceProperties: before.pin.props, OldResourceProperties: this.pin.props, PhysicalResourceId: this.pin.physicalId,
        });
        this.pin = { props: before.pin.props, physicalId: out.PhysicalResourceId, arn: out.Data!.TaskDefinitionArn };
      }
      this.taskDefArn = before.taskDefArn;
      this.taskDefProps = before.taskDefProps;
      return this.pin?.arn ?? this.running;
    }
    const service = only(template, 'AWS::ECS::Service')![1].Properties;
    const named = resolve(service.TaskDefinition);
    // Under CODE_DEPLOY the L2 names the family: CloudFormation leaves the running revision alone.
    const effective = String(named).includes(':task-definition/') ? named : this.running;
    if (effective !== this.running) {
      this.ecsDeployments.push(effective);
      this.running = effective;
    }
    return effective;
  }
}

beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

describe('option 1 does not freeze releases after CUTOVER', () => {
  test('PREPARE -> CUTOVER -> image change -> CLEANUP -> image change: the switch deploys nothing, every release deploys its revision', async () => {
    const world = new Deployments();
    await world.deploy(synth(undefined).template);
    await world.deploy(synth(MigrationPhase.PREPARE).template);
    expect(world.running).toBe(RUNNING);

    // The switch keeps revision 42 although the template's own revision is 40.
    const cutover = synth(MigrationPhase.CUTOVER).template;
    const [pinId, pin] = only(cutover, PIN_TYPE)!;
    expect(only(cutover, 'AWS::ECS::Service')![1].Properties.TaskDefinition).toEqual({ 'Fn::GetAtt': [pinId, 'TaskDefinitionArn'] });
    expect(pin.Properties.TaskDefinitionPin).toEqual({ Running: RUNNING, Template: { Ref: only(cutover, 'AWS::ECS::TaskDefinition')![0] } });
    await world.deploy(cutover);
    expect(world.ecsDeployments).toEqual([]);
    // Deploying CUTOVER again (another cutover deploy, nothing changed) keeps it.
    await world.deploy(cutover);
    expect(world.ecsDeployments).toEqual([]);

    // nginx 1.27 -> 1.28: a new revision (43), and an ECS blue/green deployment of it.
    await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.28').template);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:43`]);

    // CLEANUP with the same image deploys nothing; the next image change deploys again.
    await world.deploy(synth(MigrationPhase.CLEANUP, 'public.ecr.aws/nginx/nginx:1.28').template);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:43`]);
    await world.deploy(synth(MigrationPhase.CLEANUP, 'public.ecr.aws/nginx/nginx:1.29').template);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:43`, `${FAMILY}:44`]);
    expect(world.running).toBe(`${FAMILY}:44`);
  });

  test('the first release after CUTOVER fails and rolls back: the service names the revision of the switch again, not the template\'s old one', async () => {
    const world = new Deployments();
    await world.deploy(synth(undefined).template);
    await world.deploy(synth(MigrationPhase.CUTOVER).template);
    const after = await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.28').template, { failsAfterPin: true });
    expect(after).toBe(RUNNING);
    expect(world.ecsDeployments).toEqual([]);
    // The retry deploys a new revision (CloudFormation registers another one).
    await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.28').template);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:44`]);
  });

  test('ROLLBACK after a release keeps the revision that runs (a CODE_DEPLOY service\'s task definition cannot change), also across later app changes', async () => {
    const world = new Deployments();
    await world.deploy(synth(undefined).template);
    await world.deploy(synth(MigrationPhase.CUTOVER).template);
    await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.28').template);
    expect(world.running).toBe(`${FAMILY}:43`);
    const rollback = synth(MigrationPhase.ROLLBACK, 'public.ecr.aws/nginx/nginx:1.28').template;
    expect(only(rollback, 'AWS::ECS::Service')![1].Properties.DeploymentController).toEqual({ Type: 'CODE_DEPLOY' });
    expect(only(rollback, PIN_TYPE)![1].Properties.TaskDefinitionPin.Frozen).toBe('true');
    expect(await world.deploy(rollback)).toBe(`${FAMILY}:43`);
    // Back on CodeDeploy, the app's task definition changes (44): the service's does not.
    expect(await world.deploy(synth(MigrationPhase.ROLLBACK, 'public.ecr.aws/nginx/nginx:1.29').template)).toBe(`${FAMILY}:43`);
    // CUTOVER again is a new switch: it keeps what runs, the next image change deploys.
    expect(await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.29').template)).toBe(`${FAMILY}:43`);
    expect(await world.deploy(synth(MigrationPhase.CUTOVER, 'public.ecr.aws/nginx/nginx:1.30').template)).toBe(`${FAMILY}:45`);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:43`, `${FAMILY}:45`]);
  });

  test('without runningTaskDefinitionArn the switch names the app\'s revision (warned), and releases after it deploy too', async () => {
    const cutover = synth(MigrationPhase.CUTOVER, undefined, null);
    expect(only(cutover.template, PIN_TYPE)).toBeUndefined();
    expect(only(cutover.template, 'AWS::ECS::Service')![1].Properties.TaskDefinition).toEqual({ Ref: only(cutover.template, 'AWS::ECS::TaskDefinition')![0] });
    const world = new Deployments();
    await world.deploy(synth(undefined).template);
    await world.deploy(cutover.template);
    // The hazard the warning names: the switch deploys the template's revision 40.
    expect(world.ecsDeployments).toEqual([`${FAMILY}:40`]);
    await world.deploy(synth(MigrationPhase.CLEANUP, 'public.ecr.aws/nginx/nginx:1.28', null).template);
    expect(world.ecsDeployments).toEqual([`${FAMILY}:40`, `${FAMILY}:43`]);
  });

  test('the switch logs a warning when the template\'s revision differs from the running one', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handler({ RequestType: 'Create', ResourceProperties: { TaskDefinitionPin: { Running: RUNNING, Template: `${FAMILY}:40` } } });
    expect(log.mock.calls.map(([line]) => String(line)).join('\n'))
      .toMatch(/the switch keeps shop-web:42.*WARNING: the template's revision shop-web:40 differs: the next change of the task definition deploys the template's revision/);
    log.mockClear();
    await handler({ RequestType: 'Create', ResourceProperties: { TaskDefinitionPin: { Running: RUNNING, Template: RUNNING } } });
    expect(log.mock.calls.map(([line]) => String(line)).join('\n')).not.toMatch(/WARNING/);
  });

  test('the pin handler refuses missing ARNs (FAILED with the reason, no crash)', async () => {
    await expect(handler({ RequestType: 'Create', ResourceProperties: { TaskDefinitionPin: { Running: '', Template: `${FAMILY}:40` } } }))
      .rejects.toThrow(/TaskDefinitionPin needs Running and Template task definition ARNs/);
    await expect(handler({ RequestType: 'Delete', PhysicalResourceId: 'x', ResourceProperties: { TaskDefinitionPin: { Running: '', Template: '' } } }))
      .resolves.toEqual({ PhysicalResourceId: 'x' });
  });

  test('the plan says so; a malformed runningTaskDefinitionArn fails synth, another family warns', () => {
    const stack = newStack('Shop');
    const f = codeDeployFixture(stack);
    const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: MigrationPhase.CUTOVER, runningTaskDefinitionArn: RUNNING,
    });
    expect(migration.plan.join('\n')).toMatch(/keeps the revision it runs .*shop-web:42.*the first change of the app's task definition after this deploy is an ordinary ECS blue\/green deployment/);
    expect(() => synth(MigrationPhase.CUTOVER, undefined, 'shop-web:42'))
      .toThrow(/\[Shop\/Migration\] invalid runningTaskDefinitionArn: must be a task definition revision ARN .*got "shop-web:42"/);
    const other = newStack('Other');
    const g = codeDeployFixture(other);
    (g.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).family = 'shop-web';
    Object.defineProperty(g.service.taskDefinition, 'family', { value: 'shop-web' });
    new CodeDeployToEcsMigration(other, 'Migration', {
      ...codeDeployPathOf(g), option: MigrationOption.inPlace(), phase: MigrationPhase.CUTOVER, runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/billing:3',
    });
    expect(Annotations.fromStack(other).findWarning('*', Match.stringLikeRegexp('runningTaskDefinitionArn names family billing'))).toHaveLength(1);
  });
});
