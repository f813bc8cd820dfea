/**
 * Constant-product pool math (Uniswap v2 semantics), float64. Pure functions, arguments named in
 * trade direction. The fee is taken from the input: φ = 1 − fee of the input enters x·y, the fee
 * stays in the reserves. `phi` is passed precomputed because these run in the hot path.
 */

/** Output for an exact input: Δout = reserveOut·φΔin / (reserveIn + φΔin). */
export function getAmountOut(amountIn: number, reserveIn: number, reserveOut: number, phi: number): number {
  const inWithFee = phi * amountIn;
  return (reserveOut * inWithFee) / (reserveIn + inWithFee);
}

/** Input needed for an exact output: Δin = reserveIn·Δout / (φ(reserveOut − Δout)). */
export function getAmountIn(amountOut: number, reserveIn: number, reserveOut: number, phi: number): number {
  return (reserveIn * amountOut) / (phi * (reserveOut - amountOut));
}

/**
 * The profit-maximising arbitrage against a reference price `price` (token0 in units of token1).
 * Returns the signed optimal input: > 0 pay that much token1 for token0 (the pool is cheap),
 * < 0 pay |result| token0 for token1 (the pool is dear), 0 inside the no-trade band
 * [φ·y/x, y/(φ·x)].
 *   buy:  Δy* = (√(φ·P·x·y) − y)/φ
 *   sell: Δx* = (√(φ·x·y/P) − x)/φ
 */
export function optimalArbitrageInput(reserve0: number, reserve1: number, price: number, phi: number): number {
  if (price * phi * reserve0 > reserve1) {
    return (Math.sqrt(phi * price * reserve0 * reserve1) - reserve1) / phi;
  }
  if (price * reserve0 < phi * reserve1) {
    return -(Math.sqrt((phi * reserve0 * reserve1) / price) - reserve0) / phi;
  }
  return 0;
}

/** Marginal price of token0 in token1 (no fee): y/x. */
export function spotPrice(reserve0: number, reserve1: number): number {
  return reserve1 / reserve0;
}

/**
 * Amounts a router deposits for desired amounts: the largest pair at the pool's ratio that fits
 * both. An empty pool takes both as given. Writes into `out` (length 2) to stay allocation-free.
 */
export function depositAmounts(desired0: number, desired1: number, reserve0: number, reserve1: number, out: Float64Array): void {
  if (reserve0 === 0 && reserve1 === 0) {
    out[0] = desired0;
    out[1] = desired1;
    return;
  }
  const optimal1 = (desired0 * reserve1) / reserve0;
  if (optimal1 <= desired1) {
    out[0] = desired0;
    out[1] = optimal1;
  } else {
    out[0] = (desired1 * reserve0) / reserve1;
    out[1] = desired1;
  }
}

/** LP shares minted pro rata; the first deposit mints √(a0·a1). */
export function sharesMinted(amount0: number, amount1: number, reserve0: number, reserve1: number, totalShares: number): number {
  if (totalShares === 0) return Math.sqrt(amount0 * amount1);
  return Math.min((amount0 * totalShares) / reserve0, (amount1 * totalShares) / reserve1);
}

/**
 * Compound-forge shares (`shares: invariant`, fee 0): the LP unit is W with supply 2·√(x·y), so a
 * deposit (or withdrawal, negative amounts) of any mix mints 2·(√(x1·y1) − √(x0·y0)).
 */
export function invariantSharesMinted(amount0: number, amount1: number, reserve0: number, reserve1: number): number {
  return 2 * (Math.sqrt((reserve0 + amount0) * (reserve1 + amount1)) - Math.sqrt(reserve0 * reserve1));
}

/** Token amount returned for burning `shares` of `totalShares`. */
export function amountForShares(shares: number, reserve: number, totalShares: number): number {
  return (shares * reserve) / totalShares;
}

/**
 * The compound forge (`shares: invariant`): W received (negative: paid) for taking (du, dv) out of
 * reserves (x, y) — 2·(√((x − du)·(y − dv)) − √(x·y)).
 */
export function compoundForgeQuote(x: number, y: number, du: number, dv: number): number {
  return 2 * (Math.sqrt((x - du) * (y - dv)) - Math.sqrt(x * y));
}
