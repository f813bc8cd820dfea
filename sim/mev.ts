/**
 * MEV measured at execution (docs/outputs.md, `mev`), by the builder as it runs transactions; the
 * engine still knows no agent kind, only the agent flag `extractsMev` and which transactions of a
 * bundle are the bundler's own.
 *
 * - What an MEV-extracting agent captured: the change of its wallet's token balances across a lone
 *   transaction or a whole bundle, valued at the block's reference prices (derived tokens looked
 *   through at the state right after), before gas and before the AMM fees its swaps paid (both are
 *   lines of their own, `gas` and `swapFees`).
 * - What a victim lost: the bundle's victims (the other agents' transactions it carries that run
 *   after at least one of the bundler's own legs: a back-run's or a reversal's target ran first and
 *   lost nothing to the bundle) are first run alone from the state just before the bundle's first
 *   leg, their wallets valued, and the run rolled back; after the bundle, each victim's loss is its value in that counterfactual less
 *   its value now, both at the block's reference prices. A victim books −loss as `mev`; nobody else
 *   books any.
 * At fixed prices every trade is a transfer, so per bundle (W2):
 *   Σ victims' loss = what the bundler captured + the gain of everyone else over the counterfactual
 * (a pool's LPs, other holders of a triad's U and 1/U, and the bundler's own inventory held from
 * before), which `tally` accumulates and tests check.
 */
import type { Executor } from './execute';
import type { Bundle } from './mempool';
import { TxStatus, unrun, type Tx } from './tx';
import { AgentCell, BURN, type World } from './world';

export interface MevTally {
  /** Included bundles with victims (others' transactions after one of the bundler's own legs). */
  bundles: number;
  /** Σ victims' loss against their transactions alone, USD at the blocks' reference prices. */
  victimLossUsd: number;
  /**
   * Σ the bundlers' net gain from those bundles plus their own legs' tips and base fees, at the
   * blocks' reference prices (their `mev` from them less the AMM fees their legs paid).
   */
  capturedUsd: number;
  /** Σ everyone else's gain over the counterfactual (pool LPs, triad holders, the bundler's prior inventory). */
  othersGainUsd: number;
  /** Largest |victims' loss − captured − others' gain| of one bundle (W2's residual). */
  worstGapUsd: number;
}

/**
 * One MEV event, as the meter books it (the rows of mev.csv, docs/outputs.md): an included bundle
 * that books anything (its bundler extracts MEV, or it has victims), or an included lone transaction
 * of an agent that extracts MEV. USD at the block's reference prices. Reused: valid during the call.
 */
export interface MevRecord {
  block: number;
  /** Bundle id, or -1 for a lone transaction. */
  bundle: number;
  /** The first of the bundler's own transactions (the lone transaction itself). */
  tx: number;
  /** The bundler (or sender), and the tag of that transaction. */
  agent: number;
  tag: number;
  /** The other agent's transaction it was built around, or -1; and the agent it aims at (that transaction's sender, or an adversary's named target), or -1. */
  victimTx: number;
  target: number;
  /** Agents among the bundle's victims (others' transactions after one of the bundler's legs). */
  victims: number;
  /** Σ their loss against their transactions run alone (`mev` W2), 0 without victims. */
  victimLossUsd: number;
  /** What the bundler booked as `mev`: its wallet's change at the block's marks before gas and AMM fees. */
  grossUsd: number;
  /** AMM fees its own legs paid, and their gas: the base fee (burned) and the priority fee (the builder's). */
  swapFeesUsd: number;
  baseFeeUsd: number;
  priorityFeeUsd: number;
  /** Its wallet's change at the block's marks: gross − AMM fees − base fee − priority fee. */
  netUsd: number;
}

