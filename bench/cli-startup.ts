// `npx ts-node --transpile-only bench/cli-startup.ts [bundle...] [--runs N] [--args "--help"]`:
// size of the bundled operator CLI and the cost of starting it (`node <bundle> --help`): wall time
// (median and p90) and CPU user+sys of the child process (from /usr/bin/time, when present).
// With several bundles (e.g. a copy built from main and the current one), runs are interleaved so
// that machine noise hits all alike. Prints one Markdown table row per bundle.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  argv.splice(i, 2);
  return value;
};
const runs = Number(flag('--runs') ?? '30');
const cliArgs = (flag('--args') ?? '--help').split(' ').filter(Boolean);
const bundles = argv.length > 0 ? argv : [path.join(root, 'assets', 'cli', 'ecs-blue-green', 'index.js')];
const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);
const WARMUP = 3;

interface Run { wallMs: number; cpuMs?: number }

function once(bundle: string): Run {
  const report = path.join(os.tmpdir(), `cli-startup-${process.pid}.txt`);
  const [cmd, args] = hasTime
    ? [TIME, ['-f', '%U %S', '-o', report, process.execPath, bundle, ...cliArgs]]
    : [process.execPath, [bundle, ...cliArgs]];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf-8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${bundle} ${cliArgs.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!hasTime) return { wallMs };
  const [user, sys] = fs.readFileSync(report, 'utf-8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(report, { force: true });
  return { wallMs, cpuMs: (user + sys) * 1000 };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

const samples = new Map<string, Run[]>(bundles.map((b) => [b, []]));
for (let i = 0; i < WARMUP + runs; i++) {
  for (const b of bundles) {
    const r = once(b);
    if (i >= WARMUP) samples.get(b)!.push(r);
  }
}

console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
  `\`node <bundle> ${cliArgs.join(' ')}\`, ${runs} runs after ${WARMUP} warm-up${bundles.length > 1 ? ', interleaved' : ''}`);
console.log('| bundle | KB | wall median ms | wall p90 ms | CPU user+sys median ms | CPU user+sys p90 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [b, rs] of samples) {
  const wall = rs.map((r) => r.wallMs);
  const cpu = rs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  const fmt = (xs: number[], q: number) => (xs.length ? quantile(xs, q).toFixed(0) : 'n/a');
  console.log(`| ${path.relative(process.cwd(), b) || b} | ${(fs.statSync(b).size / 1024).toFixed(0)} | ${fmt(wall, 0.5)} | ${fmt(wall, 0.9)} | ${fmt(cpu, 0.5)} | ${fmt(cpu, 0.9)} |`);
}
