/** Profile target: `node --cpu-prof dist/profile.mjs` runs the reference scenario once (BENCH_AGENTS filters agents). */
import { simulate } from '../sim/simulation';
import { referenceScenario } from './reference';

const days = Number(process.env.BENCH_DAYS ?? 30);
const only = process.env.BENCH_AGENTS?.split(',');
const config = referenceScenario(days);
const run = only ? { ...config, agents: config.agents.filter((a) => only.includes(a.id)) } : config;
const t0 = performance.now();
const r = simulate(run);
const s = (performance.now() - t0) / 1000;
console.log(`${r.blocks} blocks in ${s.toFixed(3)} s: ${Math.round(r.blocks / s).toLocaleString('en-US')} blocks/s`);
for (const a of r.agents) console.log(a.id.padEnd(8), JSON.stringify(a.pnl), JSON.stringify(a.txs));
console.log(JSON.stringify(r.venues), JSON.stringify(r.builder));
