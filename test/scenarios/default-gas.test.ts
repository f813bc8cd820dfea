/**
 * The default L2 scenario's base fee with the elastic `l2` background preset, against its normal
 * model with demand at the EIP-1559 target: the first stays around its median (0.05 gwei, the
 * scenario's floor); the second is a random walk in ln(fee), tipped upward by the agents' own gas,
 * that runs away over a month (to ~27,000 gwei in 30 days) and already leaves the bounds in a day.
 * One day of 2 s blocks each, seed 1 (the scenario's).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { Simulation } from '../../sim/simulation';

const DEFAULT = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));

function fees(background: string): Float64Array {
  const loaded = loadScenarioFile(DEFAULT, [`chain.background=${background}`]);
  const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
  const out = new Float64Array(sim.config.blocks);
  let i = 0;
  sim.events.on('block', (b) => void (out[i++] = b.baseFee));
  sim.run();
  return out;
}

const quantile = (xs: Float64Array, q: number) => Float64Array.from(xs).sort()[Math.floor(q * (xs.length - 1))]!;

describe('the default L2 scenario with the elastic l2 preset has no runaway fee', () => {
  it('stays within 0.05–0.5 gwei all day, its median at the 0.05 floor and its 99th percentile below 0.15', () => {
    const f = fees('{ model: elastic, preset: l2 }');
    expect(f.length).toBe(43_200);
    expect(Math.min(...f)).toBe(0.05);
    expect(Math.max(...f)).toBeLessThan(0.5);
    expect(quantile(f, 0.5)).toBeLessThan(0.06);
    expect(quantile(f, 0.99)).toBeLessThan(0.15);
  });

  it('where the normal model with demand at the target breaks those bounds within the day', () => {
    const f = fees('{ meanGas: 15000000, sdGas: 4000000 }');
    // A random walk in ln(fee): at seed 1 it reaches 1.4 gwei (28× the floor), its 99th percentile 0.93.
    expect(Math.max(...f)).toBeGreaterThan(0.5);
    expect(quantile(f, 0.99)).toBeGreaterThan(0.15);
  });
});
