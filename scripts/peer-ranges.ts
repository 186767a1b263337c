// The peer dependency ranges every jsii target carries: aws-cdk-lib and constructs must stay open
// ranges (^2.257.0, ^10.x) from npm to Python, Java, Go and .NET, with the minimum as the pinned
// development version. An exact pin made `npm install` fail with ERESOLVE on any newer aws-cdk-lib
// (and pip/Maven/NuGet refuse or downgrade the same way).
//
//   ts-node scripts/peer-ranges.ts [dist]   checks package.json, package-lock.json, .jsii, and
//                                            each built package under dist/ (python, java, go, dotnet)
// Exits 1 listing every problem. test/foundation/peer-ranges.test.ts runs the same checks.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { toMavenVersionRange, toNuGetVersionRange, toPythonVersionRange } from 'jsii-pacmak/lib/targets/version-utils';

/** The peers and their package names in each target. */
export const PEERS = [
  { npm: 'aws-cdk-lib', python: 'aws-cdk-lib', maven: 'software.amazon.awscdk:aws-cdk-lib', go: 'github.com/aws/aws-cdk-go/awscdk/v2', nuget: 'Amazon.CDK.Lib' },
  { npm: 'constructs', python: 'constructs', maven: 'software.constructs:constructs', go: 'github.com/aws/constructs-go/constructs/v10', nuget: 'Constructs' },
] as const;

/** `^X.Y.Z`: every later release of major X. */
const CARET = /^\^(\d+)\.(\d+)\.(\d+)$/;

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/** Problems of the npm side: package.json, its lock file and the jsii assembly. */
export function npmProblems(pkg: any, lock?: any, assembly?: any): string[] {
  const problems: string[] = [];
  for (const { npm } of PEERS) {
    const range: string | undefined = pkg.peerDependencies?.[npm];
    const m = range ? CARET.exec(range) : null;
    if (!m) {
      problems.push(`package.json peerDependencies.${npm} is ${JSON.stringify(range)}: it must be a caret range (^X.Y.Z) so that newer releases install`);
      continue;
    }
    const dev: string | undefined = pkg.devDependencies?.[npm];
    if (dev !== `${m[1]}.${m[2]}.${m[3]}`) {
      problems.push(`package.json devDependencies.${npm} is ${JSON.stringify(dev)}: it must pin the peer's minimum ${m[1]}.${m[2]}.${m[3]} (development runs on the oldest supported release)`);
    }
    const locked = lock?.packages?.['']?.peerDependencies?.[npm];
    if (lock && locked !== range) problems.push(`package-lock.json has peer ${npm} ${JSON.stringify(locked)}, package.json ${range}: run npx projen`);
    const assembled = assembly?.dependencies?.[npm];
    if (assembly && assembled !== range) problems.push(`.jsii has dependency ${npm} ${JSON.stringify(assembled)}, package.json ${range}: recompile`);
    if (assembled) problems.push(...renderedProblems(npm, assembled));
  }
  return problems;
}

/** What jsii-pacmak renders for a range in each target must be a range too. */
function renderedProblems(npm: string, range: string): string[] {
  const problems: string[] = [];
  const python = toPythonVersionRange(range);
  if (python.includes('==') || !python.includes('<')) problems.push(`jsii-pacmak renders ${npm} ${range} for Python as "${python}", not an open range`);
  for (const [target, rendered] of [['Maven', toMavenVersionRange(range)], ['NuGet', toNuGetVersionRange(range)]]) {
    if (/^\[[^,]*\]$/.test(rendered)) problems.push(`jsii-pacmak renders ${npm} ${range} for ${target} as "${rendered}", an exact version`);
  }
  return problems;
}

/** The minimum version of a caret range (`^2.257.0` → `2.257.0`). */
function minimumOf(range: string): string {
  return range.replace(/^\^/, '');
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function filesUnder(dir: string, pred: (f: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, pred) : pred(e.name) ? [p] : [];
  });
}

/**
 * Problems of the packages jsii-pacmak built under `dist` (only the targets present are checked;
 * `built` lists them). Python: setup.py's install_requires is `>=min, <next major`, never `==`.
 * Java: jsii-pacmak resolves ranges to the newest release Maven serves (`versions:resolve-ranges`),
 * a soft requirement that an app's own version overrides; never an exact `[x]` range, never below
 * the minimum. Go: go.mod requires are minimums (minimal version selection); no `replace`.
 * .NET: the nuspec range is not an exact `[x]`.
 */
