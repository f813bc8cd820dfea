/**
 * The reference scenario's arithmetic with no engine: the same price draws, the same noise arrivals
 * and sizes, the same optimal arbitrage, the same triad forge, the same gas charge — in one loop
 * over plain numbers. The engine's speed is reported as a ratio to this loop, measured in one run.
 */
import { Stream } from '../sim/rng';

export interface BareResult {
  blocks: number;
  noiseTxs: number;
  arbTxs: number;
  feesUsd: number;
  checksum: number;
}

export function bareLoop(days: number, seed: number | string = 1): BareResult {
  const dtS = 12;
  const blocks = Math.round((days * 86_400) / dtS);
  const sigma = 0.8;
  const dt = dtS / (365 * 86_400);
  const drift = -0.5 * sigma * sigma * dt;
  const sd = sigma * Math.sqrt(dt);
  const fee = 0.003;
  const phi = 1 - fee;
  const gasUsd = 5;
  const market = new Stream(seed, 'market:ETH');
  const arrivals = new Stream(seed, 'schedule:noise');
  const noise = new Stream(seed, 'agent:noise');
  const bid1 = new Stream(seed, 'agent:arb-1:bid');
  const bid2 = new Stream(seed, 'agent:arb-2:bid');
  let x = 1000;
  let y = 2_500_000;
  let P = 2500;
  let u = 1e6;
  let v = 1e6;
  let fees = 0;
  let noiseTxs = 0;
  let arbTxs = 0;
  let oneSpent = 0;
  let nextArrival = arrivals.exponential(12);
  let proposer = 0;
  for (let b = 1; b <= blocks; b++) {
    const t = b * dtS;
    P *= Math.exp(drift + sd * market.normal());
    // Arbitrage first (both bots decide; the higher bid lands, the other reverts and pays gas).
    const k = x * y;
    const j1 = 0.5 * (1 + 0.5 * (2 * bid1.uniform() - 1));
    const j2 = 0.5 * (1 + 0.5 * (2 * bid2.uniform() - 1));
    if (P * phi * x > y) {
      const dy = (Math.sqrt(phi * P * k) - y) / phi;
      const out = (x * phi * dy) / (y + phi * dy);
      const profit = out * P - dy;
      if (profit > gasUsd) {
        proposer += Math.max(j1, j2) * (profit - gasUsd);
        fees += fee * dy;
        x -= out;
        y += dy;
        arbTxs++;
      }
    } else if (P * x < phi * y) {
      const dx = (Math.sqrt((phi * k) / P) - x) / phi;
      const out = (y * phi * dx) / (x + phi * dx);
      const profit = out - dx * P;
      if (profit > gasUsd) {
        proposer += Math.max(j1, j2) * (profit - gasUsd);
        fees += fee * dx * P;
        x += dx;
        y -= out;
        arbTxs++;
      }
    }
    // Noise swaps that arrived since the last block.
    while (nextArrival <= t) {
      const usd = noise.lognormal(Math.log(2000), 1);
      const buy = noise.uniform() < 0.5;
      if (buy) {
        const out = (x * phi * usd) / (y + phi * usd);
        x -= out;
        y += usd;
        fees += fee * usd;
      } else {
        const dx = usd / P;
        const out = (y * phi * dx) / (x + phi * dx);
        x += dx;
        y -= out;
        fees += fee * usd;
      }
      noiseTxs++;
      nextArrival += arrivals.exponential(12);
    }
    // Tracker: move the triad's price to √(P/2500) along u·v = const.
    const target = Math.sqrt(P / 2500);
    const ratio = Math.sqrt(v / u) / target;
    const w0 = Math.sqrt(u * v);
    u *= ratio;
    v /= ratio;
    oneSpent += 2 * (w0 - Math.sqrt(u * v));
  }
  return { blocks, noiseTxs, arbTxs, feesUsd: fees, checksum: x + y + u + v + oneSpent + proposer };
}
