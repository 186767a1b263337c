// ECS's ranges that the CodeDeploy mapping and the constructs check against (ECS API reference,
// DeploymentConfiguration and CapacityProviderStrategyItem). No aws-cdk-lib here: the operator
// CLI bundles this folder.

/** Bake time, step bake time and canary bake time: 0–1440 minutes. */
export const MAX_BAKE_MINUTES = 1440;

/**
 * A lifecycle hook's timeout (`TimeoutConfiguration.TimeoutInMinutes`, also a PAUSE hook's wait):
 * 1–20160 minutes, 1440 when not set (ECS API reference, DeploymentLifecycleHook and
 * HookTimeoutConfiguration).
 */
export const MAX_HOOK_TIMEOUT_MINUTES = 20160;
export const DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

/** LINEAR moves at least 3% of production traffic per step. */
export const MIN_LINEAR_STEP_PERCENT = 3;

/** `CapacityProviderStrategyItem.Base`: 0–100000. */
export const MAX_CAPACITY_BASE = 100000;

/** `CapacityProviderStrategyItem.Weight`: 0–1000. */
export const MAX_CAPACITY_WEIGHT = 1000;
