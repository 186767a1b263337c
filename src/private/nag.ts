import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule this library's resource is exempt from, with the reason. */
export interface NagExemption {
  readonly id: string;
  readonly reason: string;
  /** Findings it applies to: exact (`Resource::*`) or a cdk-nag regex (`{ regex: '/^Resource::.../' }`). */
  readonly appliesTo?: Array<string | { regex: string }>;
}

/**
 * Records cdk-nag suppressions on a resource the library creates, in the `cdk_nag` metadata that
 * cdk-nag reads (the library does not depend on cdk-nag). Users running cdk-nag see each
 * exemption with its reason in their reports. An exemption recorded before (a resource shared
 * per stack, exempted by each user) is not recorded twice.
 */
export function exemptFromNag(construct: IConstruct, exemptions: NagExemption[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) return;
  const rules: unknown[] = [...resource.getMetadata('cdk_nag')?.rules_to_suppress ?? []];
  const seen = new Set(rules.map((r) => JSON.stringify(r)));
  for (const e of exemptions) {
    const rule = { id: e.id, reason: e.reason, ...(e.appliesTo ? { applies_to: e.appliesTo } : {}) };
    if (!seen.has(JSON.stringify(rule))) {
      seen.add(JSON.stringify(rule));
      rules.push(rule);
    }
  }
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
}
