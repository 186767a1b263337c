// README examples must compile: every ```ts block of README.md is type-checked against the
// library's source (see test/support/snippets.ts for how a block becomes a module).
import * as fs from 'fs';
import * as path from 'path';
import { typeCheckSnippets } from './support/snippets';

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

test('README TypeScript examples compile', () => {
  const found = snippets();
  expect(found.length).toBeGreaterThan(0);
  expect(typeCheckSnippets(found.map((s) => ({ name: `README.md line ${s.line}`, code: s.code })))).toEqual([]);
});
