/**
 * The `hedgesim` command. Exit codes: 0 success, 2 invalid input (file or flags; nothing written),
 * 3 simulation fault (invariant broken, NaN) with a diagnostic naming block and transaction — for
 * `sweep`, every run failed (its outputs are written, with each run's error); 1 a bug (one line, a
 * request to report it); 130 / 143 / 129 interrupted by SIGINT / SIGTERM / SIGHUP (the previous
 * outputs left as they were).
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../scenarios';
import { describeFailure } from './failure';
import { prepare, warningLines } from './prepare';
import { runCommand, type RecordLevel } from './run';
// `sweep`, `study`, `merge` and `view` are loaded when used (dynamic imports, split into their own chunks by
// scripts/build.mjs): `run` starts without the pool, Parquet, statistics or the HTTP server.
import type { SweepCliOptions } from './sweep';
import type { StudyCliOptions } from './study';

const here = dirname(fileURLToPath(import.meta.url));
const root = [join(here, '..'), join(here, '..', '..')].find((d) => {
  try {
    return JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name === 'hedgesim';
  } catch {
    return false;
  }
})!;
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const color = process.stderr.isTTY && !process.env.NO_COLOR;
const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[0m` : s);

function fail(e: unknown): never {
  const f = describeFailure(e, red);
  process.stderr.write(f.text);
  process.exit(f.code);
}

// Whatever escapes the command's own handling (an error thrown in a callback, a rejected promise
// nobody awaited) is still one line and exit 1, never a stack trace.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

// A reader that stops early (`hedgesim schema | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  fail(e);
});

const program = new Command()
  .name('hedgesim')
  .description('Block-by-block multi-agent market microstructure simulator for DeFi.')
  .version(version)
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .addHelpText(
    'after',
    `
Exit codes: 0 success, 2 invalid input (nothing written), 3 simulation fault (nothing written; for
sweep: every run failed, outputs written), 1 a bug in hedgesim (please report it; HEDGESIM_DEBUG=1
prints the stack trace), 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (previous outputs kept).

Examples:
  hedgesim list
  hedgesim run scenarios/library/minimal.yaml --out out/minimal
  hedgesim validate my.yaml --set agents.arb.bid.share=0.3
  hedgesim schema > scenario.schema.json
  hedgesim help run`,
  );

const collect = (value: string, previous: string[]): string[] => [...previous, value];

program
  .command('run')
  .description('Run a scenario file and write its outputs.')
  .argument('<file>', 'scenario file (YAML or JSON)')
  .option('-o, --out <dir>', 'output folder (default: out/<scenario name>)')
  .option('--seed <n>', 'override the scenario seed')
  .option('--set <path=value>', 'override any field, e.g. --set agents.arb.bid.share=0.3 (repeatable)', collect, [])
  .addOption(new Option('--record <level>', 'what to record').choices(['summary', 'blocks', 'full']).default('blocks'))
  .option('-q, --quiet', 'print nothing but errors', false)
  .option('--json', 'print the summary as JSON on stdout instead of the table', false)
  .option('--fork-from <dir>', "a what-if: replay the run in this output folder (same FILE) to --at-block, apply this command's --set there, and go on (docs/forks.md)")
  .option('--at-block <n>', 'with --fork-from: the last block the fork shares with the original')
  .addHelpText(
    'after',
    `
Examples:
  hedgesim run scenarios/default.yaml
  hedgesim run scenarios/library/l1-vs-l2.yaml --set chain.blockTime=12 --out out/l1
  hedgesim run my.yaml --seed 7 --record full --json > summary.json
  hedgesim run scenarios/library/minimal.yaml --fork-from out/minimal --at-block 300 --set agents.noise.meanInterval=30 --out out/minimal-busier

A fork's --set may change chain.gasLimit and chain.baseFee's rule, the parameters of a gbm or ou
price process, an agent's live parameters, and add agents; anything else is refused (exit 2).`,
  )
  .action(async (file: string, opts: { out?: string; seed?: string; set: string[]; record: RecordLevel; quiet: boolean; json: boolean; forkFrom?: string; atBlock?: string }) => {
    await runCommand(file, opts, version);
  });

program
  .command('validate')
  .description('Check a scenario file and print the resolved scenario (fixed-value defaults filled in).')
  .argument('<file>', 'scenario file')
  .option('--set <path=value>', 'override a field (repeatable)', collect, [])
  .addHelpText(
    'after',
    `
Examples:
  hedgesim validate scenarios/default.yaml
  hedgesim validate my.yaml --set chain.blockTime=2 --set agents.arb.bid.share=0.3`,
  )
  .action((file: string, opts: { set: string[] }) => {
    // The same checks as `run`, up to and including genesis, without running any block.
    const { loaded, sim, place } = prepare(file, opts.set);
    try {
      sim.start();
    } catch (e) {
      throw place(e);
    }
    // Warnings do not make the scenario invalid: exit 0, and say them on stderr.
    for (const line of warningLines(loaded, sim.warnings)) process.stderr.write(`${line}\n`);
    process.stdout.write(`${JSON.stringify(loaded.scenario, null, 2)}\n`);
  });

program
  .command('list')
  .description('List the bundled scenarios, one line each.')
  .addHelpText(
    'after',
    `
Examples:
  hedgesim list
  hedgesim list | grep -i hedger     (paths are relative to the current folder, ready for \`run\`)`,
  )
  .action(() => {
    const rows: [string, string][] = [];
    for (const dir of [join(root, 'scenarios'), join(root, 'scenarios', 'library')]) {
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
      } catch {
        continue;
      }
      for (const f of files.sort()) {
        const path = join(dir, f);
        const text = readFileSync(path, 'utf8');
        const desc = /^description:\s*(.+)$/m.exec(text)?.[1]?.replace(/^["']|["']$/g, '') ?? /^#\s*(.+)$/m.exec(text)?.[1] ?? '';
        // Relative to the current folder, so that a listed path can be given to `run` as it is.
        rows.push([relative(process.cwd(), path), desc]);
      }
    }
    const width = Math.max(0, ...rows.map(([p]) => p.length));
    for (const [p, desc] of rows) process.stdout.write(`${p.padEnd(width)}  ${desc}\n`);
  });

program
  .command('schema')
  .description('Print the JSON Schema of scenario files (for editor completion and checking).')
  .addHelpText(
    'after',
    `
Examples:
  hedgesim schema > scenario.schema.json
  (then a first line "# yaml-language-server: $schema=./scenario.schema.json" in a scenario file)`,
  )
  .action(() => {
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

program
  .command('sweep')
  .description('Run a parameter sweep across worker threads (or one shard of it on a cluster).')
  .argument('<file>', 'sweep file (YAML or JSON)')
  .option('-o, --out <dir>', 'output folder (default: out/<sweep name>, or out/<name>/shard-I-of-N)')
  .option('-w, --workers <n>', 'worker threads (default: every core; the main thread only, if the sweep is too short to repay starting them)')
  .option('--shard <I/N>', 'run the runs whose id mod N is I (0 ≤ I < N); default from the job-array index variables')
  .option('--shards <N>', 'number of shards, with a job-array index variable that does not give it')
  .option('--resume', 'continue a sweep that stopped: finished runs are not redone', false)
  .option('--force', 'start over in a folder that holds a sweep', false)
  .option('-q, --quiet', 'print nothing but errors', false)
  .addHelpText(
    'after',
    `
Examples:
  hedgesim sweep scenarios/sweeps/band-vs-gas.yaml
  hedgesim sweep my-sweep.yaml --workers 2 --out out/mine --resume
  hedgesim sweep my-sweep.yaml --shard 0/4 --out out/mine/s0      # one of four cluster tasks
  JOB_COMPLETION_INDEX=3 HEDGESIM_SHARDS=8 hedgesim sweep my-sweep.yaml   # Kubernetes Indexed Job

Exit codes: 0 the sweep ran (a failed run is recorded in runs.csv with its error), 2 invalid input
(nothing written), 3 every run failed (the outputs are written, with each run's error).

Environment: HEDGESIM_PROGRESS_INTERVAL (seconds between progress lines when stderr is not a
terminal, default 5), HEDGESIM_SWEEP_POOL (auto, always or never: worker threads; auto skips them
for sweeps too short to repay their start).

See docs/sweeps.md for the file format, outputs, Slurm and Kubernetes.`,
  )
  .action(async (file: string, opts: SweepCliOptions) => {
    const { sweepCommand } = await import('./sweep');
    await sweepCommand(file, opts);
  });

program
  .command('study')
  .description('Answer a question with a study (optimise, best-response, free-entry, cascades): stages of sweeps with common random numbers.')
  .argument('<file>', 'study file (YAML or JSON)')
  .option('-o, --out <dir>', 'output folder (default: out/<study name>, or out/<name>-quick)')
  .option('-w, --workers <n>', 'worker threads (default: every core, when a stage is long enough to repay them)')
  .option('--quick', "the study file's quick size (fewer replicates, its quick.set overrides): for tests", false)
  .option('--resume', 'continue a study that stopped: finished runs are not redone', false)
  .option('--force', 'start over in a folder that holds a study', false)
  .option('--shard <I/N>', "run shard I of N of each stage, the shards sharing --out; exit 4 when the stage's other shards are not done (run them again)")
  .option('--shards <N>', 'number of shards, with a job-array index variable that does not give it')
  .option('-q, --quiet', 'print nothing but errors', false)
  .addHelpText(
    'after',
    `
Examples:
  hedgesim study scenarios/studies/fee-optimum.yaml --quick
  hedgesim study my-study.yaml --workers 2 --out out/mine --resume
  hedgesim study my-study.yaml --shard 0/4 --out /shared/mine      # one of four cluster tasks, run per stage

Exit codes: 0 the study ran, 2 invalid input (nothing written), 4 (a shard) this shard's part of the
stage is done but not the other shards' (run the shards again), 130/143 interrupted (--resume continues).
See docs/studies.md.`,
  )
  .action(async (file: string, opts: StudyCliOptions) => {
    const { studyCommand } = await import('./study');
    await studyCommand(file, opts);
  });

program
  .command('merge')
  .description('Join the folders of a sweep run in shards into the result one machine would write.')
  .argument('<dirs...>', 'shard output folders')
  .requiredOption('-o, --out <dir>', 'folder for the merged result')
  .option('--allow-partial', 'write the runs there are when some are missing (a shard not given or not finished)', false)
  .option('--force', 'write into a folder that holds another sweep (or runs of this one the merge lacks), replacing its files', false)
  .option('-q, --quiet', 'print nothing but errors', false)
  .addHelpText('after', `
Example:
  hedgesim merge out/mine/shard-0-of-4 out/mine/shard-1-of-4 out/mine/shard-2-of-4 out/mine/shard-3-of-4 --out out/mine/all

Exit codes: 0 merged, 2 invalid input — folders of different sweeps, or runs missing (the message
names them and the shards not given) without --allow-partial, or an --out that holds a run, another
sweep or runs the merge would drop (without --force); nothing is written.`)
  .action(async (dirs: string[], opts: { out: string; force: boolean; quiet: boolean; allowPartial: boolean }) => {
    const { mergeCommand } = await import('./sweep');
    mergeCommand(dirs, opts);
  });

program
  .command('view')
  .description('Serve a run or sweep output folder with the viewer on localhost (for replays too large for report.html).')
  .argument('<dir>', 'output folder of `run` or `sweep`')
  .option('-p, --port <n>', 'port to listen on (default 8510, or a free one if it is taken; 0 picks a free one)')
  .option('--open', 'open the system browser at the URL', false)
  .addHelpText(
    'after',
    `
Examples:
  hedgesim view out/default
  hedgesim view out/band-vs-gas --port 9000 --open
The viewer reads the folder's files over HTTP; stop the server with Ctrl-C. See docs/viewer.md.`,
  )
  .action(async (dir: string, opts: { port?: string; open: boolean }) => {
    const { viewCommand } = await import('./view');
    await viewCommand(dir, opts);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) process.exit(0);
      process.exit(2);
    }
    fail(e);
  }
}

void main();
