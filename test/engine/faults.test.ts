/**
 * Faults: an agent that throws stops the run with a SimulationFault (AGENT_ERROR) naming the agent
 * and the block; the invariant checks pass on normal runs and catch a broken ledger, naming the transaction.
 */
import { describe, expect, it } from 'vitest';
import { referenceScenario } from '../../bench/reference';
import { SimulationFault } from '../../sim/errors';
import { Simulation, simulate } from '../../sim/simulation';
import type { SimConfig } from '../../sim/config';
import type { Outbox } from '../../sim/agent';
import { createAgent } from '../../agents';
import { at, only, PAY_ETH, PAY_USD, POOL, reserves, run, swapAt, TestAgent, world } from './helpers';

/** Run and return the SimulationFault thrown (fails the test if none, or another error, is thrown). */
function faultOf(config: SimConfig): SimulationFault {
  try {
    simulate(config);
  } catch (e) {
    expect(e).toBeInstanceOf(SimulationFault);
    return e as SimulationFault;
  }
  throw new Error('expected the run to fail with a SimulationFault');
}

const boom = new Error('boom');

describe('an agent that throws', () => {
  it('stops the run with AGENT_ERROR naming the agent and the next block (woken at t = 30, before block 3)', () => {
    const f = faultOf(
      world({
        blocks: 5,
        agents: [
          new TestAgent('thrower', {
            schedule: at(30),
            act: () => {
              throw boom;
            },
          }),
        ],
      }),
    );
    expect(f.code).toBe('AGENT_ERROR');
    expect(f.block).toBe(3);
    expect(f.tx).toBe(-1);
    expect(f.details.agent).toBe('thrower');
    expect(f.details.cause).toBe(boom);
    expect(f.message).toContain("'thrower'");
    expect(f.message).toContain('boom');
  });

  it('names the block being built when it throws in its every-block turn (block 3, t = 36)', () => {
    const f = faultOf(
      world({
        blocks: 5,
        agents: [
          new TestAgent('per-block', {
            schedule: { kind: 'block' },
            act: (view) => {
              if (view.time === 36) throw boom;
            },
          }),
        ],
      }),
    );
    expect([f.code, f.details.agent, f.block]).toEqual(['AGENT_ERROR', 'per-block', 3]);
  });

  it('names the watcher when onMempool throws (transaction arriving at t = 5, before block 1)', () => {
    const watcher = new TestAgent('watcher', {
      onMempool: () => {
        throw new RangeError('bad index');
      },
    });
    const f = faultOf(world({ agents: [swapAt('trader', 5, (out) => void out.swap(POOL, PAY_USD, 100, 0)), watcher] }));
    expect([f.code, f.details.agent, f.block]).toEqual(['AGENT_ERROR', 'watcher', 1]);
    expect(f.message).toContain('bad index');
  });

  it('names the agent when onReceipt throws', () => {
    const trader = swapAt('trader', 5, (out) => void out.swap(POOL, PAY_USD, 100, 0), {
      onReceipt: () => {
        throw boom;
      },
    });
    const f = faultOf(world({ agents: [trader] }));
    expect([f.code, f.details.agent]).toEqual(['AGENT_ERROR', 'trader']);
  });

  it('reports a thrown non-Error value in the message', () => {
    const f = faultOf(
      world({
        agents: [
          new TestAgent('stringy', {
            schedule: at(1),
            act: () => {
              throw 'not an error object';
            },
          }),
        ],
      }),
    );
    expect(f.code).toBe('AGENT_ERROR');
    expect(f.message).toContain('not an error object');
  });
});

