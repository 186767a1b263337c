import { Fn, Token } from 'aws-cdk-lib';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import type { RoutingBindContext } from './bind-contract';
import type { TestTrafficHeader } from './options';
import { VpcLatticeCondition } from './vpc-lattice-condition';
import type { VpcLatticeRoutingOptions } from './vpc-lattice-options';
import { BlueGreenValidationError } from '../../errors';

// Checks of a VPC Lattice routing's options, listeners and conditions as VPC Lattice accepts them.

/** Lattice rule priorities (CreateRule): 1–100. */
export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 100;
/** AWS::VpcLattice::Rule HttpMatch: at most 5 header matches. */
const MAX_HEADER_MATCHES = 5;
/** AWS::VpcLattice::Rule HttpMatch.Method allowed values. */
const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'TRACE'];
/** AWS::VpcLattice::Rule HeaderMatch name: an RFC 7230 token of at most 40 characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/;
/** AWS::VpcLattice::Rule HeaderMatchType and PathMatchType values: 1–128 characters. */
const MAX_MATCH_VALUE_LENGTH = 128;
const TARGET_PROTOCOLS = ['HTTP', 'HTTPS'];
const PROTOCOL_VERSIONS = ['HTTP1', 'HTTP2', 'GRPC'];
const AUTH_TYPES = ['AWS_IAM', 'NONE'];
/** Lattice listener protocols whose listeners take rules (TLS_PASSTHROUGH listeners have only a default action). */
const RULE_LISTENER_PROTOCOLS = ['HTTP', 'HTTPS'];

/** Where a rule goes: the listener and service identifiers CreateRule needs. */
export interface ListenerRef {
  readonly listenerIdentifier: string;
  readonly serviceIdentifier: string;
  /** The listener's ARN (scopes the live-weights reader's Lattice reads). */
  readonly arn: string;
  /** A listener of this app, whose protocol is checked. */
  readonly cfn?: vpclattice.CfnListener;
  readonly port?: number;
  readonly scheme?: string;
}

export function validateOptions(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions): void {
  const scope = ctx.scope;
  const prop = ctx.prop;
  if (o.listener && o.listenerArn) {
    throw new BlueGreenValidationError(scope, `${prop}.listenerArn`, 'use either listener or listenerArn, not both');
  }
  const tests = [o.testHeader && 'testHeader', o.testListener && 'testListener', o.testListenerArn && 'testListenerArn'].filter(Boolean);
  if (tests.length > 1) {
    throw new BlueGreenValidationError(scope, `${prop}.${tests[1]}`, `use one of testHeader, testListener and testListenerArn, got ${tests.join(' and ')}`);
  }
  const created = !o.listener && !o.listenerArn;
  if (!created) {
    for (const [name, value] of [['serviceNetworkIdentifier', o.serviceNetworkIdentifier], ['authType', o.authType], ['listenerPort', o.listenerPort]] as const) {
      if (value !== undefined) {
        throw new BlueGreenValidationError(scope, `${prop}.${name}`,
          'applies to the Lattice service created for you only; with listener or listenerArn, configure your own service');
      }
    }
  } else if (o.latticeService) {
    throw new BlueGreenValidationError(scope, `${prop}.latticeService`, 'needs listener or listenerArn (one of the service\'s listeners); without them a service is created for you');
  }
  oneOf(ctx, 'authType', o.authType, AUTH_TYPES);
  oneOf(ctx, 'targetProtocol', o.targetProtocol, TARGET_PROTOCOLS);
  oneOf(ctx, 'protocolVersion', o.protocolVersion, PROTOCOL_VERSIONS);
  if ((o.targetProtocol ?? 'HTTP') === 'HTTP' && o.protocolVersion === 'GRPC') {
    throw new BlueGreenValidationError(scope, `${prop}.protocolVersion`, 'GRPC needs targetProtocol HTTPS (VPC Lattice gRPC target groups use HTTPS)');
  }
}

