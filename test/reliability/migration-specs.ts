import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase, RoutingLayer } from '../../src';
import { newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

/** One generated set of CodeDeployToEcsMigration props (and of the CodeDeploy app it starts from). */
export interface MigrationSpec {
  readonly option: 'in-place' | 'existing-lb' | 'new-lb' | 'new-lb-cloudfront';
  readonly phase: MigrationPhase;
  readonly config: 'ALL_AT_ONCE' | 'LINEAR_10PERCENT_EVERY_1MINUTES' | 'LINEAR_10PERCENT_EVERY_3MINUTES'
  | 'CANARY_10PERCENT_5MINUTES' | 'CANARY_10PERCENT_15MINUTES';
  readonly approvalWaitMinutes: number;
  readonly withTrigger: boolean;
  readonly withTestListener: boolean;
  readonly groupHasTestListener: boolean;
  readonly pinned: boolean;
  readonly planOutput: boolean;
  readonly rulePriority?: number;
  readonly temporaryProductionPort: number;
  readonly temporaryTestPort?: number;
  readonly parkingProductionPort?: number;
  readonly parkingTestPort?: number;
  readonly testPort?: number;
  readonly cutoverPercent?: number;
}

/** Ports near the fixture's (80, 9000), the edges of the range, and nonsense. */
function portArb(valid: boolean): fc.Arbitrary<number> {
  const good = fc.oneof(fc.integer({ min: 1024, max: 65000 }), fc.constantFrom(8080, 8081, 8082, 8083, 443));
  return valid ? good : fc.oneof(good, fc.constantFrom(0, -1, 80, 9000, 65535, 65536, 8080.5, NaN));
}

export function migrationArb(valid: boolean): fc.Arbitrary<MigrationSpec> {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  return fc.record({
    option: fc.constantFrom('in-place' as const, 'existing-lb' as const, 'new-lb' as const, 'new-lb-cloudfront' as const),
    // Invalid sets also get phases as `-c phase=...` may spell them: a typo must be refused.
    phase: valid ? fc.constantFrom(...Object.values(MigrationPhase))
      : fc.oneof(fc.constantFrom(...Object.values(MigrationPhase)), fc.constantFrom('cutover', 'CUTOVR', 'ROLLBAK', '', 'LATER') as unknown as fc.Arbitrary<MigrationPhase>),
    config: fc.constantFrom('ALL_AT_ONCE' as const, 'LINEAR_10PERCENT_EVERY_1MINUTES' as const, 'LINEAR_10PERCENT_EVERY_3MINUTES' as const,
      'CANARY_10PERCENT_5MINUTES' as const, 'CANARY_10PERCENT_15MINUTES' as const),
    approvalWaitMinutes: fc.constantFrom(0, 1, 30, 2880),
    withTrigger: fc.boolean(),
    withTestListener: fc.boolean(),
    groupHasTestListener: fc.boolean(),
    pinned: fc.boolean(),
    planOutput: fc.boolean(),
    rulePriority: maybe(valid ? fc.integer({ min: 1, max: 50000 }) : fc.oneof(fc.integer({ min: -2, max: 50002 }), fc.constantFrom(0.5, NaN))),
    temporaryProductionPort: valid ? fc.integer({ min: 10000, max: 20000 }) : portArb(false),
    temporaryTestPort: valid ? fc.constant(undefined) : maybe(portArb(false)),
    parkingProductionPort: valid ? fc.constant(undefined) : maybe(portArb(false)),
    parkingTestPort: valid ? fc.constant(undefined) : maybe(portArb(false)),
    testPort: maybe(valid ? fc.constantFrom(8443, 9001) : portArb(false)),
    cutoverPercent: maybe(valid ? fc.integer({ min: 0, max: 100 }) : fc.oneof(fc.integer({ min: -5, max: 105 }), fc.constantFrom(12.5, NaN))),
  }).map((s) => (valid ? withoutOtherOptionsProps(s) : s));
}

/** A valid set gives option-specific props to their own option only. */
function withoutOtherOptionsProps(s: MigrationSpec): MigrationSpec {
  const inPlace = s.option === 'in-place';
  const newLb = s.option === 'new-lb' || s.option === 'new-lb-cloudfront';
  return {
    ...s,
    pinned: inPlace && s.pinned,
    rulePriority: inPlace ? s.rulePriority : undefined,
    cutoverPercent: newLb ? s.cutoverPercent : undefined,
  };
}

const PHASE_NAMES: string[] = Object.values(MigrationPhase);

const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/** The props the oracle finds at fault (a rejection must name one of them); empty when valid. */
export function migrationProblems(s: MigrationSpec): string[] {
  const problems: string[] = [];
  // Only the four phase names, exactly, are accepted; that is checked before anything else.
  if (!PHASE_NAMES.includes(s.phase)) return ['phase'];
  // Option-specific props given to another option are refused.
  const inPlace = s.option === 'in-place';
  if (!inPlace && s.pinned) problems.push('runningTaskDefinitionArn');
  if (!inPlace && s.rulePriority !== undefined) problems.push('rulePriority');
  if (s.cutoverPercent !== undefined && (s.option === 'in-place' || s.option === 'existing-lb')) problems.push('cutoverPercent');
  // Leaving out the deployment group's test listener is refused.
  if (s.groupHasTestListener && !s.withTestListener) problems.push('testListener');
  switch (s.option) {
    case 'in-place': {
      // The switch creates the rules at that priority; ROLLBACK's check looks for them there.
      const switching = s.phase !== MigrationPhase.PREPARE;
      if (switching && s.rulePriority !== undefined && !(Number.isInteger(s.rulePriority) && s.rulePriority >= 1 && s.rulePriority <= 50000)) {
        problems.push('rulePriority');
      }
      break;
    }
    case 'existing-lb':
      problems.push(...portProblems(s));
      // The app's test listener forwards to the green target group: CLEANUP deletes that group, so
      // the listener must be handed to the migration.
      if (s.phase === MigrationPhase.CLEANUP && !s.withTestListener) problems.push('phase');
      break;
    default:
      if (s.cutoverPercent !== undefined && !(Number.isInteger(s.cutoverPercent) && s.cutoverPercent >= 0 && s.cutoverPercent <= 100)) problems.push('cutoverPercent');
      // CloudFront moves all traffic at once.
      if (s.option === 'new-lb-cloudfront' && s.cutoverPercent !== undefined && s.cutoverPercent !== 100) problems.push('cutoverPercent');
      if (s.testPort !== undefined && (!isPort(s.testPort) || s.testPort === 80)) problems.push('option.testPort');
  }
  return problems;
}

/** Option 2's ports: out of range (a default counts as the port it defaults from), or colliding. */
function portProblems(s: MigrationSpec): string[] {
  if (!isPort(s.temporaryProductionPort)) return ['option.temporaryProductionPort'];
  const t = s.temporaryProductionPort;
  const ports: Array<[string, number]> = [
    ['parkingProductionPort', s.parkingProductionPort ?? t + 2],
    ...(s.withTestListener ? [['temporaryTestPort', s.temporaryTestPort ?? t + 1], ['parkingTestPort', s.parkingTestPort ?? t + 3]] as Array<[string, number]> : []),
  ];
  const invalid = ports.filter(([, p]) => !isPort(p)).map(([n]) => `option.${n}`);
  if (invalid.length > 0) return [...invalid, 'option.temporaryProductionPort'];
  const ours: Array<[string, number]> = [['temporaryProductionPort', t], ...ports];
  const taken = [80, ...(s.withTestListener ? [9000] : [])];
  return ours.filter(([, p]) => taken.includes(p) || ours.filter(([, o]) => o === p).length > 1).map(([name]) => `option.${name}`);
}

/** Builds the migration of a spec; `override` may change its props first (the wrong-type fuzz). */
export function buildMigration(s: MigrationSpec, override?: (props: any, stack: Stack) => any):
{ stack: Stack; migration: CodeDeployToEcsMigration } {
  const stack = newStack('Fuzz');
  const f = codeDeployFixture(stack, {
    deploymentConfig: codedeploy.EcsDeploymentConfig[s.config],
    approvalWait: Duration.minutes(s.approvalWaitMinutes),
    withTrigger: s.withTrigger,
    testListenerInGroup: s.groupHasTestListener,
  });
  const option = s.option === 'in-place' ? MigrationOption.inPlace()
    : s.option === 'existing-lb' ? MigrationOption.newServiceExistingLoadBalancer({
      temporaryProductionPort: s.temporaryProductionPort,
      temporaryTestPort: s.temporaryTestPort,
      parkingProductionPort: s.parkingProductionPort,
      parkingTestPort: s.parkingTestPort,
    })
      : MigrationOption.newServiceNewLoadBalancer({
        routing: s.option === 'new-lb-cloudfront'
          ? RoutingLayer.cloudFrontOrigin({
            distribution: new cloudfront.Distribution(stack, 'Cdn', {
              defaultBehavior: { origin: new origins.LoadBalancerV2Origin(f.alb, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
            }),
          })
          : RoutingLayer.route53Weighted({ zone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' }), recordName: 'shop' }),
        testPort: s.testPort,
      });
  const props: any = {
    ...codeDeployPathOf(f),
    testListener: s.withTestListener ? f.testListener : undefined,
    option,
    phase: s.phase,
    runningTaskDefinitionArn: s.pinned ? 'arn:aws:ecs:us-east-1:111122223333:task-definition/shop:3' : undefined,
    rulePriority: s.rulePriority,
    cutoverPercent: s.cutoverPercent,
    planOutput: s.planOutput,
  };
  const migration = new CodeDeployToEcsMigration(stack, 'Migration', override ? override(props, stack) : props);
  return { stack, migration };
}

/** What an accepted migration must render, per option and phase. */
export function migrationRenderProblems(s: MigrationSpec, template: any): string[] {
  const services = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service');
  const controllers = services.map((r) => r.Properties.DeploymentController?.Type).sort();
  const problems: string[] = [];
  const expected = s.option === 'in-place'
    ? [s.phase === MigrationPhase.CUTOVER || s.phase === MigrationPhase.CLEANUP ? 'ECS' : 'CODE_DEPLOY']
    : s.phase === MigrationPhase.CLEANUP ? ['ECS'] : ['CODE_DEPLOY', 'ECS'];
  if (JSON.stringify(controllers) !== JSON.stringify(expected)) problems.push(`controllers ${controllers} (expected ${expected})`);
  const groups = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::CodeDeploy::DeploymentGroup').length;
  if (groups !== (s.phase === MigrationPhase.CLEANUP ? 0 : 1)) problems.push(`${groups} deployment groups in ${s.phase}`);
  const checks = Object.values<any>(template.Resources).filter((r) => r.Type === 'Custom::EcsBlueGreenCleanupPrecondition').length;
  if (checks !== (s.phase === MigrationPhase.CLEANUP ? 1 : 0)) problems.push(`${checks} CLEANUP checks in ${s.phase}`);
  return problems;
}
