/**
 * mev.csv's rows through the simulator (sim/record.ts recordMev, sim/mev.ts MevMeter): one row per
 * MEV event, whose sums reconcile with every agent's `pnl.mev` in summary.json, whose net is its
 * gross less AMM fees and gas, and whose sandwich victim loss is the counterfactual computed by
 * hand from the pool's constant-product algebra.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { blockColumns, MEV_COLUMNS, recordBlocks, recordMev, recordTransactions, type Row, type TxRecord } from '../../sim/record';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { getAmountOut } from '../../sim/venues/cpmm-math';
import { MEV_COLUMNS as VIEWER_MEV_COLUMNS, mevRow, type MevRow } from '../../viz/data/mev';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  r: SimResult;
  rows: MevRow[];
  txs: TxRecord[];
  blocks: Row[];
  columns: string[];
}

function run(file: string, full = false): Run {
  const loaded = loadScenarioFile(join(ROOT, file));
  const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
  const rows: MevRow[] = [];
  const txs: TxRecord[] = [];
  const blocks: Row[] = [];
  recordMev(sim, (row) => rows.push(mevRow(row)));
  if (full) {
    recordTransactions(sim, (t) => txs.push(t));
    recordBlocks(sim, (b) => blocks.push(b));
  }
  return { r: sim.run().result(), rows, txs, blocks, columns: blockColumns(sim) };
}

/** Every agent's `mev` from the rows: what it captured as a searcher less what it lost as a victim. */
function mevFromRows(rows: readonly MevRow[], id: string): number {
  let v = 0;
  for (const r of rows) {
    if (r.searcher === id) v += r.gross_usd;
    if (r.victim === id) v -= r.victim_loss_usd;
  }
  return v;
}

function reconcile(x: Run): void {
  const scale = x.rows.reduce((s, r) => s + Math.abs(r.gross_usd) + Math.abs(r.victim_loss_usd), 0);
  for (const a of x.r.agents) expect(mevFromRows(x.rows, a.id), `agent ${a.id}`).toBeCloseTo(a.pnl.mev, Math.max(0, Math.min(9, -Math.ceil(Math.log10(scale * 1e-12 + 1e-9)))));
  for (const r of x.rows) {
    // Net is the wallet's change: gross less the AMM fees and the gas (base fee burned, priority fee to the builder).
    expect(r.net_usd).toBeCloseTo(r.gross_usd - r.swap_fees_usd - r.base_fee_usd - r.builder_usd, 6);
    expect(r.builder_usd).toBeGreaterThanOrEqual(0);
    expect(r.base_fee_usd).toBeGreaterThanOrEqual(0);
  }
  // The victims' losses are the summary's W2 tally.
  expect(x.rows.reduce((s, r) => s + r.victim_loss_usd, 0)).toBeCloseTo(x.r.mev.victimLossUsd, 6);
}

describe('mev.csv', () => {
  it('has the columns the viewer reads', () => {
    expect([...MEV_COLUMNS]).toEqual([...VIEWER_MEV_COLUMNS]);
  });

  it('front-running.yaml: one row per landed sandwich, the victim named, totals = each agent’s pnl.mev', () => {
    const x = run('scenarios/library/front-running.yaml');
    const sandwiches = x.rows.filter((r) => r.kind === 'sandwich');
    expect(sandwiches.length).toBe(x.r.agents.find((a) => a.id === 'searcher')!.metrics.sandwiches);
    for (const r of sandwiches) {
      expect(r.victim).toBe('public');
      expect(r.bundle).not.toBeNull();
      expect(r.victim_tx).not.toBeNull();
    }
    expect(x.rows.reduce((s, r) => s + r.victim_loss_usd, 0)).toBeGreaterThan(2000);
    reconcile(x);
  });

  it('adversarial-trigger.yaml: each landed push a row naming the target, reversals too; totals = pnl.mev', () => {
    const x = run('scenarios/library/adversarial-trigger.yaml');
    const adv = x.r.agents.find((a) => a.id === 'adversary')!;
    const pushes = x.rows.filter((r) => r.kind === 'push');
    expect(pushes.length).toBe(adv.metrics.adversaryPushes);
    expect(pushes.length).toBeGreaterThan(0);
    const target = x.rows.filter((r) => r.kind === 'push' || r.kind === 'reversal').map((r) => r.victim);
    expect(new Set(target)).toEqual(new Set(['vault']));
    // A push is a lone transaction: no bundle, no victim transaction, no victim loss by the bundle identity.
    for (const r of pushes) expect([r.bundle, r.victim_tx, r.victim_loss_usd]).toEqual([null, null, 0]);
    expect(x.rows.filter((r) => r.kind === 'reversal').length).toBe(adv.metrics.adversaryReversals);
    reconcile(x);
  });

  it('default.yaml: totals = pnl.mev, and a sandwich victim’s loss is its swap’s counterfactual output on the pool before the bundle', () => {
    const x = run('scenarios/default.yaml', true);
    reconcile(x);
    const sandwiches = x.rows.filter((r) => r.kind === 'sandwich');
    expect(sandwiches.length).toBeGreaterThan(10);
    const byId = new Map(x.txs.map((t) => [t.id, t]));
    const byBlock = new Map<number, TxRecord[]>();
    for (const t of x.txs) if (t.block > 0) (byBlock.get(t.block) ?? byBlock.set(t.block, []).get(t.block)!).push(t);
    const col = (name: string): number => x.columns.indexOf(name);
    const [r0, r1, ref] = [col('pool_reserve0'), col('pool_reserve1'), col('ref_ETH')];
    const phi = 1 - 0.003;
    let checked = 0;
    for (const s of sandwiches) {
      const victim = byId.get(s.victim_tx!)!;
      const call = victim.calls[0]!;
      if (victim.calls.length !== 1 || call.venue !== 'pool' || call.op !== 'swap') continue;
      // The pool before the bundle: the end of the block before, then every call that ran before the front leg.
      const front = byId.get(s.tx)!;
      const prev = x.blocks[s.block - 2]!;
      let res = [prev[r0] as number, prev[r1] as number];
      for (const t of byBlock.get(s.block)!.sort((a, b) => a.position - b.position)) {
        if (t.position >= front.position) break;
        if (t.status !== 'included') continue;
        for (const c of t.calls) {
          if (c.venue !== 'pool') continue;
          if (c.op === 'swap' || c.op === 'swapExactOut') res = c.side === 0 ? [res[0]! + c.outB, res[1]! - c.outA] : [res[0]! - c.outA, res[1]! + c.outB];
          else if (c.op === 'addLiquidity') res = [res[0]! + c.outB, res[1]! + c.outC];
          else if (c.op === 'removeLiquidity') res = [res[0]! - c.outB, res[1]! - c.outC];
        }
      }
      const [rin, rout] = call.side === 0 ? [res[0]!, res[1]!] : [res[1]!, res[0]!];
      const alone = getAmountOut(call.a, rin, rout, phi);
      // Token out: USD (worth 1) when paying ETH, else ETH at the block's reference price.
      const price = call.side === 0 ? 1 : (x.blocks[s.block - 1]![ref] as number);
      const loss = (alone - call.outA) * price;
      expect(s.victim_loss_usd, `sandwich around tx ${victim.id} in block ${s.block}`).toBeCloseTo(loss, 6);
      expect(loss).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  }, 120_000);
});
