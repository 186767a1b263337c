import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleApp } from '../../examples/app';
import {
  compareShapes, describeMismatch, indexShapes, referenceDir, referenceTemplates, ShapeIndex,
} from '../support/shape-parity';

const ROOT = path.resolve(__dirname, '..', '..');

/** Our templates: the example app (synthesized here) and every committed integ snapshot. */
function ourTemplates(): Array<{ file: string; template: any }> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shape-parity-'));
  try {
    const examples = buildExampleApp(outdir).synth().stacks.map((s) => ({ file: `examples/${s.stackName}`, template: s.template }));
    const snapshots = fs.readdirSync(path.join(ROOT, 'test'))
      .filter((d) => d.endsWith('.snapshot'))
      .flatMap((d) => fs.readdirSync(path.join(ROOT, 'test', d))
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => ({ file: `test/${d}/${f}`, template: JSON.parse(fs.readFileSync(path.join(ROOT, 'test', d, f), 'utf-8')) })));
    return [...examples, ...snapshots];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function indexOf(templates: Array<{ file: string; template: any }>): ShapeIndex {
  const index: ShapeIndex = new Map();
  templates.forEach(({ file, template }) => indexShapes(index, file, template));
  return index;
}

describe('shape parity with the deploy-verified templates of ../shared/reference', () => {
  test('every property path we share with them has a JSON type they use', () => {
    const references = referenceTemplates(referenceDir(ROOT));
    expect(references.map((r) => r.file)).toEqual(expect.arrayContaining([
      'aws-cdk-integ.blue-green-deployment-strategy.template.json', 'aws-docs.migrate-codedeploy-to-ecs-bluegreen.AFTER.template.json',
    ]));
    const ours = ourTemplates();
    // The newest-aws-cdk-lib pass (scripts/test-latest-cdk.sh) runs without the integ snapshots,
    // which are of the pinned version: there the example app is compared alone.
    expect(ours.length).toBeGreaterThanOrEqual(process.env.CDK_LATEST_PASS ? 5 : 30);

    const { compared, mismatches } = compareShapes(indexOf(ours), indexOf(references));

    // The comparison covers what ECS blue/green reads (so it cannot pass by comparing nothing).
    expect(compared).toEqual(expect.arrayContaining([
      'AWS::ECS::Service DeploymentConfiguration.LifecycleHooks[].HookDetails',
      'AWS::ECS::Service DeploymentConfiguration.LifecycleHooks[].RoleArn',
      'AWS::ECS::Service LoadBalancers[].AdvancedConfiguration.ProductionListenerRule',
      'AWS::ECS::Service DeploymentConfiguration.Strategy',
      'AWS::ElasticLoadBalancingV2::ListenerRule Actions[].ForwardConfig.TargetGroups[].Weight',
      'AWS::IAM::Policy (of a role assumed by ecs.amazonaws.com) PolicyDocument.Statement[].Resource[]',
    ]));
    expect(mismatches.map(describeMismatch)).toEqual([]);
  });
});

describe('the shape comparison', () => {
  const service = (props: object) => ({ Resources: { Svc: { Type: 'AWS::ECS::Service', Properties: props } } });
  const compare = (ours: object, reference: object) => compareShapes(indexOf([{ file: 'ours', template: ours }]), indexOf([{ file: 'ref', template: reference }]));
  const hooks = (details: unknown) => service({ DeploymentConfiguration: { LifecycleHooks: [{ HookDetails: details }] } });

  test('an object where the reference has a JSON string is a mismatch, named with both places', () => {
    const { mismatches } = compare(hooks({ path: '/' }), hooks('{"path":"/"}'));
    expect(mismatches.map(describeMismatch)).toEqual([
      'AWS::ECS::Service DeploymentConfiguration.LifecycleHooks[].HookDetails: ours is object (ours Svc), deploy-verified is string (ref Svc)',
    ]);
  });

  test('Fn::Join (a string with tokens) stands for a string; a Ref for a number', () => {
    expect(compare(hooks({ 'Fn::Join': ['', ['{"url":"', { Ref: 'X' }, '"}']] }), hooks('{}')).mismatches).toEqual([]);
    expect(compare(service({ DesiredCount: { Ref: 'Count' } }), service({ DesiredCount: 2 })).mismatches).toEqual([]);
    expect(compare(service({ LoadBalancers: { 'Fn::Split': [',', 'a'] } }), service({ LoadBalancers: [] })).mismatches).toEqual([]);
    expect(compare(service({ LoadBalancers: { Ref: 'X' } }), service({ LoadBalancers: [] })).mismatches).toHaveLength(1);
  });

  test('array elements share one path; paths only we have are not compared', () => {
    const { compared, mismatches } = compare(
      service({ LoadBalancers: [{ ContainerPort: 80 }, { ContainerPort: '80' }], Extra: 1 }),
      service({ LoadBalancers: [{ ContainerPort: 8080 }] }));
    expect(compared).toEqual(['AWS::ECS::Service LoadBalancers', 'AWS::ECS::Service LoadBalancers[]', 'AWS::ECS::Service LoadBalancers[].ContainerPort']);
    expect(mismatches.map((m) => m.ours)).toEqual(['string']);
  });

  test('IAM: only roles ECS assumes and their policies; a single Action or Resource is a list of one', () => {
    const iam = (action: unknown, service_ = 'ecs.amazonaws.com') => ({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: service_ } }] } } },
        Policy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Action: action }] } } },
      },
    });
    expect(compare(iam('lambda:InvokeFunction'), iam(['lambda:InvokeFunction', 'lambda:GetFunction'])).mismatches).toEqual([]);
    expect(compare(iam({ a: 1 }), iam('x')).mismatches).toHaveLength(1);
    expect(compare(iam({ a: 1 }, 'lambda.amazonaws.com'), iam('x', 'lambda.amazonaws.com')).compared).toEqual([]);
  });
});