describe('invariant checks', () => {
  it('pass on a normal run of the reference scenario (one day, every block checked)', () => {
    const r = simulate({ ...referenceScenario(1, 3), checkInvariants: true });
    expect(r.blocks).toBe(7200);
    expect(r.invariantsChecked).toBe(true);
  });

  it('pass on a run with reverts, a failed bundle and replacements', () => {
    let victim = -1;
    const searcher = new TestAgent('searcher', {
      balances: { ETH: 50, USD: 1e6 },
      setup: (ctx) => (victim = ctx.agent('victim')),
      onMempool: (_v, out, tx) => {
        if (tx.agent === victim) out.bundle([out.swap(POOL, PAY_USD, 5000, 0), tx.id, out.swap(POOL, 0, 1, 1e9)]);
      },
    });
    const victimAgent = new TestAgent('victim', {
      balances: { ETH: 10, USD: 1e5 },
      schedule: { kind: 'interval', seconds: 5 },
      act: (view, out) => {
        // Escalate what is still pending, then send a swap that reverts every other time.
        for (const p of view.ownPending()) out.replace(p.id, p.priorityFee * 1.5 + 1, p.maxFee * 1.5);
        const tx = out.swap(POOL, PAY_USD, 1000, view.time % 10 === 0 ? 1e9 : 0);
        tx.maxFee = 25;
      },
    });
    const r = simulate(world({ blocks: 20, chain: { baseFee: { initial: 10 } }, agents: [victimAgent, searcher], checkInvariants: true }));
    expect(r.agents.find((a) => a.id === 'victim')!.txs.reverted).toBeGreaterThan(0);
    expect(r.agents.find((a) => a.id === 'victim')!.txs.dropped).toBeGreaterThan(0);
    expect(r.agents.find((a) => a.id === 'searcher')!.txs.dropped).toBeGreaterThan(0);
  });

  it('catch a ledger that no longer adds up, naming the block (CONSERVATION)', () => {
    const sim = new Simulation(world({ blocks: 10, agents: [], checkInvariants: true }));
    sim.step(4);
    const L = sim.kernel.world.ledger;
    // One ETH appears in the proposer's account without being minted.
    L.bal[L.index(L.accountId('proposer'), L.tokenId('ETH'))]! += 1;
    let fault: unknown = null;
    try {
      sim.step(1);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(SimulationFault);
    expect([(fault as SimulationFault).code, (fault as SimulationFault).block]).toEqual(['CONSERVATION', 5]);
  });

  /**
   * A venue bug, simulated: right after the second transaction executes, `leak` changes the ledger.
   * Runs the world of `agents` (fcfs, invariants checked) and returns the fault and that transaction's id.
   */
  function faultAfterSecondTx(agents: TestAgent[], leak: (sim: Simulation, sender: number) => void): { fault: SimulationFault; culprit: number } {
    const sim = new Simulation(world({ blocks: 5, agents, chain: { ordering: 'fcfs' }, checkInvariants: true }));
    sim.start();
    const ex = sim.kernel.executor;
    const run = ex.run.bind(ex);
    let n = 0;
    let culprit = -1;
    ex.run = (tx) => {
      const ok = run(tx);
      if (++n === 2) {
        culprit = tx.id;
        leak(sim, tx.sender);
      }
      return ok;
    };
    let fault: unknown = null;
    try {
      sim.run();
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(SimulationFault);
    expect(culprit).toBeGreaterThan(0);
    return { fault: fault as SimulationFault, culprit };
  }
  const swapUsd = (out: Outbox): void => void out.swap(POOL, PAY_USD, 1000, 0);

  it('name the transaction that broke the ledger: the second of three in block 2', () => {
    // The sender is credited 1 USD from nowhere.
    const { fault: f, culprit } = faultAfterSecondTx([swapAt('a', 13, swapUsd), swapAt('b', 14, swapUsd), swapAt('c', 15, swapUsd)], (sim, sender) => {
      const L = sim.kernel.world.ledger;
      L.bal[L.index(sender, L.tokenId('USD'))]! += 1;
    });
    expect([f.code, f.block, f.tx]).toEqual(['CONSERVATION', 2, culprit]);
    expect(f.message).toMatch(/token USD/);
  });

  it('catch a $500 leak inside one transaction of a world holding 1e12 USD, which the whole-ledger gap (relative 1e-9 of Σ|balances|) cannot see', () => {
    const rich = { balances: { ETH: 10, USD: 1e12 } };
    let L = null as Simulation['kernel']['world']['ledger'] | null;
    // The pool's USD reserve is credited 500 more than it was paid, through the journaled ledger.
    const { fault: f, culprit } = faultAfterSecondTx([swapAt('a', 13, swapUsd, rich), swapAt('b', 14, swapUsd, rich)], (sim) => {
      L = sim.kernel.world.ledger;
      L.add(sim.kernel.world.pools[0]!.r1, 500);
    });
    expect([f.code, f.block, f.tx]).toEqual(['CONSERVATION', 2, culprit]);
    expect(f.message).toMatch(/token USD: this transaction moved 500(\.\d+)? in balances but minted 0/);
    // The whole-ledger gap of the same leak is below its tolerance: only the flow check sees it.
    expect(L!.tokenGap(L!.tokenId('USD')).gap).toBeLessThan(1e-9);
  });

  it('are skipped after each block when checkInvariants is false, but the end-of-run conservation check still catches a broken ledger', () => {
    const sim = new Simulation(world({ blocks: 10, agents: [], checkInvariants: false }));
    sim.step(4);
    const L = sim.kernel.world.ledger;
    L.bal[L.index(L.accountId('proposer'), L.tokenId('ETH'))]! += 1;
    expect(() => sim.run()).not.toThrow();
    let fault: unknown = null;
    try {
      sim.result();
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(SimulationFault);
    const f = fault as SimulationFault;
    // Not tied to a transaction: found after the last block.
    expect([f.code, f.block, f.tx, f.details.token]).toEqual(['CONSERVATION', 10, -1, 'ETH']);
    expect(f.message).toMatch(/^CONSERVATION at block 10: at the end of the run, token ETH: balances sum to .* but supply is .* \(relative gap .*, tolerance 1e-9\)$/);
  });

  it('report the end-of-run conservation in the result whether or not checkInvariants is on', () => {
    for (const checkInvariants of [false, true]) {
      const r = new Simulation(world({ blocks: 10, agents: [swapAt('a', 13, (out) => void out.swap(POOL, PAY_USD, 1000, 0))], checkInvariants })).run().result();
      expect(r.invariantsChecked).toBe(checkInvariants);
      const c = r.conservation;
      expect([c.tolerance, c.withinTolerance]).toEqual([1e-9, true]);
      const gaps = Object.values(c.tokens);
      expect(gaps.length).toBeGreaterThanOrEqual(2);
      for (const g of gaps) expect(g >= 0 && g <= 1e-9, String(g)).toBe(true);
      expect(c.worstGap).toBe(Math.max(...gaps));
      expect(c.tokens[c.worstToken!]).toBe(c.worstGap);
    }
  });
});

describe('numbers beyond float64', () => {
  it('stop the run with OVERFLOW naming the block and the deposit whose shares √(a·b) overflow', () => {
    const deposit = (out: Outbox): void => void out.addLiquidity(POOL, 1e200, 1e200, 0);
    const f = faultOf(world({ blocks: 3, seedPool: false, agents: [swapAt('whale', 13, deposit, { balances: { ETH: 1e200, USD: 1e200 } })] }));
    expect([f.code, f.block]).toEqual(['OVERFLOW', 2]);
    expect(f.tx).toBeGreaterThan(0);
    expect(f.message).toMatch(/shares minted from 1e\+200 and 1e\+200 is beyond float64's range/);
  });
});

describe('numbers out of range', () => {
  it('a swap that would empty a tiny reserve reverts INSUFFICIENT_LIQUIDITY instead of stopping the run', () => {
    // 1e10 ETH into (1e-10 ETH, 1 USD): y·φa/(x + φa) = 1·(1 − 1e-20) rounds to the whole 1 USD.
    const seeder = createAgent({ kind: 'scripted', id: 'lp', balances: { ETH: 1e-10, USD: 1 }, actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [1e-10, 1], genesis: true }] });
    const whale = swapAt('whale', 5, (out) => void out.swap(POOL, PAY_ETH, 1e10, 0), { balances: { ETH: 2e10 } });
    const r = run(world({ blocks: 2, seedPool: false, agents: [seeder, whale] }));
    expect([only(r, 'whale').status, only(r, 'whale').revert]).toEqual(['reverted', 'INSUFFICIENT_LIQUIDITY']);
    expect(reserves(r)).toEqual([1e-10, 1]);
  });

  it('a reference price that underflows to 0 (σ = 1e6 a year) stops the run with UNDERFLOW naming the block and the price', () => {
    const f = faultOf({ ...world({ blocks: 50, agents: [] }), market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: 1e6 } }] } });
    expect(f.code).toBe('UNDERFLOW');
    expect(f.block).toBe(1);
    expect(f.tx).toBe(-1);
    expect(f.details).toMatchObject({ quantity: 'price of ETH', value: 0 });
    expect(f.message).toMatch(/^UNDERFLOW at block \d+: the reference price of ETH is 0 USD/);
  });

  it('a reference price that overflows to ∞ stops the run with OVERFLOW', () => {
    const f = faultOf({ ...world({ blocks: 50, agents: [] }), market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: 0, mu: 1e9 } }] } });
    expect([f.code, f.details.quantity]).toEqual(['OVERFLOW', 'price of ETH']);
  });
});
