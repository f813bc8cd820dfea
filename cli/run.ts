/**
 * `hedgesim run`: load and validate a scenario, run it with progress, write its outputs atomically
 * (summary.json, run.json, blocks.csv, transactions.jsonl, report.html) and print the P&L table.
 */
import { stringify } from 'csv-stringify/sync';
import { scenarioHash } from '../scenarios';
import { recordBlocks, recordTransactions, blockColumns, type Row } from '../sim/record';
import { checkTarget, OutputDir } from './output';
import { prepare } from './prepare';
import { progress } from './progress';
import { reportHtml, thin } from './report';
import { pnlTable } from './table';

export type RecordLevel = 'summary' | 'blocks' | 'full';

export interface RunOptions {
  out?: string;
  seed?: string;
  set?: string[];
  record: RecordLevel;
  quiet: boolean;
  json: boolean;
}

/** How many rows of the per-block table the simple report keeps. */
const REPORT_ROWS = 4000;

export async function runCommand(file: string, opts: RunOptions, version: string): Promise<void> {
  const overrides = [...(opts.set ?? [])];
  if (opts.seed !== undefined) overrides.push(`seed=${opts.seed}`);
  const { loaded, config, sim, place } = prepare(file, overrides);
  const name = loaded.scenario.name;
  const target = opts.out ?? `out/${name}`;
  checkTarget(target);
  const out = new OutputDir(target);
  let stopBar = (): void => {};
  // An interrupted run (Ctrl-C, kill) leaves nothing behind either: the run yields between chunks
  // so that these handlers get their turn.
  const interrupted = (signal: NodeJS.Signals): void => {
    stopBar();
    out.discard();
    process.stderr.write(`\nInterrupted (${signal}): no output was written.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const reportRows: Row[] = [];
    let columns: string[] = [];
    if (opts.record !== 'summary') {
      columns = blockColumns(sim);
      const csv = out.appender('blocks.csv');
      // The header may hold any agent id, so it is quoted by the CSV library; rows are numbers only
      // (non-finite values are written empty, which every reader takes as missing).
      csv.write(stringify([columns]));
      recordBlocks(sim, (row) => {
        csv.write(`${row.map((x) => (typeof x === 'number' && !Number.isFinite(x) ? '' : String(x))).join(',')}\n`);
        reportRows.push(row);
      });
    }
    if (opts.record === 'full') {
      const log = out.appender('transactions.jsonl');
      recordTransactions(sim, (tx) => log.write(`${JSON.stringify(tx)}\n`));
    }
    const total = config.blocks;
    const bar = progress(total, opts.quiet || opts.json);
    stopBar = () => bar.stop();
    const started = new Date();
    const t0 = performance.now();
    sim.start();
    const chunk = Math.max(1, Math.min(10_000, Math.ceil(total / 200)));
    while (!sim.done) {
      sim.step(chunk);
      bar.update(sim.kernel.blockNumber, sim.kernel.time);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    bar.stop();
    const wallSeconds = (performance.now() - t0) / 1000;
    const result = sim.result();
    const summary = { scenario: name, scenarioHash: scenarioHash(loaded.scenario), ...result };
    out.write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    out.write(
      'run.json',
      `${JSON.stringify({ hedgesim: version, node: process.version, platform: `${process.platform}-${process.arch}`, startedAt: started.toISOString(), wallSeconds, blocksPerSecond: result.blocks / wallSeconds, record: opts.record, overrides }, null, 2)}\n`,
    );
    out.write('report.html', reportHtml(`hedgesim — ${name}`, { summary: { name, seed: result.seed, blocks: result.blocks, agents: result.agents }, columns, rows: thin(reportRows, REPORT_ROWS) }));
    out.commit();
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else if (!opts.quiet) {
      process.stdout.write(`${name}: ${result.blocks.toLocaleString('en-US')} blocks (${(result.simulatedSeconds / 86400).toFixed(2)} days simulated) in ${wallSeconds.toFixed(2)} s, seed ${String(result.seed)}\n\n`);
      process.stdout.write(`${pnlTable(result)}\n\nP&L in USD. Outputs in ${out.final}/ (open report.html in a browser).\n`);
    }
  } catch (e) {
    stopBar();
    out.discard();
    throw place(e);
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
}
