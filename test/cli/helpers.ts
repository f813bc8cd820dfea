/**
 * Running the built command line as a user would: `node dist/hedgesim.cjs …` in a child process,
 * in a temporary folder; a small valid scenario to edit into malformed ones; folder snapshots.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'hedgesim.cjs');
export const MINIMAL = join(ROOT, 'scenarios', 'library', 'minimal.yaml');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `hedgesim …` to completion. */
export function hedgesim(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; uid?: number; gid?: number; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout, killSignal: 'SIGKILL' as const } : {}),
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 << 20,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A maker of temporary folders, all removed after the file's tests. */
export function tempDirs(): (files?: Record<string, string>) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return (files = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgesim-cli-'));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
}

/**
 * Every file and folder under `dir` (hidden ones too) with the files' contents, for "untouched"
 * checks; a symbolic link as `-> target` (not followed: it may lead back up).
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const stat = lstatSync(join(dir, path));
      if (stat.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(dir, path))}`;
      else if (stat.isDirectory()) {
        out[`${path}/`] = '';
        walk(path);
      } else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

export const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
export const readJson = <T = Record<string, unknown>>(dir: string, name: string): T => JSON.parse(read(dir, name)) as T;

/** A small valid scenario (50 blocks); its line numbers are relied on by the error messages tested. */
export const TINY = `# A tiny valid scenario: the malformed inputs are edits of it.
name: tiny
blocks: 50
chain:
  blockTime: 12
  nativeToken: ETH
  baseFee: { initial: 2, mode: fixed }
market:
  assets:
    ETH: { kind: gbm, price: 2500, sigma: 0.8 }
tokens:
  ETH: {}
  USD: { usd: 1 }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }
  noise:
    kind: noise
    venue: pool
    meanInterval: 60s
    medianUsd: 2000
    balances: { ETH: 10000, USD: 25000000 }
  arb: { kind: arbitrageur, venue: pool, bid: { kind: share, share: 0.5 }, balances: { ETH: 1000, USD: 2500000 } }
`;

/** TINY with `from` replaced by `to` (`from` must occur exactly once). */
export function edit(from: string, to: string, text = TINY): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`'${from}' must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/**
 * A scenario whose run faults: a scripted whale swaps 1.7e308 ETH into a pool holding 1e150 of
 * each token (on the reference price, so that it gives no preflight warning), so y·φ·a overflows and the pool's USD reserve becomes −∞ in block 2, transaction 2
 * (transaction 1 is the LP's deposit at genesis). ETH is worth $1, so that the whale's holdings have a
 * value float64 can hold: at $2,500 they would be worth more, which is an input error at genesis.
 */
export const FAULT = `name: overflow
blocks: 5
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }
market:
  assets: { ETH: { kind: constant, price: 1 } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1e150, USD: 1e150 } }
  whale:
    kind: scripted
    balances: { ETH: 1.7e308 }
    actions:
      - { do: swap, block: 2, venue: pool, pay: ETH, amount: 1.7e308 }
`;

/** Any ANSI escape sequence (colour, cursor movement). */
export const ANSI = /\u001b[[\]()#;?]*[0-9;]*[A-Za-z@^_`{|}~]|\u001b[78]/;

/** A whale holding 1e300 ETH whose price grows ×45 a block (μ = 1e7 a year): its P&L leaves float64 at block 5. */
export const OVERFLOWING = `name: ovf
blocks: 10
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }
market:
  assets: { ETH: { kind: gbm, price: 1, mu: 10000000, sigma: 0.1 } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 100 } }
  whale: { kind: scripted, balances: { ETH: 1e300 }, actions: [] }
`;
