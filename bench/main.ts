/**
 * `npm run bench`: the reference scenario through the full engine, the same arithmetic as a bare
 * loop, and the hand-written Python loop, measured in one sitting and reported as ratios (machines
 * are noisy; ratios travel). Every figure is a median over at least BENCH_REPS (default 5) samples,
 * with its min–max: never a best-of. A sample that would span less than about a second is repeated
 * inside one longer measurement, so JIT and GC noise average out. Beside the in-process figures it
 * times whole processes as users run them — `hedgesim run bench/reference.yaml --record summary`
 * against `python3 bench/peers/python_ref.py` over the same simulated span, alternated A B A B —
 * and sweeps through the command line (`BENCH_ONLY=sweep` runs only those, `BENCH_ONLY=process`
 * only the whole-process comparison, `BENCH_ONLY=startup` only the start-up times, `BENCH_ONLY=engine`
 * only the in-process figures). It also checks
 * that memory stays flat in the number of blocks. The long-run memory line — a year of the default
 * scenario written at `--record blocks` and `full`, peak RSS of the command — takes most of an hour:
 * `BENCH_ONLY=longrun` runs only it, `BENCH_LONG=1` adds it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../sim/simulation';
import { bareLoop } from './bare-loop';
import { REFERENCE_FILE, referenceScenario } from './reference';
import { allAgentsScenario } from './all-agents';
import type { SimConfig } from '../sim/config';

const here = dirname(fileURLToPath(import.meta.url));
const days = Number(process.env.BENCH_DAYS ?? 30);
const reps = Math.max(5, Number(process.env.BENCH_REPS ?? 5));
/** Seconds one sample spans at least: shorter runs are repeated inside it. */
const minSample = Number(process.env.BENCH_MIN_SAMPLE ?? 1);
/** Simulated days of the whole-process comparison (≥ 100, as users run long scenarios). */
const processDays = Math.max(100, Number(process.env.BENCH_PROCESS_DAYS ?? 100));

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Median and range of samples. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const range = (s: Spread, f: (n: number) => string = fmt): string => `${f(s.min)}–${f(s.max)}`;
const x2 = (n: number): string => `${n.toFixed(2)}×`;

/** `reps` samples of `f`, each a rate (units per second) over runs repeated until one sample spans `minSample` seconds. */
function sampleRates(f: () => number): Spread {
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let units = 0;
    const t0 = performance.now();
    let t = 0;
    do {
      units += f();
      t = (performance.now() - t0) / 1000;
    } while (t < minSample);
    rates.push(units / t);
  }
  return spread(rates);
}

interface EngineRun {
  blocks: number;
  txs: number;
  heapGrowth: number;
}

/**
 * One run. `collect` forces garbage collections around it to measure retained heap; it is used only
 * for the memory check, since a forced full GC costs the next run its optimised code.
 */
function runEngine(config: SimConfig, collect = false): EngineRun {
  if (collect) gc();
  const heap0 = process.memoryUsage().heapUsed;
  const sim = new Simulation(config);
  sim.start();
  sim.run();
  const r = sim.result();
  if (collect) gc();
  const heapGrowth = process.memoryUsage().heapUsed - heap0;
  const txs = r.agents.reduce((s, a) => s + a.txs.included, 0);
  return { blocks: r.blocks, txs, heapGrowth };
}

function pythonScript(): string | undefined {
  return [join(here, '..', 'bench', 'peers', 'python_ref.py'), join(here, 'peers', 'python_ref.py')].find((p) => existsSync(p));
}

/** The Python loop's own in-process rate (it times its loop alone), over enough days to span `minSample`. */
function pythonRate(script: string, d: number): number | null {
  try {
    const out = execFileSync('python3', [script, String(d)], { encoding: 'utf8' });
    const m = /([\d,]+) blocks\/s/.exec(out);
    return m ? Number(m[1]!.replace(/,/g, '')) : null;
  } catch {
    return null;
  }
}

