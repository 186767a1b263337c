import { VpcLatticeCondition } from './vpc-lattice-condition';
import { PropTable, PropType, T } from '../../private/prop-types';

/**
 * The runtime types of the routing options, one table per factory, checked (with the prop path
 * `routing.<option>` or `additionalRouting.<name>.<option>`) before the service uses a routing.
 * @internal
 */

const TEST_TRAFFIC_HEADER: PropType = T.props('a TestTrafficHeader ({ name, value })', {
  name: T.required(T.string),
  value: T.required(T.string),
});

const HEALTH_CHECK: PropType = T.object;

/** `TrafficRouting.applicationLoadBalancer()`. @internal */
export const ALB_OPTION_TYPES: PropTable = {
  listener: T.required(T.construct('an elbv2.IApplicationListener (e.g. alb.addListener(...))')),
  testListener: T.construct('an elbv2.IApplicationListener'),
  testHeader: TEST_TRAFFIC_HEADER,
  conditions: T.list(T.shape('an elbv2.ListenerCondition (e.g. ListenerCondition.pathPatterns([...]))', ['renderRawCondition'])),
  priority: T.number,
  testPriority: T.number,
  healthCheck: HEALTH_CHECK,
  targetProtocol: T.string,
  deregistrationDelay: T.duration,
  preserveLiveWeights: T.boolean,
};

/** `TrafficRouting.networkLoadBalancer()`. @internal */
export const NLB_OPTION_TYPES: PropTable = {
  listener: T.required(T.construct('an elbv2.NetworkListener (e.g. nlb.addListener(...))')),
  testListener: T.construct('an elbv2.NetworkListener'),
  healthCheck: HEALTH_CHECK,
  deregistrationDelay: T.duration,
  preserveLiveWeights: T.boolean,
};

/** `TrafficRouting.serviceConnect()`. @internal */
export const SERVICE_CONNECT_OPTION_TYPES: PropTable = {
  portMappingName: T.required(T.string),
  namespace: T.string,
  dnsName: T.string,
  port: T.number,
  testTrafficHeader: TEST_TRAFFIC_HEADER,
  additionalServices: T.list(T.props('an ecs.ServiceConnectService ({ portMappingName, ... })', {
    portMappingName: T.required(T.string),
    discoveryName: T.string,
    dnsName: T.string,
    port: T.number,
    perRequestTimeout: T.duration,
    idleTimeout: T.duration,
  })),
};

/** `TrafficRouting.vpcLattice()`. @internal */
export const VPC_LATTICE_OPTION_TYPES: PropTable = {
  listener: T.construct('a vpclattice.CfnListener'),
  listenerArn: T.string,
  latticeService: T.construct('a vpclattice.CfnService'),
  serviceNetworkIdentifier: T.string,
  authType: T.string,
  listenerPort: T.number,
  conditions: T.list(T.instance('a VpcLatticeCondition (e.g. VpcLatticeCondition.pathPrefix("/api"))', VpcLatticeCondition)),
  priority: T.number,
  testHeader: TEST_TRAFFIC_HEADER,
  testListener: T.construct('a vpclattice.CfnListener'),
  testListenerArn: T.string,
  testPriority: T.number,
  targetProtocol: T.string,
  protocolVersion: T.string,
  healthCheck: HEALTH_CHECK,
  preserveLiveWeights: T.boolean,
};

/** Headless routing takes no options. @internal */
export const NO_OPTION_TYPES: PropTable = {};
