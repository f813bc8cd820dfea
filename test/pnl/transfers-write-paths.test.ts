/**
 * The transfer ledger writes its cells three ways (sim/transfers-sender.ts, transfers-core.ts):
 * directly when nothing journals, notes a bundle or keeps the block's matrix (the hot path,
 * `afterPoolCall`, `refreshSender`, `refreshTriadSender`); through `book` when the block's matrix
 * is kept; through the ledger's journal when it journals (bundles, multi-call transactions,
 * audits). All three must leave the same accumulators to the bit: checked here by running the
 * same world three times — as it runs, with the block's matrix kept, and journaling every write
 * (audit) — and comparing every cell of the ledger's holdings, sums, gross and run matrix.
 */
import { describe, expect, it } from 'vitest';
import { loadCapped } from './ledger-holdings';

type Mode = 'direct' | 'per block' | 'journaled';

/** The transfer ledger's cells from its holdings to the end of the run's pair matrix, after a capped run. */
function cells(file: string, mode: Mode): Float64Array {
  const sim = loadCapped(file);
  const t = sim.kernel.transfers;
  const L = sim.kernel.world.ledger;
  if (mode === 'per block') t.perBlock = true;
  if (mode === 'journaled') {
    L.audit = true;
    L.journaling = true;
  }
  sim.run();
  t.syncGas();
  return L.bal.slice(t.cur, t.run + t.parties * t.parties * t.channels);
}

describe('the ledger is the same to the bit whichever way its cells are written', () => {
  for (const file of ['bench/reference.yaml', 'scenarios/library/triad-pool.yaml', 'scenarios/library/who-pays.yaml']) {
    it(file, () => {
      const direct = cells(file, 'direct');
      // Something was booked: the comparison can fail.
      expect(direct.some((x) => x !== 0)).toBe(true);
      for (const mode of ['per block', 'journaled'] as const) {
        const other = cells(file, mode);
        let differ = 0;
        for (let i = 0; i < direct.length; i++) if (!Object.is(direct[i]! + 0, other[i]! + 0)) differ++;
        expect(differ, mode).toBe(0);
      }
    });
  }
});