export class MevMeter {
  /** Called with each MEV event (sim/record.ts `recordMev`), or null: nothing is built then. */
  onRecord: ((r: MevRecord) => void) | null = null;
  private readonly rec: MevRecord = { block: 0, bundle: -1, tx: 0, agent: 0, tag: 0, victimTx: -1, target: -1, victims: 0, victimLossUsd: 0, grossUsd: 0, swapFeesUsd: 0, baseFeeUsd: 0, priorityFeeUsd: 0, netUsd: 0 };
  private baseBefore = 0;
  private priorityBefore = 0;
  readonly tally: MevTally = { bundles: 0, victimLossUsd: 0, capturedUsd: 0, othersGainUsd: 0, worstGapUsd: 0 };
  /** Balances of the bundler (or lone sender) before it ran, by token. */
  private readonly held: Float64Array;
  /** Per agent: wallet value in the counterfactual; and whether it is a victim of the current bundle. */
  private readonly cfValue: Float64Array;
  /** Per agent: 1 if a victim of the current bundle; and, after `endBundle`, its loss (0 if none). */
  readonly victim: Uint8Array;
  readonly loss: Float64Array;
  private cfBurn = 0;
  private cfBundlerValue = 0;
  /** The sender's swap-fee cell before it ran. */
  private feesBefore = 0;

  constructor(
    private readonly w: World,
    /** 1 for agents that extract MEV. */
    private readonly extracts: Uint8Array,
  ) {
    this.held = new Float64Array(w.ledger.tokenCount);
    this.cfValue = new Float64Array(w.agentIds.length);
    this.victim = new Uint8Array(w.agentIds.length);
    this.loss = new Float64Array(w.agentIds.length);
  }

  /** Run a lone transaction; if its sender extracts MEV, book what it captured. */
  run(ex: Executor, tx: Tx): boolean {
    if (this.extracts[tx.agent] !== 1) return ex.run(tx);
    this.snapshot(tx.agent);
    const ran = ex.run(tx);
    if (!ran) return ran;
    const net = this.captured(tx.agent);
    const fees = this.feesPaid(tx.agent);
    const gross = net + tx.gasCostUsd + fees;
    this.book(tx.agent, gross);
    if (this.onRecord !== null && tx.status === TxStatus.Included) this.emit(ex.block, -1, tx, tx.agent, tx.victim, tx.target, 0, 0, gross, fees, net);
    return ran;
  }

  /**
   * Before a bundle's first leg (the ledger journaling): remember the bundler's balances and, if
   * the bundle carries victims, run them alone, value them, and roll back. Returns whether
   * `endBundle` has anything to do.
   */
  beginBundle(b: Bundle, ex: Executor): boolean {
    const w = this.w;
    const first = firstVictim(b);
    const victims = first < b.size;
    const extracts = this.extracts[b.agent] === 1;
    if (!victims && !extracts) return false;
    this.snapshot(b.agent);
    this.victim.fill(0);
    if (!victims) return true;
    const L = w.ledger;
    const mark = L.mark();
    const position = ex.position;
    for (let k = first; k < b.size; k++) {
      const tx = b.member(k)!;
      if (own(b, tx)) continue;
      this.victim[tx.agent] = 1;
      ex.run(tx);
    }
    for (let i = 0; i < this.cfValue.length; i++) this.cfValue[i] = w.accountValue(w.agentAccount(i));
    this.cfBurn = this.burnValue();
    this.cfBundlerValue = this.cfValue[b.agent]!;
    L.rollback(mark);
    ex.position = position;
    for (let k = first; k < b.size; k++) {
      const tx = b.member(k)!;
      if (!own(b, tx)) unrun(tx);
    }
    return true;
  }

