import { IConstruct } from 'constructs';
import { MigrationOption, MigrationOptionKind, RoutingLayer, RoutingLayerKind } from './migration-option';
import { checkProps, PropTable, PropType, T } from '../private/prop-types';
import { ALARM, DEPLOYMENT_STRATEGY, LIFECYCLE_HOOK } from '../service/service-prop-types';

/**
 * The runtime types of the migration constructs' props and of the MigrationOption / RoutingLayer
 * factories' options (for JavaScript callers), checked before any of them is used.
 * @internal
 */

const SERVICE: PropType = T.required(T.construct('the ecs.BaseService (FargateService or Ec2Service) CodeDeploy deploys today'));
const LISTENER = (required: boolean): PropType => {
  const t = T.construct('an elbv2.ApplicationListener');
  return required ? T.required(t) : t;
};
const TARGET_GROUP: PropType = T.required(T.construct('an elbv2.ApplicationTargetGroup'));

/** `CodeDeployToEcsMigrationProps` (phase and option are checked by validatePhaseAndOption). @internal */
export const MIGRATION_PROP_TYPES: PropTable = {
  service: SERVICE,
  deploymentGroup: T.required(T.construct('the codedeploy.IEcsDeploymentGroup of the service')),
  productionListener: LISTENER(true),
  testListener: LISTENER(false),
  blueTargetGroup: TARGET_GROUP,
  greenTargetGroup: TARGET_GROUP,
  strategy: DEPLOYMENT_STRATEGY,
  hooks: T.list(LIFECYCLE_HOOK),
  alarms: T.list(ALARM),
  runningTaskDefinitionArn: T.string,
  rulePriority: T.number,
  cutoverPercent: T.number,
  planOutput: T.boolean,
};

/** `MigratedEcsServiceProps`. @internal */
export const MIGRATED_SERVICE_PROP_TYPES: PropTable = {
  service: SERVICE,
  productionListener: LISTENER(true),
  testListener: LISTENER(false),
  blueTargetGroup: TARGET_GROUP,
  greenTargetGroup: TARGET_GROUP,
  strategy: T.required(DEPLOYMENT_STRATEGY),
  hooks: T.list(LIFECYCLE_HOOK),
  alarms: T.list(ALARM),
  rulePriority: T.number,
  notifications: T.list(T.props('a DeploymentEventNotification ({ topic, eventNames?, description? })', {
    topic: T.required(T.construct('an sns.ITopic')),
    eventNames: T.list(T.string),
    description: T.string,
  })),
};

const EXISTING_LOAD_BALANCER_OPTION_TYPES: PropTable = {
  temporaryProductionPort: T.required(T.number),
  temporaryTestPort: T.number,
  parkingProductionPort: T.number,
  parkingTestPort: T.number,
};

const NEW_LOAD_BALANCER_OPTION_TYPES: PropTable = {
  routing: T.required(T.instance('a RoutingLayer (RoutingLayer.route53Weighted(...), cloudFrontOrigin(...) or apiGateway(...))', RoutingLayer)),
  testPort: T.number,
  securityGroups: T.list(T.construct('an ec2.ISecurityGroup')),
  conditions: T.list(T.shape('an elbv2.ListenerCondition', ['renderRawCondition'])),
};

const ROUTING_LAYER_OPTION_TYPES: Record<RoutingLayerKind, [keyof RoutingLayer, PropTable]> = {
  [RoutingLayerKind.ROUTE53_WEIGHTED]: ['route53', {
    zone: T.required(T.construct('a route53.IHostedZone')),
    recordName: T.required(T.string),
  }],
  [RoutingLayerKind.CLOUDFRONT_ORIGIN]: ['cloudFront', {
    distribution: T.required(T.construct('a cloudfront.Distribution')),
  }],
  [RoutingLayerKind.API_GATEWAY]: ['api', {
    httpApi: T.construct('an apigatewayv2.IHttpApi'),
    restApi: T.construct('an apigateway.RestApi'),
  }],
};

/**
 * Checks the settings of the migration's option, as `option.<setting>` (as the option's value
 * checks name them) and `option.routing.<setting>`. @internal
 */
export function checkOptionTypes(scope: IConstruct, option: MigrationOption): void {
  if (option.kind === MigrationOptionKind.NEW_SERVICE_EXISTING_LOAD_BALANCER) {
    checkProps(scope, 'option', option.existingLoadBalancer, EXISTING_LOAD_BALANCER_OPTION_TYPES);
  } else if (option.kind === MigrationOptionKind.NEW_SERVICE_NEW_LOAD_BALANCER) {
    checkProps(scope, 'option', option.newLoadBalancer, NEW_LOAD_BALANCER_OPTION_TYPES);
    const layer = option.newLoadBalancer!.routing;
    const [field, table] = ROUTING_LAYER_OPTION_TYPES[layer.kind] ?? [];
    if (table) checkProps(scope, 'option.routing', layer[field], table);
  }
}
