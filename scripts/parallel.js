#!/usr/bin/env node
// Runs the given shell commands at the same time (for single-threaded steps of `npm test`, which
// leave one of CI's two cores idle when run one after the other). Each command's output is printed
// in one piece when it ends, with its time; the exit status is 1 if any command failed.
'use strict';
const { spawn } = require('child_process');

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: node scripts/parallel.js "<command>" "<command>" ...');
  process.exit(2);
}

const runs = commands.map((command) => new Promise((resolve) => {
  const started = Date.now();
  const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
  child.on('close', (code, signal) => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const ok = code === 0;
    process.stdout.write(`::: ${command} (${secs} s)\n`);
    process.stdout.write(Buffer.concat(output));
    if (!ok) process.stdout.write(`::: FAILED (${signal ?? `exit ${code}`}): ${command}\n`);
    resolve(ok);
  });
}));

Promise.all(runs).then((results) => {
  process.exit(results.every(Boolean) ? 0 : 1);
});