export function distProblems(dist: string, peers: Record<string, string>): { built: string[]; problems: string[] } {
  const built: string[] = [];
  const problems: string[] = [];
  const wheels = filesUnder(path.join(dist, 'python'), (f) => f.endsWith('.whl'));
  if (wheels.length > 0) {
    built.push('python');
    const metadata = wheelMetadata(wheels[0]);
    for (const peer of PEERS) {
      const m = new RegExp(`^Requires-Dist: ${peer.python} (.+)$`, 'm').exec(metadata);
      const spec = m?.[1].trim();
      const min = minimumOf(peers[peer.npm]);
      const wheel = path.basename(wheels[0]);
      if (!spec) {
        problems.push(`${wheel} does not require ${peer.python}`);
      } else if (spec.includes('==') || !spec.includes(`>=${min}`) || !/<\d/.test(spec)) {
        problems.push(`${wheel} requires ${peer.python} ${spec}: expected >=${min} and below the next major, no ==`);
      }
    }
  }
  const poms = filesUnder(path.join(dist, 'java'), (f) => f.endsWith('.pom'));
  if (poms.length > 0) {
    built.push('java');
    const pom = fs.readFileSync(poms[0], 'utf-8');
    for (const peer of PEERS) {
      const [group, artifact] = peer.maven.split(':');
      const m = new RegExp(`<groupId>${group}</groupId>\\s*<artifactId>${artifact}</artifactId>\\s*<version>([^<]+)</version>`).exec(pom);
      const version = m?.[1];
      const file = path.basename(poms[0]);
      const min = minimumOf(peers[peer.npm]);
      if (!version) {
        problems.push(`${file} has no dependency ${peer.maven}`);
      } else if (/^\[[^,]*\]$/.test(version)) {
        problems.push(`${file} pins ${peer.maven} to exactly ${version}`);
      } else if (/^\d/.test(version) && compareVersions(version, min) < 0) {
        problems.push(`${file} asks for ${peer.maven} ${version}, below the minimum ${min}`);
      }
    }
  }
  const goMods = filesUnder(path.join(dist, 'go'), (f) => f === 'go.mod');
  if (goMods.length > 0) {
    built.push('go');
    const mod = fs.readFileSync(goMods[0], 'utf-8');
    if (/^\s*replace\b/m.test(mod)) problems.push('go.mod has a replace directive');
    for (const peer of PEERS) {
      const m = new RegExp(`${peer.go.replace(/[.]/g, '\\.')} v(\\d+\\.\\d+\\.\\d+)`).exec(mod);
      if (!m) problems.push(`go.mod does not require ${peer.go}`);
      else if (m[1] !== minimumOf(peers[peer.npm])) problems.push(`go.mod requires ${peer.go} v${m[1]}, not the minimum v${minimumOf(peers[peer.npm])}`);
    }
  }
  const nuspecs = filesUnder(path.join(dist, 'dotnet'), (f) => f.endsWith('.nuspec') || f.endsWith('.csproj'));
  if (nuspecs.length > 0) {
    built.push('dotnet');
    const text = fs.readFileSync(nuspecs[0], 'utf-8');
    for (const peer of PEERS) {
      const m = new RegExp(`"${peer.nuget}"[^>]*Version="([^"]+)"`, 'i').exec(text) ?? new RegExp(`id="${peer.nuget}"[^>]*version="([^"]+)"`, 'i').exec(text);
      if (m && /^\[[^,]*\]$/.test(m[1])) problems.push(`${path.basename(nuspecs[0])} pins ${peer.nuget} to exactly ${m[1]}`);
    }
  }
  return { built, problems };
}

/** The METADATA of a wheel (a zip file), read with the Python that cfn-lint needs anyway. */
function wheelMetadata(wheel: string): string {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
    'print(next(z.read(n).decode() for n in z.namelist() if n.endswith(".dist-info/METADATA")))';
  return execFileSync(process.env.PYTHON ?? 'python3', ['-c', script, wheel], { encoding: 'utf-8' });
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const pkg = readJson(path.join(root, 'package.json'));
  const lock = readJson(path.join(root, 'package-lock.json'));
  const assemblyFile = path.join(root, '.jsii');
  const assembly = fs.existsSync(assemblyFile) ? readJson(assemblyFile) : undefined;
  const dist = path.resolve(root, process.argv[2] ?? 'dist');
  const { built, problems } = distProblems(dist, pkg.peerDependencies ?? {});
  const all = [...npmProblems(pkg, lock, assembly), ...problems];
  if (all.length > 0) {
    console.error(`peer-ranges: ${all.length} problem(s):\n  ${all.join('\n  ')}`);
    process.exit(1);
  }
  const peers = PEERS.map((p) => `${p.npm} ${pkg.peerDependencies[p.npm]}`).join(', ');
  console.log(`peer-ranges: ${peers} in package.json, package-lock.json${assembly ? ', .jsii' : ''}${built.map((b) => `, dist/${b}`).join('')}`);
}

if (require.main === module) main();
