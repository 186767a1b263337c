import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { HookTestEndpoint } from './hook-facts';
import type { LifecycleHookFunction } from './lifecycle-hook-function';
import { BlueGreenValidationError } from '../errors';

/** Where the smoke test sends its requests, and with which Host header / TLS server name. */
export interface SmokeTarget {
  readonly url: string;
  readonly hostHeader?: string;
}

/**
 * Decides at synth time where the smoke test of a service sends its requests, from the facts the
 * service gives about its test listener, and whether they can arrive:
 *  - an internal load balancer is reached from the function's VPC (the function is admitted
 *    through the load balancer's security groups);
 *  - an internet-facing one only on a listener open to any address: its DNS name resolves to
 *    public addresses, so requests from the VPC leave through NAT and arrive from the NAT
 *    gateway's public address, which no rule naming the function's security group matches;
 *  - HTTPS (and NLB TLS) needs a host name the certificate covers: the load balancer's DNS name is
 *    never one;
 *  - the test rule's host and path conditions must match the requests.
 * Where a setup cannot work, the error names the fixes. Facts that are unknown (imported load
 * balancers and security groups) are not held against the setup.
 * @internal
 */
export function smokeTarget(scope: Construct, fnId: string, fn: LifecycleHookFunction, endpoint: HookTestEndpoint,
  options: { hostHeader?: string; path?: string }): SmokeTarget {
  const prop = 'httpSmokeTest';
  const where = `${fnId} tests ${endpoint.scheme}://<load balancer>:${endpoint.port}`;
  if (endpoint.scheme === 'none') {
    throw new BlueGreenValidationError(scope, `${prop}.url`, `${where}, a UDP listener, which HTTP requests cannot test; set url to an HTTP endpoint of the service`);
  }
  const hostHeader = options.hostHeader ?? defaultHost(endpoint.hostNames);
  if (endpoint.hostNames && !Token.isUnresolved(hostHeader)) {
    if (hostHeader === undefined) {
      throw new BlueGreenValidationError(scope, `${prop}.hostHeader`,
        `${where}, whose rule matches only the hosts ${endpoint.hostNames.join(', ')}; set hostHeader to a host name they match`);
    }
    if (!endpoint.hostNames.some((p) => wildcardMatch(p, hostHeader, true))) {
      throw new BlueGreenValidationError(scope, `${prop}.hostHeader`,
        `${hostHeader} does not match the test rule's host condition (${endpoint.hostNames.join(', ')}): requests would reach the listener's default action, not green`);
    }
  }
  if (endpoint.scheme === 'https' && hostHeader === undefined) {
    throw new BlueGreenValidationError(scope, `${prop}.hostHeader`,
      `${where}, an HTTPS listener: its certificate does not cover the load balancer's DNS name, so TLS verification would fail every request; ` +
      'set hostHeader to a name the certificate covers (e.g. api.example.com): it is sent as the TLS server name and the Host header');
  }
  const path = (options.path ?? '/').split('?')[0];
  if (endpoint.pathPatterns && !Token.isUnresolved(path) && !endpoint.pathPatterns.some((p) => wildcardMatch(p, path, false))) {
    throw new BlueGreenValidationError(scope, `${prop}.path`,
      `${path} does not match the test rule's path condition (${endpoint.pathPatterns.join(', ')}); set path to one it matches`);
  }
  if (endpoint.otherConditions && endpoint.otherConditions.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:smoke-test-conditions',
      `The test rule also matches on ${endpoint.otherConditions.join(', ')}, which ${fnId}'s requests may not satisfy; ` +
      'if they do not, they reach the listener\'s default action instead of green. Check the rule, or set url.');
  }
  admit(scope, prop, where, fn, endpoint);
  return { url: `${endpoint.scheme}://${endpoint.dnsName}:${endpoint.port}`, hostHeader };
}

/** Checks that the function's requests can arrive, and admits it through the load balancer's security groups. */
function admit(scope: Construct, prop: string, where: string, fn: LifecycleHookFunction, endpoint: HookTestEndpoint): void {
  const inVpc = fn.vpc !== undefined;
  if (endpoint.internetFacing === false) {
    if (!inVpc) {
      throw new BlueGreenValidationError(scope, `${prop}.vpc`,
        `${where} on an internal load balancer, which only its VPC reaches, and the function runs outside any VPC; ` +
        'pass the load balancer\'s VPC: httpSmokeTest(scope, id, { vpc })');
    }
    // Same VPC object, or the same imported VPC ID (a token is the same string for the same VPC).
    if (endpoint.vpc && endpoint.vpc.vpcId !== fn.vpc!.vpcId) {
      Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:smoke-test-vpc',
        `${where} on an internal load balancer in another VPC than the function's; requests arrive only if the VPCs are connected (peering, transit gateway).`);
    }
    endpoint.connections?.allowFrom(fn, ec2.Port.tcp(endpoint.port), 'ECS lifecycle hook smoke test');
    return;
  }
  if (endpoint.internetFacing === true && endpoint.openToInternet === false) {
    const why = inVpc
      ? 'the load balancer is internet-facing, so its DNS name resolves to public addresses: from the VPC the requests leave through NAT ' +
        'and arrive from the NAT gateway\'s public address, which no rule for the function\'s security group matches'
      : 'the function runs outside the VPC, so its requests come from the internet';
    throw new BlueGreenValidationError(scope, `${prop}.url`,
      `${where}, a listener that admits no traffic from the internet, and ${why}. Fixes: test through the production listener with ` +
      'routing testHeader (open to clients already); or put test traffic on an internal load balancer and run the smoke test in its VPC ' +
      '(httpSmokeTest({ vpc })); or admit the NAT gateways\' addresses on the test port yourself and set url (the check is then yours)');
  }
  if (inVpc) endpoint.connections?.allowFrom(fn, ec2.Port.tcp(endpoint.port), 'ECS lifecycle hook smoke test');
}

/** The first host name of a host condition that is a name rather than a pattern. */
function defaultHost(hostNames: string[] | undefined): string | undefined {
  return hostNames?.find((h) => !/[*?]/.test(h));
}

/** ALB condition patterns: `*` matches any characters, `?` one; host names ignore case. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`,
    ignoreCase ? 'i' : '');
  return regex.test(value);
}
