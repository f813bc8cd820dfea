/**
 * `hedgesim run`: load and validate a scenario, run it with progress, write its outputs atomically
 * (summary.json, run.json, blocks.csv, pnl.csv, mev.csv, transfers.csv, transfers-blocks.csv,
 * transactions.jsonl, mempool.jsonl, report.html) and
 * print the P&L table. With --fork-from, the run is a fork (cli/fork.ts, docs/forks.md).
 */
import { stringify } from 'csv-stringify/sync';
import { dataFiles, dataHashes } from './data-files';
import { scenarioHash } from '../scenarios';
import { blockColumns, MEV_COLUMNS, PNL_COMPONENTS, recordBlocks, recordCandidates, recordMev, recordPnl, recordTransactions, recordTransfers, TRANSFER_COLUMNS, transferRows } from '../sim/record';
import { checkRow, checkSummary, emptyAllowed, outputCandidates, outputTransaction } from './finite';
import { onInterrupt } from './interrupt';
import { checkTarget, OutputDir, UsageError } from './output';
import { prepare, warningLines, type Prepared } from './prepare';
import type { ForkedFrom, PreparedFork } from './fork';
import { progress, progressTiming } from './progress';
import { ReportCollector } from './report-data';
import { reportHtml } from './report';
import { pnlTable } from './table';

export type RecordLevel = 'summary' | 'blocks' | 'full';

export interface RunOptions {
  out?: string;
  seed?: string;
  set?: string[];
  record: RecordLevel;
  quiet: boolean;
  json: boolean;
  /** A fork (docs/forks.md): the original run's folder and the last block it shares with it. */
  forkFrom?: string;
  atBlock?: string;
}

/** The P&L decomposition is sampled at about this many blocks (and the last one). */
const PNL_SAMPLES = 2000;

const csvRow = (row: readonly (string | number)[]): string => `${row.map((x) => (typeof x === 'number' ? (Number.isFinite(x) ? String(x) : '') : stringify([[x]]).trimEnd())).join(',')}\n`;

