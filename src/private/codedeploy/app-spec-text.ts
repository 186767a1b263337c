// Reads an AppSpec file's text (YAML or JSON) into a value, guarded against texts that are far
// larger or deeper than an AppSpec (a real one is a few hundred bytes, about 8 levels deep).
import { parseDocument } from 'yaml';
import { describe, fail } from './app-spec-values';

/** An AppSpec longer than this is not an AppSpec (a real one is a few hundred bytes). */
const MAX_TEXT_CHARS = 1_000_000;
/** YAML aliases a document may expand (guards against "billion laughs" documents). */
const MAX_YAML_ALIASES = 100;
/**
 * Upper bound of the nesting the YAML parser is given (see `nestingBound`). The parser recurses
 * per level and runs out of stack at about 800 levels, which can abort the whole process (V8
 * then fails to compile a regular expression); an AppSpec nests about 8 levels deep.
 */
const MAX_NESTING = 100;

/** Parses the text of an AppSpec file; fails with `AppSpec: ...` when it is no YAML or JSON. */
export function parseAppSpecText(text: unknown): unknown {
  if (typeof text !== 'string') fail('text', `expected the file's text, got ${describe(text)}`, 'allowed: YAML or JSON text');
  if (text.length > MAX_TEXT_CHARS) {
    fail('text', `is ${text.length} characters long`, `allowed: at most ${MAX_TEXT_CHARS} (an ECS AppSpec is a few hundred bytes)`);
  }
  if (text.trim() === '') fail('text', 'is empty', 'allowed: YAML or JSON with version, Resources and Hooks');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON (comments, trailing commas, ...): YAML may still read it.
    }
  }
  // JSON.parse does not recurse; the YAML parser does: bound the nesting before it runs.
  const nesting = nestingBound(text);
  if (nesting > MAX_NESTING) {
    fail('text', `may nest up to ${nesting} levels deep (counting indentation, '- ', ': ', '? ', '[' and '{')`,
      `allowed: at most ${MAX_NESTING} (an ECS AppSpec nests about 8 levels deep)`);
  }
  let problem: string;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length === 0) return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    problem = doc.errors[0].message;
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  const firstLine = problem.split('\n')[0].replace(/:$/, '');
  return fail('text', `is neither valid YAML nor valid JSON (${firstLine.slice(0, 200)})`,
    'allowed: one YAML or JSON document with version, Resources and Hooks');
}

/**
 * An upper bound of the nesting depth of a YAML text, without parsing it: per line, the
 * indentation (each block level indents at least one more column), plus the indicators that can
 * open a level on the same line (`- `, `? `, `: `), plus the open flow brackets.
 */
function nestingBound(text: string): number {
  let flow = 0;
  let bound = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    let indent = 0;
    while (indent < line.length && (line[indent] === ' ' || line[indent] === '\t')) indent++;
    let indicators = 0;
    let peak = flow;
    for (let i = indent; i < line.length; i++) {
      const c = line[i];
      if (c === '[' || c === '{') {
        flow++;
        peak = Math.max(peak, flow);
      } else if (c === ']' || c === '}') {
        flow = Math.max(0, flow - 1);
      } else if ((c === '-' || c === '?' || c === ':') && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
        indicators++;
      }
    }
    bound = Math.max(bound, indent + indicators + peak);
  }
  return bound;
}
