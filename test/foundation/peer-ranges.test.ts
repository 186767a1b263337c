import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { distProblems, npmProblems } from '../../scripts/peer-ranges';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf-8'));
const PEERS = { 'aws-cdk-lib': '^2.257.0', 'constructs': '^10.5.1' };

describe('peer dependency ranges (npm install must accept any newer aws-cdk-lib 2.x)', () => {
  test('package.json, package-lock.json and the jsii assembly carry ^ ranges, development pins the minimum', () => {
    const pkg = read('package.json');
    expect(pkg.peerDependencies).toEqual(PEERS);
    expect(pkg.devDependencies).toMatchObject({ 'aws-cdk-lib': '2.257.0', 'constructs': '10.5.1' });
    const assembly = fs.existsSync(path.join(ROOT, '.jsii')) ? read('.jsii') : { dependencies: PEERS };
    expect(npmProblems(pkg, read('package-lock.json'), assembly)).toEqual([]);
  });

  test('an exact pin is reported, with what jsii-pacmak would render from it for Python, Maven and NuGet', () => {
    const pkg = { peerDependencies: { 'aws-cdk-lib': '2.257.0', 'constructs': '^10.5.1' }, devDependencies: { 'aws-cdk-lib': '2.257.0', 'constructs': '10.5.1' } };
    expect(npmProblems(pkg)).toEqual([
      'package.json peerDependencies.aws-cdk-lib is "2.257.0": it must be a caret range (^X.Y.Z) so that newer releases install',
    ]);
    const problems = npmProblems({ ...pkg, peerDependencies: PEERS }, undefined, { dependencies: { 'aws-cdk-lib': '2.257.0', 'constructs': '^10.5.1' } });
    expect(problems).toEqual([
      '.jsii has dependency aws-cdk-lib "2.257.0", package.json ^2.257.0: recompile',
      'jsii-pacmak renders aws-cdk-lib 2.257.0 for Python as "==2.257.0", not an open range',
      'jsii-pacmak renders aws-cdk-lib 2.257.0 for Maven as "[2.257.0]", an exact version',
      'jsii-pacmak renders aws-cdk-lib 2.257.0 for NuGet as "[2.257.0]", an exact version',
    ]);
  });

  test('a devDependency that is not the minimum is reported (tests would run on a newer release than users may have)', () => {
    expect(npmProblems({ peerDependencies: PEERS, devDependencies: { 'aws-cdk-lib': '^2.257.0', 'constructs': '10.5.1' } })).toEqual([
      'package.json devDependencies.aws-cdk-lib is "^2.257.0": it must pin the peer\'s minimum 2.257.0 (development runs on the oldest supported release)',
    ]);
  });
});

describe('built packages (dist/)', () => {
  let dist: string;
  beforeEach(() => { dist = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-ranges-')); });
  afterEach(() => fs.rmSync(dist, { recursive: true, force: true }));

  function write(file: string, text: string) {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.writeFileSync(path.join(dist, file), text);
  }
  function wheel(requires: string[]) {
    fs.mkdirSync(path.join(dist, 'python'), { recursive: true });
    const metadata = ['Metadata-Version: 2.1', 'Name: cdk-ecs-blue-green', ...requires.map((r) => `Requires-Dist: ${r}`)].join('\n');
    execFileSync('python3', ['-c', 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.writestr("x-0.0.0.dist-info/METADATA", sys.argv[2])',
      path.join(dist, 'python', 'x-0.0.0-py3-none-any.whl'), metadata]);
  }
  const pom = (cdk: string, constructs = '10.8.1') => `<dependencies>
    <dependency><groupId>software.amazon.awscdk</groupId><artifactId>aws-cdk-lib</artifactId><version>${cdk}</version></dependency>
    <dependency><groupId>software.constructs</groupId><artifactId>constructs</artifactId><version>${constructs}</version></dependency></dependencies>`;
  const goMod = (extra = '') => `module x\nrequire (\n\tgithub.com/aws/aws-cdk-go/awscdk/v2 v2.257.0\n\tgithub.com/aws/constructs-go/constructs/v10 v10.5.1\n)\n${extra}`;

  test('open ranges pass in every target', () => {
    wheel(['aws-cdk-lib <3.0.0,>=2.257.0', 'constructs <11.0.0,>=10.5.1']);
    write('java/x/x-0.0.0.pom', pom('2.263.0'));
    write('go/x/go.mod', goMod());
    expect(distProblems(dist, PEERS)).toEqual({ built: ['python', 'java', 'go'], problems: [] });
  });

  test('exact pins, a version below the minimum and a replace directive are reported', () => {
    wheel(['aws-cdk-lib ==2.257.0', 'constructs <11.0.0,>=10.5.1']);
    write('java/x/x-0.0.0.pom', pom('[2.257.0]', '10.0.0'));
    write('go/x/go.mod', goMod('replace github.com/aws/aws-cdk-go/awscdk/v2 => ../cdk\n'));
    expect(distProblems(dist, PEERS).problems).toEqual([
      'x-0.0.0-py3-none-any.whl requires aws-cdk-lib ==2.257.0: expected >=2.257.0 and below the next major, no ==',
      'x-0.0.0.pom pins software.amazon.awscdk:aws-cdk-lib to exactly [2.257.0]',
      'x-0.0.0.pom asks for software.constructs:constructs 10.0.0, below the minimum 10.5.1',
      'go.mod has a replace directive',
    ]);
  });
});