function oneOf(ctx: RoutingBindContext, name: string, value: string | undefined, allowed: string[]): void {
  if (value === undefined || Token.isUnresolved(value) || allowed.includes(value)) return;
  throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.${name}`, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/** The identifiers of a listener given as an L1 resource or an ARN. */
export function listenerRef(ctx: RoutingBindContext, prop: string, cfn: vpclattice.CfnListener | undefined, arn: string | undefined): ListenerRef {
  if (cfn) {
    if (cfn.protocol !== undefined && !Token.isUnresolved(cfn.protocol) && !RULE_LISTENER_PROTOCOLS.includes(cfn.protocol)) {
      throw new BlueGreenValidationError(ctx.scope, prop,
        `is a ${cfn.protocol} listener; VPC Lattice listener rules, which ECS shifts, exist on HTTP and HTTPS listeners only`);
    }
    if (!cfn.serviceIdentifier) {
      throw new BlueGreenValidationError(ctx.scope, prop, 'names no serviceIdentifier; the rules need the listener\'s Lattice service');
    }
    const port = cfn.port ?? (cfn.protocol === 'HTTPS' ? 443 : 80);
    return { listenerIdentifier: cfn.attrId, serviceIdentifier: cfn.serviceIdentifier, arn: cfn.attrArn, cfn, port, scheme: cfn.protocol === 'HTTPS' ? 'https' : 'http' };
  }
  const listenerArn = arn!;
  if (Token.isUnresolved(listenerArn)) {
    // arn:<partition>:vpc-lattice:<region>:<account>:service/<service id>/listener/<listener id>
    const parts = Fn.split('/', listenerArn, 4);
    return { listenerIdentifier: Fn.select(3, parts), serviceIdentifier: Fn.select(1, parts), arn: listenerArn };
  }
  const match = /^arn:[a-z-]+:vpc-lattice:[a-z0-9-]+:\d{12}:service\/(svc-[0-9a-z]+)\/listener\/(listener-[0-9a-z]+)$/.exec(listenerArn);
  if (!match) {
    throw new BlueGreenValidationError(ctx.scope, prop,
      `must be a VPC Lattice listener ARN (arn:aws:vpc-lattice:<region>:<account>:service/svc-.../listener/listener-...), got ${JSON.stringify(listenerArn.slice(0, 200))}`);
  }
  return { listenerIdentifier: match[2], serviceIdentifier: match[1], arn: listenerArn };
}

export function sameListener(a: ListenerRef, b: ListenerRef, o: VpcLatticeRoutingOptions): boolean {
  if (o.listener && o.testListener) return o.listener === o.testListener;
  return !Token.isUnresolved(a.listenerIdentifier) && a.listenerIdentifier === b.listenerIdentifier;
}

export function validateTestHeader(ctx: RoutingBindContext, header: TestTrafficHeader): void {
  if (!header.name || !header.value) {
    throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.testHeader`, 'needs a non-empty name and value');
  }
}

/** Checks conditions as VPC Lattice accepts them (AWS::VpcLattice::Rule HttpMatch). */
export function validateConditions(ctx: RoutingBindContext, prop: string, conditions: VpcLatticeCondition[], what: string): void {
  const scope = ctx.scope;
  conditions.forEach((c, i) => {
    if (!(c instanceof VpcLatticeCondition)) {
      throw new BlueGreenValidationError(scope, `${prop}[${i}]`, 'must be a VpcLatticeCondition, e.g. VpcLatticeCondition.pathPrefix(\'/api\')');
    }
  });
  if (conditions.length === 0) {
    throw new BlueGreenValidationError(scope, prop, `${what} needs at least one condition (VPC Lattice rules match on path, headers or method)`);
  }
  const count = (field: string) => conditions.filter((c) => c._field === field).length;
  if (count('path') > 1) throw new BlueGreenValidationError(scope, prop, `${what} has ${count('path')} path conditions; a VPC Lattice rule matches one path`);
  if (count('method') > 1) throw new BlueGreenValidationError(scope, prop, `${what} has ${count('method')} method conditions; a VPC Lattice rule matches one method`);
  if (count('header') > MAX_HEADER_MATCHES) {
    throw new BlueGreenValidationError(scope, prop, `${what} has ${count('header')} header conditions; a VPC Lattice rule matches at most ${MAX_HEADER_MATCHES}`);
  }
  const headerNames = new Set<string>();
  for (const c of conditions) {
    if (Token.isUnresolved(c._value)) continue;
    if (c._field === 'method') {
      if (!METHODS.includes(c._value)) {
        throw new BlueGreenValidationError(scope, prop, `method must be one of ${METHODS.join(', ')} (upper case), got ${JSON.stringify(c._value)}`);
      }
      continue;
    }
    if (c._value.length < 1 || c._value.length > MAX_MATCH_VALUE_LENGTH) {
      throw new BlueGreenValidationError(scope, prop, `${c._field} values must have 1–${MAX_MATCH_VALUE_LENGTH} characters, got ${c._value.length}`);
    }
    if (c._field === 'path' && !c._value.startsWith('/')) {
      throw new BlueGreenValidationError(scope, prop, `paths must start with /, got ${JSON.stringify(c._value)}`);
    }
    if (c._field === 'header' && c._headerName !== undefined && !Token.isUnresolved(c._headerName)) {
      if (!HEADER_NAME.test(c._headerName)) {
        throw new BlueGreenValidationError(scope, prop,
          `header names must be HTTP header names of at most 40 characters (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(c._headerName.slice(0, 60))}`);
      }
      const key = c._headerName.toLowerCase();
      if (headerNames.has(key)) {
        throw new BlueGreenValidationError(scope, prop, `${what} matches header ${c._headerName} twice; a request carries one value per header name here`);
      }
      headerNames.add(key);
    }
  }
}