const root = [join(here, '..'), join(here, '..', '..')].find((d) => existsSync(join(d, 'dist', 'hedgesim.cjs')));

/**
 * Wall time of `hedgesim sweep FILE --workers N` in a child process, as a user runs it: process
 * start, loading and checking the sweep, the runs (in the main thread for --workers 1, on a pool
 * when it pays for more), and writing the outputs. `env` can force the pool (HEDGESIM_SWEEP_POOL).
 */
function timeSweep(file: string, workers: number, env: Record<string, string> = {}): { seconds: number; runs: number } {
  if (root === undefined) throw new Error('dist/hedgesim.cjs not found: npm run build');
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-sweep-bench-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'dist', 'hedgesim.cjs'), 'sweep', join(root, file), '--workers', String(workers), '--out', join(out, 'o'), '-q'], { encoding: 'utf8', env: { ...process.env, ...env } });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`hedgesim sweep ${file} --workers ${workers} exited ${r.status}: ${r.stderr}`);
    const runs = readFileSync(join(out, 'o', 'runs.jsonl'), 'utf8').split('\n').filter((l) => l !== '').length;
    return { seconds, runs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * What two cores give this workload with no pool at all: the sweep as two shards in two separate
 * processes started together (each `--workers 1`), timed until both finish. The pool's speed-up is
 * bounded by this ceiling (shared caches and memory bandwidth slow two busy cores down).
 */
async function timeTwoShardProcesses(file: string): Promise<number> {
  if (root === undefined) throw new Error('dist/hedgesim.cjs not found: npm run build');
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-sweep-bench-'));
  try {
    const t0 = performance.now();
    const shard = (i: number): Promise<void> =>
      new Promise((done, fail) => {
        const args = [join(root, 'dist', 'hedgesim.cjs'), 'sweep', join(root, file), '--workers', '1', '--shard', `${i}/2`, '--out', join(out, `s${i}`), '-q'];
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', fail);
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`shard ${i}/2 exited ${code}`))));
      });
    await Promise.all([shard(0), shard(1)]);
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function sweepBench(): Promise<void> {
  // The long sweep: 240 one-day runs of the default scenario (10.4 M blocks), where a pool pays.
  // Alternated --workers 1, --workers 2, two shard processes, so load drift falls on all three.
  const sweepReps = Math.max(3, Number(process.env.BENCH_SWEEP_REPS ?? reps));
  const one: number[] = [];
  const two: number[] = [];
  const shards: number[] = [];
  let runs = 0;
  for (let r = 0; r < sweepReps; r++) {
    const a = timeSweep('bench/sweep-bench.yaml', 1);
    runs = a.runs;
    one.push(a.seconds);
    two.push(timeSweep('bench/sweep-bench.yaml', 2).seconds);
    shards.push(await timeTwoShardProcesses('bench/sweep-bench.yaml'));
  }
  const s1 = spread(one);
  const s2 = spread(two);
  const sh = spread(shards);
  const speedUp = spread(one.map((t, i) => t / two[i]!));
  const ceiling = spread(one.map((t, i) => t / shards[i]!));
  const sec = (n: number): string => n.toFixed(2);
  console.log(`sweep (${runs} one-day runs of 43,200 blocks, whole command), medians of ${sweepReps} alternated:`);
  console.log(`  --workers 1                  ${sec(s1.median)} s (${range(s1, sec)})   ${(runs / s1.median).toFixed(1)} runs/s, main thread`);
  console.log(`  --workers 2                  ${sec(s2.median)} s (${range(s2, sec)})   speed-up ${x2(speedUp.median)} (${range(speedUp, x2)}; target ≥ 1.8× on 2 cores)`);
  console.log(`  two shard processes at once  ${sec(sh.median)} s (${range(sh, sec)})   speed-up ${x2(ceiling.median)} (${range(ceiling, x2)}): no pool, what two cores give this workload`);
  // A short sweep (60 runs of 7,200 blocks): the default leaves it in the main thread, since starting a pool costs more than it saves.
  const short = 'scenarios/sweeps/band-vs-gas.yaml';
  const t1: number[] = [];
  const t2: number[] = [];
  const tp: number[] = [];
  let shortRuns = 0;
  for (let r = 0; r < 3; r++) {
    const a = timeSweep(short, 1);
    shortRuns = a.runs;
    t1.push(a.seconds);
    t2.push(timeSweep(short, 2).seconds);
    tp.push(timeSweep(short, 2, { HEDGESIM_SWEEP_POOL: 'always' }).seconds);
  }
  console.log(`short sweep (band-vs-gas, ${shortRuns} runs of 7,200 blocks), medians of 3: --workers 1 ${sec(spread(t1).median)} s, --workers 2 ${sec(spread(t2).median)} s (main thread: too short for a pool), forced pool of 2 ${sec(spread(tp).median)} s`);
}

