import { Lazy, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { RoutingBindContext } from './bind-contract';
import type { VpcLatticeCondition } from './vpc-lattice-condition';
import { BlueGreenValidationError } from '../../errors';
import type { HookTestEndpoint } from '../../hooks/hook-facts';

// How a VPC Lattice routing renders its rules' actions and matches, the service's
// VpcLatticeConfigurations entry, and its test endpoint.

/**
 * A forward to blue and green (by ID) with their weights, as ECS expects both target groups in the
 * rule. VPC Lattice takes weights of 0–999 and at most two target groups in a forward (VPC Lattice
 * User Guide, "Listener rules for your VPC Lattice service"; VPC Lattice API Reference,
 * ForwardAction); cfn-lint 1.58's AWS::VpcLattice::Rule schema allows 0–999 too.
 */
export function forwardTo(blueId: string, greenId: string, blueWeight: number, greenWeight: number): vpclattice.CfnRule.ActionProperty {
  return {
    forward: { targetGroups: [{ targetGroupIdentifier: blueId, weight: blueWeight }, { targetGroupIdentifier: greenId, weight: greenWeight }] },
  };
}

export function renderMatch(conditions: VpcLatticeCondition[]): vpclattice.CfnRule.HttpMatchProperty {
  const path = conditions.find((c) => c._field === 'path');
  const method = conditions.find((c) => c._field === 'method');
  const headers = conditions.filter((c) => c._field === 'header');
  return {
    pathMatch: path ? { match: path._match, caseSensitive: path._caseSensitive } : undefined,
    method: method?._value,
    headerMatches: headers.length > 0
      ? headers.map((h) => ({ name: h._headerName!, match: h._match, caseSensitive: h._caseSensitive }))
      : undefined,
  };
}

/** The service's VpcLatticeConfigurations entry, appended to what the L1 already has. */
export interface LatticeEntry {
  readonly portName: string;
  readonly roleArn: string;
  readonly targetGroupArn: string;
  readonly alternateTargetGroupArn: string;
  readonly productionListenerRule: string;
  readonly testListenerRule?: string;
}

export function renderVpcLatticeConfiguration(ctx: RoutingBindContext, cfn: ecs.CfnService, e: LatticeEntry): void {
  const existing = cfn.vpcLatticeConfigurations;
  if (existing !== undefined && !Array.isArray(existing)) {
    throw new BlueGreenValidationError(ctx.scope, ctx.prop,
      'the service\'s VpcLatticeConfigurations is a token; this routing appends its entry to a list, so set them as a list');
  }
  const list = [...(existing ?? [])];
  const index = list.length;
  list.push({ portName: e.portName, roleArn: e.roleArn, targetGroupArn: e.targetGroupArn });
  cfn.vpcLatticeConfigurations = list;
  // aws-cdk-lib 2.257's VpcLatticeConfigurationProperty has no AdvancedConfiguration.
  cfn.addPropertyOverride(`VpcLatticeConfigurations.${index}.AdvancedConfiguration`, Lazy.any({
    produce: () => ({
      AlternateTargetGroupArn: e.alternateTargetGroupArn,
      ProductionListenerRule: e.productionListenerRule,
      TestListenerRule: e.testListenerRule,
    }),
  }));
}

/**
 * The Lattice test route as a hook test endpoint: reachable from VPCs associated with the service
 * network (no security group of ours in front of it), path conditions as ALB-style patterns.
 */
export function latticeTestEndpoint(ctx: RoutingBindContext, dnsName: string, port: number, scheme: string,
  conditions: VpcLatticeCondition[], authType: string | undefined): HookTestEndpoint {
  const path = conditions.find((c) => c._field === 'path');
  const other = conditions.filter((c) => c._field !== 'path').map((c) => (c._field === 'method' ? 'http-request-method' : `http-header ${c._headerName}`));
  if (authType === undefined || Token.isUnresolved(authType) || authType === 'AWS_IAM') {
    other.push('VPC Lattice AWS_IAM auth (requests must be SigV4-signed and allowed by the auth policy)');
  }
  return {
    scheme,
    dnsName,
    port,
    internetFacing: false,
    openToInternet: false,
    vpc: ctx.cluster.vpc,
    pathPatterns: path && !Token.isUnresolved(path._value) ? [path._match.prefix !== undefined ? `${path._value}*` : path._value] : undefined,
    otherConditions: other.length > 0 ? other : undefined,
  };
}
