import { it } from 'vitest';
import { elasticStationary } from '../../sim/background';
import { Simulation } from '../../sim/simulation';
import { BACKGROUND_PRESETS } from '../../scenarios/schema-gas';
import { world } from './helpers';
it('probe', () => {
  for (const [name, bt, blocks] of [['l1', 12, 201600], ['l2', 2, 302400]] as const) {
    const p = BACKGROUND_PRESETS[name];
    const th = elasticStationary({ model: 'elastic', ...p }, 15e6, 8, bt);
    console.log(name, 'theory sd', th.sdLnFee.toFixed(4), 'sdU', th.sdLnGas.toFixed(4), 'a-lnT', (th.logGasAtRef - Math.log(15e6)).toFixed(4), 'p5', (p.refFee*Math.exp(-1.645*th.sdLnFee)).toPrecision(3), 'p95', (p.refFee*Math.exp(1.645*th.sdLnFee)).toPrecision(3));
    for (const seed of [1, 2, 3]) {
      const sim = new Simulation({ ...world({ blocks, seed, agents: [], seedPool: false, checkInvariants: false, chain: { blockTime: bt, baseFee: { initial: p.refFee, mode: 'eip1559' }, background: { model: 'elastic', ...p } } }) });
      const fee: number[] = []; const gas: number[] = [];
      sim.events.on('block', (b) => { fee.push(b.baseFee); gas.push(b.backgroundGas); });
      sim.run();
      const f = fee.slice(500); const ln = f.map(Math.log).sort((a, b) => a - b);
      const m = ln.reduce((a, b) => a + b, 0) / ln.length;
      const sd = Math.sqrt(ln.reduce((a, b) => a + (b - m) ** 2, 0) / (ln.length - 1));
      const q = (x: number) => Math.exp(ln[Math.floor(x * (ln.length - 1))]!);
      const meanGas = gas.reduce((a, b) => a + b, 0) / gas.length;
      const full = gas.filter((g) => g >= 30e6).length / gas.length;
      // intraday: per day max/min ratio median
      const perDay = 86400 / bt; const ratios: number[] = [];
      for (let d = 0; d + perDay <= fee.length; d += perDay) { const s = fee.slice(d, d + perDay); ratios.push(Math.max(...s) / Math.min(...s)); }
      ratios.sort((a, b) => a - b);
      const h1 = f.slice(0, f.length / 2).map(Math.log).sort((a,b)=>a-b), h2 = f.slice(f.length/2).map(Math.log).sort((a,b)=>a-b);
      console.log(name, seed, 'median', q(0.5).toPrecision(4), 'sd', sd.toFixed(4), 'p5', q(0.05).toPrecision(3), 'p95', q(0.95).toPrecision(3), 'meanGas/T', (meanGas / 15e6).toFixed(4), 'full', full.toFixed(4), 'day max/min median', ratios[Math.floor(ratios.length / 2)]!.toFixed(2), 'halves', Math.exp(h1[h1.length>>1]!).toPrecision(4), Math.exp(h2[h2.length>>1]!).toPrecision(4));
    }
  }
}, 900000);
