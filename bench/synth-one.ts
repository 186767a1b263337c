// One measured synthesis, in its own process so peak RSS belongs to it alone:
//   synth-one.ts <ours|ours-no-alarms|ours-shared-sg|native> <N>
// (ours-no-alarms: defaultAlarms false; ours-shared-sg: every service's tasks in one security group,
// `securityGroups: [shared]`.)
// Prints one JSON line: { impl, n, ms, rssMb, resources, templateBytes }.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { benchFixture } from './fixture';
import { nativeServices } from './native';
import { ourServices } from './ours';

const [impl, nText] = process.argv.slice(2);
const n = Number(nText);
if (!['ours', 'ours-no-alarms', 'ours-shared-sg', 'native'].includes(impl) || !Number.isInteger(n) || n < 0) {
  console.error('usage: synth-one.ts <ours|ours-no-alarms|ours-shared-sg|native> <N>');
  process.exit(2);
}
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${impl}-`));
const start = process.hrtime.bigint();
const fixture = benchFixture(outdir);
if (impl === 'native') {
  nativeServices(fixture.stack, fixture, n);
} else {
  const shared = impl === 'ours-shared-sg'
    ? new ec2.SecurityGroup(fixture.stack, 'SharedServiceSg', { vpc: fixture.vpc, description: 'Tasks of every service behind the ALB' })
    : undefined;
  ourServices(fixture.stack, fixture, n, { sharedSecurityGroup: shared, defaultAlarms: impl !== 'ours-no-alarms' });
}
const assembly = fixture.app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const stack = assembly.getStackByName(fixture.stack.stackName);
const templateBytes = fs.statSync(stack.templateFullPath).size;
const resources = Object.keys(stack.template.Resources ?? {}).length;
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ impl, n, ms, rssMb: process.resourceUsage().maxRSS / 1024, resources, templateBytes }));
