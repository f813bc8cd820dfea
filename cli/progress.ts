/**
 * Progress on stderr for long runs: a bar with simulated time, blocks/s and ETA when stderr is a
 * terminal (cli-progress), plain lines every few seconds otherwise, nothing with --quiet. The run is
 * stepped in chunks, so reporting costs nothing per block.
 */
import { SingleBar } from 'cli-progress';

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

export function progress(total: number, quiet: boolean): Progress {
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
        if (!shown && performance.now() - started < 1000) return;
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
      if (now - last < 5000) return;
      last = now;
      const r = rate(done);
      process.stderr.write(`block ${done}/${total} (${((100 * done) / total).toFixed(0)}%), sim ${duration(sim)}, ${Math.round(r).toLocaleString('en-US')} blocks/s, ETA ${duration((total - done) / r)}\n`);
    },
    stop() {},
  };
}
