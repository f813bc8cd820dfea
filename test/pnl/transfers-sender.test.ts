/**
 * At the end of each transaction the transfer ledger brings its sender's holdings up to date without
 * looking through all its tokens when it can (sim/transfers.ts: `refreshSender` for a sender holding
 * no derived token, `refreshTriadSender` for one holding only a triad's U and 1/U after a call on
 * that triad, summed token by token in the look-through's order). Checked here after every
 * transaction: the sender's recorded holding of every directly priced token is, to the bit, what
 * World `lookThroughAccount` of its wallet and CEX account says — on the benchmark's world (a
 * tracker forging a floating triad every block), on the same world with the triad anchored to ETH,
 * and on the triad-in-a-pool scenario (a tracker that also holds pool shares).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { Simulation } from '../../sim/simulation';
import type { Tx } from '../../sim/tx';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_BLOCKS = 1_500;

function load(file: string, overrides: string[] = []): Simulation {
  const loaded = loadScenarioFile(ROOT + file, overrides);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  return new Simulation(config.blocks > MAX_BLOCKS ? { ...config, blocks: MAX_BLOCKS } : config);
}

const cases: [string, string, string[]][] = [
  ['bench/reference.yaml', 'floating triad', []],
  ['bench/reference.yaml', 'triad anchored to ETH', ['venues.triad.anchor=ETH', 'agents.tracker.balances.ETH=2000000']],
  ['scenarios/library/triad-pool.yaml', 'triad in a pool', []],
];

describe('after every transaction, its sender is up to date to the bit', () => {
  for (const [file, what, overrides] of cases) {
    it(`${file}: ${what}`, () => {
      const sim = load(file, overrides);
      const k = sim.kernel;
      const w = k.world;
      const t = k.transfers;
      const T = w.ledger.tokenCount;
      const h = new Float64Array(T);
      const base = [...Array(T).keys()].filter((x) => w.tokenKind[x]! <= 1);
      let txs = 0;
      let derivedSenders = 0;
      let wrong = 0;
      const afterTx = t.afterTx.bind(t);
      t.afterTx = (agent: number, gas: boolean, tx: Tx): void => {
        afterTx(agent, gas, tx);
        txs++;
        const bal = w.ledger.bal;
        if (bal[t.derivedHeld + agent] !== 0) derivedSenders++;
        h.fill(0);
        w.lookThroughAccount(w.agentAccount(agent), h);
        w.lookThroughAccount(w.cexAccount(agent), h);
        for (const x of base) if (!Object.is(h[x]! + 0, bal[t.cur + agent * T + x]! + 0)) wrong++;
      };
      sim.run();
      expect(txs).toBeGreaterThan(100);
      // The tracker holds U and 1/U throughout.
      expect(derivedSenders).toBeGreaterThan(100);
      expect(wrong).toBe(0);
    });
  }
});
