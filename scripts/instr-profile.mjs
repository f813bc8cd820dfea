// Instructions per block, by JavaScript function, of the benchmark's reference scenario: a count that
// does not move with the machine's load, to compare two builds where wall times (±20 % here) cannot.
//
//   node scripts/instr-profile.mjs [--dist dist] [--agents lp,noise] [--days 2,6] [--top 30]
//
// Runs `dist/profile.mjs` (bench/profile.ts) under valgrind's callgrind twice, for two lengths, with
// V8 writing a map of its generated code (--perf-basic-prof); each instruction's count is credited to
// the JavaScript function or builtin whose code holds it, and the difference of the two runs divided
// by the difference in blocks is the steady-state cost per block (start-up and compilation cancel).
// The total of JavaScript and builtins repeats to about ±0.1 %; the whole process's count does not
// (garbage collection and background compilation move with timing), so it is printed but not ranked.
// Needs valgrind (apt-get install valgrind) and a build (node scripts/build.mjs). Takes a few minutes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const dist = resolve(opt('dist', 'dist'));
const agents = opt('agents', '');
const [d1, d2] = opt('days', '2,6').split(',').map(Number);
const top = Number(opt('top', '30'));
const BLOCKS_PER_DAY = 7200; // bench/reference.yaml: 12 s blocks
if (!existsSync(join(dist, 'profile.mjs'))) throw new Error(`${dist}/profile.mjs not found: node scripts/build.mjs`);
if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind not found (apt-get install valgrind)');

const work = mkdtempSync(join(tmpdir(), 'hedgesim-instr-'));

/** One run under callgrind: its per-address counts and V8's code map. */
function run(days) {
  const out = join(work, `cg-${days}.out`);
  const env = { ...process.env, BENCH_DAYS: String(days) };
  if (agents !== '') env.BENCH_AGENTS = agents;
  else delete env.BENCH_AGENTS;
  const r = spawnSync('valgrind', ['--tool=callgrind', '--dump-instr=yes', `--callgrind-out-file=${out}`, process.execPath, '--perf-basic-prof', '--single-threaded', join(dist, 'profile.mjs')], { env, encoding: 'utf8', cwd: work });
  if (r.status !== 0) throw new Error(`valgrind run failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const pid = /==(\d+)==/.exec(r.stderr)?.[1];
  // V8 writes its map to /tmp whatever TMPDIR says.
  const map = `/tmp/perf-${pid}.map`;
  if (pid === undefined || !existsSync(map)) throw new Error('V8 wrote no code map (--perf-basic-prof)');
  renameSync(map, join(work, `map-${days}`));
  return { counts: readCounts(out), ranges: readMap(join(work, `map-${days}`)) };
}

/** Self instruction counts per code address from a callgrind file written with --dump-instr=yes. */
function readCounts(file) {
  const counts = new Map();
  let pos = 0;
  let skipNext = false;
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const c = line[0];
    if (c === undefined) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '*') {
      const parts = line.split(' ');
      const a = parts[0];
      // Addresses are absolute (0x…), relative to the last (+n, -n) or the same (*); sub-positions may be compressed likewise.
      if (a === '*') {
        /* same address */
      } else if (a[0] === '+') pos += Number(a.slice(1));
      else if (a[0] === '-') pos -= Number(a.slice(1));
      else pos = Number(a);
      // The line after calls= is the call's inclusive cost, not the caller's own.
      if (skipNext) {
        skipNext = false;
        continue;
      }
      const ir = Number(parts[parts.length - 1]);
      if (parts.length >= 2 && Number.isFinite(ir)) {
        counts.set(pos, (counts.get(pos) ?? 0) + ir);
        total += ir;
      }
    } else if (line.startsWith('calls=')) skipNext = true;
    else if (line.startsWith('summary:')) total = Number(line.split(' ')[1]);
  }
  counts.total = total;
  return counts;
}

/** V8's code map: sorted [start, end, name]. */
function readMap(file) {
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) rows.push([parseInt(m[1], 16), parseInt(m[1], 16) + parseInt(m[2], 16), m[3].replace(/file:\/\/\S*\/(dist[^/]*\/)/, '$1').replace(/^JS:[*^~+]?/, '')]);
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

/** Counts summed by the generated-code function holding each address (JavaScript and builtins). */
function byFunction({ counts, ranges }) {
  const starts = ranges.map((r) => r[0]);
  const sums = new Map();
  for (const [addr, ir] of counts) {
    let lo = 0;
    let hi = starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= addr) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0 || addr >= ranges[k][1]) continue;
    // One name per function however often it was recompiled (its code moves between tiers).
    const name = ranges[k][2].replace(/ \(code [^)]*\)$/, '');
    sums.set(name, (sums.get(name) ?? 0) + ir);
  }
  return sums;
}

try {
  const a = run(d1);
  const b = run(d2);
  const blocks = (d2 - d1) * BLOCKS_PER_DAY;
  const fa = byFunction(a);
  const fb = byFunction(b);
  const diff = [...new Set([...fa.keys(), ...fb.keys()])].map((k) => [k, ((fb.get(k) ?? 0) - (fa.get(k) ?? 0)) / blocks]);
  const generated = diff.reduce((s, [, v]) => s + v, 0);
  const whole = (b.counts.total - a.counts.total) / blocks;
  console.log(`${dist}/profile.mjs${agents ? ` (agents ${agents})` : ''}, days ${d1} → ${d2}: instructions per block`);
  console.log(`  JavaScript and builtins  ${generated.toFixed(0)}   (repeats to about ±0.1 %)`);
  console.log(`  whole process            ${whole.toFixed(0)}   (with garbage collection and compilation: moves between runs)`);
  for (const [name, v] of diff.sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${v.toFixed(0).padStart(8)} ${((100 * v) / generated).toFixed(1).padStart(5)} %  ${name.slice(0, 110)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
