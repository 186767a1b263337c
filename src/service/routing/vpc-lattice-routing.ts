import { Fn, Lazy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { BlueGreenValidationError } from '../../errors';
import type { HookTestEndpoint } from '../../hooks/hook-facts';
import { integerInRange } from '../../private/validate';
import { LiveWeights } from '../../routing/live-weights';
import type { RoutingBindContext, RoutingBindResult, TestTrafficHeader } from '../traffic-routing';

/**
 * One match condition of a VPC Lattice listener rule: the request path, a request header, or the
 * HTTP method. A rule matches when all its conditions do.
 */
export class VpcLatticeCondition {
  /** Requests whose path starts with `prefix` (e.g. `/api`). */
  public static pathPrefix(prefix: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('path', { prefix }, caseSensitive, prefix);
  }

  /** Requests whose path is exactly `path`. */
  public static pathExact(path: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('path', { exact: path }, caseSensitive, path);
  }

  /** Requests carrying header `name` with exactly `value`. */
  public static header(name: string, value: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { exact: value }, caseSensitive, value, name);
  }

  /** Requests carrying header `name` whose value starts with `prefix`. */
  public static headerPrefix(name: string, prefix: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { prefix }, caseSensitive, prefix, name);
  }

  /** Requests carrying header `name` whose value contains `text`. */
  public static headerContains(name: string, text: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { contains: text }, caseSensitive, text, name);
  }

  /** Requests with this HTTP method (CONNECT, DELETE, GET, HEAD, OPTIONS, POST, PUT or TRACE). */
  public static method(method: string): VpcLatticeCondition {
    return new VpcLatticeCondition('method', {}, undefined, method);
  }

  /** @internal */
  public readonly _field: 'path' | 'header' | 'method';
  /** @internal */
  public readonly _match: { exact?: string; prefix?: string; contains?: string };
  /** @internal */
  public readonly _caseSensitive?: boolean;
  /** @internal */
  public readonly _value: string;
  /** @internal */
  public readonly _headerName?: string;

  private constructor(field: 'path' | 'header' | 'method', match: { exact?: string; prefix?: string; contains?: string },
    caseSensitive: boolean | undefined, value: string, headerName?: string) {
    this._field = field;
    this._match = match;
    this._caseSensitive = caseSensitive;
    this._value = value;
    this._headerName = headerName;
  }
}

/** Options of `TrafficRouting.vpcLattice()`. */
export interface VpcLatticeRoutingOptions {
  /**
   * The production listener of an existing VPC Lattice service (HTTP or HTTPS), as an L1
   * resource. It must name its service (`serviceIdentifier`). The production rule is added to it.
   * Mutually exclusive with `listenerArn`.
   * @default - `listenerArn`, or a Lattice service and HTTP listener created for the service
   */
  readonly listener?: vpclattice.CfnListener;

  /**
   * ARN of the production listener of an existing VPC Lattice service
   * (`arn:aws:vpc-lattice:<region>:<account>:service/svc-.../listener/listener-...`).
   * Mutually exclusive with `listener`.
   * @default - `listener`, or a Lattice service and HTTP listener created for the service
   */
  readonly listenerArn?: string;

  /**
   * The Lattice service that `listener` or `listenerArn` belongs to, for its DNS name
   * (`productionUrl`, `testUrl`, smoke tests). Ignored when the service is created for you.
   * @default - the URLs are unknown (an imported listener)
   */
  readonly latticeService?: vpclattice.CfnService;

  /**
   * Service network (ID or ARN) that the Lattice service created for you is associated with.
   * Clients reach the service from the VPCs associated with that network.
   * @default - the created service is not associated with a network (associate it yourself)
   */
  readonly serviceNetworkIdentifier?: string;

  /**
   * Auth type of the Lattice service created for you: `AWS_IAM` (requests are SigV4-signed and
   * checked against an auth policy) or `NONE`.
   * @default 'AWS_IAM'
   */
  readonly authType?: string;

  /**
   * Port of the HTTP listener created for you.
   * @default 80
   */
  readonly listenerPort?: number;

