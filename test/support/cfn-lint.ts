import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * cfn-lint checks that this project does not enforce, each with the reason. Everything else,
 * errors and warnings alike, fails the check. Informational findings (I*) are not reported.
 */
export const CFN_LINT_IGNORED_CHECKS: Record<string, string> = {
  // aws-cdk-lib's ECS service L2 adds an explicit DependsOn on the listener (rule) it is attached
  // to, even when the service also Refs it. The duplicate ordering edge is harmless and is not
  // ours to remove without reaching into aws-cdk-lib's internals.
  W3005: 'aws-cdk-lib adds DependsOn edges that a Ref already implies (harmless duplicate ordering).',
};

/**
 * Single findings (rule and exact message) that this project accepts, each with the reason; the
 * rule's other findings still fail. Kept as JSON so that scripts/lint-templates.js reads them too.
 */
export const CFN_LINT_ACCEPTED_FINDINGS: ReadonlyArray<{ rule: string; message: string; reason: string }> =
  JSON.parse(fs.readFileSync(path.join(__dirname, 'cfn-lint-accepted.json'), 'utf-8'));

/** One cfn-lint finding. */
export interface CfnLintFinding {
  readonly rule: string;
  readonly level: string;
  readonly message: string;
  readonly file: string;
  readonly path: string;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The cfn-lint executable: $CFN_LINT, the project's .venv, or the PATH. */
export function cfnLintExecutable(): string {
  if (process.env.CFN_LINT) return process.env.CFN_LINT;
  const venv = path.join(PROJECT_ROOT, '.venv', 'bin', 'cfn-lint');
  if (fs.existsSync(venv)) return venv;
  return 'cfn-lint';
}

/**
 * Runs cfn-lint once over the given template files and returns every finding that is not
 * ignored (see CFN_LINT_IGNORED_CHECKS). Throws when cfn-lint cannot run at all, so a missing
 * linter never passes as "no findings".
 */
export function runCfnLintOnFiles(files: string[], extraIgnores: string[] = []): CfnLintFinding[] {
  if (files.length === 0) return [];
  const result = spawnSync(cfnLintExecutable(), cfnLintArgs(files, extraIgnores), { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`cfn-lint could not run (${result.error.message}); run \`npx projen cfn-lint:install\``);
  }
  return parseCfnLintOutput(result.status, result.stdout, result.stderr);
}

/**
 * Like {@link runCfnLintOnFiles}, but splits the files over `workers` cfn-lint processes that run
 * at the same time (cfn-lint itself is single-threaded). For large batches, such as the
 * property-based tests' templates.
 */
export async function runCfnLintOnFilesParallel(files: string[], workers = os.cpus().length, extraIgnores: string[] = []): Promise<CfnLintFinding[]> {
  if (files.length === 0) return [];
  const n = Math.max(1, Math.min(workers, files.length));
  const chunks: string[][] = Array.from({ length: n }, () => []);
  files.forEach((f, i) => chunks[i % n].push(f));
  const results = await Promise.all(chunks.map((chunk) => new Promise<CfnLintFinding[]>((resolve, reject) => {
    const child = spawn(cfnLintExecutable(), cfnLintArgs(chunk, extraIgnores));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf-8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf-8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err) => reject(new Error(`cfn-lint could not run (${err.message}); run \`npx projen cfn-lint:install\``)));
    child.on('close', (status) => {
      try {
        resolve(parseCfnLintOutput(status, stdout, stderr));
      } catch (err) {
        reject(err);
      }
    });
  })));
  return results.flat();
}

function cfnLintArgs(files: string[], extraIgnores: string[]): string[] {
  const ignores = [...Object.keys(CFN_LINT_IGNORED_CHECKS), ...extraIgnores];
  return ['--format', 'json', '--regions', 'us-east-1', '--ignore-checks', ...ignores, '--', ...files];
}

function parseCfnLintOutput(exitStatus: number | null, stdout: string, stderr: string): CfnLintFinding[] {
  // Exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; 1 (or >= 16) is a crash.
  const status = exitStatus ?? 1;
  if (status % 2 === 1 || status >= 16 || stdout.trim() === '') {
    if (status === 0 && stdout.trim() === '') return [];
    throw new Error(`cfn-lint failed to run (exit ${status}):\n${stderr}\n${stdout}`);
  }
  const raw = JSON.parse(stdout) as Array<{
    Rule: { Id: string }; Level: string; Message: string; Filename: string; Location: { Path?: Array<string | number> };
  }>;
  return raw
    .filter((f) => f.Level !== 'Informational')
    .filter((f) => !CFN_LINT_ACCEPTED_FINDINGS.some((a) => a.rule === f.Rule.Id && a.message === f.Message))
    .map((f) => ({
      rule: f.Rule.Id,
      level: f.Level,
      message: f.Message,
      file: f.Filename,
      path: (f.Location.Path ?? []).join('/'),
    }));
}

/** Writes templates (name → template object) to a scratch folder and lints them in one run. */
export function runCfnLint(templates: Record<string, unknown>, extraIgnores: string[] = []): CfnLintFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfnlint-'));
  try {
    const files = Object.entries(templates).map(([name, template], i) => {
      const file = path.join(dir, `${String(i).padStart(3, '0')}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
      fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
      return file;
    });
    return runCfnLintOnFiles(files, extraIgnores);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Human-readable report of findings, one per line. */
export function formatFindings(findings: CfnLintFinding[]): string {
  return findings.map((f) => `  ${f.level} ${f.rule} ${path.basename(f.file)} ${f.path}: ${f.message}`).join('\n');
}
