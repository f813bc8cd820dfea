/**
 * A real cluster run: a single-node Slurm on this machine (scripts/slurm-local.sh: Debian's munged,
 * slurmctld and slurmd, configured for localhost) runs the sbatch array script of docs/sweeps.md as
 * written, then the documented merge job (`sbatch --dependency=afterok:<id> --wrap …`); the merged
 * folder must equal a one-machine sweep byte for byte. Skipped — saying why — only where Slurm
 * cannot start here (not Linux, not root, slurm-wlm or munge not installed, daemons not up in 30 s).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, ROOT } from '../cli/helpers';
import { CLEAN_ENV, RESULT_FILES } from './fixtures';

const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh');
const DOCS = readFileSync(join(ROOT, 'docs', 'sweeps.md'), 'utf8');

/** The ```sh block that follows `marker` in docs/sweeps.md. */
function shBlock(marker: string): string {
  const at = DOCS.indexOf(marker);
  if (at < 0) throw new Error(`docs/sweeps.md: no '${marker}'`);
  const m = /```sh\n([\s\S]*?)```/.exec(DOCS.slice(at));
  if (m === null) throw new Error(`docs/sweeps.md: no sh block after '${marker}'`);
  return m[1]!;
}

function which(prog: string): boolean {
  return ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, prog)));
}

/** Why Slurm cannot run here, or undefined. */
function cannotRun(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root: slurmd must run as root to start jobs';
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'].filter((p) => !which(p));
  if (missing.length > 0) return `${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/run does)`;
  return undefined;
}

let why = cannotRun();
let cluster = '';
let project = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(() => {
  if (why !== undefined) return;
  cluster = mkdtempSync(join(tmpdir(), 'hedgesim-slurm-'));
  const r = spawnSync('bash', [SCRIPT, 'start', cluster], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    why = `Slurm did not start: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').join(' | ')}`;
    return;
  }
  env = { ...process.env, ...CLEAN_ENV, SLURM_CONF: join(cluster, 'slurm.conf') };
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_') && k !== 'SLURM_CONF') delete env[k];
  // The project folder the documented commands run in: this checkout's package, its build and
  // scenarios (linked), so that `npx hedgesim` finds the package's own command as in a clone.
  project = join(cluster, 'project');
  mkdirSync(project);
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(project, f));
  for (const d of ['dist', 'node_modules', 'scripts', 'scenarios']) symlinkSync(join(ROOT, d), join(project, d));
}, 120_000);

afterAll(() => {
  if (cluster === '') return;
  spawnSync('bash', [SCRIPT, 'stop', cluster], { timeout: 60_000 });
  rmSync(cluster, { recursive: true, force: true });
});

/** Wait until Slurm no longer lists the job (finished, failed or cancelled). */
async function finished(job: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const q = spawnSync('squeue', ['-h', '-j', job, '-o', '%i %T'], { env, encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  spawnSync('scancel', [job], { env });
  throw new Error(`job ${job} did not finish in ${seconds} s`);
}

/** The logs the jobs wrote, for a failure message. */
function logs(): string {
  const dirs = [join(project, 'logs'), project];
  return dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.out')).map((f) => `--- ${f}\n${readFileSync(join(d, f), 'utf8').slice(-1500)}`) : [])).join('\n');
}

describe('a real Slurm cluster (single node, localhost)', () => {
  it('runs the documented sbatch array and merge job; the merged folder equals a one-machine sweep byte for byte', async (ctx) => {
    if (why !== undefined) {
      console.warn(`Slurm cluster test skipped: ${why}`);
      ctx.skip();
      return;
    }
    writeFileSync(join(project, 'band-vs-gas.sbatch'), shBlock('`band-vs-gas.sbatch`, in the project folder:'));
    // "make logs/ before submitting", then sbatch, as docs/sweeps.md says.
    const submit = shBlock('`logs/` before submitting');
    expect(submit.trim().split('\n')).toEqual(['mkdir -p logs', 'sbatch band-vs-gas.sbatch']);
    execFileSync('bash', ['-c', submit.replace('sbatch band-vs-gas.sbatch', 'sbatch --parsable band-vs-gas.sbatch > array.id')], { cwd: project, env });
    const array = readFileSync(join(project, 'array.id'), 'utf8').trim().split(';')[0]!;
    expect(array).toMatch(/^\d+$/);
    // The merge job as documented, with the array's id in place of <array job id>.
    const merge = shBlock('once the array has finished').replace('<array job id>', array).replace(/^sbatch /, 'sbatch --parsable ');
    const mergeJob = execFileSync('bash', ['-c', merge], { cwd: project, env, encoding: 'utf8' }).trim().split(';')[0]!;
    try {
      await finished(array, 480);
      await finished(mergeJob, 120);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${logs()}`);
    }
    const shards = readdirSync(join(project, 'out', 'band-vs-gas')).filter((d) => d.startsWith('shard-')).sort();
    expect(shards, logs()).toEqual(Array.from({ length: 8 }, (_, i) => `shard-${i}`));
    expect(existsSync(join(project, 'out', 'band-vs-gas', 'all', 'runs.csv')), logs()).toBe(true);
    // One machine, same project folder, same sweep file.
    const one = hedgesim(['sweep', 'scenarios/sweeps/band-vs-gas.yaml', '--out', 'out/one', '-q'], { cwd: project, env: CLEAN_ENV });
    expect(one.code, one.stderr).toBe(0);
    for (const f of RESULT_FILES) {
      expect(readFileSync(join(project, 'out', 'band-vs-gas', 'all', f)).equals(readFileSync(join(project, 'out', 'one', f))), f).toBe(true);
    }
  }, 900_000);
});
