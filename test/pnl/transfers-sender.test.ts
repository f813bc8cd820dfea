/**
 * At the end of each transaction the transfer ledger brings its sender's holdings up to date without
 * looking through all its tokens when it can (sim/transfers-sender.ts: `refreshSender` for a sender holding
 * no derived token, `refreshTriadSender` for one holding only a triad's U and 1/U after a call on
 * that triad, summed token by token in the look-through's order). Checked here after every
 * transaction: the sender's recorded holding of every directly priced token is, to the bit, what
 * World `lookThroughAccount` of its wallet and CEX account says — on the benchmark's world (a
 * tracker forging a floating triad every block), on the same world with the triad anchored to ETH,
 * and on the triad-in-a-pool scenario (a tracker that also holds pool shares).
 */
import { describe, expect, it } from 'vitest';
import type { Tx } from '../../sim/tx';
import { eachHolding, loadCapped } from './ledger-holdings';

const cases: [string, string, string[]][] = [
  ['bench/reference.yaml', 'floating triad', []],
  ['bench/reference.yaml', 'triad anchored to ETH', ['venues.triad.anchor=ETH', 'agents.tracker.balances.ETH=2000000']],
  ['scenarios/library/triad-pool.yaml', 'triad in a pool', []],
];

describe('after every transaction, its sender is up to date to the bit', () => {
  for (const [file, what, overrides] of cases) {
    it(`${file}: ${what}`, () => {
      const sim = loadCapped(file, overrides);
      const t = sim.kernel.transfers;
      let txs = 0;
      let derivedSenders = 0;
      let wrong = 0;
      const afterTx = t.afterTx.bind(t);
      t.afterTx = (agent: number, gas: boolean, tx: Tx): void => {
        afterTx(agent, gas, tx);
        txs++;
        if (sim.kernel.world.ledger.bal[t.derivedHeld + agent] !== 0) derivedSenders++;
        eachHolding(sim, agent, (_token, h, recorded) => {
          if (!Object.is(h + 0, recorded + 0)) wrong++;
        });
      };
      sim.run();
      expect(txs).toBeGreaterThan(100);
      // The tracker holds U and 1/U throughout.
      expect(derivedSenders).toBeGreaterThan(100);
      expect(wrong).toBe(0);
    });
  }
});
