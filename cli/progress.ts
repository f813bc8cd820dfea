/**
 * Progress on stderr for long runs: a bar with simulated time, blocks/s and ETA when stderr is a
 * terminal (cli-progress), plain lines every few seconds otherwise, nothing with --quiet. The run is
 * stepped in chunks, so reporting costs nothing per block.
 */
import { SingleBar } from 'cli-progress';
import { UsageError } from './output';

/** Seconds between plain progress lines, and before a run's bar appears. */
export interface ProgressTiming {
  interval: number;
  delay: number;
}

/**
 * The timing from HEDGESIM_PROGRESS_INTERVAL (default 5 s) and HEDGESIM_PROGRESS_DELAY (default
 * 1 s): a user may want denser lines in a CI log, and the tests see progress without runs that
 * last seconds. A value that is not a number ≥ 0 is refused, not silently replaced by the default.
 */
export function progressTiming(env: NodeJS.ProcessEnv = process.env): ProgressTiming {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const v = Number(text);
    if (!(Number.isFinite(v) && v >= 0) || text.trim() === '') throw new UsageError(`${name} must be a number of seconds ≥ 0, found '${text}'`);
    return v;
  };
  return { interval: read('HEDGESIM_PROGRESS_INTERVAL', 5), delay: read('HEDGESIM_PROGRESS_DELAY', 1) };
}

export interface Progress {
  update(blocks: number, simSeconds: number): void;
  stop(): void;
}

export function duration(s: number): string {
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

export function progress(total: number, quiet: boolean, timing: ProgressTiming = { interval: 5, delay: 1 }): Progress {
  const started = performance.now();
  if (quiet) return { update() {}, stop() {} };
  const rate = (done: number): number => done / Math.max((performance.now() - started) / 1000, 1e-9);
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: ' {bar} {percentage}% | block {value}/{total} | sim {sim} | {rate} blocks/s | ETA {eta_formatted}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      stream: process.stderr,
      noTTYOutput: false,
    });
    let shown = false;
    return {
      update(done, sim) {
        // Only runs longer than about a second get a bar.
        if (!shown && performance.now() - started < timing.delay * 1000) return;
        if (!shown) bar.start(total, 0, { sim: '', rate: '' });
        shown = true;
        bar.update(done, { sim: duration(sim), rate: Math.round(rate(done)).toLocaleString('en-US') });
      },
      stop() {
        if (shown) bar.stop();
      },
    };
  }
  let last = started;
  return {
    update(done, sim) {
      const now = performance.now();
      if (now - last < timing.interval * 1000) return;
      last = now;
      const r = rate(done);
      process.stderr.write(`block ${done}/${total} (${((100 * done) / total).toFixed(0)}%), sim ${duration(sim)}, ${Math.round(r).toLocaleString('en-US')} blocks/s, ETA ${duration((total - done) / r)}\n`);
    },
    stop() {},
  };
}
