// `npm run example`: synthesizes examples/app.ts into examples/cdk.out and prints, per stack, where
// the template went and what it contains (resources by type, ECS deployment settings, the weighted
// listener rules), then the cdk-nag verdict. Exits non-zero when cdk-nag reports an error. Stacks
// of nested stages (the CDK Pipelines example's production stage) are listed after the others.
import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildExampleApp } from '../examples/app';

/** The assembly's stacks and those of its nested assemblies (stages), depth first. */
function allStacks(assembly: cxapi.CloudAssembly): cxapi.CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => allStacks(n.nestedAssembly))];
}

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'examples', 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });

const assembly = buildExampleApp(outdir).synth();
let nagErrors = 0;

for (const stack of allStacks(assembly)) {
  const template = stack.template as { Resources?: Record<string, { Type: string; Properties?: any }> };
  const resources = Object.entries(template.Resources ?? {});
  const byType = new Map<string, number>();
  resources.forEach(([, r]) => byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1));

  console.log(`Stack ${stack.stackName}`);
  console.log(`  template: ${path.relative(process.cwd(), stack.templateFullPath)}`);
  console.log(`  resources: ${resources.length}`);
  [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).forEach(([type, n]) => console.log(`    ${String(n).padStart(3)} ${type}`));

  for (const [id, r] of resources.filter(([, x]) => x.Type === 'AWS::ECS::Service')) {
    const dc = r.Properties?.DeploymentConfiguration ?? {};
    const hooks = (dc.LifecycleHooks ?? []).map((h: any) => `${h.TargetType ?? 'AWS_LAMBDA'}@${(h.LifecycleStages ?? []).join('+')}`);
    console.log(`  ECS service ${id}: controller ${r.Properties?.DeploymentController?.Type ?? 'ECS'}, strategy ${dc.Strategy ?? 'ROLLING'}` +
      `, bake ${dc.BakeTimeInMinutes ?? '-'} min, hooks [${hooks.join(', ')}]`);
  }
  for (const [id, r] of resources.filter(([, x]) => x.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
    const forward = (r.Properties?.Actions ?? []).find((a: any) => a.Type === 'forward');
    // Weights read from the live rule at deploy time show as "live" (1/0 when the rule is new).
    const weights = (forward?.ForwardConfig?.TargetGroups ?? []).map((g: any) => (typeof g.Weight === 'object' ? 'live' : String(g.Weight))).join('/');
    console.log(`  listener rule ${id}: priority ${r.Properties?.Priority}, forward weights ${weights || '-'}`);
  }

  const messages = stack.messages.filter((m) => m.entry.type === 'aws:cdk:error' || m.entry.type === 'aws:cdk:warning');
  const nag = messages.filter((m) => String(m.entry.data).startsWith('AwsSolutions-'));
  nagErrors += nag.filter((m) => m.entry.type === 'aws:cdk:error').length;
  console.log(`  cdk-nag AwsSolutions: ${nag.length === 0 ? 'no unsuppressed findings' : nag.map((m) => String(m.entry.data).split(':')[0]).join(', ')}`);
}

if (nagErrors > 0) {
  console.error(`cdk-nag: ${nagErrors} unsuppressed error(s)`);
  process.exit(1);
}
