// Turns `go test -json` output into a junit report (one testcase per top-level test) for
// scripts/count-tests.js. Prints each test's result and any output of the failed ones.
// Usage: node scripts/go-junit.js go-test.json test-reports/go.xml
const fs = require('fs');

const [input, output] = process.argv.slice(2);
const tests = new Map();
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (!line.startsWith('{')) continue;
  const e = JSON.parse(line);
  if (!e.Test || e.Test.includes('/')) continue;
  const t = tests.get(e.Test) ?? { name: e.Test, output: '', action: 'run', elapsed: 0 };
  if (e.Action === 'output') t.output += e.Output;
  if (['pass', 'fail', 'skip'].includes(e.Action)) {
    t.action = e.Action;
    t.elapsed = e.Elapsed ?? 0;
  }
  tests.set(e.Test, t);
}
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cases = [...tests.values()].map((t) => {
  console.log(`go test: ${t.action} ${t.name} (${t.elapsed}s)`);
  if (t.action === 'pass') return `<testcase classname="go" name="${esc(t.name)}" time="${t.elapsed}"/>`;
  if (t.action === 'skip') return `<testcase classname="go" name="${esc(t.name)}" time="${t.elapsed}"><skipped/></testcase>`;
  process.stdout.write(t.output);
  return `<testcase classname="go" name="${esc(t.name)}" time="${t.elapsed}"><failure message="${esc(t.action === 'run' ? 'did not finish' : 'failed')}">${esc(t.output)}</failure></testcase>`;
});
const failures = [...tests.values()].filter((t) => t.action !== 'pass' && t.action !== 'skip').length;
if (tests.size === 0) {
  // A build failure: no test ran. Count it as one failed testcase with go's output.
  const out = fs.readFileSync(input, 'utf8');
  process.stdout.write(out);
  cases.push(`<testcase classname="go" name="build" time="0"><failure message="no Go test ran">${esc(out)}</failure></testcase>`);
}
fs.writeFileSync(output, `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="go" tests="${cases.length}" failures="${failures + (tests.size === 0 ? 1 : 0)}">\n${cases.join('\n')}\n</testsuite></testsuites>\n`);
