// The CodeDeploy mapping (src/private/codedeploy/) is shared by the constructs and the operator
// CLI, which esbuild bundles without aws-cdk-lib. These tests follow every import, as esbuild
// does, and fail when the mapping or the CLI reaches aws-cdk-lib or constructs.
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..');
const MAPPING = path.join(ROOT, 'src', 'private', 'codedeploy');
const FORBIDDEN = /^(aws-cdk-lib|constructs)(\/|$)/;

/** Every package (bare import) reached from `entryPoints` through our own files. */
function packagesReached(entryPoints: string[]): Map<string, string> {
  const result = buildSync({
    entryPoints,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    outdir: path.join(ROOT, '.tmp', 'purity'),
    logLevel: 'silent',
  });
  const reached = new Map<string, string>();
  for (const [file, input] of Object.entries(result.metafile!.inputs)) {
    for (const imp of input.imports) {
      if (imp.external) reached.set(imp.path, file);
    }
  }
  return reached;
}

function forbidden(reached: Map<string, string>): string[] {
  return [...reached.entries()].filter(([pkg]) => FORBIDDEN.test(pkg)).map(([pkg, file]) => `${file} imports ${pkg}`);
}

test('the mapping module imports neither aws-cdk-lib nor constructs, directly or through our files', () => {
  const files = fs.readdirSync(MAPPING).filter((f) => f.endsWith('.ts')).map((f) => path.join(MAPPING, f));
  expect(files.length).toBeGreaterThan(5);
  const reached = packagesReached(files);
  expect(forbidden(reached)).toEqual([]);
  // Only what the CLI bundles anyway.
  expect([...reached.keys()].sort()).toEqual(['yaml']);
});

test('the operator CLI reaches neither aws-cdk-lib nor constructs', () => {
  expect(forbidden(packagesReached([path.join(ROOT, 'src', 'cli', 'ecs-blue-green.ts')]))).toEqual([]);
});

test('the check sees a forbidden import through a relative one (a check that cannot fail is no check)', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-purity-'));
  try {
    fs.writeFileSync(path.join(dir, 'leaf.ts'), "import { Duration } from 'aws-cdk-lib';\nexport const d = Duration.minutes(1);\n");
    fs.writeFileSync(path.join(dir, 'entry.ts'), "import { d } from './leaf';\nexport const e = d;\n");
    expect(forbidden(packagesReached([path.join(dir, 'entry.ts')]))).toEqual([`${path.relative(ROOT, path.join(dir, 'leaf.ts'))} imports aws-cdk-lib`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
