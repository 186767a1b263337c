// The live-weights reader's guard against ECS deployments under way. The reader cannot reference
// the ECS services (each service waits for its rules, which wait for the reader), so it finds them
// through what it can reference: the cluster and the rules' target groups.
//
// From the ECS API reference:
// - ListServices (by cluster, up to 100 per page) and DescribeServices (up to 10 services per
//   call): a service's loadBalancers[] name its target group (targetGroupArn) and, for blue/green,
//   the alternate one (advancedConfiguration.alternateTargetGroupArn), a VPC Lattice service's
//   deployments[].vpcLatticeConfigurations[] name theirs the same way; deployments[].rolloutState
//   is IN_PROGRESS while a deployment of the ECS controller runs.
// - ListServiceDeployments (status filter): a service deployment is pending (PENDING) or ongoing
//   (IN_PROGRESS, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS) until it completes
//   (SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED); see "View service history using
//   Amazon ECS service deployments" in the ECS Developer Guide.
import type { ECSClient, Service, ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { call, paged } from '../../private/paging';
import { handlerClientConfig } from '../../private/retry';

// Loaded when an update needs the check: creates and deletes do not pay for the ECS client.
type Sdk = typeof import('@aws-sdk/client-ecs');

/** Service deployment states in which ECS may still move traffic. */
export const UNFINISHED_DEPLOYMENT_STATES: ServiceDeploymentStatus[] = [
  'PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS',
];

/** A deployment under way of a service behind the reader's rules. */
export interface InFlightDeployment {
  readonly cluster: string;
  readonly serviceName: string;
  readonly serviceArn: string;
  /** The service deployment's ARN, or the deployment ID DescribeServices reports. */
  readonly deployment: string;
  readonly status: string;
  readonly startedAt?: Date;
}

/** The clusters to look in, each with the target groups whose services matter. */
export type TargetGroupsByCluster = Map<string, Set<string>>;

/**
 * The deployments under way of the services behind `targetGroups`, cluster by cluster: those
 * DescribeServices reports IN_PROGRESS and those ListServiceDeployments lists in one of `states`.
 */
export async function inFlightDeployments(targetGroups: TargetGroupsByCluster,
  states: ServiceDeploymentStatus[] = UNFINISHED_DEPLOYMENT_STATES): Promise<InFlightDeployment[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk: Sdk = require('@aws-sdk/client-ecs');
  // Retries are done by withRetry (logged, and testable with mocked clients).
  const ecs = new sdk.ECSClient(handlerClientConfig());
  const found: InFlightDeployment[] = [];
  for (const [cluster, groups] of targetGroups) {
    for (const service of await servicesBehind(sdk, ecs, cluster, groups)) {
      if ((service.deploymentController?.type ?? 'ECS') !== 'ECS') continue; // CODE_DEPLOY, EXTERNAL: no ECS deployments
      found.push(...await deploymentsOf(sdk, ecs, cluster, service, states));
    }
  }
  return found;
}

async function servicesBehind(sdk: Sdk, ecs: ECSClient, cluster: string, groups: Set<string>): Promise<Service[]> {
  let arns: string[];
  try {
    arns = await paged(async (nextToken) => {
      const out = await ecs.send(new sdk.ListServicesCommand({ cluster, maxResults: 100, nextToken }));
      return { items: out.serviceArns, next: out.nextToken };
    });
  } catch (err) {
    if ((err as Error)?.name === 'ClusterNotFoundException') return []; // no cluster: no deployments
    throw err;
  }
  const services: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const out = await call(() => ecs.send(new sdk.DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10) })));
    services.push(...out.services ?? []);
  }
  // A VPC Lattice service names its target groups in its deployments' vpcLatticeConfigurations.
  return services.filter((s) => (s.loadBalancers ?? []).some((lb) =>
    groups.has(lb.targetGroupArn ?? '') || groups.has(lb.advancedConfiguration?.alternateTargetGroupArn ?? ''))
    || (s.deployments ?? []).some((d) => (d.vpcLatticeConfigurations ?? []).some((v) =>
      groups.has(v.targetGroupArn ?? '') || groups.has(v.advancedConfiguration?.alternateTargetGroupArn ?? ''))));
}

async function deploymentsOf(sdk: Sdk, ecs: ECSClient, cluster: string, service: Service,
  states: ServiceDeploymentStatus[]): Promise<InFlightDeployment[]> {
  const serviceName = service.serviceName ?? service.serviceArn ?? '';
  const serviceArn = service.serviceArn ?? serviceName;
  const found: InFlightDeployment[] = (service.deployments ?? [])
    .filter((d) => d.rolloutState === 'IN_PROGRESS')
    .map((d) => ({ cluster, serviceName, serviceArn, deployment: d.id ?? 'unknown', status: 'IN_PROGRESS', startedAt: d.createdAt }));
  // Lambda runtimes whose SDK predates ListServiceDeployments (ECS, 2025) have no such command.
  if (typeof sdk.ListServiceDeploymentsCommand !== 'function') {
    console.log(JSON.stringify({ message: 'ListServiceDeployments is not in this runtime\'s SDK; checked DescribeServices only', service: serviceArn }));
    return found;
  }
  try {
    const history = await paged(async (nextToken) => {
      const input = { cluster, service: serviceArn, status: states, nextToken };
      const out = await ecs.send(new sdk.ListServiceDeploymentsCommand(input));
      return { items: out.serviceDeployments, next: out.nextToken };
    });
    found.push(...history.map((d) => ({
      cluster, serviceName, serviceArn, deployment: d.serviceDeploymentArn ?? 'unknown', status: d.status ?? 'unknown', startedAt: d.startedAt ?? d.createdAt,
    })));
  } catch (err) {
    // Where ECS does not offer service deployments (yet), DescribeServices has answered.
    if (!['UnsupportedFeatureException', 'UnknownOperationException'].includes((err as Error)?.name)) throw err;
    console.log(JSON.stringify({ message: 'ListServiceDeployments is not available here; checked DescribeServices only', service: serviceArn, error: (err as Error).name }));
  }
  return found;
}
