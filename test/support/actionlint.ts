import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** One actionlint finding. */
export interface ActionlintFinding {
  readonly kind: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** $NAME, then the project's .tools copy (scripts/ensure-actionlint.sh), then the PATH. */
function tool(envName: string, local: string, name: string): string {
  if (process.env[envName]) return process.env[envName]!;
  const file = path.join(PROJECT_ROOT, '.tools', local);
  return fs.existsSync(file) ? file : name;
}

/** ShellCheck, for the scripts of the examples and the `run:` steps actionlint extracts. */
export function shellcheckExecutable(): string {
  return tool('SHELLCHECK', path.join('venv', 'bin', 'shellcheck'), 'shellcheck');
}

/**
 * Runs actionlint (with ShellCheck on `run:` scripts) over one workflow file and returns its
 * findings. Throws when actionlint or ShellCheck cannot run, so a missing linter never passes as
 * "no findings".
 */
export function runActionlint(workflow: string): ActionlintFinding[] {
  const shellcheck = shellcheckExecutable();
  const check = spawnSync(shellcheck, ['--version'], { encoding: 'utf-8' });
  if (check.error || check.status !== 0) {
    throw new Error(`ShellCheck could not run (${check.error?.message ?? check.stderr}); run \`npx projen actionlint:install\``);
  }
  const result = spawnSync(tool('ACTIONLINT', path.join('bin', 'actionlint'), 'actionlint'),
    ['-format', '{{json .}}', '-shellcheck', shellcheck, '-no-color', workflow], { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`actionlint could not run (${result.error.message}); run \`npx projen actionlint:install\``);
  }
  // Exit codes: 0 no problem, 1 problems found, 2 invalid command line, 3 fatal error.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`actionlint failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  const raw = JSON.parse(result.stdout.trim() || '[]') as Array<{ kind: string; message: string; line: number; column: number }>;
  return raw.map(({ kind, message, line, column }) => ({ kind, message, line, column }));
}

/** ShellCheck's findings on one script, as `line:column SCcode message` strings. */
export function runShellcheck(script: string): string[] {
  const result = spawnSync(shellcheckExecutable(), ['--format', 'json1', script], { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`ShellCheck could not run (${result.error.message}); run \`npx projen actionlint:install\``);
  }
  const comments = (JSON.parse(result.stdout || '{"comments":[]}') as { comments: Array<{ line: number; column: number; code: number; message: string }> }).comments;
  return comments.map((c) => `${c.line}:${c.column} SC${c.code} ${c.message}`);
}
