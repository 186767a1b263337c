import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './bind-contract';
import type { ServiceConnectRoutingOptions } from './options';
import { serviceConnectServices } from './service-connect-services';
import { BlueGreenValidationError } from '../../errors';
import { integerInRange } from '../../private/validate';

/** `TrafficRouting.serviceConnect()`: ECS shifts the Service Connect proxies' traffic. @internal */
export class ServiceConnectRouting implements RoutingKind {
  constructor(private readonly options: ServiceConnectRoutingOptions) {}

  public _kind(): string {
    return 'service-connect';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    const o = this.options;
    const scope = ctx.scope;
    const namespace = o.namespace ?? ctx.cluster.defaultCloudMapNamespace?.namespaceName;
    if (!namespace) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.namespace`,
        'Service Connect needs a Cloud Map namespace: pass routing.namespace or give the cluster a default namespace (cluster.addDefaultCloudMapNamespace)');
    }
    const mapping = ctx.container.portMappings.find((m) => m.name === o.portMappingName);
    if (!mapping) {
      const names = ctx.container.portMappings.map((m) => m.name).filter((n) => n !== undefined);
      throw new BlueGreenValidationError(scope, `${ctx.prop}.portMappingName`,
        `'${o.portMappingName}' is not a named port mapping of container ${ctx.container.containerName}; named mappings: ${names.length ? names.join(', ') : 'none'}`);
    }
    if (o.testTrafficHeader && (!o.testTrafficHeader.name || !o.testTrafficHeader.value)) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testTrafficHeader`, 'needs a non-empty name and value');
    }
    const port = o.port === undefined ? mapping.containerPort : integerInRange(scope, `${ctx.prop}.port`, o.port, 1, 65535);
    return {
      networkLoadBalancer: false,
      serviceConnect: {
        namespace,
        services: serviceConnectServices(ctx, { portMappingName: o.portMappingName, dnsName: o.dnsName, port }, o.additionalServices),
      },
      serviceConnectTestTrafficRules: o.testTrafficHeader
        ? { Header: { Name: o.testTrafficHeader.name, Value: { Exact: o.testTrafficHeader.value } } }
        : undefined,
      testHeader: o.testTrafficHeader,
    };
  }
}
