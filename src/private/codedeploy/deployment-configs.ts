// The CodeDeploy ECS deployment configurations and the ECS strategy each becomes: the five
// predefined ones by name, custom ones by their traffic routing.

/** The ECS strategy settings a CodeDeploy configuration maps to. */
export interface EcsStrategy {
  readonly strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  readonly stepPercent?: number;
  readonly stepBakeTimeInMinutes?: number;
  readonly canaryPercent?: number;
  readonly canaryBakeTimeInMinutes?: number;
}

/** The prefix of the predefined configurations' names. */
export const PREDEFINED_PREFIX = 'CodeDeployDefault.';

/** The predefined CodeDeploy ECS deployment configurations (full names) and their ECS strategies. */
export const PREDEFINED_CONFIGS: Readonly<Record<string, EcsStrategy>> = {
  // Everything at once: ECS BLUE_GREEN.
  'CodeDeployDefault.ECSAllAtOnce': { strategy: 'BLUE_GREEN' },
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': { strategy: 'LINEAR', stepPercent: 10, stepBakeTimeInMinutes: 1 },
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': { strategy: 'LINEAR', stepPercent: 10, stepBakeTimeInMinutes: 3 },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': { strategy: 'CANARY', canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
  'CodeDeployDefault.ECSCanary10Percent15Minutes': { strategy: 'CANARY', canaryPercent: 10, canaryBakeTimeInMinutes: 15 },
};

/**
 * The ECS strategy of a predefined configuration, named with or without `CodeDeployDefault.`;
 * undefined for any other name.
 */
export function predefinedConfig(name: string): EcsStrategy | undefined {
  const full = name.startsWith(PREDEFINED_PREFIX) ? name : `${PREDEFINED_PREFIX}${name}`;
  return Object.prototype.hasOwnProperty.call(PREDEFINED_CONFIGS, full) ? PREDEFINED_CONFIGS[full] : undefined;
}

/** A custom configuration's `trafficRoutingConfig` (as GetDeploymentConfig returns it). */
export interface TrafficRouting {
  readonly type?: string;
  readonly timeBasedCanary?: { readonly canaryPercentage?: number; readonly canaryInterval?: number };
  readonly timeBasedLinear?: { readonly linearPercentage?: number; readonly linearInterval?: number };
}

/**
 * The ECS strategy of a custom configuration's traffic routing (`AllAtOnce`, `TimeBasedCanary`,
 * `TimeBasedLinear`); undefined when the routing is none of them or lacks its settings.
 */
export function strategyOfTrafficRouting(routing: TrafficRouting | undefined): EcsStrategy | undefined {
  if (routing?.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
    return { strategy: 'CANARY', canaryPercent: routing.timeBasedCanary.canaryPercentage, canaryBakeTimeInMinutes: routing.timeBasedCanary.canaryInterval };
  }
  if (routing?.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
    return { strategy: 'LINEAR', stepPercent: routing.timeBasedLinear.linearPercentage, stepBakeTimeInMinutes: routing.timeBasedLinear.linearInterval };
  }
  if (routing?.type === 'AllAtOnce') return { strategy: 'BLUE_GREEN' };
  return undefined;
}

/** `CANARY: 10% for 5 min, then the rest`. */
export function describeStrategy(s: EcsStrategy): string {
  switch (s.strategy) {
    case 'LINEAR': return `LINEAR: ${s.stepPercent}% every ${s.stepBakeTimeInMinutes} min`;
    case 'CANARY': return `CANARY: ${s.canaryPercent}% for ${s.canaryBakeTimeInMinutes} min, then the rest`;
    default: return 'BLUE_GREEN: all traffic at once';
  }
}
