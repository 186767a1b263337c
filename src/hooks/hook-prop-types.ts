import { PropTable, PropType, T } from '../private/prop-types';

/**
 * The runtime types of the hooks' options, one table per options interface, checked before the
 * options are used (for JavaScript callers). Stage and action values are checked where they are
 * read; these tables check that they are strings (and lists of strings).
 * @internal
 */

const STAGES: PropType = T.list(T.string);
const VPC: PropType = T.construct('an ec2.IVpc');

/** `LifecycleHook.lambda()` / `LifecycleHook.pause()` options, as `hooks.<option>`. @internal */
export const HOOK_OPTION_TYPES: PropTable = {
  stages: STAGES,
  timeout: T.duration,
  onTimeout: T.string,
};

/** The function of `LifecycleHook.lambda(fn, ...)`. @internal */
export const HOOK_FUNCTION: PropType = T.required(T.construct('a lambda.IFunction'));

/** `LifecycleHookFunction.toHook()` options, as `hooks.<option>`. @internal */
export const TO_HOOK_OPTION_TYPES: PropTable = {
  stages: STAGES,
  details: T.object,
  timeout: T.duration,
  onTimeout: T.string,
};

/** `LifecycleHookFunctionProps`. @internal */
export const HOOK_FUNCTION_PROP_TYPES: PropTable = {
  code: T.required(T.shape('a lambda.Code (e.g. Code.fromAsset(dir))', ['bind'])),
  handler: T.string,
  timeout: T.duration,
  memorySize: T.number,
  environment: T.map(T.string),
  logRetention: T.number,
  vpc: VPC,
  vpcSubnets: T.object,
  securityGroups: T.list(T.construct('an ec2.ISecurityGroup')),
  defaultStages: STAGES,
  defaultDetails: T.object,
  description: T.string,
};

/** `HttpSmokeTestOptions`, as `httpSmokeTest.<option>`. @internal */
export const HTTP_SMOKE_TEST_OPTION_TYPES: PropTable = {
  url: T.string,
  hostHeader: T.string,
  path: T.string,
  expectedStatus: T.list(T.number),
  bodyPattern: T.string,
  requests: T.number,
  maxLatency: T.duration,
  vpc: VPC,
  stages: STAGES,
};

/** `ApprovalGateOptions`, as `approvalGate.<option>`. @internal */
export const APPROVAL_GATE_OPTION_TYPES: PropTable = {
  parameterPrefix: T.string,
  timeout: T.duration,
  onTimeout: T.string,
  stages: STAGES,
};

/** `MetricCheckOptions`, as `metricCheck.<option>`. @internal */
export const METRIC_CHECK_OPTION_TYPES: PropTable = {
  alarms: T.list(T.construct('a cloudwatch.IAlarm')),
  metric: T.shape('a cloudwatch.Metric', ['toMetricConfig']),
  threshold: T.number,
  failBelowThreshold: T.boolean,
  duration: T.duration,
  stages: STAGES,
};

/** `AnalysisOptions`, as `analysis.<option>`. @internal */
export const ANALYSIS_OPTION_TYPES: PropTable = {
  maxErrorRate: T.number,
  maxErrorRateRatio: T.number,
  maxLatency: T.duration,
  maxLatencyRatio: T.number,
  minRequests: T.number,
  interval: T.duration,
  measurements: T.number,
  failureLimit: T.number,
  onInconclusive: T.string,
  timeout: T.duration,
  stages: STAGES,
};
