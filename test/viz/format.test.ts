import { describe, expect, it } from 'vitest';
import { blockTick, compact, exact, num, signed, valueTicks, withUnit } from '../../viz/ui/format';
import { clock, clockMs, seconds, when, withUnitValue } from '../../viz/ui/format';

describe('num: numbers to read in tables and the inspector', () => {
  it.each([
    [110_000, '110,000'], // gas: whole, not 1.1e+5
    [15_979_978.364731733, '15,979,978'], // background gas: whole from a million up
    [0.052693884103749186, '0.0526939'], // a base fee: six significant digits
    [2512.3456, '2,512.35'],
    [-15_230.4, '−15,230.4'], // a reserve change: not −1.523e+4
    [-0, '0'],
    [1e-7, '1.000e−7'],
    [2e15, '2.000e+15'],
    [NaN, '—'],
  ])('%d → %s', (v, text) => {
    expect(num(v)).toBe(text);
  });

  it('signed marks gains; exact keeps every digit for titles', () => {
    expect(signed(6.17751)).toBe('+6.17751');
    expect(signed(-3)).toBe('−3');
    expect(exact(0.052693884103749186)).toBe('0.052693884103749186');
  });

  it('compact fits four digits in a heatmap cell', () => {
    expect([compact(33_332.81), compact(1_234_567), compact(0.123456)]).toEqual(['33,330', '1.235M', '0.1235']);
  });
});

describe('axis ticks', () => {
  it('blocks are whole, with thousands separators', () => {
    expect([blockTick(21_605), blockTick(5000), blockTick(10_000)]).toEqual(['21,605', '5,000', '10,000']);
  });

  it('a value axis uses SI prefixes for all its ticks or for none', () => {
    const big = valueTicks([0, 5000, 10_000, 15_000]);
    expect([0, 5000, 10_000].map(big)).toEqual(['0', '5k', '10k']);
    const small = valueTicks([0, 0.05, 0.1]);
    expect([0.05, 0.1].map(small)).toEqual(['0.05', '0.1']);
    expect(valueTicks([0, 2500, 5000])(2500)).toBe('2,500');
  });

  it('withUnit names the unit when there is one', () => {
    expect([withUnit('chain.baseFee.initial', 'gwei'), withUnit('seed', '')]).toEqual(['chain.baseFee.initial (gwei)', 'seed']);
  });

  it('times read as block time and a clock that names the day; arrivals to the millisecond', () => {
    expect([clock(0), clock(2468), clock(86_400), clock(2 * 86_400 + 3 * 3600 + 5)]).toEqual(['0d 00:00:00', '0d 00:41:08', '1d 00:00:00', '2d 03:00:05']);
    expect(when(2468)).toBe('t = 2,468 s (0d 00:41:08)');
    // A searcher's 50 ms reaction, invisible at six significant digits past 10,000 s.
    expect([seconds(12_345.678), seconds(12_345.728)]).toEqual(['12,345.678', '12,345.728']);
    expect([num(12_345.678), num(12_345.728)]).toEqual(['12,345.7', '12,345.7']);
    expect([clockMs(64.2775), clockMs(64.3275), clockMs(59.9996)]).toEqual(['0d 00:01:04.278', '0d 00:01:04.328', '0d 00:01:00.000']);
    expect(withUnitValue(2512.3456, 'USD')).toBe('2,512.35 USD');
    expect(withUnitValue(NaN, 'USD')).toBe('—');
  });
});
