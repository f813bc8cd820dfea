/**
 * Number formats: readable ones for axes and tables (thousands separators, six significant digits
 * at most), exact ones (every digit a float64 has) for tooltips and titles.
 */
import { format } from 'd3';

const integer = format(',d');
const fixed0 = format(',.0f');
const sig6 = format(',.6~r');
const money = format(',.2f');
const si = format('~s');
const plain = format(',~g');

/** The value exactly as stored (JavaScript's shortest round-trip form), or `—` when missing. */
export function exact(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return String(v);
}

/**
 * A number to read: integers whole with separators (110,000 gas); others to six significant
 * digits (0.0526939 gwei, 2,512.35 USD), whole from a million up (15,979,978, not 15,980,000);
 * exponential only past 1e15 or below 1e-6, where separators stop helping.
 */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0'; // also −0
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-6) return v.toExponential(3).replace('-', '−');
  if (Number.isInteger(v)) return integer(v);
  return a >= 1e6 ? fixed0(v) : sig6(v);
}

const sig4 = format(',.4~r');
const si4 = format('.4~s');

/** Four significant digits, for labels inside small marks (a heatmap cell): 33,330, 1.235M. */
export function compact(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-6) return v.toExponential(1).replace('-', '−');
  return a >= 1e5 ? si4(v) : sig4(v);
}

export function usd(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : money(v);
}

export function signed(v: number): string {
  return `${v > 0 ? '+' : ''}${num(v)}`;
}

/** A block number on an axis: whole, with separators (21,605, never 21.605k). */
export const blockTick = integer;

/**
 * The tick format of a value axis with these ticks: SI prefixes for all of them when the largest
 * reaches 10,000 (5k, 10k, 2.5M — never 5000 next to 10k), plain numbers otherwise (no "m" for milli).
 */
export function valueTicks(ticks: readonly number[]): (v: number) => string {
  const big = ticks.some((t) => Math.abs(t) >= 1e4);
  return big ? (v) => si(v) : (v) => plain(v);
}

/** An axis or legend name with its unit: `chain.baseFee.initial (gwei)`. */
export function withUnit(name: string, unit: string): string {
  return unit === '' ? name : `${name} (${unit})`;
}

/** Simulated seconds as `1d 02:03:04`. */
export function duration(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const d = Math.floor(s / 86400);
  const rest = s - d * 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(Math.floor(rest % 60)).padStart(2, '0');
  return `${d > 0 ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
}

/** Simulated seconds as a clock that always names the day: `0d 00:41:08`, `2d 03:00:00`. */
export function clock(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const d = duration(s);
  return s >= 86400 ? d : `0d ${d}`;
}

/** Seconds to the millisecond, with separators: `1,234.050 s` (a searcher's 50 ms reaction shows). */
const ms = format(',.3f');
export function seconds(s: number | null | undefined): string {
  return s === null || s === undefined || !Number.isFinite(s) ? '—' : ms(s);
}

/** A number to read with its unit, as the tables show it: `2,512.35 USD`, `110,000 gas`. */
export function withUnitValue(v: number | null | undefined, unit: string): string {
  const t = num(v);
  return t === '—' || unit === '' ? t : `${t} ${unit}`;
}

/** A simulated moment as the tooltips give it: block time and clock, `t = 2,468 s (0d 00:41:08)`. */
export function when(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? '' : `t = ${num(t)} s (${clock(t)})`;
}

/** A clock to the millisecond: `0d 00:41:08.050`. */
export function clockMs(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const whole = Math.floor(s);
  const frac = Math.round((s - whole) * 1000);
  // 0.9996 s rounds up to the next second, not to ".1000".
  return frac === 1000 ? `${clock(whole + 1)}.000` : `${clock(whole)}.${String(frac).padStart(3, '0')}`;
}
