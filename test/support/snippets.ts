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

/**
 * The ```ts blocks of README.md, with the line each starts on, and the ```tsx ones: TypeScript-only
 * code (Node.js Lambda handlers) that jsii-rosetta must not try to translate (it takes ts and
 * typescript fences only) but that must compile all the same.
 */
export function readmeBlocks(): Array<{ line: number; code: string }> {
  const text = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const found: Array<{ line: number; code: string }> = [];
  const fence = /^```(ts|typescript|tsx)\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text)) !== null) {
    found.push({ line: text.slice(0, m.index).split('\n').length, code: m[2] });
  }
  return found;
}

/** The one README block that contains `marker` (an error names how many did). */
export function readmeBlock(marker: string): string {
  const blocks = readmeBlocks().filter((b) => b.code.includes(marker));
  if (blocks.length !== 1) throw new Error(`expected one README block containing ${JSON.stringify(marker)}, found ${blocks.length}`);
  return blocks[0].code;
}

/**
 * Runs a README snippet as the code of a stack's constructor, so that a test synthesizes exactly
 * what the README shows (no copy to drift from it). `this` is `self`; each `declare const name`
 * takes `inputs[name]` (a missing input is an error); `cdk-ecs-blue-green` is the library's src/.
 * `requireFn` is the caller's `require`, so the snippet shares the test's module instances.
 * Returns the snippet's top-level constants named in `results`.
 */
export function runSnippet(code: string, self: unknown, inputs: Record<string, unknown>, requireFn: NodeRequire,
  results: string[] = []): Record<string, any> {
  const imports: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const l of code.split('\n')) {
    const declared = /^declare const (\w+)\s*:/.exec(l);
    if (inImport || /^import\b/.test(l)) {
      imports.push(l.replace(/from ['"]cdk-ecs-blue-green(\/lib\/([^'"]+))?['"]/, (_s, _p, sub) => `from '${path.join(root, 'src', sub ?? 'index')}'`));
      inImport = /^import\b/.test(l) ? !/;\s*$/.test(l) : inImport && !/;\s*$/.test(l);
    } else if (declared) {
      if (!(declared[1] in inputs)) throw new Error(`the snippet declares ${declared[1]}, which the test does not give`);
      body.push(`const ${declared[1]} = __inputs[${JSON.stringify(declared[1])}];`);
    } else {
      body.push(l);
    }
  }
  const source = [...imports, 'export function __run(this: any, __inputs: any) {', ...body, `return { ${results.join(', ')} };`, '}'].join('\n');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(source, { compilerOptions }).outputText;
  const mod = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'exports', 'module', js)(requireFn, mod.exports, mod);
  return mod.exports.__run.call(self, inputs);
}
