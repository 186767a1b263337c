// `npm run bench`: synth time, peak memory and template economy of N services built with
// BlueGreenEcsService versus the same services hand-written with aws-cdk-lib's L2, bundled hook
// handler sizes and cold import times. Prints one table and writes docs/PERFORMANCE.md.
// `npm run bench -- --quick` (CI) runs each case once at small N and checks that it still works.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const quick = process.argv.includes('--quick');
const MEASURED_BY_HAND = '## Measured by hand';
const SIZES = quick ? [1, 3] : [1, 10, 50];
const REPS = quick ? 1 : 5;
const STACK_LIMIT = 500;
/** perStack: services per stack without default alarms; perService: resources per service with them. */
const BUDGET = { ratio: 1.2, perStack: 45, perService: 12, handlerKb: 50 };

interface Sample { impl: string; n: number; ms: number; rssMb: number; resources: number; templateBytes: number }

function synth(impl: string, n: number): Sample {
  const out = execFileSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-one.ts'), impl, String(n),
  ], { cwd: root, encoding: 'utf-8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.dev.json') } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const rows: Array<{ n: number; ours: Sample; shared: Sample; native: Sample }> = [];
for (const n of SIZES) {
  const samples: Record<string, Sample[]> = { 'ours': [], 'ours-shared-sg': [], 'native': [] };
  // Interleave them so that machine noise hits all alike.
  for (let r = 0; r < REPS; r++) {
    for (const impl of Object.keys(samples)) samples[impl].push(synth(impl, n));
  }
  const pick = (impl: string): Sample => ({
    ...samples[impl][0], ms: median(samples[impl].map((s) => s.ms)), rssMb: median(samples[impl].map((s) => s.rssMb)),
  });
  rows.push({ n, ours: pick('ours'), shared: pick('ours-shared-sg'), native: pick('native') });
}

// Resources per service from the two largest sizes; the largest N under CloudFormation's limit.
function economy(impl: 'ours' | 'shared' | 'native') {
  const [a, b] = rows.slice(-2).map((r) => r[impl]);
  const perService = (b.resources - a.resources) / (b.n - a.n);
  const fixed = b.resources - perService * b.n;
  return { perService, fixed, maxServices: Math.floor((STACK_LIMIT - fixed) / perService) };
}
const eco = { ours: economy('ours'), shared: economy('shared'), native: economy('native') };
// The same services with defaultAlarms: false, at the two largest sizes (resource counts are exact).
const withoutAlarms = (() => {
  const [a, b] = SIZES.slice(-2).map((n) => synth('ours-no-alarms', n));
  const perService = (b.resources - a.resources) / (b.n - a.n);
  const fixed = b.resources - perService * b.n;
  return { perService, fixed, maxServices: Math.floor((STACK_LIMIT - fixed) / perService) };
})();

