import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { formatFindings, runCfnLint } from './cfn-lint';
import { applyNag, nagFindings } from './nag';

export * from './cfn-lint';
export * from './nag';
export * from './fixtures';

interface PendingTemplate {
  readonly name: string;
  readonly template: unknown;
}

const pending: PendingTemplate[] = [];

/** Options of {@link checkStack}. */
export interface CheckStackOptions {
  /** Also run cdk-nag's AwsSolutions pack and require 0 unsuppressed findings. @default false */
  readonly nag?: boolean;
}

/**
 * The template check every construct test uses: synthesizes the stack, returns its assertions
 * Template and queues the template for cfn-lint. The queued templates of a test file are linted
 * in one cfn-lint run after the file's tests (see jest-setup.ts), and any finding fails the file
 * with the name of the test that produced it. With `nag: true`, cdk-nag AwsSolutions runs too and
 * its unsuppressed findings fail at once. Call `applyNag(stack)` before anything synthesizes the
 * stack if the nag check is wanted after other assertions.
 */
export function checkStack(stack: Stack, options: CheckStackOptions = {}): Template {
  if (options.nag) applyNag(stack);
  const template = Template.fromStack(stack);
  if (options.nag) {
    const findings = nagFindings(stack);
    if (findings.length > 0) {
      throw new Error(`cdk-nag AwsSolutions findings in ${stack.stackName}:\n  ${findings.join('\n  ')}`);
    }
  }
  pending.push({ name: `${currentTestName()}::${stack.stackName}`, template: template.toJSON() });
  return template;
}

/** Lints every template queued by checkStack and clears the queue; throws on any finding. */
export function flushTemplateChecks(): void {
  if (pending.length === 0) return;
  const batch = pending.splice(0, pending.length);
  // Tests of one file often synthesize the same template (a phase built again for another
  // assertion): lint each distinct template once, under the names of every test that made it.
  const byText = new Map<string, string[]>();
  batch.forEach((p) => {
    const text = JSON.stringify(p.template);
    byText.set(text, [...(byText.get(text) ?? []), p.name]);
  });
  const names: Record<string, unknown> = {};
  [...byText.entries()].forEach(([text, tests], i) => {
    const more = tests.length > 1 ? `-and-${tests.length - 1}-more` : '';
    names[`${i}-${tests[0]}${more}`] = JSON.parse(text);
  });
  if (process.env.CFN_LINT_BATCH_STATS) console.log(`cfn-lint: ${batch.length} templates, ${byText.size} distinct`);
  const findings = runCfnLint(names);
  if (findings.length > 0) {
    throw new Error(`cfn-lint findings in ${new Set(findings.map((f) => f.file)).size} template(s):\n${formatFindings(findings)}`);
  }
}

/**
 * A fresh app + stack. The account is left to deployment time so that VPCs render their
 * availability zones with Fn::GetAZs (hard-coded dummy zones would be cfn-lint W3010 findings);
 * cfn-lint checks against us-east-1.
 */
export function newStack(id = 'TestStack'): Stack {
  const app = new App();
  return new Stack(app, id);
}

function currentTestName(): string {
  try {
    return expect.getState().currentTestName ?? 'unknown-test';
  } catch {
    return 'outside-jest';
  }
}
