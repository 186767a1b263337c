import { spawnSync } from 'child_process';
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
  const ignores = [...Object.keys(CFN_LINT_IGNORED_CHECKS), ...extraIgnores];
  const result = spawnSync(
    cfnLintExecutable(),
    ['--format', 'json', '--regions', 'us-east-1', '--ignore-checks', ...ignores, '--', ...files],
    { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) {
    throw new Error(`cfn-lint could not run (${result.error.message}); run \`npx projen cfn-lint:install\``);
  }
  // Exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; 1 (or >= 16) is a crash.
  const status = result.status ?? 1;
  if (status % 2 === 1 || status >= 16 || result.stdout.trim() === '') {
    if (status === 0 && result.stdout.trim() === '') return [];
    throw new Error(`cfn-lint failed to run (exit ${status}):\n${result.stderr}\n${result.stdout}`);
  }
  const raw = JSON.parse(result.stdout) as Array<{
    Rule: { Id: string }; Level: string; Message: string; Filename: string; Location: { Path?: Array<string | number> };
  }>;
  return raw
    .filter((f) => f.Level !== 'Informational')
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
