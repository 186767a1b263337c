import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { BlueGreenEcsServiceProps } from './blue-green-ecs-service-props';
import { BlueGreenValidationError } from '../errors';
import { wholeSeconds } from '../private/validate';

/** ECS: at most 10 placement constraints per task, the task definition's included. */
const MAX_PLACEMENT_CONSTRAINTS = 10;
/** ECS: at most 5 placement strategy rules per service. */
const MAX_PLACEMENT_STRATEGIES = 5;
/** ECS: healthCheckGracePeriodSeconds is a 32-bit integer. */
const MAX_GRACE_SECONDS = 2147483647;
/** aws-cdk-lib renders one EBS volume per service (ECS allows one volume configured at launch per service). */
const MAX_SERVICE_VOLUMES = 1;

/** The pass-through props of ECS services that both launch types share. @internal */
export type CommonServiceOptions = Pick<ecs.BaseServiceOptions, 'healthCheckGracePeriod' | 'enableExecuteCommand' | 'propagateTags'
| 'enableECSManagedTags' | 'volumeConfigurations' | 'taskDefinitionRevision'>;

/**
 * Validates the props that aws-cdk-lib's Fargate and EC2 services take as they are, against what
 * ECS accepts for the launch type the task definition picks, and returns the shared ones.
 * Each check names the prop; the L2 renders the values.
 * @internal
 */
export function commonServiceOptions(scope: IConstruct, props: BlueGreenEcsServiceProps, fargate: boolean): CommonServiceOptions {
  if (props.healthCheckGracePeriod !== undefined) {
    wholeSeconds(scope, 'healthCheckGracePeriod', props.healthCheckGracePeriod, 0, MAX_GRACE_SECONDS);
  }
  if (!fargate && props.platformVersion !== undefined) {
    throw new BlueGreenValidationError(scope, 'platformVersion', 'is a Fargate setting; the task definition is not Fargate-compatible, so the service runs on EC2');
  }
  if (fargate && (props.placementConstraints?.length || props.placementStrategies?.length)) {
    throw new BlueGreenValidationError(scope, 'placementConstraints',
      'placement constraints and strategies apply to EC2 only: Fargate places tasks itself (use an EC2 task definition, or remove them)');
  }
  checkPlacementCounts(scope, props);
  checkVolumes(scope, props.volumeConfigurations);
  checkRebalancing(scope, props);
  return {
    healthCheckGracePeriod: props.healthCheckGracePeriod,
    enableExecuteCommand: props.enableExecuteCommand,
    propagateTags: props.propagateTags,
    enableECSManagedTags: props.enableECSManagedTags,
    volumeConfigurations: props.volumeConfigurations,
    taskDefinitionRevision: props.taskDefinitionRevision,
  };
}

function checkPlacementCounts(scope: IConstruct, props: BlueGreenEcsServiceProps): void {
  const own = (props.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined)?.placementConstraints;
  const ownCount = Array.isArray(own) ? own.length : 0;
  const constraints = (props.placementConstraints ?? []).reduce((n, c) => n + c.toJson().length, 0);
  if (constraints + ownCount > MAX_PLACEMENT_CONSTRAINTS) {
    throw new BlueGreenValidationError(scope, 'placementConstraints',
      `ECS allows at most ${MAX_PLACEMENT_CONSTRAINTS} placement constraints per task, the task definition's included; got ${constraints} plus ${ownCount}`);
  }
  const strategies = (props.placementStrategies ?? []).reduce((n, s) => n + s.toJson().length, 0);
  if (strategies > MAX_PLACEMENT_STRATEGIES) {
    throw new BlueGreenValidationError(scope, 'placementStrategies', `ECS allows at most ${MAX_PLACEMENT_STRATEGIES} placement strategy rules per service, got ${strategies}`);
  }
}

