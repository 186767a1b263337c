// Built-in hook: waits for an operator's decision in an SSM parameter (the "manual re-route" of
// CodeDeploy). The parameter is `<prefix>/<cluster>/<service>`; `approve` lets the deployment go on,
// `reject` rolls it back. Only a decision written after this hook execution started counts, so a
// decision left over from an earlier deployment is ignored. Without a decision before the timeout,
// the configured action applies (CONTINUE → SUCCEEDED, ROLLBACK → FAILED). When SSM cannot be
// read (5xx, network, throttling beyond the retries), the gate keeps waiting until the timeout and
// then answers FAILED whatever onTimeout says: a rejection written meanwhile may have been missed.
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { handlerClientConfig } from '../../private/retry';
import {
  CLOCK_SKEW_MS, failed, hookHandler, hookStartTime, inProgress, log, parseServiceArn, readFailed, succeeded, trafficAwayFromTarget, withRetry,
} from '../runtime';

export interface ApprovalDetails {
  parameterPrefix?: string;
  timeoutMinutes?: number;
  onTimeout?: 'CONTINUE' | 'ROLLBACK';
  pollSeconds?: number;
  _startedAt?: number;
}

/** Tolerated clock difference between this Lambda and SSM's LastModifiedDate. */
// Transient errors are retried by withRetry (logged, bounded by the Lambda's time, testable), not by the SDK.
const ssm = new SSMClient(handlerClientConfig());

export const handler = hookHandler<ApprovalDetails>(async (event, context) => {
  const away = trafficAwayFromTarget(event);
  if (away) {
    log('info', 'nothing of green to check', { reason: away });
    return succeeded();
  }
  const d = event.hookDetails ?? {};
  const arn = parseServiceArn(event.executionDetails.serviceArn);
  if (!arn) return failed(`cannot read cluster and service from serviceArn ${event.executionDetails.serviceArn}`);
  const prefix = typeof d.parameterPrefix === 'string' && d.parameterPrefix.startsWith('/') ? d.parameterPrefix.replace(/\/+$/, '') : '/ecs-blue-green/approvals';
  const name = `${prefix}/${arn.cluster}/${arn.service}`;
  const now = Date.now();
  const startedAt = hookStartTime(d._startedAt, now);
  const timeoutMs = Math.max(1, Number(d.timeoutMinutes) || 60) * 60_000;
  const poll = Math.min(900, Math.max(5, Number(d.pollSeconds) || 30));
  // Only the settings are carried to the next invocation, not whatever else hookDetails held.
  const state: ApprovalDetails = {
    parameterPrefix: d.parameterPrefix, timeoutMinutes: d.timeoutMinutes, onTimeout: d.onTimeout, pollSeconds: d.pollSeconds, _startedAt: startedAt,
  };

  let decision: string | undefined;
  let decidedAt = 0;
  try {
    const result = await withRetry(() => ssm.send(new GetParameterCommand({ Name: name })), 5, 100, context);
    const value = result.Parameter?.Value;
    decision = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    decidedAt = timeOf(result.Parameter?.LastModifiedDate);
  } catch (err) {
    if (!(err instanceof ParameterNotFound || (err as Error)?.name === 'ParameterNotFound')) {
      return readFailed(err, { what: `reading ${name}`, now, deadline: startedAt + timeoutMs, callBackDelay: poll, state: state as Record<string, unknown> });
    }
  }

  if (decision !== undefined && decidedAt >= startedAt - CLOCK_SKEW_MS) {
    if (decision === 'approve') {
      log('info', 'approved', { parameter: name, decidedAt: new Date(decidedAt).toISOString() });
      return succeeded();
    }
    if (decision === 'reject') return failed(`rejected by ${name}`);
    log('warn', 'ignoring unknown decision', { parameter: name, value: decision });
  }
  if (now - startedAt >= timeoutMs) {
    if (d.onTimeout === 'CONTINUE') {
      log('info', 'no decision before the timeout; continuing', { parameter: name });
      return succeeded();
    }
    return failed(`no decision in ${name} within ${timeoutMs / 60_000} minutes; rolling back`);
  }
  log('info', 'waiting for a decision', {
    parameter: name,
    approve: `aws ssm put-parameter --name ${name} --type String --overwrite --value approve`,
  });
  return inProgress(poll, state as Record<string, unknown>);
});


/** Milliseconds of a timestamp from the SDK (a Date), 0 when it is missing or invalid. */
function timeOf(date: unknown): number {
  const t = date instanceof Date ? date.getTime() : typeof date === 'string' || typeof date === 'number' ? new Date(date).getTime() : NaN;
  return Number.isFinite(t) ? t : 0;
}
