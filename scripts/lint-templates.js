#!/usr/bin/env node
// Template checks over committed artifacts (part of `npm test`):
//  1. cfn-lint over every integ snapshot template (test/*.snapshot/*.template.json) and every
//     example template (examples/cdk.out/*.template.json and those of its nested stages,
//     examples/cdk.out/assembly-*/, when `npm run example` has run):
//     0 errors, 0 warnings beyond the documented ignores of test/support/cfn-lint.ts.
//  2. cdk-nag reports in the snapshots: every integ test stack has one, with no Non-Compliant row
//     and a written reason for every suppression.
// With folders as arguments (`node scripts/lint-templates.js DIR...`, e.g. a consumer app's cloud
// assemblies), it checks the templates and cdk-nag reports of those folders instead.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const failures = [];

function list(dir, pred) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(pred).map((f) => path.join(dir, f));
}

// The ignore list lives in one place: test/support/cfn-lint.ts.
function ignoredChecks() {
  const src = fs.readFileSync(path.join(root, 'test/support/cfn-lint.ts'), 'utf-8');
  const block = src.slice(src.indexOf('CFN_LINT_IGNORED_CHECKS'), src.indexOf('};', src.indexOf('CFN_LINT_IGNORED_CHECKS')));
  return [...block.matchAll(/^\s+([EWI]\d{4}):/gm)].map((m) => m[1]);
}

// Single findings accepted with a reason (rule and exact message): test/support/cfn-lint-accepted.json.
const accepted = JSON.parse(fs.readFileSync(path.join(root, 'test/support/cfn-lint-accepted.json'), 'utf-8'));
const isAccepted = (line) => accepted.some((a) => line.includes(`:${a.rule}:`) && line.endsWith(`:${a.rule}:${a.message}`));

// A cloud assembly and those of its nested stages (the CDK Pipelines example's stage).
const withNested = (dir) => (fs.existsSync(dir) ? [dir, ...list(dir, (f) => f.startsWith('assembly-'))] : []);
// Folders given on the command line (e.g. the consumer stage's cloud assemblies) replace the
// default set: the integ snapshots and the example's cloud assembly.
const givenDirs = process.argv.slice(2).map((d) => path.resolve(d));
const snapshotDirs = givenDirs.length > 0 ? givenDirs : list(path.join(root, 'test'), (f) => f.endsWith('.snapshot'));
const exampleOut = path.join(root, 'examples', 'cdk.out');
const exampleDirs = givenDirs.length > 0 ? givenDirs.flatMap((d) => withNested(d).slice(1)) : withNested(exampleOut);
// integ-tests' DeployAssert stacks have no resources when a test makes no assertions: an empty
// template is not a deployable template and is skipped.
const templates = [
  ...snapshotDirs.flatMap((d) => list(d, (f) => f.endsWith('.template.json'))),
  ...exampleDirs.flatMap((d) => list(d, (f) => f.endsWith('.template.json'))),
].filter((f) => JSON.parse(fs.readFileSync(f, 'utf-8')).Resources !== undefined);
if (snapshotDirs.length === 0) failures.push('no integ snapshots found under test/*.snapshot');
if (templates.length === 0) failures.push(`no templates found in ${snapshotDirs.join(', ')}`);

const cfnLint = process.env.CFN_LINT || path.join(root, '.venv', 'bin', 'cfn-lint');
if (!fs.existsSync(cfnLint) && !process.env.CFN_LINT) {
  console.error(`templates:lint: ${cfnLint} is missing; run \`npx projen cfn-lint:install\``);
  process.exit(1);
}
const result = spawnSync(cfnLint, ['--format', 'parseable', '--regions', 'us-east-1',
  '--ignore-checks', ...ignoredChecks(), '--', ...templates], { encoding: 'utf-8', maxBuffer: 64 << 20 });
if (result.error) {
  console.error(`templates:lint: cfn-lint could not run: ${result.error.message}`);
  process.exit(1);
}
const status = result.status ?? 1;
const findings = result.stdout.split('\n').filter((l) => l.trim() !== '' && !/:I\d{4}:/.test(l) && !isAccepted(l));
if (status & 1 || status >= 16) failures.push(`cfn-lint crashed (exit ${status}): ${result.stderr}`);
findings.forEach((f) => failures.push(`cfn-lint: ${path.relative(root, f)}`));

// cdk-nag reports (written by the NagReport logger of AwsSolutionsChecks into each snapshot and
// into the example's cloud assembly; nested stages' stacks report into the top-level assembly).
for (const dir of [...snapshotDirs, ...(givenDirs.length === 0 ? exampleDirs.slice(0, 1) : [])]) {
  const reports = list(dir, (f) => /^AwsSolutions-.*NagReport\.csv$/.test(f));
  if (reports.length === 0) failures.push(`cdk-nag: ${path.relative(root, dir)} has no AwsSolutions report (apply applyNag() to its stacks)`);
  for (const report of reports) {
    const rows = fs.readFileSync(report, 'utf-8').split('\n').slice(1).filter((l) => l.trim() !== '');
    for (const row of rows) {
      const cells = [...row.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]);
      const [rule, resource, compliance, reason] = cells;
      if (compliance === 'Non-Compliant') failures.push(`cdk-nag: ${rule} on ${resource} (${path.basename(report)})`);
      if (compliance === 'Suppressed' && !(reason && reason.trim().length >= 10)) {
        failures.push(`cdk-nag: suppression of ${rule} on ${resource} has no written reason`);
      }
    }
  }
}

if (failures.length > 0) {
  console.error(`templates:lint: ${failures.length} problem(s) in ${templates.length} template(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`templates:lint: ${templates.length} template(s) clean under cfn-lint; cdk-nag reports of ${snapshotDirs.length} ${givenDirs.length > 0 ? 'folder(s)' : 'integ test(s)'} clean`);
