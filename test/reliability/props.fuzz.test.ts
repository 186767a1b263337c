import * as fc from 'fast-check';
import { FUZZ_RUNS, FUZZ_SEED, TemplateBatch, checkProperty, runsFor, timeoutFor, tried } from './fuzz-config';
import { Outcome, migrationProperty, rulesProperty, serviceProperty, strategyProperty, wrongTypeProperty } from './fuzz-properties';
import { migrationArb } from './migration-specs';
import { rulesArb, serviceArb } from './service-specs';
import { strategyArb } from './strategy-specs';
import { wrongTypeArb } from './wrong-type-specs';

/**
 * Property-based tests over the props of BlueGreenEcsService, WeightedListenerRule,
 * CodeDeployToEcsMigration (migration-specs.ts) and the DeploymentStrategy factories (properties in fuzz-properties.ts, generators and oracle in
 * service-specs.ts and strategy-specs.ts). Every generated prop set must either
 *  - synthesize a template with no null/undefined/NaN where CloudFormation needs a value, that
 *    renders what the props asked for, and that passes cfn-lint (all templates are linted in one
 *    batch at the end, in parallel processes), or
 *  - be rejected with a BlueGreenValidationError whose message names the prop at fault, a prop
 *    the oracle finds at fault.
 * Anything else (a TypeError, an aws-cdk-lib error, an accepted invalid prop set, a rejected valid
 * one) fails with the seed and the fast-check path that replay it.
 *
 * Wrong JS types (wrong-type-specs.ts): valid service and migration prop sets with one prop (or
 * a factory option inside one) replaced by a value of another JavaScript type, or a required one
 * left out, as a JavaScript caller could pass it: only a BlueGreenValidationError naming that prop
 * is accepted; any other error class is a finding.
 *
 * FUZZ_RUNS sets the number of prop sets per construct (default 15: CI); `npx projen fuzz` runs 1000 each.
 */

// FUZZ_RUNS prop sets per construct.
const SERVICE_RUNS = runsFor(1);
const RULE_RUNS = runsFor(1);
const STRATEGY_RUNS = runsFor(1);
const MIGRATION_RUNS = runsFor(1);
const WRONG_TYPE_RUNS = runsFor(1);

const batch = new TemplateBatch();
afterAll(() => batch.dispose());

function counted<T>(name: string, property: (value: T, b: TemplateBatch) => Outcome): (value: T) => void {
  return (value) => {
    const outcome = property(value, batch);
    if (outcome === 'accepted') tried[name].synthesized++;
    else tried[name].rejected++;
  };
}

test(`BlueGreenEcsService: ${SERVICE_RUNS} prop sets synthesize or are rejected naming the prop`, () => {
  // Half the sets from fully valid generators, so that many templates reach cfn-lint.
  checkProperty('service', fc.oneof(serviceArb(false), serviceArb(true)), counted('service', serviceProperty), SERVICE_RUNS);
}, timeoutFor(SERVICE_RUNS));

test(`WeightedListenerRule: ${RULE_RUNS} prop sets synthesize or are rejected naming the prop`, () => {
  checkProperty('rule', fc.oneof(rulesArb(false), rulesArb(true)), counted('rule', rulesProperty), RULE_RUNS);
}, timeoutFor(RULE_RUNS, 500));

test(`DeploymentStrategy: ${STRATEGY_RUNS} factory calls render ECS's ranges or are rejected naming the prop`, () => {
  const arb = fc.record({ spec: fc.oneof(strategyArb(false, false, 1440), strategyArb(true, true)), nlb: fc.boolean() });
  checkProperty('strategy', arb, counted('strategy', strategyProperty), STRATEGY_RUNS);
});

test(`CodeDeployToEcsMigration: ${MIGRATION_RUNS} prop sets synthesize their phase or are rejected naming the prop`, () => {
  checkProperty('migration', fc.oneof(migrationArb(false), migrationArb(true)), counted('migration', migrationProperty), MIGRATION_RUNS);
}, timeoutFor(MIGRATION_RUNS));

test(`wrong JS types: ${WRONG_TYPE_RUNS} prop sets with one prop of another type are rejected naming it`, () => {
  checkProperty('wrong-type', wrongTypeArb(), counted('wrong-type', (c) => wrongTypeProperty(c)), WRONG_TYPE_RUNS);
}, timeoutFor(WRONG_TYPE_RUNS));

test('cfn-lint finds nothing in any synthesized template', async () => {
  const started = Date.now();
  const { findings, falsePositives, report } = await batch.lint();
  const lintMs = Date.now() - started;
  const lines = Object.entries(tried).map(([name, s]) =>
    `  ${name}: ${s.runs} prop sets (${s.synthesized} accepted, ${s.rejected} rejected) in ${(s.ms / 1000).toFixed(1)} s`);
  // The summary the `fuzz` task reports.
  process.stdout.write(`\nfuzz (seed ${FUZZ_SEED}, FUZZ_RUNS ${FUZZ_RUNS}):\n${lines.join('\n')}\n` +
    `  cfn-lint: ${batch.size} templates in ${(lintMs / 1000).toFixed(1)} s, ${findings.length} findings ` +
    `(${falsePositives} known false positives left out: E3002 multipleOf 0.1 in binary floating point)\n`);
  if (findings.length > 0) throw new Error(`cfn-lint findings in templates of accepted prop sets:\n${report}`);
}, timeoutFor(FUZZ_RUNS, 1_000));