  /**
   * Conditions of the production rule. Services sharing a listener need distinct conditions and
   * priorities. At most one path and one method condition, and at most 5 header conditions.
   * @default - path prefix `/` (every request)
   */
  readonly conditions?: VpcLatticeCondition[];

  /**
   * Priority of the production rule on its listener, 1–100 (lower is evaluated first).
   * @default 100 - evaluated last
   */
  readonly priority?: number;

  /**
   * Test traffic on the production listener: requests carrying this header (exact value) reach
   * green. Mutually exclusive with `testListener` and `testListenerArn`.
   * @default - no header-based test traffic
   */
  readonly testHeader?: TestTrafficHeader;

  /**
   * A separate listener (e.g. another port of the same Lattice service) that reaches green before
   * production traffic moves. Mutually exclusive with `testHeader` and `testListenerArn`.
   * @default - no test listener
   */
  readonly testListener?: vpclattice.CfnListener;

  /**
   * ARN of a separate test listener. Mutually exclusive with `testHeader` and `testListener`.
   * @default - no test listener
   */
  readonly testListenerArn?: string;

  /**
   * Priority of the test rule, 1–100: on the test listener, or on the production listener when
   * `testHeader` is used (where it must be lower than `priority`, so it is evaluated first).
   * @default - `priority` on a test listener; `priority - 1` for a header rule
   */
  readonly testPriority?: number;

  /**
   * Protocol between VPC Lattice and the tasks: `HTTP` or `HTTPS`.
   * @default 'HTTP'
   */
  readonly targetProtocol?: string;

  /**
   * Protocol version of the target groups: `HTTP1`, `HTTP2` or `GRPC`.
   * @default 'HTTP1'
   */
  readonly protocolVersion?: string;

  /**
   * Health check of the blue and green target groups.
   * @default - VPC Lattice defaults (HTTP GET / on the traffic port)
   */
  readonly healthCheck?: vpclattice.CfnTargetGroup.HealthCheckConfigProperty;

