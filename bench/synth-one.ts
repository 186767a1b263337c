// One measured synthesis, in its own process so peak RSS belongs to it alone:
//   synth-one.ts <ours|ours-no-alarms|ours-shared-sg|ours-notifications|ours-dashboard|ours-stack-wide-rules|native> <N>
// (ours-no-alarms: defaultAlarms false; ours-shared-sg: every service's tasks in one security group,
// `securityGroups: [shared]`; ours-notifications: `notifications` with every event to one topic;
// ours-dashboard: `dashboard: true`; ours-stack-wide-rules: the same rules once per stack instead.)
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
const IMPLS = ['ours', 'ours-no-alarms', 'ours-shared-sg', 'ours-notifications', 'ours-dashboard', 'ours-stack-wide-rules', 'native'];
if (!IMPLS.includes(impl) || !Number.isInteger(n) || n < 0) {
  console.error(`usage: synth-one.ts <${IMPLS.join('|')}> <N>`);
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
  ourServices(fixture.stack, fixture, n, {
    sharedSecurityGroup: shared,
    defaultAlarms: impl !== 'ours-no-alarms',
    notifications: impl === 'ours-notifications',
    dashboard: impl === 'ours-dashboard',
    stackWideRules: impl === 'ours-stack-wide-rules',
  });
}
const assembly = fixture.app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const stack = assembly.getStackByName(fixture.stack.stackName);
const templateBytes = fs.statSync(stack.templateFullPath).size;
const resources = Object.keys(stack.template.Resources ?? {}).length;
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ impl, n, ms, rssMb: process.resourceUsage().maxRSS / 1024, resources, templateBytes }));