  /** After a bundle was included: book the bundler's capture and the victims' losses. */
  endBundle(b: Bundle): void {
    const w = this.w;
    let gas = 0;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k)!;
      if (own(b, tx)) gas += tx.gasCostUsd;
    }
    const net = this.captured(b.agent);
    const fees = this.feesPaid(b.agent);
    const captured = this.extracts[b.agent] === 1 ? net + gas : 0;
    const gross = captured !== 0 ? captured + fees : 0;
    if (gross !== 0) this.book(b.agent, gross);
    let victims = 0;
    for (let i = 0; i < this.victim.length; i++) if (this.victim[i] === 1) victims++;
    if (victims === 0) {
      if (this.onRecord !== null) this.emitBundle(b, 0, 0, gross, fees, net);
      return;
    }
    let loss = 0;
    this.loss.fill(0);
    let others = this.burnValue() - this.cfBurn;
    for (let i = 0; i < this.cfValue.length; i++) {
      const now = w.accountValue(w.agentAccount(i));
      if (this.victim[i] === 1) {
        const l = this.cfValue[i]! - now;
        this.loss[i] = l;
        loss += l;
        this.book(i, -l);
      } else if (i === b.agent) {
        // The bundler's gain over the counterfactual beyond its capture and gas: its prior inventory's revaluation.
        others += now - this.cfBundlerValue + gas - captured;
      } else others += now - this.cfValue[i]!;
    }
    const t = this.tally;
    t.bundles++;
    t.victimLossUsd += loss;
    t.capturedUsd += captured;
    t.othersGainUsd += others;
    const gap = Math.abs(loss - captured - others);
    if (gap > t.worstGapUsd) t.worstGapUsd = gap;
    if (this.onRecord !== null) this.emitBundle(b, victims, loss, gross, fees, net);
  }

  private emitBundle(b: Bundle, victims: number, loss: number, gross: number, fees: number, net: number): void {
    let first: Tx | null = null;
    for (let k = 0; k < b.size && first === null; k++) {
      const tx = b.member(k)!;
      if (tx.bundle === b.id) first = tx;
    }
    if (first === null) return;
    this.emit(first.block, b.id, first, b.agent, b.victim, b.target, victims, loss, gross, fees, net);
  }

  private emit(block: number, bundle: number, tx: Tx, agent: number, victimTx: number, target: number, victims: number, loss: number, gross: number, fees: number, net: number): void {
    const r = this.rec;
    const cells = this.w.agentCells(agent);
    const bal = this.w.ledger.bal;
    r.block = block;
    r.bundle = bundle;
    r.tx = tx.id;
    r.agent = agent;
    r.tag = tx.tag;
    r.victimTx = victimTx;
    r.target = target;
    r.victims = victims;
    r.victimLossUsd = loss;
    r.grossUsd = gross;
    r.swapFeesUsd = fees;
    r.baseFeeUsd = bal[cells + AgentCell.GasBaseUsd]! - this.baseBefore;
    r.priorityFeeUsd = bal[cells + AgentCell.GasPriorityUsd]! - this.priorityBefore;
    r.netUsd = net;
    this.onRecord!(r);
  }

  private snapshot(agent: number): void {
    const L = this.w.ledger;
    const n = L.tokenCount;
    const base = this.w.agentAccount(agent) * n;
    for (let t = 0; t < n; t++) this.held[t] = L.bal[base + t]!;
    const cells = this.w.agentCells(agent);
    this.feesBefore = L.bal[cells + AgentCell.SwapFeesUsd]!;
    this.baseBefore = L.bal[cells + AgentCell.GasBaseUsd]!;
    this.priorityBefore = L.bal[cells + AgentCell.GasPriorityUsd]!;
  }

  /** AMM fees the agent paid as a trader since `snapshot`, USD. */
  private feesPaid(agent: number): number {
    return this.w.ledger.bal[this.w.agentCells(agent) + AgentCell.SwapFeesUsd]! - this.feesBefore;
  }

  /** The agent's balance changes since `snapshot`, at marks now (gas included). */
  private captured(agent: number): number {
    const w = this.w;
    const L = w.ledger;
    const n = L.tokenCount;
    const base = w.agentAccount(agent) * n;
    let v = 0;
    for (let t = 0; t < n; t++) {
      const d = L.bal[base + t]! - this.held[t]!;
      if (d !== 0) v += d * w.markPrice(t);
    }
    return v;
  }

  private book(agent: number, usd: number): void {
    if (usd !== 0) this.w.ledger.add(this.w.agentCells(agent) + AgentCell.MevUsd, usd);
  }

  /** The burn account's holdings other than burned gas (exact mode's locked MINIMUM_LIQUIDITY shares). */
  private burnValue(): number {
    const w = this.w;
    return w.accountValue(BURN) - w.ledger.get(BURN, w.native) * w.markPrice(w.native);
  }
}

/** Whether a bundle member is one of the bundler's own legs. */
function own(b: Bundle, tx: Tx): boolean {
  return tx.bundle === b.id || tx.agent === b.agent;
}

/**
 * The position of a bundle's first victim: another agent's transaction that runs after at least one
 * of the bundler's own legs (a front-run precedes it); `b.size` if there is none. Others' transactions
 * that run first — the target of a back-run, or of an adversary's reversal — are not victims: nothing
 * of the bundler's ran before them, so the bundle took nothing from them.
 */
function firstVictim(b: Bundle): number {
  let ownSeen = false;
  for (let k = 0; k < b.size; k++) {
    const tx = b.member(k)!;
    if (own(b, tx)) ownSeen = true;
    else if (ownSeen) return k;
  }
  return b.size;
}
