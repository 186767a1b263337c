import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase } from '../../src';
import { checkStack, newStack } from '../support';
import { codeDeployFixture, codeDeployPathOf, CodeDeployFixture } from '../support/codedeploy-fixture';

// What the README's migration guide says, checked against what the constructs and the package do.
const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README migration guide matches the behaviour', () => {
  test('option 1: PREPARE without runningTaskDefinitionArn warns, as the guide says', () => {
    expect(README).toMatch(/without it, synth warns in `PREPARE`, `CUTOVER`\s+and `CLEANUP`/);
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.CUTOVER, MigrationPhase.CLEANUP]) {
      const stack = newStack('Shop');
      new CodeDeployToEcsMigration(stack, 'Migration', { ...codeDeployPathOf(codeDeployFixture(stack)), option: MigrationOption.inPlace(), phase });
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('runningTaskDefinitionArn is not set'));
      expect({ phase, warnings: warnings.length }).toEqual({ phase, warnings: 1 });
    }
  });

  test.each([
    [4, 'with a test listener', true],
    [2, 'without a test listener', false],
  ])('option 2 needs %i free ports %s, as the guide\'s table says', (_n, _name, withTest) => {
    const ports = new Set<number>();
    for (const phase of [MigrationPhase.PREPARE, MigrationPhase.CUTOVER]) {
      const stack = newStack('Shop');
      const f: CodeDeployFixture = codeDeployFixture(stack, { testListenerInGroup: withTest });
      new CodeDeployToEcsMigration(stack, 'Migration', {
        ...codeDeployPathOf(f),
        testListener: withTest ? f.testListener : undefined,
        option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 }),
        phase,
      });
      const template = checkStack(stack).toJSON();
      for (const r of Object.values<any>(template.Resources)) if (r.Type === 'AWS::ElasticLoadBalancingV2::Listener') ports.add(r.Properties.Port);
    }
    // The fixture's listeners: production 80, test 9000.
    const existing = [80, 9000];
    const free = [...ports].filter((p) => !existing.includes(p)).sort();
    expect(free).toEqual(withTest ? [8080, 8081, 8082, 8083] : [8080, 8082]);
    expect(README).toMatch(/free ports on the load balancer: two \(temporary and parking production ports\), four with a test listener/);
  });

  test('the examples the README links to are in the repository, linked there: the npm package leaves examples/ out', () => {
    const npmignore = fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n');
    expect(npmignore).toContain('examples/');
    // No relative link into examples/ (it would be dead on npmjs.com and in node_modules).
    expect(README.match(/\]\((\.\/)?examples\/[^)]*\)/g) ?? []).toEqual([]);
    const linked = [...README.matchAll(/\]\(https:\/\/github\.com\/cdk-ecs-blue-green\/cdk-ecs-blue-green\/blob\/main\/(examples\/[^)]+)\)/g)].map((m) => m[1]);
    expect(linked).toEqual(expect.arrayContaining(['examples/migration-option-1.ts', 'examples/migration-option-2.ts', 'examples/migration-option-3.ts']));
    for (const file of linked) expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
  });
});
