import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { exemptFromNag } from '../../src/private/nag';

// cdk-nag 2 reads suppressions from the resource's CloudFormation Metadata (`cdk_nag`, regexes
// allowed); cdk-nag 3 reads the acknowledgments aws-cdk-lib's Validations records on the construct
// (`aws:cdk:acknowledged-rules`, keys `Rule` or `Rule[finding]`, exact strings only).

/** The rule IDs cdk-nag 3 sees acknowledged on a construct, after synthesis. */
function acknowledged(c: IConstruct): Record<string, string> {
  const all: Record<string, string> = {};
  for (const m of c.node.metadata) {
    if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) Object.assign(all, m.data);
  }
  return all;
}

function roleWithPolicy(stack: Stack, resources: string[]): iam.CfnPolicy {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources }));
  return role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
}

describe('exemptFromNag', () => {
  test('records a rule without findings for cdk-nag 2 (cdk_nag metadata) and cdk-nag 3 (acknowledged rules)', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    exemptFromNag(fn, [{ id: 'AwsSolutions-L1', reason: 'pinned' }]);
    const cfn = fn.node.defaultChild as CfnResource;
    expect(cfn.getMetadata('cdk_nag')).toEqual({ rules_to_suppress: [{ id: 'AwsSolutions-L1', reason: 'pinned' }] });
    expect(acknowledged(cfn)).toEqual({ 'AwsSolutions-L1': 'pinned' });
  });

  test('records exact findings as Rule[finding] for cdk-nag 3', () => {
    const stack = new Stack(new App(), 'S');
    const policy = roleWithPolicy(stack, ['*']);
    exemptFromNag(policy, [{ id: 'AwsSolutions-IAM5', reason: 'no resource-level permissions', appliesTo: ['Resource::*'] }]);
    expect(acknowledged(policy)).toEqual({ 'AwsSolutions-IAM5[Resource::*]': 'no resource-level permissions' });
  });

  test('turns a regex into the findings of the synthesized policy that match it, and only those', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const policy = roleWithPolicy(stack, [`${fn.functionArn}:*`, 'arn:aws:lambda:us-east-1:111122223333:function:other:*', 'arn:aws:s3:::bucket/*']);
    exemptFromNag(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'versions and aliases',
      appliesTo: [{ regex: '/^Resource::(<[A-Za-z0-9]+\\.Arn>|arn:aws:lambda:[^*]+):\\*$/' }],
    }]);
    expect(acknowledged(policy)).toEqual({});
    // The findings are those of the synthesized policy: computed when the app synthesizes.
    (stack.node.scope as App).synth();
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnResource);
    expect(acknowledged(policy)).toEqual({
      [`AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`]: 'versions and aliases',
      'AwsSolutions-IAM5[Resource::arn:aws:lambda:us-east-1:111122223333:function:other:*]': 'versions and aliases',
    });
  });

  test('an IAM5 exemption without appliesTo acknowledges every wildcard finding of the policy for cdk-nag 3', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const policy = roleWithPolicy(stack, [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'approvals/*' })]);
    exemptFromNag(policy, [{ id: 'AwsSolutions-IAM5', reason: 'prefix' }]);
    app.synth();
    expect(acknowledged(policy)).toEqual({
      'AwsSolutions-IAM5': 'prefix',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/approvals/*]': 'prefix',
    });
  });

  test('the same exemption recorded twice (a shared resource) is written once for each version', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const policy = roleWithPolicy(stack, ['*']);
    const e = { id: 'AwsSolutions-IAM5', reason: 'r', appliesTo: ['Resource::*'] };
    exemptFromNag(policy, [e]);
    exemptFromNag(policy, [e]);
    app.synth();
    expect(policy.getMetadata('cdk_nag').rules_to_suppress).toHaveLength(1);
    expect(policy.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toHaveLength(1);
  });
});