  /**
   * Keep the target group ECS has moved the production and test rules to when a stack update
   * rewrites them (a change of conditions or priority, for example). After an odd number of
   * deployments ECS serves from green; a rule written as coded would forward to blue, the target
   * group ECS drained. With this on, the stack's live-weights reader (one custom resource per stack,
   * as for ALB rules) reads each rule with the VPC Lattice API whenever CloudFormation is about to
   * write it, and the rule is written forwarding to the target group it serves then. It refuses the
   * update while one of the service's deployments is under way, or while a rule splits traffic
   * between the two target groups (a template rule forwards to one).
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}

/** The VPC Lattice resources ECS manages for one service during its deployments. @internal */
export interface VpcLatticeResources {
  readonly targetGroupArns: string[];
  readonly ruleArns: string[];
}

/** What a Lattice routing adds to the bind result. @internal */
export interface VpcLatticeBinding {
  readonly blueTargetGroup: vpclattice.CfnTargetGroup;
  readonly greenTargetGroup: vpclattice.CfnTargetGroup;
  readonly productionRule: vpclattice.CfnRule;
  readonly testRule?: vpclattice.CfnRule;
  readonly latticeService?: vpclattice.CfnService;
}

/** Lattice rule priorities (CreateRule): 1–100. */
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 100;
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
const DEFAULT_PRIORITY = 100;
/**
 * VPC Lattice sends requests to targets from the link-local range of its managed prefix list
 * (`com.amazonaws.<region>.vpc-lattice`); the tasks admit it on the container port.
 */
const LATTICE_IPV4_RANGE = '169.254.171.0/24';

/** Where a rule goes: the listener and service identifiers CreateRule needs. */
interface ListenerRef {
  readonly listenerIdentifier: string;
  readonly serviceIdentifier: string;
  /** The listener's ARN (scopes the live-weights reader's Lattice reads). */
  readonly arn: string;
  /** A listener of this app, whose protocol is checked. */
  readonly cfn?: vpclattice.CfnListener;
  readonly port?: number;
  readonly scheme?: string;
}

/**
 * Binds a VPC Lattice routing: the blue and green IP target groups, the production rule (all
 * traffic to blue), the optional test rule, the Lattice service and listener when none is given, and the
 * service's `VpcLatticeConfigurations` entry with its AdvancedConfiguration (through a property
 * override: aws-cdk-lib 2.257's L1 has no AdvancedConfiguration).
 * @internal
 */
export function bindVpcLattice(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions): RoutingBindResult {
  const scope = ctx.scope;
  const prop = ctx.prop;
  validateOptions(ctx, o);
  const mapping = ctx.container.portMappings.find((m) => m.containerPort === ctx.containerPort);
  if (ctx.containerPort === 0 || !mapping) {
    throw new BlueGreenValidationError(scope, 'container',
      `container ${ctx.container.containerName} has no port mapping for VPC Lattice to reach; add one or set container`);
  }
  if (!mapping.name) {
    throw new BlueGreenValidationError(scope, 'container',
      `port ${ctx.containerPort} of container ${ctx.container.containerName} has no name; ECS registers a VPC Lattice target by port ` +
      'mapping name (VpcLatticeConfigurations[].PortName): add name to the port mapping, e.g. { containerPort: 80, name: \'web\' }');
  }
  if ((mapping.protocol ?? ecs.Protocol.TCP) !== ecs.Protocol.TCP) {
    throw new BlueGreenValidationError(scope, 'container',
      `port ${ctx.containerPort} of container ${ctx.container.containerName} is ${mapping.protocol}; VPC Lattice forwards HTTP(S) over TCP only`);
  }
  if (ctx.taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC) {
    throw new BlueGreenValidationError(scope, 'taskDefinition',
      `uses the ${ctx.taskDefinition.networkMode} network mode; VPC Lattice blue/green needs IP targets, i.e. the awsvpc network mode`);
  }
  const priority = integerInRange(scope, `${prop}.priority`, o.priority ?? DEFAULT_PRIORITY, MIN_PRIORITY, MAX_PRIORITY);
  const conditions = o.conditions ?? [VpcLatticeCondition.pathPrefix('/')];
  validateConditions(ctx, `${prop}.conditions`, conditions, 'the production rule');
  const testListenerGiven = o.testListener !== undefined || o.testListenerArn !== undefined;
  let testPriority: number | undefined;
  if (o.testHeader) {
    validateTestHeader(ctx, o.testHeader);
    validateConditions(ctx, `${prop}.conditions`, [...conditions, VpcLatticeCondition.header(o.testHeader.name, o.testHeader.value)],
      'the test header rule (routing.conditions plus the test header)');
    testPriority = o.testPriority ?? priority - 1;
    if (testPriority !== undefined && !Token.isUnresolved(testPriority)) {
      integerInRange(scope, `${prop}.testPriority`, testPriority, MIN_PRIORITY, MAX_PRIORITY,
        o.testPriority === undefined ? `(priority ${priority} leaves no lower priority for the test header rule; set priority to 2 or more, or set testPriority)` : undefined);
      if (!Token.isUnresolved(priority) && testPriority >= priority) {
        throw new BlueGreenValidationError(scope, `${prop}.testPriority`,
          `must be lower than the production rule's priority (${priority}) so the header rule is evaluated first, got ${testPriority}`);
      }
    }
  } else if (testListenerGiven) {
    testPriority = integerInRange(scope, `${prop}.testPriority`, o.testPriority ?? priority, MIN_PRIORITY, MAX_PRIORITY);
  }

  // The Lattice service and listener: the user's, or created here.
  let latticeService = o.latticeService;
  let production: ListenerRef;
  if (o.listener || o.listenerArn) {
    production = listenerRef(ctx, `${prop}.${o.listener ? 'listener' : 'listenerArn'}`, o.listener, o.listenerArn);
  } else {
    latticeService = new vpclattice.CfnService(scope, 'LatticeService', { authType: o.authType ?? 'AWS_IAM' });
    const port = integerInRange(scope, `${prop}.listenerPort`, o.listenerPort ?? 80, 1, 65535);
    const listener = new vpclattice.CfnListener(scope, 'LatticeListener', {
      serviceIdentifier: latticeService.attrId,
      protocol: 'HTTP',
      port,
      defaultAction: { fixedResponse: { statusCode: 404 } },
    });
    if (o.serviceNetworkIdentifier) {
      new vpclattice.CfnServiceNetworkServiceAssociation(scope, 'LatticeServiceNetworkAssociation', {
        serviceIdentifier: latticeService.attrId,
        serviceNetworkIdentifier: o.serviceNetworkIdentifier,
      });
    }
    production = { listenerIdentifier: listener.attrId, serviceIdentifier: latticeService.attrId, arn: listener.attrArn, cfn: listener, port, scheme: 'http' };
  }
  const test = testListenerGiven
    ? listenerRef(ctx, `${prop}.${o.testListener ? 'testListener' : 'testListenerArn'}`, o.testListener, o.testListenerArn)
    : undefined;
  if (test && sameListener(production, test, o)) {
    throw new BlueGreenValidationError(scope, `${prop}.testListener`,
      'must differ from the production listener; for test traffic on the production listener use testHeader');
  }

  const targetGroupProps = (): vpclattice.CfnTargetGroupProps => ({
    type: 'IP',
    config: {
      port: ctx.containerPort,
      protocol: o.targetProtocol ?? 'HTTP',
      protocolVersion: o.protocolVersion ?? 'HTTP1',
      ipAddressType: 'IPV4',
      vpcIdentifier: ctx.cluster.vpc.vpcId,
      healthCheck: o.healthCheck,
    },
  });
  const blue = new vpclattice.CfnTargetGroup(scope, 'BlueTargetGroup', targetGroupProps());
  const green = new vpclattice.CfnTargetGroup(scope, 'GreenTargetGroup', targetGroupProps());
  const preserve = o.preserveLiveWeights ?? true;
  const rule = (id: string, where: ListenerRef, rulePriority: number, ruleConditions: VpcLatticeCondition[]) => {
    const cfn = new vpclattice.CfnRule(scope, id, {
      serviceIdentifier: where.serviceIdentifier,
      listenerIdentifier: where.listenerIdentifier,
      priority: rulePriority,
      match: { httpMatch: renderMatch(ruleConditions) },
      // All traffic to blue. Green cannot be listed with weight 0: the AWS::VpcLattice::Rule schema
      // requires weights of 1–999 (the Lattice API itself accepts 0, which is what ECS writes when it
      // shifts); a forward with one target group sends it 100 %. ECS learns green from the service's
      // AdvancedConfiguration.AlternateTargetGroupArn.
      action: forwardTo(blue.attrId),
    });
    if (preserve) {
      // Once ECS has shifted, the rule serves green: a rewrite forwards to what it serves then.
      cfn.action = forwardTo(LiveWeights.of(scope).registerLattice({
        kind: 'lattice',
        resource: cfn,
        serviceIdentifier: where.serviceIdentifier,
        listenerIdentifier: where.listenerIdentifier,
        listenerArn: where.arn,
        priority: rulePriority,
        blueTargetGroupArn: blue.attrArn,
        greenTargetGroupArn: green.attrArn,
        cluster: ctx.cluster,
      }));
    }
    return cfn;
  };
  const productionRule = rule('ProductionRule', production, priority, conditions);
  let testRule: vpclattice.CfnRule | undefined;
  if (o.testHeader) {
    testRule = rule('TestRule', production, testPriority!, [...conditions, VpcLatticeCondition.header(o.testHeader.name, o.testHeader.value)]);
  } else if (test) {
    testRule = rule('TestRule', test, testPriority!, conditions);
  }

  // Lattice reaches the tasks from its link-local range.
  ctx.service.connections.allowFrom(ec2.Peer.ipv4(LATTICE_IPV4_RANGE), ec2.Port.tcp(ctx.containerPort), 'from VPC Lattice');

  const dnsName = latticeService?.attrDnsEntryDomainName;
  const url = (where: ListenerRef | undefined) => (dnsName && where?.port !== undefined
    ? `${where.scheme ?? 'http'}://${dnsName}:${where.port}` : undefined);
  const testWhere = o.testHeader ? production : test;
  const testUrl = testRule ? url(testWhere) : undefined;
  // A Lattice service's auth type defaults to NONE; the one created here to AWS_IAM.
  const authType = latticeService === undefined ? undefined
    : (o.listener || o.listenerArn) ? (latticeService.authType ?? 'NONE') : (o.authType ?? 'AWS_IAM');
  const cfnService = ctx.service.node.defaultChild as ecs.CfnService;
  const portName = mapping.name;

  return {
    networkLoadBalancer: false,
    vpcLattice: { blueTargetGroup: blue, greenTargetGroup: green, productionRule, testRule, latticeService },
    loadBalancer: {
      resources: {
        targetGroupArns: [],
        listenerRuleArns: [],
        listenerArns: [],
        latticeTargetGroupArns: [blue.attrArn, green.attrArn],
        latticeRuleArns: [productionRule.attrArn, ...(testRule ? [testRule.attrArn] : [])],
      },
      productionListenerRule: productionRule.attrArn,
      testListenerRule: testRule?.attrArn,
      attach: (roleArn) => renderVpcLatticeConfiguration(ctx, cfnService, {
        portName,
        roleArn,
        targetGroupArn: blue.attrArn,
        alternateTargetGroupArn: green.attrArn,
        productionListenerRule: productionRule.attrArn,
        testListenerRule: testRule?.attrArn,
      }),
    },
    productionUrl: url(production),
    testUrl,
    testHeader: o.testHeader,
    testEndpoint: testUrl && dnsName && testWhere?.port !== undefined
      ? latticeTestEndpoint(ctx, dnsName, testWhere.port, testWhere.scheme ?? 'http', conditions, authType)
      : undefined,
  };
}

function validateOptions(ctx: RoutingBindContext, o: VpcLatticeRoutingOptions): void {
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
  if (o.targetProtocol === 'HTTP' && o.protocolVersion === 'GRPC') {
    throw new BlueGreenValidationError(scope, `${prop}.protocolVersion`, 'GRPC needs targetProtocol HTTPS (VPC Lattice gRPC target groups use HTTPS)');
  }
}

function oneOf(ctx: RoutingBindContext, name: string, value: string | undefined, allowed: string[]): void {
  if (value === undefined || Token.isUnresolved(value) || allowed.includes(value)) return;
  throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.${name}`, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/** The identifiers of a listener given as an L1 resource or an ARN. */
function listenerRef(ctx: RoutingBindContext, prop: string, cfn: vpclattice.CfnListener | undefined, arn: string | undefined): ListenerRef {
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

function sameListener(a: ListenerRef, b: ListenerRef, o: VpcLatticeRoutingOptions): boolean {
  if (o.listener && o.testListener) return o.listener === o.testListener;
  return !Token.isUnresolved(a.listenerIdentifier) && a.listenerIdentifier === b.listenerIdentifier;
}

function validateTestHeader(ctx: RoutingBindContext, header: TestTrafficHeader): void {
  if (!header.name || !header.value) {
    throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.testHeader`, 'needs a non-empty name and value');
  }
}

/** Checks conditions as VPC Lattice accepts them (AWS::VpcLattice::Rule HttpMatch). */
function validateConditions(ctx: RoutingBindContext, prop: string, conditions: VpcLatticeCondition[], what: string): void {
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

/** A forward of all traffic to one target group (by ID). */
function forwardTo(targetGroupIdentifier: string): vpclattice.CfnRule.ActionProperty {
  return { forward: { targetGroups: [{ targetGroupIdentifier, weight: 1 }] } };
}

function renderMatch(conditions: VpcLatticeCondition[]): vpclattice.CfnRule.HttpMatchProperty {
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
interface LatticeEntry {
  readonly portName: string;
  readonly roleArn: string;
  readonly targetGroupArn: string;
  readonly alternateTargetGroupArn: string;
  readonly productionListenerRule: string;
  readonly testListenerRule?: string;
}

function renderVpcLatticeConfiguration(ctx: RoutingBindContext, cfn: ecs.CfnService, e: LatticeEntry): void {
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
function latticeTestEndpoint(ctx: RoutingBindContext, dnsName: string, port: number, scheme: string,
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
