import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { ConflictSpec, buildConflict, conflictArb, verdictOf } from './conflict-specs';
import { FUZZ_RUNS, FUZZ_SEED, TemplateBatch, checkProperty, runsFor, templateProblems, timeoutFor, tried } from './fuzz-config';
import { Outcome, describeSpec, validationError } from './fuzz-properties';

/**
 * Property-based tests over cross-construct conflicts (generators and oracle in conflict-specs.ts):
 * several services in one app sharing VPC Lattice listeners, NLB listeners and Lattice services,
 * with PAUSE hooks. Every generated scenario must either
 *  - be rejected at the first service the oracle finds at fault, with a BlueGreenValidationError
 *    naming one of that service's faulty props, or
 *  - synthesize every service, with no missing values, and pass cfn-lint (batched at the end).
 * Anything else (an accepted conflict, a rejected valid scenario, an error of another type) fails
 * with the seed and the fast-check path that replay it.
 *
 * FUZZ_RUNS sets the number of scenarios (default 15: CI); `npx projen fuzz` runs 1000.
 */

const FILE = 'test/reliability/conflicts.fuzz.test.ts';
const CONFLICT_RUNS = runsFor(1);

const batch = new TemplateBatch();
afterAll(() => batch.dispose());

function conflictProperty(spec: ConflictSpec): Outcome {
  const verdict = verdictOf(spec);
  let template: any;
  try {
    template = Template.fromStack(buildConflict(spec)).toJSON();
  } catch (err) {
    const e = validationError(err, 'the scenario');
    if (verdict.index === undefined) throw new Error(`BUG: rejected a valid scenario: ${e.message}`);
    if (e.constructPath !== `Fuzz/Svc${verdict.index}`) throw new Error(`BUG: expected Svc${verdict.index} to be rejected (${verdict.props.join(', ')}), got: ${e.message}`);
    if (!e.message.includes(`invalid ${e.prop}`) || !verdict.props.includes(e.prop)) {
      throw new Error(`BUG: Svc${verdict.index} was rejected for ${e.prop}, expected one of ${verdict.props.join(', ')}: ${e.message}`);
    }
    return 'rejected';
  }
  if (verdict.index !== undefined) {
    throw new Error(`BUG: accepted Svc${verdict.index}, which ECS/ELB/VPC Lattice would refuse (${verdict.props.join(', ')})`);
  }
  const found = templateProblems(template);
  if (found.length > 0) throw new Error(`BUG: template has missing values:\n  ${found.join('\n  ')}`);
  const services = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service');
  if (services.length !== spec.services.length) throw new Error(`BUG: ${services.length} ECS services for ${spec.services.length} specs`);
  batch.add(spec.kind, template, describeSpec(spec));
  return 'accepted';
}

test(`cross-construct conflicts: ${CONFLICT_RUNS} scenarios are rejected at the service at fault or synthesize`, () => {
  // Half the scenarios from generators that rarely conflict, so that many templates reach cfn-lint.
  checkProperty('conflicts', fc.oneof(conflictArb(false), conflictArb(true)), (spec) => {
    if (conflictProperty(spec) === 'accepted') tried.conflicts.synthesized++;
    else tried.conflicts.rejected++;
  }, CONFLICT_RUNS, FILE);
}, timeoutFor(CONFLICT_RUNS, 3_000));

test('cfn-lint finds nothing in any synthesized scenario', async () => {
  const started = Date.now();
  const { findings, falsePositives, report } = await batch.lint();
  const s = tried.conflicts;
  process.stdout.write(`\nconflicts fuzz (seed ${FUZZ_SEED}, FUZZ_RUNS ${FUZZ_RUNS}): ${s?.runs ?? 0} scenarios ` +
    `(${s?.synthesized ?? 0} accepted, ${s?.rejected ?? 0} rejected) in ${((s?.ms ?? 0) / 1000).toFixed(1)} s; ` +
    `cfn-lint: ${batch.size} templates in ${((Date.now() - started) / 1000).toFixed(1)} s, ${findings.length} findings (${falsePositives} known false positives)\n`);
  if (findings.length > 0) throw new Error(`cfn-lint findings in templates of accepted scenarios:\n${report}`);
}, timeoutFor(FUZZ_RUNS, 1_000));