// Bundled Lambda handlers (assets/**/index.js) and their cold import time.
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name === 'index.js' ? [path.join(dir, e.name)] : []);
}
// The operator CLI (assets/cli) is not a Lambda handler: it bundles the AWS SDK and runs on import.
const handlers = files(path.join(root, 'assets')).filter((file) => path.dirname(file).endsWith('.lambda')).map((file) => {
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const importMs = median([0, 1, 2].map(() => Number(execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf-8' }).trim())));
  return { name: path.relative(path.join(root, 'assets'), path.dirname(file)), kb: fs.statSync(file).size / 1024, importMs };
});

const lines: string[] = [];
const out = (s = '') => { lines.push(s); console.log(s); };
const last = rows[rows.length - 1];
const timeRatio = last.ours.ms / last.native.ms;
const memRatio = last.ours.rssMb / last.native.rssMb;
out('| N | ours: synth ms | native: synth ms | time ratio | ours: peak RSS MB | native: peak RSS MB | memory ratio | ours: resources | native: resources |');
out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  out(`| ${r.n} | ${r.ours.ms.toFixed(0)} | ${r.native.ms.toFixed(0)} | ${(r.ours.ms / r.native.ms).toFixed(2)} | ` +
    `${r.ours.rssMb.toFixed(0)} | ${r.native.rssMb.toFixed(0)} | ${(r.ours.rssMb / r.native.rssMb).toFixed(2)} | ${r.ours.resources} | ${r.native.resources} |`);
}
out();
out(`| | resources per service | fixed resources | services per stack (≤ ${STACK_LIMIT} resources) |`);
out('|---|---:|---:|---:|');
out(`| BlueGreenEcsService (default: default alarms, a security group per service) | ${eco.ours.perService.toFixed(1)} | ${eco.ours.fixed.toFixed(0)} | ${eco.ours.maxServices} |`);
out(`| BlueGreenEcsService, defaultAlarms: false | ${withoutAlarms.perService.toFixed(1)} | ${withoutAlarms.fixed.toFixed(0)} | ${withoutAlarms.maxServices} |`);
out(`| BlueGreenEcsService, one shared security group (\`securityGroups: [shared]\`) | ${eco.shared.perService.toFixed(1)} | ` +
  `${eco.shared.fixed.toFixed(0)} | ${eco.shared.maxServices} |`);
out(`| aws-cdk-lib L2 by hand | ${eco.native.perService.toFixed(1)} | ${eco.native.fixed.toFixed(0)} | ${eco.native.maxServices} |`);
out();
out('| handler | bundled KB (minified) | cold import ms (median of 3) |');
out('|---|---:|---:|');
handlers.forEach((h) => out(`| ${h.name} | ${h.kb.toFixed(1)} | ${h.importMs.toFixed(1)} |`));

const problems: string[] = [];
if (!quick) {
  if (timeRatio > BUDGET.ratio) problems.push(`synth time ratio ${timeRatio.toFixed(2)} > ${BUDGET.ratio} at N=${last.n}`);
  if (memRatio > BUDGET.ratio) problems.push(`memory ratio ${memRatio.toFixed(2)} > ${BUDGET.ratio} at N=${last.n}`);
  if (withoutAlarms.maxServices < BUDGET.perStack) problems.push(`${withoutAlarms.maxServices} services per stack without default alarms < ${BUDGET.perStack}`);
  if (eco.ours.perService > BUDGET.perService) problems.push(`${eco.ours.perService.toFixed(1)} resources per service with default alarms > ${BUDGET.perService}`);
}
handlers.filter((h) => h.kb > BUDGET.handlerKb).forEach((h) => problems.push(`${h.name} is ${h.kb.toFixed(1)} KB > ${BUDGET.handlerKb} KB`));
if (rows.some((r) => r.ours.resources === 0 || r.shared.resources === 0 || r.native.resources === 0)) problems.push('a benchmark app synthesized no resources');

if (!quick) {
  const doc = [
    '# Performance',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${os.cpus().length} cores).`,
    `Each case is synthesized in its own process, ${REPS} repetitions interleaved, median shown. The app:`,
    'one VPC, cluster and ALB (production listener + test listener) and N services, each with an ALB',
    'production rule, a test listener rule, one POST_TEST_TRAFFIC_SHIFT Lambda hook and ("ours") the',
    'default deployment alarm; "native" is the same written by hand with aws-cdk-lib 2.257\'s L2',
    '(`deploymentStrategy`, `AlternateTarget`, `DeploymentLifecycleLambdaTarget`, one shared hook',
    'function), without alarms. Budgets: time and memory ratio ≤',
    `${BUDGET.ratio} at N = 50; ≥ ${BUDGET.perStack} services per stack without default alarms, ≤ ${BUDGET.perService} resources per service`,
    `with them; each handler ≤ ${BUDGET.handlerKb} KB.`,
    'The economy table also shows the same services with one security group shared by all their tasks',
    '(`securityGroups: [shared]`): each service then adds no security group and no ingress rule of its',
    'own, at the price of one blast radius: every service in the group admits what any of them admits.',
    '',
    ...lines,
    '',
    problems.length === 0 ? 'All budgets met.' : `Over budget: ${problems.join('; ')}`,
    '',
  ];
  // Figures the benchmark cannot take itself (the full test command, the fuzz run) are measured by
  // hand and kept below this heading across runs.
  const file = path.join(root, 'docs', 'PERFORMANCE.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const kept = previous.indexOf(MEASURED_BY_HAND);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc.join('\n') + (kept >= 0 ? `\n${previous.slice(kept)}` : ''));
}
if (problems.length > 0) {
  console.error(`bench: ${problems.join('; ')}`);
  process.exit(1);
}
