import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HookTimeoutAction, LifecycleHookBindOptions } from './lifecycle-hook';
import type { LifecycleHookFunction, LifecycleHookFunctionProps } from './lifecycle-hook-function';

/**
 * Turns a hook's details into the ones rendered for one service, from what the service tells its
 * hooks (and validates that they fit the service).
 * @internal
 */
export type BindDetails = (details: { [key: string]: any }, bound: LifecycleHookBindOptions, scope: Construct,
  fn: LifecycleHookFunction) => { [key: string]: any };

/** Props of a LifecycleHookFunction with the ECS timeout its hooks default to. @internal */
export interface ReadyMadeProps extends LifecycleHookFunctionProps {
  readonly defaultTimeout?: Duration;
  readonly defaultOnTimeout?: HookTimeoutAction;
}

/** What a ready-made hook is made of: the function's props, its binding and its permissions. @internal */
export interface ReadyMadeSpec {
  readonly props: ReadyMadeProps;
  readonly bindDetails?: BindDetails;
  /** Adds the function's permissions once it exists. */
  readonly configure?: (fn: LifecycleHookFunction) => void;
}

/** Where the bundled handlers of the ready-made hooks are (assets/, built by `projen bundle`). @internal */
export function handlerAsset(name: string): string {
  return path.join(__dirname, '..', '..', 'assets', 'hooks', 'handlers', `${name}.lambda`);
}

/** ECS's longest hook timeout, for the ready-made hooks. @internal */
export { MAX_HOOK_TIMEOUT_MINUTES } from '../private/codedeploy/ecs-limits';

/**
 * Hooks that keep their own deadline answer this long before ECS's timeout would: ECS's timeout
 * is set this much later, as a backstop, so that the hook's own answer (logged, with the reason)
 * comes first. Their own deadline is therefore at most 20150 minutes. @internal
 */
export const BACKSTOP_MINUTES = 10;
