// The one-way dependency rule of docs/ARCHITECTURE.md, checked over every relative import in src/.
// A folder may import only the folders listed for it; `private/` and `errors.ts` are leaves that
// everything may use. The rule keeps the CLI bundle free of aws-cdk-lib (see also
// test/private/codedeploy-purity.test.ts) and lets a routing kind or a hook change without
// touching the service or the migration.
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Top-level unit of src/ → the units it may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  'index.ts': ['errors.ts', 'hooks', 'migration', 'observability', 'private', 'routing', 'service'],
  'errors.ts': [],
  'private': ['errors.ts'],
  'routing': ['errors.ts', 'private'],
  'hooks': ['errors.ts', 'private'],
  'observability': ['errors.ts', 'private'],
  'service': ['errors.ts', 'private', 'routing', 'hooks', 'observability'],
  'migration': ['errors.ts', 'private', 'routing', 'hooks', 'observability', 'service'],
  // The operator CLI is bundled without aws-cdk-lib: pure mapping facts and the Node-only hook runtime.
  'cli': ['private', 'hooks'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The top-level unit of src/ a file belongs to: a folder name, or the file name at the root. */
function unitOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative import specifiers of a source text (static imports, re-exports, dynamic imports, require). */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) found.push(spec);
  }
  return found;
}

/** Every import in src/ that crosses units against ALLOWED, as "file: from → to (spec)". */
function violations(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    for (const spec of relativeImports(fs.readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), spec);
      const rel = path.relative(SRC, target);
      const to = rel.startsWith('..') ? '(outside src)' : rel.split(path.sep)[0].replace(/^errors$/, 'errors.ts');
      if (to === from) continue;
      if (!(ALLOWED[from] ?? []).includes(to)) out.push(`${path.relative(SRC, file)}: ${from} → ${to} ('${spec}')`);
    }
  }
  return out;
}

describe('the one-way dependency rule (docs/ARCHITECTURE.md)', () => {
  test('every top-level unit of src/ is listed in the rule', () => {
    const units = [...new Set(sourceFiles(SRC).map(unitOf))].sort();
    expect(units).toEqual(Object.keys(ALLOWED).sort());
  });

  test('no import in src/ goes against the arrows', () => {
    expect(violations()).toEqual([]);
  });

  test('the import scanner sees every form of import', () => {
    const text = [
      "import { a } from '../service/x';",
      'import {',
      '  b,',
      "} from '../migration/y';",
      "export * from './z';",
      "import * as cdk from 'aws-cdk-lib';",
      "const m = await import('../cli/main');",
      "const r = require('../observability/q');",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['../service/x', '../migration/y', './z', '../cli/main', '../observability/q']);
  });
});
