// The CodeDeploy AppSpec hook events of an ECS deployment and the ECS lifecycle stage that takes
// each one's place.

/** The ECS lifecycle stages an AppSpec hook event can become (names of `LifecycleStage`). */
export type HookEventStage = 'PRE_SCALE_UP' | 'POST_SCALE_UP' | 'POST_TEST_TRAFFIC_SHIFT' | 'PRE_PRODUCTION_TRAFFIC_SHIFT'
| 'POST_PRODUCTION_TRAFFIC_SHIFT';

/** AppSpec hook events, in deployment order, and the ECS lifecycle stage each becomes. */
export const HOOK_EVENT_STAGES: Readonly<Record<string, HookEventStage>> = {
  BeforeInstall: 'PRE_SCALE_UP',
  AfterInstall: 'POST_SCALE_UP',
  AfterAllowTestTraffic: 'POST_TEST_TRAFFIC_SHIFT',
  // CodeDeploy ran BeforeAllowTraffic once, before production traffic moved: that is
  // PRE_PRODUCTION_TRAFFIC_SHIFT. PRODUCTION_TRAFFIC_SHIFT runs at every traffic step and again on rollback.
  BeforeAllowTraffic: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  AfterAllowTraffic: 'POST_PRODUCTION_TRAFFIC_SHIFT',
};

/** Why an event maps where it does, where that differs from a one-to-one reading of the names. */
export const HOOK_EVENT_NOTES: Readonly<Record<string, string>> = {
  BeforeAllowTraffic: 'runs once before production traffic moves, as BeforeAllowTraffic did (PRODUCTION_TRAFFIC_SHIFT would run ' +
    'at every traffic step and again on rollback; take it only for a hook that must run during the shift, and make it idempotent)',
};

/** Every AppSpec hook event of an ECS deployment, in deployment order. */
export function hookEvents(): string[] {
  return Object.keys(HOOK_EVENT_STAGES);
}

/** The ECS lifecycle stage of an AppSpec hook event; undefined for any other name. */
export function stageOfHookEvent(event: string): HookEventStage | undefined {
  return Object.prototype.hasOwnProperty.call(HOOK_EVENT_STAGES, event) ? HOOK_EVENT_STAGES[event] : undefined;
}
