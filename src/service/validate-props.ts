import { IConstruct } from 'constructs';
import { BlueGreenEcsServiceProps } from './blue-green-ecs-service-props';
import { SERVICE_PROP_TYPES } from './service-prop-types';
import { checkProps } from '../private/prop-types';

/**
 * Checks what TypeScript would have checked, for JavaScript callers: required props, the type of
 * every prop (SERVICE_PROP_TYPES) and of the routings' options, each reported with the prop and
 * what it takes instead of a TypeError later on.
 * @internal
 */
export function checkServiceProps(scope: IConstruct, props: BlueGreenEcsServiceProps | undefined): void {
  checkProps(scope, '', props, SERVICE_PROP_TYPES);
  props!.routing._checkTypes(scope, 'routing');
  for (const [name, routing] of Object.entries(props!.additionalRouting ?? {})) routing._checkTypes(scope, `additionalRouting.${name}`);
}
