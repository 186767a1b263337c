import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { CfnLintFinding, formatFindings, runCfnLintOnFilesParallel } from '../support';

/**
 * Run counts and seed of the property-based tests.
 *
 * - `FUZZ_RUNS`: prop sets per construct (default 15, the CI budget: 60 in all);
 *   `npx projen fuzz` runs 1000 per construct (it sets FUZZ_DEFAULT_RUNS, which FUZZ_RUNS overrides).
 * - `FUZZ_SEED`: the seed (default {@link DEFAULT_SEED}): the same seed and run count generate
 *   the same prop sets, so every failure is reproducible.
 * - `FUZZ_PATH`: replays one counterexample (the `path` fast-check prints) of a failed property.
 */
export const DEFAULT_SEED = 20250611;
export const FUZZ_SEED = envInt('FUZZ_SEED', DEFAULT_SEED, true);
export const FUZZ_RUNS = envInt('FUZZ_RUNS', envInt('FUZZ_DEFAULT_RUNS', 15));
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

/** Runs of one property: `share` × FUZZ_RUNS (at least 1). */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(FUZZ_RUNS * share));
}

/** Jest timeout for a property with `runs` runs (synth is ~0.3 s per prop set on one core). */
export function timeoutFor(runs: number, perRunMs = 2_000): number {
  return 120_000 + runs * perRunMs;
}

/** Prop sets tried, per property, printed after the file's tests. */
export const tried: Record<string, { runs: number; synthesized: number; rejected: number; ms: number }> = {};

/**
 * Checks a property with the fixed seed; on failure, throws fast-check's report (counterexample,
 * seed, path, shrunk value) with the command that replays it.
 */
export function checkProperty<T>(name: string, arb: fc.Arbitrary<T>, predicate: (value: T) => void, runs: number,
  file = 'test/reliability/props.fuzz.test.ts'): void {
  const started = Date.now();
  const stats = tried[name] ?? (tried[name] = { runs: 0, synthesized: 0, rejected: 0, ms: 0 });
  const details = fc.check(fc.property(arb, (value) => { stats.runs++; predicate(value); }), {
    seed: FUZZ_SEED,
    numRuns: runs,
    path: FUZZ_PATH,
    endOnFailure: FUZZ_PATH !== undefined,
    includeErrorInReport: true,
  });
  stats.ms += Date.now() - started;
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? 'property failed';
    throw new Error(`${name}: ${report}\n\nReplay: FUZZ_SEED=${details.seed} FUZZ_RUNS=${FUZZ_RUNS} ` +
      `FUZZ_PATH=${details.counterexamplePath} npx jest ${file} -t '${name}'`);
  }
}

/** Synthesized templates waiting for one batched cfn-lint run, with the prop set that made each. */
export class TemplateBatch {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-templates-'));
  private readonly origin = new Map<string, string>();

  /** Writes the template to the batch folder; `origin` describes the prop set (for the report). */
  public add(label: string, template: unknown, origin: string): void {
    const file = path.join(this.dir, `${String(this.origin.size).padStart(5, '0')}-${label.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    this.origin.set(file, origin);
  }

  public get size(): number {
    return this.origin.size;
  }

  /**
   * Lints every template in `workers` parallel cfn-lint processes; returns the findings (without
   * known false positives, which are counted) and a report naming the prop set of each template.
   */
  public async lint(workers = Math.min(2, os.cpus().length)): Promise<{ findings: CfnLintFinding[]; falsePositives: number; report: string }> {
    const all = await runCfnLintOnFilesParallel([...this.origin.keys()], workers);
    const findings = all.filter((f) => !isKnownFalsePositive(f));
    const byFile = new Map<string, CfnLintFinding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const report = [...byFile.entries()].map(([file, fs_]) =>
      `${path.basename(file)} (seed ${FUZZ_SEED}) from\n    ${this.origin.get(file)}\n${formatFindings(fs_)}`).join('\n\n');
    return { findings, falsePositives: all.length - findings.length, report };
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * cfn-lint checks JSON schema `multipleOf` in binary floating point, so valid tenths such as 90.8
 * (90.8 / 0.1 = 907.9999999999999) are reported as E3002 "is not a multiple of 0.1" on ECS's
 * StepPercent/CanaryPercent. CloudFormation checks the decimal value and accepts them. Only
 * values with at most one decimal digit are forgiven.
 */
function isKnownFalsePositive(f: CfnLintFinding): boolean {
  return f.rule === 'E3002' && /^-?\d+(\.\d)? is not a multiple of 0\.1$/.test(f.message);
}

/**
 * Values a template must not carry where CloudFormation expects a value: null, non-finite
 * numbers, and strings that show an unresolved or missing value. User data (HookDetails) is
 * skipped.
 */
export function templateProblems(template: unknown): string[] {
  const problems: string[] = [];
  const bad = /(^|[^A-Za-z])(undefined|NaN|Infinity|null)([^A-Za-z]|$)|\[object Object\]|\$\{Token\[/;
  const walk = (value: unknown, at: string) => {
    if (at.endsWith('/HookDetails')) return;
    if (value === null) problems.push(`${at}: null`);
    else if (typeof value === 'number' && !Number.isFinite(value)) problems.push(`${at}: ${value}`);
    else if (typeof value === 'string' && bad.test(value)) problems.push(`${at}: ${JSON.stringify(value.slice(0, 120))}`);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}/${i}`));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) walk(v, `${at}/${k}`);
  };
  walk(template, '');
  return problems;
}

function envInt(name: string, fallback: number, signed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || (!signed && n < 0)) throw new Error(`${name} must be ${signed ? 'an' : 'a non-negative'} integer, got ${raw}`);
  return n;
}
