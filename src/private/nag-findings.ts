import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

// The findings cdk-nag's AwsSolutions-IAM5 reports on a resource, as cdk-nag 2.x and 3.0.2 compute
// them (rules/iam/IAMNoWildcardPermissions.ts and utils/flatten-cfn-reference.ts of
// cdklabs/cdk-nag): for each Allow statement, `Action::<action>` for an action with a `*`, and
// `Resource::<resource>` for a resource with a `*` once CloudFormation references are flattened
// (Ref X -> <X>, GetAtt X.Y -> <X.Y>, Join by its delimiter, Sub's ${...} -> <...>). The rule
// checks iam.CfnRole, CfnUser and CfnGroup (inline policies), CfnPolicy and CfnManagedPolicy.
// cdk-nag 3 matches acknowledgments exactly (`AwsSolutions-IAM5[<finding>]`), so the library's
// suppressions that cdk-nag 2 reads as regexes are turned into these strings at synthesis.

/** The AwsSolutions-IAM5 findings of a synthesized IAM resource; none for any other resource. */
export function iamWildcardFindings(resource: CfnResource): string[] {
  const stack = Stack.of(resource);
  const documents: any[] = [];
  if (resource instanceof iam.CfnPolicy || resource instanceof iam.CfnManagedPolicy) {
    documents.push(stack.resolve(resource.policyDocument));
  } else if (resource instanceof iam.CfnRole || resource instanceof iam.CfnUser || resource instanceof iam.CfnGroup) {
    for (const policy of stack.resolve(resource.policies) ?? []) documents.push(stack.resolve(stack.resolve(policy).policyDocument));
  }
  const findings = new Set<string>();
  for (const document of documents) {
    for (const statement of document?.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of list(statement.Action)) {
        if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
      }
      for (const r of list(statement.Resource)) {
        const flat = flatten(r);
        if (flat.includes('*')) findings.add(`Resource::${flat}`);
      }
    }
  }
  return [...findings];
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [x];
}

function flatten(node: any): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (node['Fn::Sub']) return flatten(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flatten(node['Fn::ImportValue']);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(node);
}
