/** Gas: the per-call gas table and the EIP-1559 base fee rule. */
import { Op } from './tx';

/** Gas used by a transaction made of one call of each kind (intrinsic 21,000 included). */
export interface GasTable {
  swap: number;
  swapExactOut: number;
  addLiquidity: number;
  removeLiquidity: number;
  forge: number;
  /** Intrinsic cost of any transaction, counted once however many calls it makes. */
  intrinsic: number;
  /** Gas burned by the call that reverts (the check fails after some work). */
  revert: number;
}

export const DEFAULT_GAS_TABLE: Readonly<GasTable> = {
  swap: 110_000,
  swapExactOut: 115_000,
  addLiquidity: 150_000,
  removeLiquidity: 130_000,
  // The seed's estimate for a Uniteum forge.
  forge: 100_000,
  intrinsic: 21_000,
  revert: 30_000,
};

/** Gas of one call of `op` as a single transaction, indexed by op code. */
export function gasByOp(table: GasTable): Float64Array {
  const g = new Float64Array(8);
  g[Op.Swap] = table.swap;
  g[Op.SwapExactOut] = table.swapExactOut;
  g[Op.AddLiquidity] = table.addLiquidity;
  g[Op.RemoveLiquidity] = table.removeLiquidity;
  g[Op.Forge] = table.forge;
  return g;
}

/**
 * The base fee's cap when a scenario gives none, gwei: 10⁹ gwei = 1 ETH per gas, far above any fee
 * a chain has seen and far below where the fee, or a transaction's cost in wei, would overflow.
 */
export const DEFAULT_MAX_BASE_FEE = 1e9;

export interface BaseFeeRule {
  /** `eip1559`: ±1/8 per block toward a target of gasLimit/elasticity; `fixed`: constant. */
  mode: 'eip1559' | 'fixed';
  /** Floor, gwei. */
  min: number;
  /** Cap, gwei: sustained demand above the target raises the fee 12.5 % a block, past any float in ~6,000 blocks. */
  max: number;
  elasticity: number;
  maxChangeDenominator: number;
}

/**
 * Step `fee.baseFee` to the next block's from this one's and the gas it used (EIP-1559, in float gwei).
 * In place: a fractional double passed to or returned from a call V8 does not inline is boxed.
 */
export function stepBaseFee(fee: { baseFee: number }, gasUsed: number, gasLimit: number, rule: BaseFeeRule): void {
  if (rule.mode === 'fixed') return;
  const baseFee = fee.baseFee;
  const target = gasLimit / rule.elasticity;
  const next = baseFee + (baseFee * (gasUsed - target)) / target / rule.maxChangeDenominator;
  fee.baseFee = next > rule.min ? (next < rule.max ? next : rule.max) : rule.min;
}
