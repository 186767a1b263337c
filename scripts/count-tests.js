#!/usr/bin/env node
// Counts junit testcases in a folder of reports and prints "N passed, N failed" as the last line.
// A testcase with <failure> or <error> failed; <skipped> ones count as neither. Exits 1 when any
// failed or none passed.
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2] || 'test-reports';
let passed = 0;
let failed = 0;
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.xml')) : [];
for (const file of files) {
  const xml = fs.readFileSync(path.join(dir, file), 'utf-8');
  // Each testcase runs to its own closing tag, or is self-closing.
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) || [];
  let p = 0;
  let f = 0;
  for (const c of cases) {
    if (/<(failure|error)\b/.test(c)) f++;
    else if (!/<skipped\b/.test(c)) p++;
  }
  console.log(`  ${file}: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
