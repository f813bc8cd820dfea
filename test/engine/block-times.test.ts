/**
 * Block times: fixed intervals are exact multiples of the block time; `exponential` gaps (Poisson
 * blocks) have the given mean, an exponential spread, come from their own stream (same seed, same
 * gaps) and leave the rest of the run consistent (a transaction lands in the first block after it
 * arrives). Monte-Carlo checks use 4-standard-error tolerances at a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import type { BlockInfo } from '../../sim/kernel';
import { Simulation } from '../../sim/simulation';
import { lazy, PAY_ETH, POOL, run, swapAt, world } from './helpers';

const N = 3000;

function blockTimes(seed: number, blockTimes: 'fixed' | 'exponential'): number[] {
  const sim = new Simulation(world({ blocks: N, seed, chain: { blockTimes }, agents: [], checkInvariants: false }));
  const times: number[] = [];
  sim.events.on('block', (b: BlockInfo) => times.push(b.time));
  sim.run();
  return times;
}

const gapsOf = (times: number[]): number[] => times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));

describe('fixed block times', () => {
  it('put block n at exactly n × 12 s', () => {
    const times = blockTimes(1, 'fixed');
    expect(times.every((t, i) => t === (i + 1) * 12)).toBe(true);
  });
});

describe('exponential block times (mean 12 s)', () => {
  const gaps = lazy(() => gapsOf(blockTimes(1, 'exponential')));

  it('have a mean gap of 12 s within 4 standard errors (12/√3000 ≈ 0.22 s)', () => {
    const mean = gaps().reduce((s, g) => s + g, 0) / N;
    expect(Math.abs(mean - 12)).toBeLessThan((4 * 12) / Math.sqrt(N));
  });

  it('spread like an exponential: sd ≈ mean, and half the gaps below 12·ln 2', () => {
    const g = gaps();
    const mean = g.reduce((s, x) => s + x, 0) / N;
    const sd = Math.sqrt(g.reduce((s, x) => s + (x - mean) ** 2, 0) / (N - 1));
    // The sd of an exponential sample's sd is about mean/√N·√2 (excess kurtosis 6): ±0.1 is > 4 of them.
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
    const below = g.filter((x) => x < 12 * Math.LN2).length / N;
    expect(Math.abs(below - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / N));
    expect(g.every((x) => x > 0)).toBe(true);
  });

  it('are the same for the same seed and differ for another', () => {
    expect(blockTimes(1, 'exponential')).toEqual(blockTimes(1, 'exponential'));
    expect(blockTimes(2, 'exponential').slice(0, 10)).not.toEqual(blockTimes(1, 'exponential').slice(0, 10));
  });

  it('do not change the other streams: a trade sent at t = 50 s lands in the first block after 50 s', () => {
    const times = blockTimes(1, 'exponential');
    const first = times.findIndex((t) => t >= 50) + 1;
    const r = run(world({ blocks: first + 2, chain: { blockTimes: 'exponential' }, agents: [swapAt('trader', 50, (out) => void out.swap(POOL, PAY_ETH, 1, 0))] }));
    expect(r.txs.find((t) => t.agent === 'trader')!.block).toBe(first);
    expect(r.blocks.map((b) => b.time)).toEqual(times.slice(0, first + 2));
  });

  it('wake interval agents at their own times, independent of the blocks', () => {
    const woke: number[] = [];
    const r = run(world({ blocks: 50, chain: { blockTimes: 'exponential' }, agents: [swapAt('clock', 7, (_out, view) => void woke.push(view.time))] }));
    expect(woke).toEqual([7]);
    expect(r.txs).toHaveLength(0);
  });
});