export async function runCommand(file: string, opts: RunOptions, version: string): Promise<void> {
  const timing = progressTiming();
  const overrides = [...(opts.set ?? [])];
  if (opts.seed !== undefined) overrides.push(`seed=${opts.seed}`);
  const fork = await prepareRun(file, overrides, opts);
  const { loaded, config, sim, place } = fork;
  const forkedFrom: ForkedFrom | undefined = 'forkedFrom' in fork ? fork.forkedFrom : undefined;
  // Run to the end, or to block N, apply the fork's changes there, and on to the end.
  let pending = forkedFrom === undefined ? undefined : (fork as PreparedFork).apply;
  const step = (blocks: number): void => {
    if (pending !== undefined && sim.kernel.blockNumber === forkedFrom!.block) {
      pending(sim);
      pending = undefined;
    }
    sim.step(pending === undefined ? blocks : Math.min(blocks, forkedFrom!.block - sim.kernel.blockNumber));
  };
  const name = loaded.scenario.name;
  const target = opts.out ?? `out/${name}`;
  // Replacing the output folder deletes what it holds: never the scenario or its price or base fee files.
  const inputs = [{ what: 'the scenario file', path: loaded.file }];
  for (const [field, path] of Object.entries(dataFiles(loaded))) inputs.push({ what: field === 'chain.baseFee.file' ? 'the base fee file' : `the price file of ${field.split('.')[2]}`, path });
  checkTarget(target, inputs);
  const out = new OutputDir(target);
  let stopBar = (): void => {};
  // An interrupted run (Ctrl-C, kill, a closed terminal) leaves nothing behind either: the run
  // yields between chunks, and once more before replacing the folder, so that this gets its turn.
  const interrupt = onInterrupt((signal) => {
    stopBar();
    out.discard();
    process.stderr.write(`\nInterrupted (${signal}): no output was written (any previous outputs are as they were).\n`);
  });
  try {
    const report = new ReportCollector(config.blocks);
    // MEV events are few (one row per bundle or searcher's transaction): written at every level.
    report.recordsMev();
    const mev = out.appender('mev.csv');
    mev.write(stringify([MEV_COLUMNS]));
    recordMev(sim, (row) => {
      checkRow(MEV_COLUMNS, row);
      mev.write(csvRow(row));
      report.mev(row);
    });
    if (opts.record !== 'summary') {
      const columns = blockColumns(sim);
      report.blocksHeader(columns);
      const csv = out.appender('blocks.csv');
      // Headers and agent ids are quoted by the CSV library; numbers are written as they are
      // (non-finite values empty, which every reader takes as missing).
      csv.write(stringify([columns]));
      const empty = emptyAllowed(columns);
      const emptyBefore = emptyAllowed(columns, sim.kernel.world.agentIds.length);
      recordBlocks(sim, (row) => {
        checkRow(columns, row, sim.measuring ? empty : emptyBefore);
        csv.write(csvRow(row));
        report.block(row);
      });
      const pnlColumns = ['block', 'time', 'agent', ...PNL_COMPONENTS];
      report.pnlHeader(pnlColumns);
      const pnl = out.appender('pnl.csv');
      pnl.write(stringify([pnlColumns]));
      recordPnl(sim, Math.max(1, Math.floor(config.blocks / PNL_SAMPLES)), (row) => {
        checkRow(pnlColumns, row);
        pnl.write(csvRow(row));
        report.pnl(row);
      });
    }
    if (opts.record === 'full') {
      report.recordsTransactions();
      const log = out.appender('transactions.jsonl');
      recordTransactions(sim, (tx) => {
        log.write(`${JSON.stringify(outputTransaction(tx))}\n`);
        report.transaction(tx);
      });
      const seen = out.appender('mempool.jsonl');
      recordCandidates(sim, (c) => {
        seen.write(`${JSON.stringify(outputCandidates(c))}\n`);
        report.candidates(c);
      });
      const blockTransferColumns = ['block', ...TRANSFER_COLUMNS];
      const moved = out.appender('transfers-blocks.csv');
      moved.write(stringify([blockTransferColumns]));
      recordTransfers(sim, (row) => {
        checkRow(blockTransferColumns, row);
        moved.write(csvRow(row));
      });
    }
    const total = config.blocks;
    const started = new Date();
    const t0 = performance.now();
    sim.start();
    // Said before the run, not after it: the user may stop it and fix the scenario.
    if (!opts.quiet) for (const line of warningLines(loaded, sim.warnings)) process.stderr.write(`${line}\n`);
    const bar = progress(total, opts.quiet || opts.json, timing);
    stopBar = () => bar.stop();
    const chunk = Math.max(1, Math.min(10_000, Math.ceil(total / 200)));
    // For the benchmark's start-up figure: HEDGESIM_FIRST_BLOCK_MARK=<the parent's epoch ms at spawn>
    // prints the milliseconds from then to the end of the first simulated block (chunking does not
    // change the outputs). Wall-clock time here is a measurement of the command, never an input.
    const mark = process.env.HEDGESIM_FIRST_BLOCK_MARK;
    if (mark !== undefined && !sim.done) {
      step(1);
      process.stderr.write(`hedgesim-first-block-ms=${(performance.timeOrigin + performance.now() - Number(mark)).toFixed(1)}\n`);
    }
    while (!sim.done) {
      step(chunk);
      bar.update(sim.kernel.blockNumber, sim.kernel.time);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    bar.stop();
    const wallSeconds = (performance.now() - t0) / 1000;
    const result = sim.result();
    const { format, ...rest } = result;
    const summary = { format, scenario: name, scenarioHash: scenarioHash(loaded.scenario), ...rest, ...(forkedFrom !== undefined ? { forkedFrom: { run: forkedFrom.run, scenarioHash: forkedFrom.scenarioHash, block: forkedFrom.block } } : {}) };
    checkSummary(summary, result.blocks);
    out.write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    // The whole run's transfers, at every --record level: one row per pair, venue and kind.
    const transfers = transferRows(sim);
    for (const row of transfers) checkRow(['block', ...TRANSFER_COLUMNS], [result.blocks, ...row]);
    out.write('transfers.csv', stringify([[...TRANSFER_COLUMNS]]) + transfers.map(csvRow).join(''));
    out.write(
      'run.json',
      `${JSON.stringify({ hedgesim: version, node: process.version, platform: `${process.platform}-${process.arch}`, startedAt: started.toISOString(), wallSeconds, blocksPerSecond: result.blocks / wallSeconds, record: opts.record, overrides, dataHashes: dataHashes(loaded), ...(forkedFrom !== undefined ? { forkedFrom } : {}) }, null, 2)}\n`,
    );
    out.write('report.html', reportHtml(`hedgesim — ${name}`, report.data(summary)));
    await interrupt.settle();
    out.commit();
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else if (!opts.quiet) {
      const fork = forkedFrom === undefined ? '' : `, a fork of ${forkedFrom.run} after block ${forkedFrom.block}`;
      process.stdout.write(`${name}: ${result.blocks.toLocaleString('en-US')} blocks (${(result.simulatedSeconds / 86400).toFixed(2)} days simulated) in ${wallSeconds.toFixed(2)} s, seed ${String(result.seed)}${fork}\n\n`);
      process.stdout.write(`${pnlTable(result)}\n\nP&L in USD. Outputs in ${out.final}/ (open report.html in a browser).\n`);
    }
  } catch (e) {
    stopBar();
    out.discard();
    throw place(e);
  } finally {
    interrupt.off();
  }
}

/** The simulation to run: the scenario's, or a fork's (its code loaded only then). */
async function prepareRun(file: string, overrides: string[], opts: RunOptions): Promise<Prepared | PreparedFork> {
  if (opts.forkFrom === undefined) {
    if (opts.atBlock !== undefined) throw new UsageError('--at-block: only with --fork-from (the run to fork)');
    return prepare(file, overrides);
  }
  if (opts.atBlock === undefined) throw new UsageError('--fork-from: give the block to fork at, --at-block N');
  if (opts.seed !== undefined) throw new UsageError('--seed: a fork runs with the original\'s seed (its streams are what it shares with it)');
  const { prepareFork } = await import('./fork');
  return prepareFork(file, overrides, { forkFrom: opts.forkFrom, atBlock: opts.atBlock });
}
