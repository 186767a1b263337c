import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { iamWildcardFindings } from './nag-findings';

/** A cdk-nag rule this library's resource is exempt from, with the reason. */
export interface NagExemption {
  readonly id: string;
  readonly reason: string;
  /** Findings the exemption covers: exact strings, or cdk-nag regexes (`{ regex: '/^...$/' }`). */
  readonly appliesTo?: Array<string | { readonly regex: string }>;
}

const ACKNOWLEDGED = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
const PENDING = Symbol.for('cdk-ecs-blue-green.nag-pending');

/**
 * Records cdk-nag suppressions on a resource the library creates, in the forms both cdk-nag
 * versions read (the library does not depend on cdk-nag):
 * - cdk-nag 2.x (an aspect) reads the resource's CloudFormation Metadata `cdk_nag.rules_to_suppress`;
 * - cdk-nag 3.x (a policy validation plugin) reads the acknowledgments aws-cdk-lib's `Validations`
 *   records on the construct (metadata `aws:cdk:acknowledged-rules`, `{ "<rule>[<finding>]": reason }`)
 *   and matches findings exactly. `Validations.acknowledge()` itself is not used: aws-cdk-lib 2.257
 *   rejects finding IDs that contain `::` (`Resource::*`). Regexes, and IAM5 exemptions without
 *   `appliesTo`, become the findings of the synthesized policy they match (nag-findings.ts).
 * Users running either version see each exemption with its reason. An exemption recorded before
 * (a resource shared per stack, exempted by each user) is not recorded twice.
 */
export function exemptFromNag(construct: IConstruct, exemptions: NagExemption[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) return;
  const rules: unknown[] = [...resource.getMetadata('cdk_nag')?.rules_to_suppress ?? []];
  const seen = new Set(rules.map((r) => JSON.stringify(r)));
  const exact: Record<string, string> = {};
  for (const e of exemptions) {
    const rule = { id: e.id, reason: e.reason, ...(e.appliesTo ? { applies_to: e.appliesTo } : {}) };
    if (!seen.has(JSON.stringify(rule))) {
      seen.add(JSON.stringify(rule));
      rules.push(rule);
    }
    if (!e.appliesTo) exact[e.id] = e.reason;
    for (const a of e.appliesTo ?? []) {
      if (typeof a === 'string') exact[`${e.id}[${a}]`] = e.reason;
    }
    const patterns = e.appliesTo
      ? e.appliesTo.flatMap((a) => typeof a === 'string' ? [] : [toRegExp(a.regex)])
      : [/^/]; // no appliesTo: every finding of the rule
    if (patterns.length > 0) matchAtSynthesis(resource, e.id, e.reason, patterns);
  }
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
  acknowledge(resource, exact);
}

/** cdk-nag 2's regex notation: `/body/flags`. */
function toRegExp(notation: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(notation);
  return m ? new RegExp(m[1], m[2]) : new RegExp(notation);
}

/** Adds what is not acknowledged on the construct yet. */
function acknowledge(resource: CfnResource, rules: Record<string, string>): void {
  const known = new Set(resource.node.metadata.filter((m) => m.type === ACKNOWLEDGED).flatMap((m) => Object.keys(m.data ?? {})));
  const fresh = Object.fromEntries(Object.entries(rules).filter(([id]) => !known.has(id)));
  if (Object.keys(fresh).length > 0) resource.node.addMetadata(ACKNOWLEDGED, fresh);
}

interface Pending { readonly id: string; readonly reason: string; readonly patterns: RegExp[] }

/**
 * Findings exist once the policy is complete: the construct's validation (run by every synthesis,
 * after the aspects and before the validation plugins such as cdk-nag 3) acknowledges those that
 * match. One validation per resource, whatever the number of exemptions.
 */
function matchAtSynthesis(resource: CfnResource, id: string, reason: string, patterns: RegExp[]): void {
  // Only IAM5 findings can be computed without cdk-nag; other rules' exemptions are exact.
  if (id !== 'AwsSolutions-IAM5') return;
  const holder = resource as unknown as { [PENDING]?: Pending[] };
  if (!holder[PENDING]) {
    const pending: Pending[] = holder[PENDING] = [];
    resource.node.addValidation({
      validate: () => {
        const findings = iamWildcardFindings(resource);
        const rules: Record<string, string> = {};
        for (const p of pending) {
          for (const f of findings) {
            if (p.patterns.some((re) => re.test(f)) && !rules[`${p.id}[${f}]`]) rules[`${p.id}[${f}]`] = p.reason;
          }
        }
        acknowledge(resource, rules);
        return [];
      },
    });
  }
  holder[PENDING]!.push({ id, reason, patterns });
}
