import { simulate } from '../sim/simulation';
import { referenceScenario } from './reference';
const days = 30;
function run(label: string, keep: (id: string) => boolean) {
  const c = referenceScenario(days);
  const cfg = { ...c, agents: c.agents.filter((a) => keep(a.id)) };
  simulate({ ...cfg, blocks: 20000 });
  const t0 = performance.now();
  const r = simulate(cfg);
  const s = (performance.now() - t0) / 1000;
  console.log(label.padEnd(24), (s / r.blocks * 1e9).toFixed(0), 'ns/block');
}
run('lp only', (id) => id === 'lp');
run('lp+noise', (id) => id === 'lp' || id === 'noise');
run('lp+tracker', (id) => id === 'lp' || id === 'tracker');
run('lp+arb1', (id) => id === 'lp' || id === 'arb-1');
run('lp+arbs', (id) => id === 'lp' || id.startsWith('arb'));
run('all', () => true);