/**
 * EBS volumes configured at deployment: ECS-native blue/green deployments support them (the
 * CODE_DEPLOY controller does not), one per service as aws-cdk-lib renders them; the name must be a
 * task definition volume marked `configuredAtLaunch` (checked at synth, see volumeNameErrors).
 */
function checkVolumes(scope: IConstruct, volumes: ecs.ServiceManagedVolume[] | undefined): void {
  if (volumes && volumes.length > MAX_SERVICE_VOLUMES) {
    throw new BlueGreenValidationError(scope, 'volumeConfigurations',
      `a service configures at most ${MAX_SERVICE_VOLUMES} EBS volume at deployment, got ${volumes.length}`);
  }
  // ECS API reference, ServiceManagedEBSVolumeConfiguration.sizeInGiB: a volume needs a size or a
  // snapshot ID. aws-cdk-lib checks it only for a managedEBSVolume given to the constructor; a
  // ServiceManagedVolume without one renders a ManagedEBSVolume holding just its role.
  for (const v of volumes ?? []) {
    const config = v?.config;
    if (config?.size === undefined && config?.snapShotId === undefined) {
      throw new BlueGreenValidationError(scope, 'volumeConfigurations',
        `volume '${v?.name}' has neither a size nor a snapshot; ECS creates an EBS volume from one of them: ` +
        'give the ServiceManagedVolume managedEBSVolume: { size: Size.gibibytes(n) } or snapShotId');
    }
  }
}

/**
 * Availability Zone rebalancing moves tasks between zones, so ECS needs room to start one first
 * (maximumPercent above 100) and, on EC2, zone spread to stay the first placement rule.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html
 */
function checkRebalancing(scope: IConstruct, props: BlueGreenEcsServiceProps): void {
  if (props.availabilityZoneRebalancing !== ecs.AvailabilityZoneRebalancing.ENABLED) return;
  const max = props.maxHealthyPercent ?? 200;
  if (!Token.isUnresolved(max) && max <= 100) {
    throw new BlueGreenValidationError(scope, 'availabilityZoneRebalancing', `ENABLED needs maxHealthyPercent above 100, got ${max}`);
  }
  const first = props.placementStrategies?.[0]?.toJson()[0];
  if (first && !(first.type === 'spread' && first.field === 'attribute:ecs.availability-zone')) {
    throw new BlueGreenValidationError(scope, 'availabilityZoneRebalancing',
      `ENABLED needs an Availability Zone spread as first placement strategy (PlacementStrategy.spreadAcross(BuiltInAttributes.AVAILABILITY_ZONE)), got ${first.type} ${first.field ?? ''}`.trim());
  }
  const zoneConstraint = (props.placementConstraints ?? []).flatMap((c) => c.toJson()).find((c) => c.expression?.includes('attribute:ecs.availability-zone'));
  if (zoneConstraint) {
    throw new BlueGreenValidationError(scope, 'availabilityZoneRebalancing',
      `ENABLED cannot work with a placement constraint on attribute:ecs.availability-zone (${zoneConstraint.expression})`);
  }
}

/**
 * Errors for volume configurations whose name is no task definition volume configured at launch,
 * read from the rendered task definition (volumes may be added after the service).
 * @internal
 */
export function volumeNameErrors(scope: IConstruct, volumes: ecs.ServiceManagedVolume[] | undefined, rendered: any): BlueGreenValidationError[] {
  if (!volumes || volumes.length === 0) return [];
  const taskVolumes: any[] = Array.isArray(rendered?.Volumes) ? rendered.Volumes : [];
  const atLaunch = taskVolumes.filter((v) => v.ConfiguredAtLaunch === true).map((v) => v.Name);
  return volumes.filter((v) => !Token.isUnresolved(v.name) && !atLaunch.includes(v.name)).map((v) => new BlueGreenValidationError(scope, 'volumeConfigurations',
    `'${v.name}' is no volume of the task definition configured at launch ` +
    `(add it with taskDefinition.addVolume(volume)); volumes configured at launch: ${atLaunch.join(', ') || 'none'}`));
}
