import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HTTP_SMOKE_TEST_OPTION_TYPES } from './hook-prop-types';
import { LifecycleStage } from './lifecycle-hook';
import { ReadyMadeSpec, handlerAsset } from './ready-made';
import { smokeTarget } from './smoke-test-target';
import { BlueGreenValidationError } from '../errors';
import { checkProps } from '../private/prop-types';
import { integerInRange, wholeMillis } from '../private/validate';

/** Options of `LifecycleHookFunction.httpSmokeTest()`. */
export interface HttpSmokeTestOptions {
  /**
   * Base URL to test. Given, it is used as is: the construct no longer checks that the function
   * can reach the service's test endpoint.
   * @default - the service's test endpoint (test listener, or the production listener with the test header), checked at synth time
   */
  readonly url?: string;

  /**
   * Host header of the requests, also sent as the TLS server name (SNI) and checked against the
   * certificate; the connection still goes to the URL's address. Needed for HTTPS listeners (whose
   * certificates never cover the load balancer's DNS name) and for rules with host conditions.
   * @default - the test rule's host name when its host condition has a literal one, else the URL's host
   */
  readonly hostHeader?: string;

  /**
   * Path requested on the URL.
   * @default '/'
   */
  readonly path?: string;

  /**
   * Acceptable status codes.
   * @default [200]
   */
  readonly expectedStatus?: number[];

  /**
   * Regular expression (JavaScript syntax) the body must match.
   * @default - the body is not checked
   */
  readonly bodyPattern?: string;

  /**
   * Number of requests, 1–1000.
   * @default 10
   */
  readonly requests?: number;

  /**
   * Slowest acceptable response, 1 ms to 60 s in whole milliseconds (the handler gives up on a
   * request after twice this time, and the function runs for at most 2 minutes).
   * @default - latency is not checked
   */
  readonly maxLatency?: Duration;

  /**
   * VPC to send the requests from: needed to reach an internal load balancer. The function is
   * admitted to the test listener through the load balancer's security groups.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Stage at which the test runs.
   * @default [LifecycleStage.POST_TEST_TRAFFIC_SHIFT]
   */
  readonly stages?: LifecycleStage[];
}

/** httpSmokeTest: the slowest acceptable response that fits in the function's 2-minute timeout. */
const MAX_SMOKE_LATENCY_MS = 60_000;
/** An HTTP Host header value: a host name or address, optionally with a port. */
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** The smoke test's function and its binding to each service. @internal */
export function httpSmokeTestSpec(scope: Construct, id: string, options: HttpSmokeTestOptions): ReadyMadeSpec {
  checkProps(scope, 'httpSmokeTest', options, HTTP_SMOKE_TEST_OPTION_TYPES);
  const requests = integerInRange(scope, 'httpSmokeTest.requests', options.requests ?? 10, 1, 1000);
  const maxLatencyMs = options.maxLatency && wholeMillis(scope, 'httpSmokeTest.maxLatency', options.maxLatency, 1, MAX_SMOKE_LATENCY_MS);
  if (options.bodyPattern !== undefined) {
    try {
      new RegExp(options.bodyPattern);
    } catch (e) {
      throw new BlueGreenValidationError(scope, 'httpSmokeTest.bodyPattern', `is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  for (const status of options.expectedStatus ?? []) integerInRange(scope, 'httpSmokeTest.expectedStatus', status, 100, 599);
  if (options.url !== undefined && !/^https?:\/\//.test(options.url) && !Token.isUnresolved(options.url)) {
    throw new BlueGreenValidationError(scope, 'httpSmokeTest.url', `must start with http:// or https://, got ${options.url}`);
  }
  if (options.hostHeader !== undefined && !Token.isUnresolved(options.hostHeader) && !HOST_HEADER.test(options.hostHeader)) {
    throw new BlueGreenValidationError(scope, 'httpSmokeTest.hostHeader', `must be a host name (optionally with :port), got ${JSON.stringify(options.hostHeader)}`);
  }
  return {
    props: {
      code: lambda.Code.fromAsset(handlerAsset('http-smoke-test')),
      timeout: Duration.minutes(2),
      vpc: options.vpc,
      description: 'ECS lifecycle hook: HTTP smoke test of the green revision',
      defaultStages: options.stages ?? [LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
      defaultDetails: {
        url: options.url,
        hostHeader: options.hostHeader,
        path: options.path,
        expectedStatus: options.expectedStatus,
        bodyPattern: options.bodyPattern,
        requests,
        maxLatencyMs,
      },
    },
    bindDetails: (details, bound, hookScope, fn) => {
      const header = { headerName: details.headerName ?? bound.testHeaderName, headerValue: details.headerValue ?? bound.testHeaderValue };
      if (details.url !== undefined) return { ...details, ...header };
      if (bound.testEndpoint) {
        const target = smokeTarget(hookScope, id, fn, bound.testEndpoint, { hostHeader: details.hostHeader, path: details.path });
        return { ...details, ...header, url: target.url, hostHeader: target.hostHeader };
      }
      if (bound.testEndpointUrl === undefined) {
        // Without a URL the handler can only answer FAILED: every deployment would roll back.
        throw new BlueGreenValidationError(hookScope, 'httpSmokeTest.url',
          `${id} has no url and the service has no test endpoint to default to (an ALB test listener or test header, or an NLB test listener); set url`);
      }
      return { ...details, ...header, url: bound.testEndpointUrl };
    },
  };
}
