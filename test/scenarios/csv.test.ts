/**
 * `csv` price processes: read into scripted paths relative to the scenario's folder; problems name
 * the CSV file and line (or, for a file that cannot be read, the scenario's reference to it).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, parseScenario, ScenarioError } from '../../scenarios';
import { edit, FIXTURES } from './helpers';

/** BASE with ETH priced from a CSV described by `spec`, run for `blocks` blocks of 12 s. */
const csv = (spec: string, blocks = 10) => edit('blocks: 10', `blocks: ${blocks}`, edit('ETH: { kind: gbm, price: 2500, sigma: 0.8 }', `ETH: { kind: csv, ${spec} }`));

function build(text: string) {
  const loaded = parseScenario(text, join(FIXTURES, 'csv.yaml'));
  return buildConfig(loaded.scenario, loaded.baseDir);
}

function problems(text: string): string[] {
  try {
    build(text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.format().split(FIXTURES).join('<fixtures>').split('\n');
    throw e;
  }
  throw new Error('the scenario built without problems');
}

describe('CSV price files', () => {
  it('reads seconds into a scripted path', () => {
    const asset = build(csv('file: eth-prices.csv')).market.assets[0]!;
    expect(asset).toEqual({ id: 'ETH', process: { kind: 'path', interpolate: 'step', points: [[0, 2500], [60, 2510.5], [120, 2498], [180, 2503], [240, 2520], [300, 2515]] } });
  });

  it('reads ISO dates as seconds from the first row (UTC when no zone is given), and a named column', () => {
    const asset = build(csv('file: dated.csv, timeColumn: date, column: close, interpolate: linear')).market.assets[0]!;
    expect(asset.process).toEqual({ kind: 'path', interpolate: 'linear', points: [[0, 2500], [60, 2510], [120, 2490]] });
  });

  it('accepts a run exactly as long as the prices', () => {
    expect(build(csv('file: eth-prices.csv', 25)).blocks).toBe(25);
  });

  const cases: [string, string, string[]][] = [
    ['a missing file, at the scenario\'s reference', csv('file: nope.csv'), ['<fixtures>/csv.yaml:5:37: market.assets.ETH.file: cannot read the CSV file <fixtures>/nope.csv: no such file']],
    ['a folder', csv('file: .'), ['<fixtures>/csv.yaml:5:37: market.assets.ETH.file: cannot read the CSV file <fixtures>: it is a folder']],
    [
      'bad rows, all of them',
      csv('file: bad-rows.csv'),
      [
        "<fixtures>/bad-rows.csv:3:4: market.assets.ETH: price must be a positive number, found 'abc'",
        "<fixtures>/bad-rows.csv:4:1: market.assets.ETH: times must increase: '60' follows the time on line 3",
        "<fixtures>/bad-rows.csv:5:5: market.assets.ETH: price must be a positive number, found '-3'",
      ],
    ],
    ['an unclosed quote', csv('file: unclosed.csv'), ['<fixtures>/unclosed.csv:4:1: market.assets.ETH: CSV syntax error: Quote Not Closed: the parsing is finished with an opening quote at line 4']],
    ['a ragged row', csv('file: ragged.csv'), ['<fixtures>/ragged.csv:3:1: market.assets.ETH: CSV syntax error: Invalid Record Length: expect 2, got 1 on line 3']],
    ['a single row', csv('file: one-row.csv'), ['<fixtures>/one-row.csv:2:1: market.assets.ETH: needs at least 2 rows of prices, found 1']],
    ['an empty file', csv('file: empty.csv'), ['<fixtures>/empty.csv:1:1: market.assets.ETH: the CSV file is empty; it needs a header row and at least 2 rows of prices']],
    ['mixed time formats', csv('file: mixed.csv'), ["<fixtures>/mixed.csv:3:1: market.assets.ETH: time '2024-01-01' is not a number of seconds (like the first row)"]],
    ['a time column it lacks', csv('file: eth-prices.csv, timeColumn: tim'), ["<fixtures>/eth-prices.csv:2:1: market.assets.ETH: no time column 'tim' (did you mean 'time'?); columns: time, ETH"]],
    ['a price column it lacks', csv('file: eth-prices.csv, column: EHT'), ["<fixtures>/eth-prices.csv:2:1: market.assets.ETH: no price column 'EHT' (did you mean 'ETH'?); columns: time, ETH"]],
    [
      'an ambiguous price column',
      csv('file: dated.csv, timeColumn: date'),
      ["<fixtures>/dated.csv:1:1: market.assets.ETH: no column 'ETH' and more than one other column: name the price column with `column:`; columns: date, close, volume"],
    ],
    ['prices shorter than the run', csv('file: eth-prices.csv', 26), ['<fixtures>/eth-prices.csv:8:1: market.assets.ETH: the prices cover 300 s, but the run lasts 312 s (26 blocks × 12 s); shorten the run or add prices']],
  ];
  it.each(cases)('reports %s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('reports the problems of several CSV files together', () => {
    const text = edit(
      '  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }',
      '  assets:\n    ETH: { kind: csv, file: one-row.csv }\n    BTC: { kind: csv, file: missing.csv }',
    );
    expect(problems(text)).toEqual([
      '<fixtures>/csv.yaml:7:29: market.assets.BTC.file: cannot read the CSV file <fixtures>/missing.csv: no such file',
      '<fixtures>/one-row.csv:2:1: market.assets.ETH: needs at least 2 rows of prices, found 1',
    ]);
  });

  it('places problems at the CSV path when the scenario has no source positions', () => {
    const loaded = parseScenario(csv('file: nope.csv'), join(FIXTURES, 'csv.yaml'));
    const plain = structuredClone(loaded.scenario);
    expect(() => buildConfig(plain, FIXTURES)).toThrow(/nope\.csv:1:1: market\.assets\.ETH\.file: cannot read the CSV file/);
  });
});
