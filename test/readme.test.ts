// README examples must compile: every ```ts block of README.md is type-checked against the
// library's source. Import lines and `declare` lines are hoisted to module level; the rest runs in
// the constructor of a Stack subclass, so snippets may use `this` as their scope. A snippet that
// does not use `this` is compiled as a module of its own.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');

function snippets(): Array<{ line: number; code: string }> {
  const text = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const found: Array<{ line: number; code: string }> = [];
  const fence = /^```(ts|typescript)\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text)) !== null) {
    found.push({ line: text.slice(0, m.index).split('\n').length, code: m[2] });
  }
  return found;
}

function toModule(code: string): string {
  const rewrite = (l: string) => l.replace(/from ['"]cdk-ecs-blue-green(\/lib\/([^'"]+))?['"]/, (_s, _p, sub) => `from '${path.join(root, 'src', sub ?? 'index')}'`);
  // A snippet without `this` is a module of its own (e.g. a Lambda handler).
  if (!/\bthis\b/.test(code)) return code.split('\n').map(rewrite).join('\n') + '\nexport {};\n';
  const hoisted: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const l of code.split('\n')) {
    if (inImport || /^import\b/.test(l) || /^declare\b/.test(l)) {
      hoisted.push(rewrite(l));
      inImport = /^import\b/.test(l) ? !/;\s*$/.test(l) : inImport && !/;\s*$/.test(l);
    } else {
      body.push(l);
    }
  }
  return [
    ...hoisted,
    "import { Stack as __Stack } from 'aws-cdk-lib';",
    'export class __Snippet extends __Stack {',
    '  constructor() {',
    '    super();',
    ...body.map((l) => `    ${l}`),
    '  }',
    '}',
  ].join('\n');
}

test('README TypeScript examples compile', () => {
  const found = snippets();
  expect(found.length).toBeGreaterThan(0);
  const dir = fs.mkdtempSync(path.join(root, '.tmp-readme-'));
  try {
    const files = found.map((s, i) => {
      const file = path.join(dir, `snippet-line-${s.line}-${i}.ts`);
      fs.writeFileSync(file, toModule(s.code));
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      noUnusedLocals: false,
      types: ['node'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(d.file.fileName));
    const report = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(report).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