/** Wall seconds of a child process, as a user runs it (start-up, loading, the run, writing). */
function wall(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return s;
}

/**
 * The whole-process comparison: `hedgesim run bench/reference.yaml --record summary` against the
 * Python script over the same simulated span, alternated A B A B so drift in the machine's load
 * falls on both; the ratio is the median of the per-pair ratios.
 */
function processBench(): void {
  if (root === undefined) throw new Error('dist/hedgesim.cjs not found: npm run build');
  const script = pythonScript();
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-run-bench-'));
  try {
    const run = (): number => wall(process.execPath, [join(root, 'dist', 'hedgesim.cjs'), 'run', REFERENCE_FILE, '--set', `duration=${processDays}d`, '--record', 'summary', '--out', join(out, 'o'), '-q']);
    run();
    const hs: number[] = [];
    const py: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < reps; r++) {
      const a = run();
      hs.push(a);
      if (script !== undefined) {
        const b = wall('python3', [script, String(processDays)]);
        py.push(b);
        ratios.push(b / a);
      }
    }
    const h = spread(hs);
    const s2 = (n: number): string => n.toFixed(2);
    console.log(`whole process, ${processDays} days (${fmt((processDays * 86_400) / 12)} blocks), ${reps} alternated pairs:`);
    console.log(`  hedgesim run --record summary   ${s2(h.median)} s   (${range(h, s2)})`);
    if (script === undefined || py.length === 0) {
      console.log('  python3 python_ref.py           (python3 not available: skipped)');
      return;
    }
    const p = spread(py);
    const q = spread(ratios);
    console.log(`  python3 python_ref.py           ${s2(p.median)} s   (${range(p, s2)})`);
    console.log(`  python time / hedgesim time     ${x2(q.median)}   (${range(q, x2)}; target ≥ 2×)`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Start-up as a user meets it: `hedgesim run scenarios/default.yaml` in a child process, timed from
 * just before the spawn to the end of the first simulated block (the child prints that span when
 * HEDGESIM_FIRST_BLOCK_MARK holds the spawn time), beside the whole command run for one block
 * (writing its outputs, exiting) and a bare `node -e 0`, what any Node command costs here.
 */
/** Milliseconds from spawn to the first block of `hedgesim run scenarios/default.yaml`, which is then stopped (SIGTERM). */
function firstBlockMs(cli: string, scenario: string, out: string): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [cli, 'run', scenario, '--record', 'summary', '--out', out, '-q'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HEDGESIM_FIRST_BLOCK_MARK: String(t0) } });
    let err = '';
    let ms: number | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      err += s;
      const m = /hedgesim-first-block-ms=([\d.]+)/.exec(err);
      if (m !== null && ms === undefined) {
        ms = Number(m[1]);
        child.kill('SIGTERM');
      }
    });
    child.on('error', fail);
    child.on('close', () => (ms !== undefined ? done(ms) : fail(new Error(`hedgesim run (start-up) ended without its first block: ${err}`))));
  });
}

