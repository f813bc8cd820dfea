/**
 * blocks.csv's per-block counts behind the viewer's event lanes (sim/record.ts recordBlocks), through
 * the simulator: CEX orders filled (the options vaults' hedges), adversary pushes and reversals, LP
 * entries, forges and dropped transactions — each against what the agents or the transaction log say.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { blockColumns, recordBlocks, recordTransactions, type Row, type TxRecord } from '../../sim/record';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(file: string, overrides: string[] = []): { r: SimResult; sum: (c: string) => number; txs: TxRecord[] } {
  const loaded = loadScenarioFile(join(ROOT, file), overrides);
  const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
  const rows: Row[] = [];
  const txs: TxRecord[] = [];
  recordBlocks(sim, (b) => rows.push(b));
  recordTransactions(sim, (t) => txs.push(t));
  const columns = blockColumns(sim);
  const r = sim.run().result();
  const sum = (c: string): number => {
    const j = columns.indexOf(c);
    expect(j, c).toBeGreaterThanOrEqual(0);
    return rows.reduce((s, row) => s + (row[j] as number), 0);
  };
  return { r, sum, txs };
}

describe('event lane counts', () => {
  it('options-vault.yaml: cex_fills counts every CEX order the vaults sent and the CEX filled', () => {
    const { r, sum } = run('scenarios/library/options-vault.yaml', ['duration=10d']);
    // Their only CEX traffic is their hedges (entry included); an order sent in the last instants may be unfilled.
    const sent = r.agents.reduce((s, a) => s + (a.metrics['hedgeTradesAttempted'] ?? 0), 0);
    expect(sent).toBeGreaterThan(20);
    expect(sum('cex_fills')).toBeGreaterThanOrEqual(sent - 3);
    expect(sum('cex_fills')).toBeLessThanOrEqual(sent);
    // Nothing on chain.
    expect(sum('tx_count')).toBe(0);
  });

  it('adversarial-trigger.yaml: pushes, reversals, forges, LP entries and drops as the log has them', () => {
    const { sum, txs } = run('scenarios/library/adversarial-trigger.yaml', ['duration=6h']);
    const landed = (p: (t: TxRecord) => boolean): number => txs.filter((t) => t.block >= 1 && t.status === 'included' && p(t)).length;
    expect(sum('push_txs')).toBe(landed((t) => t.tag === 'adversary-push'));
    expect(sum('push_txs')).toBeGreaterThan(0);
    expect(sum('reversal_txs')).toBe(landed((t) => t.tag === 'adversary-reversal'));
    expect(sum('forge_txs')).toBe(landed((t) => t.calls.some((c) => c.op === 'forge')));
    expect(sum('lp_entry_txs')).toBe(landed((t) => t.calls.some((c) => c.op === 'addLiquidity')));
    expect(sum('lp_exit_txs')).toBe(landed((t) => t.calls.some((c) => c.op === 'removeLiquidity')));
    expect(sum('dropped')).toBe(txs.filter((t) => t.status === 'dropped').length);
    expect(sum('dropped')).toBeGreaterThan(0);
  });

  it('seed-rebalancing.yaml: the hedgers’ forges (entries in block 1, rebalances), as the log has them', () => {
    const { sum, txs } = run('scenarios/library/seed-rebalancing.yaml');
    const landed = (op: string): number => txs.filter((t) => t.block >= 1 && t.status === 'included' && t.calls.some((c) => c.op === op)).length;
    expect(sum('lp_entry_txs')).toBe(landed('addLiquidity'));
    expect(sum('forge_txs')).toBe(landed('forge'));
    expect(sum('forge_txs')).toBeGreaterThan(0);
  });
});
