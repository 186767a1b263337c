// README examples must compile: every ```ts block of README.md is type-checked against the
// library's source (see test/support/snippets.ts for how a block becomes a module).
import { readmeBlocks, typeCheckSnippets } from './support/snippets';

test('README TypeScript examples compile', () => {
  const found = readmeBlocks();
  expect(found.length).toBeGreaterThan(0);
  expect(typeCheckSnippets(found.map((s) => ({ name: `README.md line ${s.line}`, code: s.code })))).toEqual([]);
});