async function startupBench(): Promise<void> {
  if (root === undefined) throw new Error('dist/hedgesim.cjs not found: npm run build');
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-start-bench-'));
  const n = Math.max(reps, Number(process.env.BENCH_START_REPS ?? 9));
  try {
    const firstBlock: number[] = [];
    const oneBlock: number[] = [];
    const bare: number[] = [];
    const cli = join(root, 'dist', 'hedgesim.cjs');
    const scenario = join(root, 'scenarios', 'default.yaml');
    for (let r = 0; r < n + 1; r++) {
      const first = await firstBlockMs(cli, scenario, join(out, 'o'));
      const whole = wall(process.execPath, [cli, 'run', scenario, '--record', 'summary', '--set', 'duration=2s', '--out', join(out, 'o'), '-q']) * 1000;
      const b = wall(process.execPath, ['-e', '0']) * 1000;
      if (r === 0) continue; // a cold first run (file cache) is not a sample
      firstBlock.push(first);
      oneBlock.push(whole);
      bare.push(b);
    }
    const f = spread(firstBlock);
    const o = spread(oneBlock);
    const b = spread(bare);
    const ms = (x: number): string => x.toFixed(0);
    console.log(`start-up, default scenario, medians of ${n} (ms):`);
    console.log(`  command to first simulated block   ${ms(f.median)} ms   (${range(f, ms)}; target ≤ 150 ms)`);
    console.log(`  whole command, one block           ${ms(o.median)} ms   (${range(o, ms)}): outputs written, process exited`);
    console.log(`  node -e 0                          ${ms(b.median)} ms   (${range(b, ms)}): Node's own start on this machine`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `hedgesim run scenarios/default.yaml` over `days` days of 2 s blocks at `record`, in a child
 * process as a user runs it, writing every output: its wall time and its own peak resident set,
 * which the child reports as it exits (process.resourceUsage().maxRSS, preloaded with --import).
 */
function longRun(days: number, record: 'blocks' | 'full'): { seconds: number; peakMiB: number; blocks: number } {
  if (root === undefined) throw new Error('dist/hedgesim.cjs not found: npm run build');
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-long-bench-'));
  const report = "process.on('exit', () => process.stderr.write('\\nhedgesim-maxrss-kib=' + process.resourceUsage().maxRSS + '\\n'))";
  try {
    const t0 = performance.now();
    const args = ['--import', `data:text/javascript,${encodeURIComponent(report)}`, join(root, 'dist', 'hedgesim.cjs'), 'run', join(root, 'scenarios', 'default.yaml'), '--set', `duration=${days}d`, '--record', record, '--out', join(out, 'o'), '-q'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`hedgesim run (${days} days, --record ${record}) exited ${r.status}: ${r.stderr}`);
    const m = /hedgesim-maxrss-kib=(\d+)/.exec(r.stderr);
    if (m === null) throw new Error('the child did not report its peak RSS');
    const blocks = (JSON.parse(readFileSync(join(out, 'o', 'summary.json'), 'utf8')) as { blocks: number }).blocks;
    return { seconds, peakMiB: Number(m[1]) / 1024, blocks };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The long-run memory lines: a year of the default scenario at `--record blocks` and `full`. */
function longRunBench(): void {
  const days = Number(process.env.BENCH_LONG_DAYS ?? 365);
  for (const record of ['blocks', 'full'] as const) {
    const r = longRun(days, record);
    const ok = r.peakMiB <= 500 ? 'met' : '**not met**';
    console.log(`long run, --record ${record.padEnd(6)} ${days} days of 2 s blocks (${fmt(r.blocks)} blocks): peak RSS ${r.peakMiB.toFixed(0)} MiB (target ≤ 500 MiB: ${ok}), ${r.seconds.toFixed(0)} s`);
  }
}

function machine(): string {
  const c = cpus();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, load average ${load} at start, node ${process.version}`;
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'sweep') return sweepBench();
  if (process.env.BENCH_ONLY === 'process') return processBench();
  if (process.env.BENCH_ONLY === 'startup') return startupBench();
  // A year of blocks takes most of an hour at --record full: only on request.
  if (process.env.BENCH_ONLY === 'longrun') return longRunBench();
  console.log(`hedgesim benchmark — ${machine()}`);
  console.log(`medians of ${reps} samples (each ≥ ${minSample} s, shorter runs repeated inside it), min–max in brackets; one core`);
  console.log('');
  const ref = referenceScenario(days);
  const all = allAgentsScenario(Number(process.env.BENCH_ALL_DAYS ?? 7));
  // Warm-up: the same code paths once, so every sample runs optimised code.
  runEngine(referenceScenario(days / 10));
  bareLoop(days / 10);
  const once = runEngine(ref);
  const engine = sampleRates(() => runEngine(ref).blocks);
  const bare = sampleRates(() => bareLoop(days).blocks);
  const script = pythonScript();
  // The Python loop runs ~0.5 M blocks/s: enough days that one sample spans ≥ minSample.
  const pyDays = Math.max(days, Math.ceil((minSample * 600_000 * 12) / 86_400));
  const pyRates: number[] = [];
  if (script !== undefined) for (let r = 0; r < reps; r++) {
    const x = pythonRate(script, pyDays);
    if (x === null) break;
    pyRates.push(x);
  }
  const python = pyRates.length === reps ? spread(pyRates) : null;
  runEngine(allAgentsScenario(1));
  const allRun = runEngine(all);
  const allAgents = sampleRates(() => runEngine(all).blocks);
  const small = runEngine(referenceScenario(days / 10), true);
  const large = runEngine(ref, true);
  const txPerBlock = once.txs / once.blocks;
  console.log(`reference scenario, ${days} days of 12 s blocks (${fmt(once.blocks)} blocks, ${txPerBlock.toFixed(2)} tx/block)`);
  console.log(`engine        ${fmt(engine.median).padStart(12)} blocks/s   (${range(engine)})   ${fmt(engine.median * txPerBlock)} tx/s`);
  console.log(`bare loop     ${fmt(bare.median).padStart(12)} blocks/s   (${range(bare)})   same arithmetic, no engine`);
  if (python !== null) console.log(`python loop   ${fmt(python.median).padStart(12)} blocks/s   (${range(python)})   bench/peers/python_ref.py, ${pyDays} days, its loop's own timing`);
  else console.log('python loop   (python3 not available: skipped)');
  console.log('');
  console.log(`engine time / bare-loop time   ${x2(bare.median / engine.median)}   (${x2(bare.min / engine.max)}–${x2(bare.max / engine.min)} from the extremes; target ≤ 4×, next mark ≤ 3×)`);
  if (python !== null) console.log(`engine speed / python speed    ${x2(engine.median / python.median)}   (${x2(engine.min / python.max)}–${x2(engine.max / python.min)}; target ≥ 2×)`);
  console.log('');
  const allTx = allRun.txs / allRun.blocks;
  console.log(`all-agent L2    ${fmt(allAgents.median).padStart(10)} blocks/s   (${range(allAgents)})   ${fmt(allAgents.median * allTx)} tx/s, 12 agents of every kind, 2 s blocks`);
  console.log(`reference / all-agent speed    ${x2(engine.median / allAgents.median)}   (target ≤ 2×)`);
  console.log('');
  if (process.env.BENCH_ONLY !== 'engine') {
    processBench();
    console.log('');
    await startupBench();
    console.log('');
    await sweepBench();
    console.log('');
  }
  console.log(`peak RSS                       ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB   (this process, after the in-process runs)`);
  console.log(`heap retained, ${days / 10} vs ${days} days   ${(small.heapGrowth / 2 ** 20).toFixed(2)} MiB vs ${(large.heapGrowth / 2 ** 20).toFixed(2)} MiB (summary level: flat in blocks)`);
  if (process.env.BENCH_LONG === '1') {
    console.log('');
    longRunBench();
  }
}

await main();
