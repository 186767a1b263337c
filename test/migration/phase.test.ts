import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, MigrationOption, MigrationPhase, RoutingLayer } from '../../src';
import { BlueGreenValidationError } from '../../src/errors';
import { newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

type Option = 'in-place' | 'existing-lb' | 'new-lb';

function optionFor(name: Option, stack: Stack): MigrationOption {
  if (name === 'in-place') return MigrationOption.inPlace();
  if (name === 'existing-lb') return MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) });
}

/** Constructs the migration; returns the error it throws, if any, and the stack. */
function attempt(option: Option, phase: unknown, extra: Partial<CodeDeployToEcsMigrationProps> = {}) {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack);
  try {
    new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(f), option: optionFor(option, stack), phase: phase as MigrationPhase, ...extra });
    return { stack, error: undefined };
  } catch (e) {
    return { stack, error: e as Error };
  }
}

const OPTIONS: Option[] = ['in-place', 'existing-lb', 'new-lb'];
const ALLOWED = 'must be one of PREPARE, CUTOVER, CLEANUP, ROLLBACK';

describe('the phase is one of the four names, exactly', () => {
  test.each(OPTIONS.flatMap((o) => ['CUTOVR', 'ROLLBAK', 'cutover', 'Rollback', ' CUTOVER', '', 'LATER'].map((p) => [o, p] as const)))(
    '%s: phase %j fails synthesis with the allowed values, before any resource changes', (option, phase) => {
      const { error, stack } = attempt(option, phase);
      expect(BlueGreenValidationError.isBlueGreenValidationError(error)).toBe(true);
      expect(error!.message).toContain(`[Shop/Migration] invalid phase: ${ALLOWED}, got ${JSON.stringify(phase)}`);
      // Nothing of the migration was built: the service is still the CodeDeploy one.
      expect(stack.node.tryFindChild('Migration')?.node.children.length ?? 0).toBe(0);
    });

  test('a case mismatch names the phase it looks like', () => {
    expect(attempt('in-place', 'cutover').error!.message).toMatch(/phase names are case-sensitive: did you mean CUTOVER\?/);
    expect(attempt('in-place', 'rollback').error!.message).toMatch(/did you mean ROLLBACK\?/);
    expect(attempt('in-place', 'CUTOVR').error!.message).not.toMatch(/did you mean/);
  });

  test('a missing phase (no -c phase=...) is refused, not taken for a switch', () => {
    expect(attempt('in-place', undefined).error!.message).toContain(`invalid phase: ${ALLOWED}, got nothing`);
    expect(attempt('existing-lb', undefined).error!.message).toContain(`invalid phase: ${ALLOWED}, got nothing`);
  });

  test.each(OPTIONS.flatMap((o) => Object.values(MigrationPhase).map((p) => [o, p] as const)))('%s: %s is accepted', (option, phase) => {
    expect(attempt(option, phase).error).toBeUndefined();
  });

  test('a phase from the context, as an app passes it', () => {
    const stack = new Stack(new App({ context: { phase: 'ROLLBAK' } }), 'Shop');
    const f = codeDeployFixture(stack);
    expect(() => new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: stack.node.tryGetContext('phase'),
    })).toThrow(/\[Shop\/Migration\] invalid phase: must be one of PREPARE, CUTOVER, CLEANUP, ROLLBACK, got "ROLLBAK"/);
  });
});

describe('option-specific props given to another option fail synthesis', () => {
  test.each([
    ['in-place', { cutoverPercent: 50 }, 'cutoverPercent', 'MigrationOption.newServiceNewLoadBalancer()', 'IN_PLACE'],
    ['existing-lb', { cutoverPercent: 100 }, 'cutoverPercent', 'MigrationOption.newServiceNewLoadBalancer()', 'NEW_SERVICE_EXISTING_LOAD_BALANCER'],
    ['existing-lb', { runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:1' }, 'runningTaskDefinitionArn',
      'MigrationOption.inPlace()', 'NEW_SERVICE_EXISTING_LOAD_BALANCER'],
    ['new-lb', { rulePriority: 10 }, 'rulePriority', 'MigrationOption.inPlace()', 'NEW_SERVICE_NEW_LOAD_BALANCER'],
    ['new-lb', { runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:1' }, 'runningTaskDefinitionArn',
      'MigrationOption.inPlace()', 'NEW_SERVICE_NEW_LOAD_BALANCER'],
  ] as const)('%s with %j', (option, extra, prop, owner, kind) => {
    for (const phase of Object.values(MigrationPhase)) {
      const { error } = attempt(option, phase, extra);
      expect(BlueGreenValidationError.isBlueGreenValidationError(error)).toBe(true);
      expect(error!.message).toContain(`[Shop/Migration] invalid ${prop}: applies to ${owner} only; this migration uses ${kind}, which would ignore it`);
    }
  });

  test('each option accepts its own props', () => {
    expect(attempt('in-place', MigrationPhase.CUTOVER, { rulePriority: 10, runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:1' }).error).toBeUndefined();
    expect(attempt('new-lb', MigrationPhase.CUTOVER, { cutoverPercent: 50 }).error).toBeUndefined();
  });

  test('an option that is not one of the three factories is refused', () => {
    const { error } = attempt('in-place', MigrationPhase.PREPARE, { option: {} as MigrationOption });
    expect(error!.message).toMatch(/\[Shop\/Migration\] invalid option: must be MigrationOption.inPlace\(\), .*got \[object Object\]/);
  });
});
