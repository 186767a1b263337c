// Type-checking TypeScript snippets (README examples, the CLI's generated CDK code) against the
// library's source. Import and `declare` lines are hoisted to module level; the rest runs in the
// constructor of a Stack subclass, so snippets may use `this` as their scope. A snippet that does
// not use `this` is compiled as a module of its own.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');

/** A snippet as a module: `cdk-ecs-blue-green` imports point at src/. */
export function snippetModule(code: string): string {
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

const SNIPPET_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  esModuleInterop: true,
  skipLibCheck: true,
  noUnusedLocals: false,
  types: ['node'],
};

// Parsing aws-cdk-lib's declarations and the library's sources is most of a check's time. The
// parsed files outside a check's scratch folder are kept for the test file's later checks (they
// do not change during a test run); each check's snippets are always read afresh.
const sharedSourceFiles = new Map<string, ts.SourceFile>();
let lastProgram: ts.Program | undefined;

function snippetHost(scratchDir: string): ts.CompilerHost {
  const host = ts.createCompilerHost(SNIPPET_OPTIONS);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName.startsWith(scratchDir + path.sep)) return read(fileName, languageVersion, onError, shouldCreate);
    const cached = sharedSourceFiles.get(fileName);
    if (cached) return cached;
    const file = read(fileName, languageVersion, onError, shouldCreate);
    if (file) sharedSourceFiles.set(fileName, file);
    return file;
  };
  return host;
}

/** Type-checks the snippets in one program; returns `<name>:<line>: <message>` per diagnostic. */
export function typeCheckSnippets(snippets: Array<{ name: string; code: string }>): string[] {
  const dir = fs.mkdtempSync(path.join(root, '.tmp-readme-'));
  try {
    const files = snippets.map((s, i) => {
      const file = path.join(dir, `${i}-${s.name.replace(/[^A-Za-z0-9_-]/g, '_')}.ts`);
      fs.writeFileSync(file, snippetModule(s.code));
      return file;
    });
    const program = ts.createProgram({ rootNames: files, options: SNIPPET_OPTIONS, host: snippetHost(dir), oldProgram: lastProgram });
    lastProgram = program;
    return ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(d.file.fileName)).map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${snippets[files.indexOf(d.file!.fileName)].name}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
