import { IConstruct } from 'constructs';
import { MigrationOption, MigrationOptionKind, MigrationPhase } from './migration-option';
import { BlueGreenValidationError } from '../errors';

/** The phases in the order a migration deploys them (ROLLBACK last: it is the way back). */
const PHASES: readonly string[] = [MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP, MigrationPhase.ROLLBACK];

/** The props the phase and option checks look at (a subset of `CodeDeployToEcsMigrationProps`). */
export interface PhaseCheckedProps {
  readonly phase: MigrationPhase;
  readonly option: MigrationOption;
  readonly runningTaskDefinitionArn?: string;
  readonly rulePriority?: number;
  readonly cutoverPercent?: number;
}

/**
 * Which option each option-specific prop belongs to. A prop given to another option would be
 * ignored, which hides a mistake (e.g. `cutoverPercent: 50` with the in-place option moves all
 * traffic, not half): refused instead.
 */
const OPTION_PROPS: ReadonlyArray<[keyof PhaseCheckedProps, MigrationOptionKind, string]> = [
  ['runningTaskDefinitionArn', MigrationOptionKind.IN_PLACE, 'MigrationOption.inPlace()'],
  ['rulePriority', MigrationOptionKind.IN_PLACE, 'MigrationOption.inPlace()'],
  ['cutoverPercent', MigrationOptionKind.NEW_SERVICE_NEW_LOAD_BALANCER, 'MigrationOption.newServiceNewLoadBalancer()'],
];

/**
 * The phase, exactly as one of the four names (case-sensitive: `cutover` is refused and the
 * error names `CUTOVER`). The phase usually comes from `-c phase=...`, an untyped string: a typo
 * must fail synthesis, never fall through to a switch of traffic.
 */
export function checkedPhase(scope: IConstruct, phase: unknown): MigrationPhase {
  if (typeof phase === 'string' && PHASES.includes(phase)) return phase as MigrationPhase;
  const received = phase === undefined ? 'nothing' : JSON.stringify(phase);
  const upper = typeof phase === 'string' ? phase.trim().toUpperCase() : undefined;
  const hint = upper !== undefined && PHASES.includes(upper) && upper !== phase
    ? ` (phase names are case-sensitive: did you mean ${upper}?)`
    : '';
  throw new BlueGreenValidationError(scope, 'phase', `must be one of ${PHASES.join(', ')}, got ${received}${hint}`);
}

/** The option is one of the three factories' results. */
function checkedOption(scope: IConstruct, option: unknown): MigrationOption {
  const kinds: string[] = Object.values(MigrationOptionKind);
  const kind = (option as MigrationOption | undefined)?.kind;
  if (option instanceof Object && typeof kind === 'string' && kinds.includes(kind)) return option as MigrationOption;
  throw new BlueGreenValidationError(scope, 'option',
    `must be MigrationOption.inPlace(), MigrationOption.newServiceExistingLoadBalancer(...) or MigrationOption.newServiceNewLoadBalancer(...), got ${kind ?? String(option)}`);
}

/**
 * Validates the phase and that every option-specific prop belongs to the chosen option. Runs
 * first in the migration's constructor, before any resource is created or changed.
 */
export function validatePhaseAndOption(scope: IConstruct, props: PhaseCheckedProps): void {
  checkedPhase(scope, props.phase);
  const option = checkedOption(scope, props.option);
  for (const [prop, kind, factory] of OPTION_PROPS) {
    if (props[prop] !== undefined && option.kind !== kind) {
      throw new BlueGreenValidationError(scope, prop,
        `applies to ${factory} only; this migration uses ${option.kind}, which would ignore it. Remove it, or choose ${factory}`);
    }
  }
}
