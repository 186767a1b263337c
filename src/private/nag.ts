import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule this library's resource is exempt from, with the reason. */
export interface NagExemption {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: string[];
}

/**
 * Records cdk-nag suppressions on a resource the library creates, in the `cdk_nag` metadata that
 * cdk-nag reads (the library does not depend on cdk-nag). Users running cdk-nag see each
 * exemption with its reason in their reports.
 */
export function exemptFromNag(construct: IConstruct, exemptions: NagExemption[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) return;
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [
      ...existing,
      ...exemptions.map((e) => ({ id: e.id, reason: e.reason, ...(e.appliesTo ? { applies_to: e.appliesTo } : {}) })),
    ],
  });
}
