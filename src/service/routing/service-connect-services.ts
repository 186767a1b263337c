import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../../errors';
import { integerInRange } from '../../private/validate';

/** What the Service Connect routing knows when it lists the services it advertises. */
export interface ServiceConnectServicesContext {
  readonly scope: IConstruct;
  /** The prop holding the routing, for errors (e.g. `routing`). */
  readonly prop: string;
  readonly taskDefinition: ecs.TaskDefinition;
}

/**
 * Validates the extra Service Connect services of a routing and returns the whole list, the
 * routing's own service first. ECS identifies each service by its discovery name (the port mapping
 * name by default) in the namespace, and each client alias (DNS name and port) must be unique in the
 * namespace too, so duplicates within the service are refused here rather than by the deployment.
 * @internal
 */
export function serviceConnectServices(ctx: ServiceConnectServicesContext, first: ecs.ServiceConnectService,
  additional: ecs.ServiceConnectService[] | undefined): ecs.ServiceConnectService[] {
  const services = [first];
  (additional ?? []).forEach((svc, i) => {
    const prop = `${ctx.prop}.additionalServices[${i}]`;
    if (svc === undefined || svc === null || typeof svc.portMappingName !== 'string' || svc.portMappingName === '') {
      throw new BlueGreenValidationError(ctx.scope, prop, 'must be a Service Connect service with a portMappingName, e.g. { portMappingName: \'admin\' }');
    }
    if (!ctx.taskDefinition.findPortMappingByName(svc.portMappingName)) {
      throw new BlueGreenValidationError(ctx.scope, `${prop}.portMappingName`,
        `'${svc.portMappingName}' is not a named port mapping of any container of the task definition; named mappings: ${mappingNames(ctx.taskDefinition)}`);
    }
    if (svc.port !== undefined) integerInRange(ctx.scope, `${prop}.port`, svc.port, 1, 65535);
    services.push(svc);
  });
  rejectDuplicates(ctx, services, 'discovery name', (s) => s.discoveryName ?? s.portMappingName);
  rejectDuplicates(ctx, services, 'client alias', (s) => s.dnsName === undefined ? undefined : `${s.dnsName}:${s.port ?? portOf(ctx, s)}`);
  return services;
}

function portOf(ctx: ServiceConnectServicesContext, svc: ecs.ServiceConnectService): number | undefined {
  return ctx.taskDefinition.findPortMappingByName(svc.portMappingName)?.containerPort;
}

function rejectDuplicates(ctx: ServiceConnectServicesContext, services: ecs.ServiceConnectService[], what: string,
  key: (s: ecs.ServiceConnectService) => string | undefined): void {
  const seen = new Set<string>();
  for (const svc of services) {
    const k = key(svc);
    if (k === undefined) continue;
    if (seen.has(k)) {
      throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.additionalServices`,
        `${what} '${k}' is used by two Service Connect services of this service; each must be unique in the namespace`);
    }
    seen.add(k);
  }
}

function mappingNames(taskDefinition: ecs.TaskDefinition): string {
  const names = taskDefinition.node.findAll()
    .filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition)
    .flatMap((c) => c.portMappings.map((m) => m.name))
    .filter((n): n is string => n !== undefined);
  return names.length > 0 ? names.join(', ') : 'none';
}
